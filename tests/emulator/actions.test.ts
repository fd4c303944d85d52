/**
 * Every ECS action of the emulator through the REAL `@alicloud/ecs20140526` client over HTTP on
 * 127.0.0.1: the success shape as the SDK parses it, and a representative error per action with the
 * SDK's `code` and `statusCode`.
 */
import type Ecs from "@alicloud/ecs20140526";
import * as $Ecs from "@alicloud/ecs20140526";

import type { Fixtures } from "../../src/emulator/contract";
import type { RunningEmulator } from "../../src/emulator/server";
import { makeEcsClient, sdkError } from "../helpers/sdk-client";
import { startTestEmulator, stopTestEmulators } from "../helpers/start-emulator";

const REGION = "cn-hangzhou";
const ACCOUNT = "1000000000000001";

const ACCOUNTS_1_TO_50 = Array.from(
  { length: 50 },
  (_, i) => `11000000000000${String(i + 1).padStart(2, "0")}`,
);

const FIXTURES: Fixtures = {
  credentials: [
    {
      access_key_id: "LTAI5tActionsTestKey01",
      access_key_secret: "ActionsTestSecret-NotReal",
      account_id: ACCOUNT,
    },
  ],
  known_accounts: Array.from({ length: 60 }, (_, i) => `11000000000000${String(i + 1).padStart(2, "0")}`),
  image_create_seconds: 10,
  regions: {
    [REGION]: {
      instances: [
        {
          id: "i-bp1running000000001",
          status: "Running",
          disks: [
            { device: "/dev/xvda", type: "system", size: 40 },
            { device: "/dev/xvdb", type: "data", size: 100 },
          ],
        },
        {
          id: "i-bp1starting00000001",
          status: "Starting",
          disks: [{ device: "/dev/xvda", type: "system", size: 40 }],
        },
      ],
      snapshots: [
        {
          id: "s-bp1system40000000001",
          disk_type: "system",
          size: 40,
          status: "accomplished",
          creation_time: "2025-06-01T00:00:00Z",
        },
        {
          id: "s-bp1progress000000001",
          disk_type: "system",
          size: 40,
          status: "progressing",
          creation_time: "2025-06-01T00:00:00Z",
        },
        {
          id: "s-bp1data1000000000001",
          disk_type: "data",
          size: 100,
          status: "accomplished",
          creation_time: "2025-06-01T00:00:00Z",
        },
      ],
      images: [
        {
          id: "m-bp1golden00000000001",
          name: "golden-1",
          status: "Available",
          description: "first build",
          tags: { team: "platform" },
        },
        { id: "m-bp1inuse000000000001", name: "in-use-1", status: "Available", in_use: true },
        {
          id: "m-bp1shared00000000001",
          name: "shared-1",
          status: "Available",
          shared_with: ["1100000000000001"],
        },
        { id: "m-bp1full0000000000001", name: "full-1", status: "Available", shared_with: ACCOUNTS_1_TO_50 },
      ],
    },
    "cn-shanghai": {},
  },
};

/** A clock near the real time (the SDK signs with it) that tests can move forward. */
function offsetClock(): { now(): number; advanceSeconds(seconds: number): void } {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advanceSeconds(seconds) {
      offsetMs += seconds * 1000;
    },
  };
}

let emulator: RunningEmulator;
let client: Ecs;
let clock: ReturnType<typeof offsetClock>;

beforeEach(async () => {
  clock = offsetClock();
  emulator = await startTestEmulator({ fixtures: FIXTURES, clock });
  client = makeEcsClient(emulator.endpoint, emulator.credentials);
});

afterEach(stopTestEmulators);

async function createFromInstance(
  imageName: string,
  extra: Partial<$Ecs.CreateImageRequest> = {},
): Promise<string> {
  const response = await client.createImage(
    new $Ecs.CreateImageRequest({
      regionId: REGION,
      instanceId: "i-bp1running000000001",
      imageName,
      ...extra,
    }),
  );
  return response.body!.imageId!;
}

async function describeById(
  imageId: string,
  status = "ALL",
): Promise<$Ecs.DescribeImagesResponseBodyImagesImage | undefined> {
  const response = await client.describeImages(
    new $Ecs.DescribeImagesRequest({ regionId: REGION, imageId, status }),
  );
  return response.body!.images!.image![0];
}

describe("CreateImage over the SDK", () => {
  test("createImage() from an instance returns an ImageId; the image has tags and two mapped disks", async () => {
    const imageId = await createFromInstance("web-base-1", {
      tag: [new $Ecs.CreateImageRequestTag({ key: "team", value: "data" })],
      clientToken: "token-1",
    });
    expect(imageId).toMatch(/^m-bp1[0-9a-z]{17}$/);
    const image = (await describeById(imageId))!;
    expect(image.status).toBe("Creating");
    expect(image.progress).toBe("0%");
    expect(image.imageOwnerAlias).toBe("self");
    expect(image.tags!.tag).toEqual([expect.objectContaining({ tagKey: "team", tagValue: "data" })]);
    const mappings = image.diskDeviceMappings!.diskDeviceMapping!;
    expect(mappings.map((m) => [m.device, m.type, m.size])).toEqual([
      ["/dev/xvda", "system", "40"],
      ["/dev/xvdb", "data", "100"],
    ]);
    expect(mappings[0]!.snapshotId).toMatch(/^s-bp1/);
    expect(
      await createFromInstance("web-base-1", {
        tag: [new $Ecs.CreateImageRequestTag({ key: "team", value: "data" })],
        clientToken: "token-1",
      }),
    ).toBe(imageId);
  });

  test("createImage() from a disk mapping and from a snapshot", async () => {
    const fromDisks = await client.createImage(
      new $Ecs.CreateImageRequest({
        regionId: REGION,
        imageName: "disks-1",
        diskDeviceMapping: [
          new $Ecs.CreateImageRequestDiskDeviceMapping({
            device: "/dev/xvda",
            snapshotId: "s-bp1system40000000001",
            size: 50,
          }),
          new $Ecs.CreateImageRequestDiskDeviceMapping({
            device: "/dev/xvdb",
            snapshotId: "s-bp1data1000000000001",
          }),
        ],
      }),
    );
    const disks = (await describeById(fromDisks.body!.imageId!))!.diskDeviceMappings!.diskDeviceMapping!;
    expect(disks.map((m) => [m.device, m.size, m.snapshotId])).toEqual([
      ["/dev/xvda", "50", "s-bp1system40000000001"],
      ["/dev/xvdb", "100", "s-bp1data1000000000001"],
    ]);
    const fromSnapshot = await client.createImage(
      new $Ecs.CreateImageRequest({
        regionId: REGION,
        snapshotId: "s-bp1system40000000001",
        imageName: "snap-1",
      }),
    );
    expect((await describeById(fromSnapshot.body!.imageId!))!.size).toBe(40);
  });

  test.each([
    [
      "a duplicate name",
      { instanceId: "i-bp1running000000001", imageName: "golden-1" },
      "InvalidImageName.Duplicated",
      400,
    ],
    ["no source", { imageName: "x-1" }, "MissingParameter", 400],
    ["a Starting instance", { instanceId: "i-bp1starting00000001" }, "IncorrectInstanceStatus", 400],
    ["an unknown instance", { instanceId: "i-nope" }, "InvalidInstanceId.NotFound", 404],
    ["a data snapshot alone", { snapshotId: "s-bp1data1000000000001" }, "OperationDenied", 403],
    [
      "a bad name",
      { instanceId: "i-bp1running000000001", imageName: "http://x" },
      "InvalidImageName.Malformed",
      400,
    ],
  ])("createImage() with %s fails with the real code", async (_, fields, code, statusCode) => {
    const error = await sdkError(
      client.createImage(new $Ecs.CreateImageRequest({ regionId: REGION, ...fields })),
    );
    expect(error).toMatchObject({ name: "ClientError", code, statusCode });
  });

  test("createImage() with a reused ClientToken and other parameters is IdempotenceParamNotMatch", async () => {
    await createFromInstance("tok-1", { clientToken: "same" });
    const error = await sdkError(
      client.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          instanceId: "i-bp1running000000001",
          imageName: "tok-2",
          clientToken: "same",
        }),
      ),
    );
    expect(error).toMatchObject({ code: "IdempotenceParamNotMatch", statusCode: 400 });
  });
});

describe("DescribeImages over the SDK", () => {
  test("describeImages() defaults to Available, pages, and searches names fuzzily", async () => {
    const creating = await createFromInstance("golden-2");
    const byDefault = await client.describeImages(
      new $Ecs.DescribeImagesRequest({ regionId: REGION, imageId: creating }),
    );
    expect(byDefault.body!.totalCount).toBe(0);
    expect(byDefault.body!.images!.image).toEqual([]);
    const fuzzy = await client.describeImages(
      new $Ecs.DescribeImagesRequest({
        regionId: REGION,
        imageName: "golden",
        status: "Creating,Available",
        pageSize: 1,
        pageNumber: 1,
        imageOwnerAlias: "self",
      }),
    );
    expect(fuzzy.body).toMatchObject({ regionId: REGION, totalCount: 2, pageNumber: 1, pageSize: 1 });
    expect(fuzzy.body!.images!.image!.map((i) => i.imageName)).toEqual(["golden-2"]);
    const tagged = await client.describeImages(
      new $Ecs.DescribeImagesRequest({
        regionId: REGION,
        tag: [new $Ecs.DescribeImagesRequestTag({ key: "team", value: "platform" })],
      }),
    );
    expect(tagged.body!.images!.image!.map((i) => i.imageId)).toEqual(["m-bp1golden00000000001"]);
    const golden = tagged.body!.images!.image![0]!;
    expect(golden).toMatchObject({
      imageName: "golden-1",
      description: "first build",
      status: "Available",
      progress: "100%",
      architecture: "x86_64",
      imageOwnerId: Number(ACCOUNT),
      usage: "none",
      isPublic: false,
    });
  });

  test("describeImages() with a bad ImageOwnerAlias fails", async () => {
    const error = await sdkError(
      client.describeImages(new $Ecs.DescribeImagesRequest({ regionId: REGION, imageOwnerAlias: "mine" })),
    );
    expect(error).toMatchObject({ code: "InvalidImageOwnerAlias.ValueNotSupported", statusCode: 400 });
  });

  test("the lifecycle: Creating with rising Progress, then Available; completeCreating() finishes at once", async () => {
    const imageId = await createFromInstance("life-1");
    clock.advanceSeconds(5);
    expect(await describeById(imageId)).toMatchObject({ status: "Creating", progress: "50%" });
    clock.advanceSeconds(5);
    expect(await describeById(imageId, "Available")).toMatchObject({ status: "Available", progress: "100%" });
    const second = await createFromInstance("life-2");
    expect(emulator.core.completeCreating()).toBe(1);
    expect(await describeById(second)).toMatchObject({ status: "Available" });
  });
});

describe("DeleteImage and ModifyImageAttribute over the SDK", () => {
  test("deleteImage() deletes; in use needs force; missing is InvalidImageId.NotFound", async () => {
    const inUse = await sdkError(
      client.deleteImage(
        new $Ecs.DeleteImageRequest({ regionId: REGION, imageId: "m-bp1inuse000000000001" }),
      ),
    );
    expect(inUse).toMatchObject({ code: "ImageUsingByInstance", statusCode: 403 });
    await client.deleteImage(
      new $Ecs.DeleteImageRequest({ regionId: REGION, imageId: "m-bp1inuse000000000001", force: true }),
    );
    expect(await describeById("m-bp1inuse000000000001")).toBeUndefined();
    const shared = await sdkError(
      client.deleteImage(
        new $Ecs.DeleteImageRequest({ regionId: REGION, imageId: "m-bp1shared00000000001", force: true }),
      ),
    );
    expect(shared).toMatchObject({ code: "ImageUseShared", statusCode: 403 });
    const missing = await sdkError(
      client.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId: "m-bp1nosuchimage00001" })),
    );
    expect(missing).toMatchObject({ code: "InvalidImageId.NotFound", statusCode: 404 });
  });

  test("modifyImageAttribute() changes the description only; a taken name is refused", async () => {
    const response = await client.modifyImageAttribute(
      new $Ecs.ModifyImageAttributeRequest({
        regionId: REGION,
        imageId: "m-bp1golden00000000001",
        description: "second build",
      }),
    );
    expect(response.body!.requestId).toBeTruthy();
    expect(await describeById("m-bp1golden00000000001")).toMatchObject({
      imageName: "golden-1",
      description: "second build",
    });
    const error = await sdkError(
      client.modifyImageAttribute(
        new $Ecs.ModifyImageAttributeRequest({
          regionId: REGION,
          imageId: "m-bp1golden00000000001",
          imageName: "in-use-1",
        }),
      ),
    );
    expect(error).toMatchObject({ code: "InvalidImageName.Duplicated", statusCode: 400 });
  });
});

describe("Sharing over the SDK", () => {
  test("modifyImageSharePermission() processes 10 accounts per call; describeImageSharePermission() lists them", async () => {
    const accounts = FIXTURES.known_accounts!.slice(0, 12);
    await client.modifyImageSharePermission(
      new $Ecs.ModifyImageSharePermissionRequest({
        regionId: REGION,
        imageId: "m-bp1golden00000000001",
        addAccount: [...accounts],
      }),
    );
    const first = await client.describeImageSharePermission(
      new $Ecs.DescribeImageSharePermissionRequest({
        regionId: REGION,
        imageId: "m-bp1golden00000000001",
        pageSize: 100,
      }),
    );
    expect(first.body).toMatchObject({
      imageId: "m-bp1golden00000000001",
      regionId: REGION,
      totalCount: 10,
      pageNumber: 1,
      pageSize: 100,
    });
    expect(first.body!.shareGroups!.shareGroup).toEqual([]);
    expect(first.body!.accounts!.account![0]).toMatchObject({
      aliyunId: "1100000000000001",
      sharedTime: expect.stringMatching(/Z$/) as unknown,
    });
    await client.modifyImageSharePermission(
      new $Ecs.ModifyImageSharePermissionRequest({
        regionId: REGION,
        imageId: "m-bp1golden00000000001",
        addAccount: accounts.slice(10),
      }),
    );
    const second = await client.describeImageSharePermission(
      new $Ecs.DescribeImageSharePermissionRequest({ regionId: REGION, imageId: "m-bp1golden00000000001" }),
    );
    expect(second.body!.totalCount).toBe(12);
    expect(second.body!.accounts!.account).toHaveLength(10);
  });

  test("share errors: unknown account, yourself, missing image", async () => {
    const request = (imageId: string, account: string): $Ecs.ModifyImageSharePermissionRequest =>
      new $Ecs.ModifyImageSharePermissionRequest({ regionId: REGION, imageId, addAccount: [account] });
    expect(
      await sdkError(
        client.modifyImageSharePermission(request("m-bp1golden00000000001", "9999999999999999")),
      ),
    ).toMatchObject({ code: "InvalidAccount.NotFound", statusCode: 404 });
    expect(
      await sdkError(client.modifyImageSharePermission(request("m-bp1golden00000000001", ACCOUNT))),
    ).toMatchObject({ code: "InvalidAccount.Forbbiden", statusCode: 404 });
    const describeMissing = await sdkError(
      client.describeImageSharePermission(
        new $Ecs.DescribeImageSharePermissionRequest({ regionId: REGION, imageId: "m-bp1nosuchimage00001" }),
      ),
    );
    expect(describeMissing).toMatchObject({ code: "InvalidImageId.NotFound", statusCode: 404 });
  });
});

describe("Tags over the SDK", () => {
  test("tagResources(), listTagResources() and untagResources() on an image", async () => {
    await client.tagResources(
      new $Ecs.TagResourcesRequest({
        regionId: REGION,
        resourceType: "image",
        resourceId: ["m-bp1golden00000000001"],
        tag: [new $Ecs.TagResourcesRequestTag({ key: "env", value: "prod" })],
      }),
    );
    const listed = await client.listTagResources(
      new $Ecs.ListTagResourcesRequest({
        regionId: REGION,
        resourceType: "image",
        resourceId: ["m-bp1golden00000000001"],
      }),
    );
    expect(listed.body!.nextToken).toBe("");
    expect(
      listed.body!.tagResources!.tagResource!.map((t) => [
        t.resourceId,
        t.resourceType,
        t.tagKey,
        t.tagValue,
      ]),
    ).toEqual([
      ["m-bp1golden00000000001", "image", "team", "platform"],
      ["m-bp1golden00000000001", "image", "env", "prod"],
    ]);
    await client.untagResources(
      new $Ecs.UntagResourcesRequest({
        regionId: REGION,
        resourceType: "image",
        resourceId: ["m-bp1golden00000000001"],
        tagKey: ["team"],
        all: false,
      }),
    );
    expect((await describeById("m-bp1golden00000000001"))!.tags!.tag!.map((t) => t.tagKey)).toEqual(["env"]);
  });

  test("tag errors: too many tags on a resource, missing resource, bad type", async () => {
    const tags = Array.from(
      { length: 20 },
      (_, i) => new $Ecs.TagResourcesRequestTag({ key: `k${i}`, value: "v" }),
    );
    const quota = await sdkError(
      client.tagResources(
        new $Ecs.TagResourcesRequest({
          regionId: REGION,
          resourceType: "image",
          resourceId: ["m-bp1golden00000000001"],
          tag: tags,
        }),
      ),
    );
    expect(quota).toMatchObject({ code: "OperationDenied.QuotaExceed", statusCode: 400 });
    const missing = await sdkError(
      client.untagResources(
        new $Ecs.UntagResourcesRequest({
          regionId: REGION,
          resourceType: "image",
          resourceId: ["m-nope"],
          tagKey: ["a"],
        }),
      ),
    );
    expect(missing).toMatchObject({ code: "InvalidResourceId.NotFound", statusCode: 404 });
    const badType = await sdkError(
      client.listTagResources(
        new $Ecs.ListTagResourcesRequest({ regionId: REGION, resourceType: "disk", resourceId: ["d-1"] }),
      ),
    );
    expect(badType).toMatchObject({ code: "InvalidResourceType.NotFound", statusCode: 404 });
  });
});

describe("Instances and snapshots over the SDK", () => {
  test("describeInstances() by JSON-array InstanceIds", async () => {
    const response = await client.describeInstances(
      new $Ecs.DescribeInstancesRequest({
        regionId: REGION,
        instanceIds: JSON.stringify(["i-bp1running000000001", "i-nope"]),
      }),
    );
    expect(response.body).toMatchObject({ totalCount: 1, pageNumber: 1, pageSize: 10 });
    const instance = response.body!.instances!.instance![0]!;
    expect(instance).toMatchObject({
      instanceId: "i-bp1running000000001",
      status: "Running",
      regionId: REGION,
    });
    expect(instance.operationLocks!.lockReason).toEqual([]);
    const error = await sdkError(
      client.describeInstances(
        new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: "i-bp1running000000001" }),
      ),
    );
    expect(error).toMatchObject({ code: "InvalidParameter", statusCode: 400 });
  });

  test("describeSnapshots() lists the snapshots an instance image created; deleteSnapshot() refuses them while the image exists", async () => {
    const imageId = await createFromInstance("snaps-1");
    const snapshotIds = (await describeById(imageId))!.diskDeviceMappings!.diskDeviceMapping!.map(
      (m) => m.snapshotId!,
    );
    const response = await client.describeSnapshots(
      new $Ecs.DescribeSnapshotsRequest({ regionId: REGION, snapshotIds: JSON.stringify(snapshotIds) }),
    );
    expect(response.body!.totalCount).toBe(2);
    const [system, data] = response.body!.snapshots!.snapshot!;
    expect(system).toMatchObject({
      snapshotId: snapshotIds[0],
      status: "accomplished",
      progress: "100%",
      sourceDiskType: "system",
      sourceDiskSize: "40",
      usage: "image",
    });
    expect(data).toMatchObject({ sourceDiskType: "data", sourceDiskSize: "100" });
    const refused = await sdkError(
      client.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: snapshotIds[0]!, force: true })),
    );
    expect(refused).toMatchObject({ code: "SnapshotCreatedImage", statusCode: 403 });
    await client.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-bp1data1000000000001" }));
    const missing = await sdkError(
      client.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-bp1data1000000000001" })),
    );
    expect(missing).toMatchObject({ code: "InvalidSnapshotId.NotFound", statusCode: 404 });
  });

  test("describeSnapshots() with a bad status fails", async () => {
    const error = await sdkError(
      client.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: REGION, status: "done" })),
    );
    expect(error).toMatchObject({ code: "InvalidParameter", statusCode: 400 });
  });
});

describe("Regions over the SDK", () => {
  test("an unknown region is InvalidRegionId.NotFound; a real empty one answers empty", async () => {
    const error = await sdkError(
      client.describeImages(new $Ecs.DescribeImagesRequest({ regionId: "cn-nowhere" })),
    );
    expect(error).toMatchObject({ code: "InvalidRegionId.NotFound", statusCode: 404 });
    const empty = await client.describeImages(new $Ecs.DescribeImagesRequest({ regionId: "ap-southeast-1" }));
    expect(empty.body).toMatchObject({ regionId: "ap-southeast-1", totalCount: 0 });
  });
});

/** One failing call per documented domain error code, as the SDK reports it. */
const ERROR_CASES: readonly (readonly [string, (ecs: Ecs) => Promise<unknown>, string, number])[] = [
  [
    "CreateImage from a progressing snapshot",
    (ecs) =>
      ecs.createImage(
        new $Ecs.CreateImageRequest({ regionId: REGION, snapshotId: "s-bp1progress000000001" }),
      ),
    "InvalidSnapshotId.NotReady",
    403,
  ],
  [
    "CreateImage from a missing snapshot",
    (ecs) => ecs.createImage(new $Ecs.CreateImageRequest({ regionId: REGION, snapshotId: "s-nope" })),
    "InvalidSnapshotId.NotFound",
    404,
  ],
  [
    "CreateImage with a disk smaller than its snapshot",
    (ecs) =>
      ecs.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          diskDeviceMapping: [
            new $Ecs.CreateImageRequestDiskDeviceMapping({ snapshotId: "s-bp1system40000000001", size: 20 }),
          ],
        }),
      ),
    "InvalidSize.ValueNotSupported",
    400,
  ],
  [
    "CreateImage with a duplicate device",
    (ecs) =>
      ecs.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          diskDeviceMapping: [
            new $Ecs.CreateImageRequestDiskDeviceMapping({ snapshotId: "s-bp1system40000000001" }),
            new $Ecs.CreateImageRequestDiskDeviceMapping({ device: "/dev/xvdb", size: 20 }),
            new $Ecs.CreateImageRequestDiskDeviceMapping({ device: "/dev/xvdb", size: 20 }),
          ],
        }),
      ),
    "InvalidDevice.InUse",
    400,
  ],
  [
    "CreateImage with a one-character description",
    (ecs) =>
      ecs.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          instanceId: "i-bp1running000000001",
          description: "x",
        }),
      ),
    "InvalidDescription.Malformed",
    400,
  ],
  [
    "CreateImage with a 41-character version",
    (ecs) =>
      ecs.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          instanceId: "i-bp1running000000001",
          imageVersion: "v".repeat(41),
        }),
      ),
    "InvalidImageVersion.Malformed",
    400,
  ],
  [
    "CreateImage with the same tag key twice",
    (ecs) =>
      ecs.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          instanceId: "i-bp1running000000001",
          tag: [
            new $Ecs.CreateImageRequestTag({ key: "team", value: "a" }),
            new $Ecs.CreateImageRequestTag({ key: "team", value: "b" }),
          ],
        }),
      ),
    "Duplicate.TagKey",
    400,
  ],
  [
    "CreateImage with a reserved tag key",
    (ecs) =>
      ecs.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          instanceId: "i-bp1running000000001",
          tag: [new $Ecs.CreateImageRequestTag({ key: "aliyun-owned", value: "x" })],
        }),
      ),
    "InvalidTagKey.Malformed",
    400,
  ],
  [
    "CreateImage with 21 tags",
    (ecs) =>
      ecs.createImage(
        new $Ecs.CreateImageRequest({
          regionId: REGION,
          instanceId: "i-bp1running000000001",
          tag: Array.from(
            { length: 21 },
            (_, i) => new $Ecs.CreateImageRequestTag({ key: `k${i}`, value: "v" }),
          ),
        }),
      ),
    "QuotaExceed.Tags",
    403,
  ],
  [
    "sharing with a 51st account",
    (ecs) =>
      ecs.modifyImageSharePermission(
        new $Ecs.ModifyImageSharePermissionRequest({
          regionId: REGION,
          imageId: "m-bp1full0000000000001",
          addAccount: ["1100000000000051"],
        }),
      ),
    "QuotaExceed.ShareImageUser",
    403,
  ],
  [
    "DeleteImage of a shared image",
    (ecs) =>
      ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId: "m-bp1full0000000000001" })),
    "ImageUseShared",
    403,
  ],
  [
    "ModifyImageSharePermission of a missing image",
    (ecs) =>
      ecs.modifyImageSharePermission(
        new $Ecs.ModifyImageSharePermissionRequest({
          regionId: REGION,
          imageId: "m-nope",
          addAccount: ["1100000000000051"],
        }),
      ),
    "InvalidImageId.NotFound",
    404,
  ],
  [
    "TagResources without tags",
    (ecs) =>
      ecs.tagResources(
        new $Ecs.TagResourcesRequest({
          regionId: REGION,
          resourceType: "image",
          resourceId: ["m-bp1golden00000000001"],
        }),
      ),
    "MissingParameter.Tags",
    404,
  ],
  [
    "ModifyImageAttribute with a bad name",
    (ecs) =>
      ecs.modifyImageAttribute(
        new $Ecs.ModifyImageAttributeRequest({
          regionId: REGION,
          imageId: "m-bp1golden00000000001",
          imageName: "1-bad",
        }),
      ),
    "InvalidImageName.Malformed",
    400,
  ],
];

describe("documented errors over the SDK", () => {
  test.each(ERROR_CASES)("%s", async (_, run, code, statusCode) => {
    const error = await sdkError(run(client));
    expect(error).toMatchObject({ name: "ClientError", code, statusCode });
    expect(error.data).toMatchObject({ Code: code });
  });

  test("sharing a Creating image is IncorrectImageStatus", async () => {
    const imageId = await createFromInstance("creating-1");
    const error = await sdkError(
      client.modifyImageSharePermission(
        new $Ecs.ModifyImageSharePermissionRequest({
          regionId: REGION,
          imageId,
          addAccount: ["1100000000000002"],
        }),
      ),
    );
    expect(error).toMatchObject({ code: "IncorrectImageStatus", statusCode: 400 });
  });

  test("deleting a Creating image is ImageIsCreating", async () => {
    const imageId = await createFromInstance("creating-2");
    const error = await sdkError(
      client.deleteImage(new $Ecs.DeleteImageRequest({ regionId: REGION, imageId })),
    );
    expect(error).toMatchObject({ code: "ImageIsCreating", statusCode: 403 });
  });

  test("the image quota is QuotaExceed.Image", async () => {
    const limited = await startTestEmulator({ fixtures: { ...FIXTURES, image_quota: 4 }, clock });
    const limitedClient = makeEcsClient(limited.endpoint, limited.credentials);
    const error = await sdkError(
      limitedClient.createImage(
        new $Ecs.CreateImageRequest({ regionId: REGION, instanceId: "i-bp1running000000001" }),
      ),
    );
    expect(error).toMatchObject({ code: "QuotaExceed.Image", statusCode: 403 });
  });
});
