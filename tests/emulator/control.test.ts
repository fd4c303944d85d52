import * as $Ecs from "@alicloud/ecs20140526";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

import type { Fixtures } from "../../src/emulator/contract";
import { DEFAULT_FIXTURES } from "../../src/emulator/default-fixtures";
import { isSecretParam, redactParams } from "../../src/emulator/request-log";
import { makeEcsClient, sdkError } from "../helpers/sdk-client";
import { sendRaw, signatureOf, signRequest } from "../helpers/signer";
import { control, startTestEmulator, stopTestEmulators } from "../helpers/start-emulator";

/** The shared regression fixtures, next to the repository (absent outside this workspace). */
const SHARED_FIXTURES = resolve(__dirname, "../../../shared/cases/fixtures.json");

const OTHER_FIXTURES: Fixtures = {
  credentials: [
    {
      access_key_id: "LTAIotherKey",
      access_key_secret: "other-secret-value",
      account_id: "2000000000000002",
    },
  ],
  regions: { "cn-beijing": {} },
};

afterEach(stopTestEmulators);

describe("GET /_emulator/state", () => {
  test("answers the core's inspect() view, without any secret", async () => {
    const emulator = await startTestEmulator();
    const state = await control(emulator, "GET", "/_emulator/state");
    expect(state.status).toBe(200);
    expect(state.body).toEqual(emulator.core.inspect());
    expect(JSON.stringify(state.body)).not.toContain(emulator.credentials.access_key_secret);
  });
});

describe("POST /_emulator/reset", () => {
  test("replaces the fixtures: the new key works, the old one is unknown, credentials follow", async () => {
    const emulator = await startTestEmulator();
    const oldCredentials = emulator.credentials;
    expect(await control(emulator, "POST", "/_emulator/reset", OTHER_FIXTURES)).toEqual({
      status: 200,
      body: { reset: true },
    });
    expect(emulator.credentials).toEqual({
      access_key_id: "LTAIotherKey",
      access_key_secret: "other-secret-value",
    });
    const request = new $Ecs.DescribeImagesRequest({ regionId: "cn-beijing" });
    const fresh = await makeEcsClient(emulator.endpoint, emulator.credentials).describeImages(request);
    expect(fresh.statusCode).toBe(200);
    const error = await sdkError(makeEcsClient(emulator.endpoint, oldCredentials).describeImages(request));
    expect(error.code).toBe("InvalidAccessKeyId.NotFound");
  });

  test("an empty body restores the default fixtures", async () => {
    const emulator = await startTestEmulator({ fixtures: OTHER_FIXTURES });
    await control(emulator, "POST", "/_emulator/reset", "");
    expect(emulator.credentials.access_key_id).toBe(DEFAULT_FIXTURES.credentials![0]!.access_key_id);
  });

  test("clears the request log, the faults and the remembered nonces", async () => {
    const emulator = await startTestEmulator();
    const request = signRequest({
      endpoint: emulator.endpoint,
      action: "DescribeImages",
      params: { RegionId: "cn-hangzhou" },
      accessKeyId: emulator.credentials.access_key_id,
      accessKeySecret: emulator.credentials.access_key_secret,
    });
    expect((await sendRaw(emulator.endpoint, request)).status).toBe(200);
    await control(emulator, "POST", "/_emulator/faults", { throttle_rate: 1 });
    await control(emulator, "POST", "/_emulator/reset");
    expect(await control(emulator, "GET", "/_emulator/requests")).toEqual({
      status: 200,
      body: { requests: [] },
    });
    expect((await control(emulator, "GET", "/_emulator/faults")).body).toMatchObject({ throttle_rate: 0 });
    expect((await sendRaw(emulator.endpoint, request)).status).toBe(200);
  });

  test("answers 400 with a clear message for a body that is not JSON", async () => {
    const emulator = await startTestEmulator();
    const response = await control(emulator, "POST", "/_emulator/reset", "{not json");
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: expect.stringMatching(/^The request body is not valid JSON: /) as unknown,
    });
  });

  test("answers 400 naming the problem for invalid fixtures, and keeps the old state", async () => {
    const emulator = await startTestEmulator();
    const before = emulator.core.inspect();
    const response = await control(emulator, "POST", "/_emulator/reset", { credentials: "nope" });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: expect.stringMatching(/^Invalid fixtures: .*credentials/) as unknown,
    });
    expect(emulator.core.inspect()).toEqual(before);
  });

  test("refuses fixtures without credentials, which no client could use", async () => {
    const emulator = await startTestEmulator();
    expect(await control(emulator, "POST", "/_emulator/reset", { regions: {} })).toEqual({
      status: 400,
      body: {
        error: "Invalid fixtures: credentials must hold at least one access key, or no client could call",
      },
    });
  });

  (existsSync(SHARED_FIXTURES) ? test : test.skip)("loads ../shared/cases/fixtures.json as is", async () => {
    const emulator = await startTestEmulator();
    const text = readFileSync(SHARED_FIXTURES, "utf8");
    expect((await control(emulator, "POST", "/_emulator/reset", text)).status).toBe(200);
  });
});

describe("GET and DELETE /_emulator/requests", () => {
  test("logs one entry per API call with the exact fields, and no control call", async () => {
    const emulator = await startTestEmulator();
    const client = makeEcsClient(emulator.endpoint, emulator.credentials);
    const ok = await client.describeImages(
      new $Ecs.DescribeImagesRequest({ regionId: "cn-hangzhou", pageSize: 5 }),
    );
    const failed = await sdkError(
      client.deleteImage(new $Ecs.DeleteImageRequest({ regionId: "cn-hangzhou", imageId: "m-none" })),
    );
    await control(emulator, "GET", "/_emulator/state");
    const log = await control(emulator, "GET", "/_emulator/requests");
    expect(log.body).toEqual({
      requests: [
        {
          time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) as unknown,
          action: "DescribeImages",
          region: "cn-hangzhou",
          params: { RegionId: "cn-hangzhou", PageSize: "5" },
          http_status: 200,
          error_code: null,
          request_id: ok.body?.requestId,
          used_security_token: false,
          fault: null,
        },
        expect.objectContaining({
          action: "DeleteImage",
          http_status: failed.statusCode,
          error_code: failed.code,
          request_id: failed.data?.RequestId,
        }) as unknown,
      ],
    });
  });

  test("DELETE clears the log", async () => {
    const emulator = await startTestEmulator();
    const client = makeEcsClient(emulator.endpoint, emulator.credentials);
    await client.describeImages(new $Ecs.DescribeImagesRequest({ regionId: "cn-hangzhou" }));
    expect(await control(emulator, "DELETE", "/_emulator/requests")).toEqual({
      status: 200,
      body: { requests: [] },
    });
    expect((await control(emulator, "GET", "/_emulator/requests")).body).toEqual({ requests: [] });
  });

  test("a log entry never contains a secret or a signature", async () => {
    const emulator = await startTestEmulator();
    const secret = emulator.credentials.access_key_secret;
    const token = "sts-token-that-must-not-be-logged";
    const request = signRequest({
      endpoint: emulator.endpoint,
      action: "DescribeImages",
      params: {
        RegionId: "cn-hangzhou",
        AccessKeySecret: secret,
        SecurityToken: token,
        Signature: "abc123",
        Password: "pw-9",
      },
      accessKeyId: emulator.credentials.access_key_id,
      accessKeySecret: secret,
      securityToken: token,
    });
    await sendRaw(emulator.endpoint, request);
    await makeEcsClient(emulator.endpoint, { ...emulator.credentials, security_token: token }).describeImages(
      new $Ecs.DescribeImagesRequest({ regionId: "cn-hangzhou" }),
    );
    const text = JSON.stringify((await control(emulator, "GET", "/_emulator/requests")).body);
    expect(text).toContain('"AccessKeySecret":"********"');
    for (const forbidden of [secret, token, signatureOf(request), "abc123", "pw-9", "ACS3-HMAC-SHA256"]) {
      expect(text).not.toContain(forbidden);
    }
  });

  test("redactParams() masks secret-looking names but keeps ClientToken and NextToken", () => {
    expect(
      redactParams({
        ClientToken: "ct",
        NextToken: "nt",
        SecurityToken: "st",
        "Auth.Authorization": "a",
        RegionId: "r",
      }),
    ).toEqual({
      ClientToken: "ct",
      NextToken: "nt",
      SecurityToken: "********",
      "Auth.Authorization": "********",
      RegionId: "r",
    });
    expect(isSecretParam("AccessKeySecret")).toBe(true);
    expect(isSecretParam("ImageName")).toBe(false);
  });
});

describe("POST /_emulator/complete", () => {
  test("finishes every Creating image and answers how many", async () => {
    const emulator = await startTestEmulator();
    const client = makeEcsClient(emulator.endpoint, emulator.credentials);
    const created = await client.createImage(
      new $Ecs.CreateImageRequest({
        regionId: "cn-hangzhou",
        instanceId: "i-bp1demorunning00001",
        imageName: "complete-me",
      }),
    );
    expect(await control(emulator, "POST", "/_emulator/complete")).toEqual({
      status: 200,
      body: { completed: 1 },
    });
    const images = await client.describeImages(
      new $Ecs.DescribeImagesRequest({ regionId: "cn-hangzhou", imageId: created.body?.imageId }),
    );
    expect(images.body?.images?.image?.[0]?.status).toBe("Available");
    expect(await control(emulator, "POST", "/_emulator/complete")).toEqual({
      status: 200,
      body: { completed: 0 },
    });
  });
});

describe("control plane errors", () => {
  test("an unknown control path answers 404 JSON naming the path", async () => {
    const emulator = await startTestEmulator();
    const response = await control(emulator, "GET", "/_emulator/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error:
        "Unknown control path /_emulator/nothing-here; known paths are /_emulator/state, /_emulator/reset, /_emulator/requests, /_emulator/faults, /_emulator/complete",
    });
  });

  test("a known path with the wrong method answers 405 JSON", async () => {
    const emulator = await startTestEmulator();
    expect(await control(emulator, "DELETE", "/_emulator/state")).toEqual({
      status: 405,
      body: { error: "Method DELETE is not allowed on /_emulator/state" },
    });
  });
});
