import * as $Ecs from "@alicloud/ecs20140526";

import type { ApiCall, ApiOutcome, EmulatorCore, FixtureCredential } from "../../src/emulator/contract";
import { DEFAULT_FIXTURES } from "../../src/emulator/default-fixtures";
import { decodeQuery, errorResponse, recommendUrl } from "../../src/emulator/protocol";
import { isLoopbackHost, startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { makeEcsClient, sdkError } from "../helpers/sdk-client";
import { sendRaw, signRequest, type SignInput } from "../helpers/signer";
import { control, startTestEmulator, stopTestEmulators } from "../helpers/start-emulator";

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const CREDENTIAL: FixtureCredential = DEFAULT_FIXTURES.credentials![0]!;

afterEach(stopTestEmulators);

/** A core that records every call and answers with `answer`; everything but handle is inert. */
function recordingCore(answer: (call: ApiCall) => ApiOutcome): EmulatorCore & { readonly calls: ApiCall[] } {
  const calls: ApiCall[] = [];
  return {
    calls,
    handle(call: ApiCall): ApiOutcome {
      calls.push(call);
      return answer(call);
    },
    findCredential: (id) => (id === CREDENTIAL.access_key_id ? CREDENTIAL : undefined),
    reset: () => undefined,
    completeCreating: () => 0,
    setFailingImageNames: () => undefined,
    setInvisibleForSeconds: () => undefined,
    inspect: () => ({}),
    exportState: () => ({}),
    importState: () => undefined,
  };
}

function send(emulator: RunningEmulator, overrides: Partial<SignInput> = {}): ReturnType<typeof sendRaw> {
  const request = signRequest({
    endpoint: emulator.endpoint,
    action: "DescribeImages",
    params: { RegionId: "cn-hangzhou" },
    accessKeyId: emulator.credentials.access_key_id,
    accessKeySecret: emulator.credentials.access_key_secret,
    ...overrides,
  });
  return sendRaw(emulator.endpoint, request);
}

describe("protocol: requests reach the core as ApiCalls", () => {
  test("the action comes from x-acs-action and params are the decoded, flattened query", async () => {
    const core = recordingCore(() => ({ kind: "ok", body: {} }));
    const emulator = await startTestEmulator({ core });
    const client = makeEcsClient(emulator.endpoint, emulator.credentials);
    const request = new $Ecs.TagResourcesRequest({
      regionId: "cn-hangzhou",
      resourceType: "image",
      resourceId: ["m-1", "m-2"],
      tag: [
        { key: "team", value: "a b!'()*~中" },
        { key: "empty", value: "" },
      ],
    });
    const response = await client.tagResources(request);
    expect(core.calls).toEqual([
      {
        action: "TagResources",
        accountId: CREDENTIAL.account_id,
        requestId: response.body?.requestId,
        params: {
          RegionId: "cn-hangzhou",
          ResourceType: "image",
          "ResourceId.1": "m-1",
          "ResourceId.2": "m-2",
          "Tag.1.Key": "team",
          "Tag.1.Value": "a b!'()*~中",
          "Tag.2.Key": "empty",
          "Tag.2.Value": "",
        },
      },
    ]);
  });

  test("JSON-array parameters arrive as one string", async () => {
    const core = recordingCore(() => ({ kind: "ok", body: { Instances: { Instance: [] } } }));
    const emulator = await startTestEmulator({ core });
    const client = makeEcsClient(emulator.endpoint, emulator.credentials);
    await client.describeInstances(
      new $Ecs.DescribeInstancesRequest({ regionId: "cn-hangzhou", instanceIds: '["i-1","i-2"]' }),
    );
    expect(core.calls[0]?.params).toEqual({ RegionId: "cn-hangzhou", InstanceIds: '["i-1","i-2"]' });
  });
});

describe("protocol: response envelopes", () => {
  test("a success is {RequestId, ...body} as JSON with a fresh upper-case UUID each time", async () => {
    const core = recordingCore(() => ({ kind: "ok", body: { TotalCount: 0, Images: { Image: [] } } }));
    const emulator = await startTestEmulator({ core });
    const first = await send(emulator);
    const second = await send(emulator);
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toBe("application/json;charset=utf-8");
    expect(Object.keys(first.json!)).toEqual(["RequestId", "TotalCount", "Images"]);
    expect(first.json!.RequestId).toMatch(UUID);
    expect(first.headers["x-acs-request-id"]).toBe(first.json!.RequestId);
    expect(second.json!.RequestId).not.toBe(first.json!.RequestId);
  });

  test("a core error keeps its status and becomes {RequestId, HostId, Code, Message, Recommend}", async () => {
    const error = {
      httpStatus: 404,
      code: "InvalidImageId.NotFound",
      message: "The specified ImageId does not exist.",
    };
    const emulator = await startTestEmulator({ core: recordingCore(() => ({ kind: "error", error })) });
    const response = await send(emulator);
    const requestId = String(response.json!.RequestId);
    expect(response.status).toBe(404);
    expect(response.headers["content-type"]).toBe("application/json;charset=utf-8");
    expect(response.json).toEqual({
      RequestId: requestId,
      HostId: "ecs.aliyuncs.com",
      Code: "InvalidImageId.NotFound",
      Message: "The specified ImageId does not exist.",
      Recommend: `https://api.aliyun.com/troubleshoot?q=InvalidImageId.NotFound&product=Ecs&requestId=${requestId}`,
    });
    expect(requestId).toMatch(UUID);
  });

  test("the SDK reads an error as ClientError with code, statusCode and the whole body as data", async () => {
    const error = {
      httpStatus: 400,
      code: "InvalidImageName.Duplicated",
      message: "The specified Image name has already been used.",
    };
    const emulator = await startTestEmulator({ core: recordingCore(() => ({ kind: "error", error })) });
    const client = makeEcsClient(emulator.endpoint, emulator.credentials);
    const thrown = await sdkError(
      client.describeImages(new $Ecs.DescribeImagesRequest({ regionId: "cn-hangzhou" })),
    );
    expect(thrown).toMatchObject({
      name: "ClientError",
      code: "InvalidImageName.Duplicated",
      statusCode: 400,
    });
    expect(Object.keys(thrown.data ?? {}).sort()).toEqual([
      "Code",
      "HostId",
      "Message",
      "Recommend",
      "RequestId",
    ]);
  });

  test("a core that throws answers InternalError (500)", async () => {
    const emulator = await startTestEmulator({
      core: recordingCore(() => {
        throw new Error("boom in the test core");
      }),
    });
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    const response = await send(emulator);
    stderr.mockRestore();
    expect(response.status).toBe(500);
    expect(response.json).toMatchObject({
      Code: "InternalError",
      Message: "The request processing has failed due to some unknown error, exception or failure.",
    });
  });
});

describe("protocol: version and action headers", () => {
  test("a wrong x-acs-version answers InvalidVersion (400) and never reaches the core", async () => {
    const core = recordingCore(() => ({ kind: "ok", body: {} }));
    const emulator = await startTestEmulator({ core });
    const response = await send(emulator, { version: "2016-04-28" });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      Code: "InvalidVersion",
      Message: "Specified parameter Version is not valid.",
    });
    expect(core.calls).toEqual([]);
  });

  test("a missing x-acs-action answers MissingParameter (400)", async () => {
    const emulator = await startTestEmulator({ core: recordingCore(() => ({ kind: "ok", body: {} })) });
    const response = await send(emulator, { action: "" });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      Code: "MissingParameter",
      Message:
        'The input parameter "x-acs-action" that is mandatory for processing this request is not supplied.',
    });
  });

  test("an unknown action is the core's to reject (the real core answers InvalidAction.NotFound)", async () => {
    const emulator = await startTestEmulator();
    const response = await send(emulator, { action: "RunInstancesPlease" });
    expect(response.json).toMatchObject({ Code: "InvalidAction.NotFound" });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  test("control paths never reach the API side and need no signature", async () => {
    const core = recordingCore(() => ({ kind: "ok", body: {} }));
    const emulator = await startTestEmulator({ core });
    expect((await control(emulator, "GET", "/_emulator/state")).status).toBe(200);
    expect(core.calls).toEqual([]);
  });
});

describe("protocol building blocks", () => {
  test("decodeQuery() decodes percent escapes and keeps flattened keys", () => {
    expect(decodeQuery("Tag.1.Key=a%20b&Tag.1.Value=&Desc=%E4%B8%AD%21")).toEqual({
      "Tag.1.Key": "a b",
      "Tag.1.Value": "",
      Desc: "中!",
    });
  });

  test("errorResponse() adds extra headers such as x-acs-retry-after", () => {
    const response = errorResponse("RID", {
      httpStatus: 400,
      code: "Throttling.User",
      message: "m",
      headers: { "x-acs-retry-after": "100" },
    });
    expect(response.headers).toEqual({
      "content-type": "application/json;charset=utf-8",
      "x-acs-retry-after": "100",
      "x-acs-request-id": "RID",
    });
  });

  test("recommendUrl() points at the troubleshooting page of the code", () => {
    expect(recommendUrl("Throttling.User", "RID-1")).toBe(
      "https://api.aliyun.com/troubleshoot?q=Throttling.User&product=Ecs&requestId=RID-1",
    );
  });
});

describe("startEmulator()", () => {
  test.each(["0.0.0.0", "192.168.0.1", "::", "example.com", "127.0.0.256"])(
    "refuses the non-loopback host %s",
    async (host) => {
      await expect(startEmulator({ host })).rejects.toThrow(
        `Refusing to bind to ${host}: the emulator listens on a loopback address only (127.0.0.1, ::1 or localhost)`,
      );
    },
  );

  test("isLoopbackHost() accepts 127.0.0.0/8, ::1 and localhost only", () => {
    expect(["127.0.0.1", "127.1.2.3", "::1", "localhost"].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["128.0.0.1", "0.0.0.0", "127.0.0", "localhost.example.com"].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  test("binds localhost as 127.0.0.1 and stops promptly although the SDK keeps its connection alive", async () => {
    const emulator = await startEmulator({ host: "localhost" });
    expect(emulator.endpoint).toBe(`127.0.0.1:${emulator.port}`);
    const client = makeEcsClient(emulator.endpoint, emulator.credentials);
    await client.describeImages(new $Ecs.DescribeImagesRequest({ regionId: "cn-hangzhou" }));
    const started = Date.now();
    await emulator.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
