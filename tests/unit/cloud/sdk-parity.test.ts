/**
 * The adapter sends ECS actions through the generic openapi-core client instead of the v7 Ecs client class
 * (start-up: see src/cloud/ecs-api.ts). This pins that choice: for every action the module calls, the request
 * on the wire equals what the SDK's own Ecs client sends for the same request (method, path, action, version,
 * every query parameter, body, signed header names), captured by a loopback server. The SDK versions are exact
 * in package.json, so an upgrade reruns this test before anything ships.
 */
import Ecs, * as $Ecs from "@alicloud/ecs20140526";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEcsApi, type CreateImageInput, type EcsApi } from "../../../src/cloud/ecs-api";
import { ECS_ENDPOINT_MAP, ecsEndpointFor } from "../../../src/cloud/ecs-endpoints";
import { ACTION_VERBS } from "../../../src/cloud/errors";
import { makeEcsClient } from "../../helpers/sdk-client";

/** What one request looked like on the wire, minus what changes every time (date, nonce, signature). */
interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly action: string | undefined;
  readonly version: string | undefined;
  readonly query: Readonly<Record<string, string>>;
  readonly body: string;
  readonly contentType: string | undefined;
  readonly signedHeaders: string | undefined;
}

const CREDENTIALS = { access_key_id: "AKPARITY", access_key_secret: "parity-secret" };
const REGION = "cn-hangzhou";
const IMAGE = { region: REGION, imageId: "m-parity" };

/** Reads one request into its stable parts. */
async function toWire(request: IncomingMessage): Promise<WireRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return typeof value === "string" ? value : undefined;
  };
  return {
    method: request.method ?? "",
    path: url.pathname,
    action: header("x-acs-action"),
    version: header("x-acs-version"),
    query: Object.fromEntries([...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    body: Buffer.concat(chunks).toString("utf8"),
    contentType: header("content-type"),
    signedHeaders: /SignedHeaders=([^,]+)/.exec(header("authorization") ?? "")?.[1],
  };
}

let server: Server;
let endpoint = "";
let captured: WireRequest[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    void toWire(request).then((wire) => {
      captured.push(wire);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ RequestId: "RID-PARITY" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
});

/** Sends one call and returns the single request it put on the wire. */
async function capture(send: () => Promise<unknown>): Promise<WireRequest> {
  captured = [];
  await send();
  expect(captured).toHaveLength(1);
  return captured[0]!;
}

function ours(): EcsApi {
  return createEcsApi(
    {
      accessKeyId: CREDENTIALS.access_key_id,
      accessKeySecret: CREDENTIALS.access_key_secret,
      region: REGION,
      endpoint,
    },
    { maxAttempts: 1 },
  );
}

function sdk(): Ecs {
  return makeEcsClient(endpoint, CREDENTIALS);
}

const CREATE: CreateImageInput = {
  region: REGION,
  imageName: "web-1",
  imageVersion: "4",
  description: "parity test",
  tags: { team: "data", empty: "" },
  source: { kind: "instance", instanceId: "i-parity" },
  clientToken: "token-1",
};

/** Each action the module calls: our adapter's call, and the same request through the SDK's own client. */
const CASES: readonly {
  readonly action: string;
  readonly ours: (api: EcsApi) => Promise<unknown>;
  readonly sdk: (client: Ecs) => Promise<unknown>;
}[] = [
  {
    action: "CreateImage (instance, tags)",
    ours: (api) => api.createImage(CREATE),
    sdk: (client) =>
      client.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          clientToken: "token-1",
          imageName: "web-1",
          imageVersion: "4",
          description: "parity test",
          instanceId: "i-parity",
          tag: [
            new $Ecs.CreateImageRequestTag({ key: "team", value: "data" }),
            new $Ecs.CreateImageRequestTag({ key: "empty", value: "" }),
          ],
        }),
      ),
  },
  {
    action: "CreateImage (disk mapping)",
    ours: (api) =>
      api.createImage({
        ...CREATE,
        tags: undefined,
        source: {
          kind: "disks",
          disks: [
            { device: "/dev/xvda", sizeGiB: 40, snapshotId: "s-sys" },
            { device: "/dev/xvdb", sizeGiB: 100, snapshotId: undefined },
          ],
        },
      }),
    sdk: (client) =>
      client.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          clientToken: "token-1",
          imageName: "web-1",
          imageVersion: "4",
          description: "parity test",
          diskDeviceMapping: [
            new $Ecs.CreateImageRequestDiskDeviceMapping({
              device: "/dev/xvda",
              diskType: "system",
              size: 40,
              snapshotId: "s-sys",
            }),
            new $Ecs.CreateImageRequestDiskDeviceMapping({
              device: "/dev/xvdb",
              diskType: "data",
              size: 100,
            }),
          ],
        }),
      ),
  },
  {
    action: "CreateImage (snapshot, attributes)",
    ours: (api) =>
      api.createImage({
        ...CREATE,
        tags: undefined,
        source: { kind: "snapshot", snapshotId: "s-sys" },
        attributes: {
          architecture: "arm64",
          platform: "Ubuntu",
          bootMode: "UEFI",
          imageFamily: "web-family",
          resourceGroupId: "rg-parity",
        },
      }),
    sdk: (client) =>
      client.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          clientToken: "token-1",
          imageName: "web-1",
          imageVersion: "4",
          description: "parity test",
          snapshotId: "s-sys",
          architecture: "arm64",
          platform: "Ubuntu",
          bootMode: "UEFI",
          imageFamily: "web-family",
          resourceGroupId: "rg-parity",
        }),
      ),
  },
  {
    action: "DescribeImages (by name)",
    ours: (api) => api.findImagesByName(REGION, "web-1"),
    sdk: (client) =>
      client.describeImages(
        new $Ecs.DescribeImagesRequest({
          regionId: REGION,
          imageOwnerAlias: "self",
          status: "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated",
          pageSize: 100,
          pageNumber: 1,
          imageName: "web-1",
        }),
      ),
  },
  {
    action: "DescribeImages (by id)",
    ours: (api) => api.findImageById(REGION, "m-parity"),
    sdk: (client) =>
      client.describeImages(
        new $Ecs.DescribeImagesRequest({
          regionId: REGION,
          imageOwnerAlias: "self",
          status: "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated",
          pageSize: 100,
          pageNumber: 1,
          imageId: "m-parity",
        }),
      ),
  },
  {
    action: "DeleteImage",
    ours: (api) => api.deleteImage(IMAGE, { force: true }),
    sdk: (client) =>
      client.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId: "m-parity", force: true })),
  },
  {
    action: "ModifyImageAttribute",
    ours: (api) => api.modifyImageAttribute(IMAGE, { imageName: "web-2", description: "new" }),
    sdk: (client) =>
      client.modifyImageAttribute(
        new $Ecs.ModifyImageAttributeRequest({
          regionId: REGION,
          imageId: "m-parity",
          imageName: "web-2",
          description: "new",
        }),
      ),
  },
  {
    action: "ModifyImageAttribute (boot mode, family)",
    ours: (api) => api.modifyImageAttribute(IMAGE, { bootMode: "UEFI", imageFamily: "f-1" }),
    sdk: (client) =>
      client.modifyImageAttribute(
        new $Ecs.ModifyImageAttributeRequest({
          regionId: REGION,
          imageId: "m-parity",
          bootMode: "UEFI",
          imageFamily: "f-1",
        }),
      ),
  },
  {
    action: "ModifyImageSharePermission (add)",
    ours: (api) => api.addLaunchPermission(IMAGE, ["1001", "1002"]),
    sdk: (client) =>
      client.modifyImageSharePermission(
        new $Ecs.ModifyImageSharePermissionRequest({
          regionId: REGION,
          imageId: "m-parity",
          addAccount: ["1001", "1002"],
        }),
      ),
  },
  {
    action: "ModifyImageSharePermission (remove)",
    ours: (api) => api.removeLaunchPermission(IMAGE, ["1003"]),
    sdk: (client) =>
      client.modifyImageSharePermission(
        new $Ecs.ModifyImageSharePermissionRequest({
          regionId: REGION,
          imageId: "m-parity",
          removeAccount: ["1003"],
        }),
      ),
  },
  {
    action: "DescribeImageSharePermission",
    ours: (api) => api.describeLaunchPermission(IMAGE),
    sdk: (client) =>
      client.describeImageSharePermission(
        new $Ecs.DescribeImageSharePermissionRequest({
          regionId: REGION,
          imageId: "m-parity",
          pageSize: 100,
          pageNumber: 1,
        }),
      ),
  },
  {
    action: "TagResources",
    ours: (api) => api.tagImage(IMAGE, { team: "data", env: "" }),
    sdk: (client) =>
      client.tagResources(
        new $Ecs.TagResourcesRequest({
          regionId: REGION,
          resourceType: "image",
          resourceId: ["m-parity"],
          tag: [
            new $Ecs.TagResourcesRequestTag({ key: "team", value: "data" }),
            new $Ecs.TagResourcesRequestTag({ key: "env", value: "" }),
          ],
        }),
      ),
  },
  {
    action: "TagResources (snapshots)",
    ours: (api) => api.tagSnapshots(REGION, ["s-1", "s-2"], { app: "web" }),
    sdk: (client) =>
      client.tagResources(
        new $Ecs.TagResourcesRequest({
          regionId: REGION,
          resourceType: "snapshot",
          resourceId: ["s-1", "s-2"],
          tag: [new $Ecs.TagResourcesRequestTag({ key: "app", value: "web" })],
        }),
      ),
  },
  {
    action: "UntagResources",
    ours: (api) => api.untagImage(IMAGE, ["team", "env"]),
    sdk: (client) =>
      client.untagResources(
        new $Ecs.UntagResourcesRequest({
          regionId: REGION,
          resourceType: "image",
          resourceId: ["m-parity"],
          tagKey: ["team", "env"],
        }),
      ),
  },
  {
    action: "DescribeInstances",
    ours: (api) => api.describeInstance(REGION, "i-parity"),
    sdk: (client) =>
      client.describeInstances(
        new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify(["i-parity"]) }),
      ),
  },
  {
    action: "DescribeSnapshots",
    ours: (api) => api.describeSnapshot(REGION, "s-parity"),
    sdk: (client) =>
      client.describeSnapshots(
        new $Ecs.DescribeSnapshotsRequest({ regionId: REGION, snapshotIds: JSON.stringify(["s-parity"]) }),
      ),
  },
  {
    action: "DescribeSnapshots (tags)",
    ours: (api) => api.describeSnapshotTags(REGION, ["s-1", "s-2"]),
    sdk: (client) =>
      client.describeSnapshots(
        new $Ecs.DescribeSnapshotsRequest({
          regionId: REGION,
          snapshotIds: JSON.stringify(["s-1", "s-2"]),
          pageSize: 100,
        }),
      ),
  },
  {
    action: "UntagResources (snapshots)",
    ours: (api) => api.untagSnapshots(REGION, ["s-1", "s-2"], ["team"]),
    sdk: (client) =>
      client.untagResources(
        new $Ecs.UntagResourcesRequest({
          regionId: REGION,
          resourceType: "snapshot",
          resourceId: ["s-1", "s-2"],
          tagKey: ["team"],
        }),
      ),
  },
  {
    action: "DeleteSnapshot",
    ours: (api) => api.deleteSnapshot(REGION, "s-parity"),
    sdk: (client) =>
      client.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-parity", force: true })),
  },
];

describe("the generic client sends what the SDK's Ecs client sends", () => {
  test.each(CASES.map((c) => [c.action, c] as const))("%s", async (_name, testCase) => {
    const fromUs = await capture(() => testCase.ours(ours()));
    const fromSdk = await capture(() => testCase.sdk(sdk()));
    expect(fromUs).toEqual(fromSdk);
    // Guard against both being wrong the same trivial way.
    expect(fromUs).toMatchObject({ method: "POST", path: "/", version: "2014-05-26" });
    expect(fromUs.action).toBe(testCase.action.split(" ")[0]);
  });

  test("every action the adapter calls is covered", () => {
    const covered = new Set(CASES.map((c) => c.action.split(" ")[0]));
    expect([...covered].sort()).toEqual(Object.keys(ACTION_VERBS).sort());
  });
});

describe("ecsEndpointFor()", () => {
  /** The endpoint the v7 Ecs client picks for a region when none is configured. */
  function sdkEndpoint(region: string): string {
    const client = new Ecs({ regionId: region, accessKeyId: "a", accessKeySecret: "b" } as never);
    return (client as unknown as { _endpoint: string })._endpoint;
  }

  test("equals the SDK client's endpoint for every special region and for ordinary ones", () => {
    const regions = [...Object.keys(ECS_ENDPOINT_MAP), "cn-beijing", "ap-southeast-1", "eu-central-1"];
    for (const region of regions)
      expect([region, ecsEndpointFor(region)]).toEqual([region, sdkEndpoint(region)]);
  });
});
