import * as errors from "../../../src/emulator/errors";
import type { EcsError } from "../../../src/emulator/contract";
import { call, createImage, describeImage, failure, makeCore, ok, OTHER_ACCOUNT } from "./harness";

function tags(count: number): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 1; i <= count; i += 1) {
    params[`Tag.${i}.Key`] = `k${i}`;
    params[`Tag.${i}.Value`] = `v${i}`;
  }
  return params;
}

describe("CreateImage rules", () => {
  const cases: [string, Record<string, string>, EcsError][] = [
    ["no source", { ImageName: "x-1" }, errors.missingParameterImageSource()],
    ["unknown instance", { InstanceId: "i-nope" }, errors.invalidInstanceIdNotFound()],
    ["instance Starting", { InstanceId: "i-starting" }, errors.incorrectInstanceStatus()],
    ["instance locked", { InstanceId: "i-locked" }, errors.instanceLockedForSecurity()],
    ["unknown snapshot", { SnapshotId: "s-nope" }, errors.invalidSnapshotIdNotFound()],
    ["snapshot progressing", { SnapshotId: "s-progress" }, errors.invalidSnapshotIdNotReady()],
    ["snapshot too old", { SnapshotId: "s-old" }, errors.invalidSnapshotTooOld()],
    ["data snapshot alone", { SnapshotId: "s-data" }, errors.operationDeniedSnapshotNotSystem()],
    ["name too short", { InstanceId: "i-running", ImageName: "a" }, errors.invalidImageNameMalformed()],
    [
      "name too long",
      { InstanceId: "i-running", ImageName: "a".repeat(129) },
      errors.invalidImageNameMalformed(),
    ],
    [
      "name starts with digit",
      { InstanceId: "i-running", ImageName: "1abc" },
      errors.invalidImageNameMalformed(),
    ],
    ["name with space", { InstanceId: "i-running", ImageName: "ab cd" }, errors.invalidImageNameMalformed()],
    ["name http", { InstanceId: "i-running", ImageName: "http://x" }, errors.invalidImageNameMalformed()],
    [
      "name aliyun prefix",
      { InstanceId: "i-running", ImageName: "aliyun-x" },
      errors.invalidImageNameMalformed(),
    ],
    ["name acs: prefix", { InstanceId: "i-running", ImageName: "acs:x" }, errors.invalidImageNameMalformed()],
    [
      "name duplicated",
      { InstanceId: "i-running", ImageName: "golden-1" },
      errors.invalidImageNameDuplicated(),
    ],
    [
      "name of a CreateFailed image",
      { InstanceId: "i-running", ImageName: "failed-1" },
      errors.invalidImageNameDuplicated(),
    ],
    [
      "name of a Deprecated image",
      { InstanceId: "i-running", ImageName: "old-1" },
      errors.invalidImageNameDuplicated(),
    ],
    [
      "description one char",
      { InstanceId: "i-running", Description: "x" },
      errors.invalidDescriptionMalformed(),
    ],
    [
      "description too long",
      { InstanceId: "i-running", Description: "x".repeat(257) },
      errors.invalidDescriptionMalformed(),
    ],
    [
      "description https",
      { InstanceId: "i-running", Description: "https://x" },
      errors.invalidDescriptionMalformed(),
    ],
    [
      "version too long",
      { InstanceId: "i-running", ImageVersion: "1".repeat(41) },
      errors.invalidImageVersionMalformed(),
    ],
    [
      "architecture",
      { InstanceId: "i-running", Architecture: "mips" },
      errors.invalidArchitectureMalformed(),
    ],
    ["platform", { InstanceId: "i-running", Platform: "BeOS" }, errors.invalidPlatformMalformed()],
    ["boot mode", { InstanceId: "i-running", BootMode: "LEGACY" }, errors.invalidBootModeNotSupport()],
    ["image family", { InstanceId: "i-running", ImageFamily: "9x" }, errors.invalidImageFamilyMalformed()],
    ["21 tags", { InstanceId: "i-running", ...tags(21) }, errors.quotaExceedTags()],
    [
      "duplicate tag key",
      { InstanceId: "i-running", "Tag.1.Key": "a", "Tag.2.Key": "a" },
      errors.duplicateTagKey(),
    ],
    ["tag key aliyun", { InstanceId: "i-running", "Tag.1.Key": "aliyun:x" }, errors.invalidTagKeyMalformed()],
    [
      "tag key empty",
      { InstanceId: "i-running", "Tag.1.Key": "", "Tag.1.Value": "v" },
      errors.invalidTagKeyMalformed(),
    ],
    [
      "tag key too long",
      { InstanceId: "i-running", "Tag.1.Key": "k".repeat(129) },
      errors.invalidTagKeyMalformed(),
    ],
    [
      "tag value http",
      { InstanceId: "i-running", "Tag.1.Key": "k", "Tag.1.Value": "see http://x" },
      errors.invalidTagValueMalformed(),
    ],
    [
      "tag value acs:",
      { InstanceId: "i-running", "Tag.1.Key": "k", "Tag.1.Value": "acs:x" },
      errors.invalidTagValueMalformed(),
    ],
    [
      "tag value too long",
      { InstanceId: "i-running", "Tag.1.Key": "k", "Tag.1.Value": "v".repeat(129) },
      errors.invalidTagValueMalformed(),
    ],
    [
      "ClientToken too long",
      { InstanceId: "i-running", ClientToken: "t".repeat(65) },
      errors.invalidParameter("ClientToken"),
    ],
    [
      "ClientToken not ASCII",
      { InstanceId: "i-running", ClientToken: "tök" },
      errors.invalidParameter("ClientToken"),
    ],
  ];
  test.each(cases)("createImage() rejects %s", (_, params, expected) => {
    const { core } = makeCore();
    expect(failure(call(core, "CreateImage", params))).toEqual(expected);
  });

  test("createImage() errors carry the documented codes, messages and statuses", () => {
    expect(errors.missingParameterImageSource()).toEqual({
      httpStatus: 400,
      code: "MissingParameter",
      message:
        "The input parameter SnapshotId or InstanceId or DiskDeviceMapping that is mandatory for processing this request is not supplied.",
    });
    expect(errors.invalidImageNameDuplicated()).toEqual({
      httpStatus: 400,
      code: "InvalidImageName.Duplicated",
      message: "The specified Image name has already been used.",
    });
    expect(errors.invalidInstanceIdNotFound()).toEqual({
      httpStatus: 404,
      code: "InvalidInstanceId.NotFound",
      message: "The specified InstanceId does not exist.",
    });
    expect(errors.invalidSnapshotIdNotFound()).toEqual({
      httpStatus: 404,
      code: "InvalidSnapshotId.NotFound",
      message: "The specified SnapshotId does not exist.",
    });
    expect(errors.operationDeniedSnapshotNotSystem()).toEqual({
      httpStatus: 403,
      code: "OperationDenied",
      message: "The specified snapshot is not from system disk.",
    });
    expect(errors.incorrectInstanceStatus()).toEqual({
      httpStatus: 400,
      code: "IncorrectInstanceStatus",
      message: "The current status of the instance does not support this operation.",
    });
    expect(errors.quotaExceedImage()).toEqual({
      httpStatus: 403,
      code: "QuotaExceed.Image",
      message: "The Image Quota exceeds.",
    });
    expect(errors.invalidSnapshotIdNotReady().httpStatus).toBe(403);
    expect(errors.invalidSnapshotTooOld().httpStatus).toBe(403);
    expect(errors.idempotenceParamNotMatch().httpStatus).toBe(400);
    expect(errors.quotaExceedTags()).toMatchObject({ httpStatus: 403, code: "QuotaExceed.Tags" });
  });

  test("createImage() accepts names with dots, colons, Chinese characters and 128 characters", () => {
    const { core } = makeCore();
    for (const name of ["web.base:1_x-y", "镜像-1", `a${"b".repeat(127)}`]) {
      expect(call(core, "CreateImage", { InstanceId: "i-running", ImageName: name }).kind).toBe("ok");
    }
  });

  test("createImage() allows the same name in another region and for another account", () => {
    const { core } = makeCore();
    ok(call(core, "CreateImage", { InstanceId: "i-running", ImageName: "golden-1" }, OTHER_ACCOUNT));
    ok(
      call(core, "CreateImage", {
        SnapshotId: "s-sh-system",
        ImageName: "golden-1",
        RegionId: "cn-shanghai",
      }),
    );
    expect(
      failure(call(core, "CreateImage", { InstanceId: "i-running", ImageName: "golden-1" }, OTHER_ACCOUNT)),
    ).toEqual(errors.invalidImageNameDuplicated());
  });

  test("createImage() frees a name once its image is deleted", () => {
    const { core } = makeCore();
    ok(call(core, "DeleteImage", { ImageId: "m-golden" }));
    expect(call(core, "CreateImage", { InstanceId: "i-running", ImageName: "golden-1" }).kind).toBe("ok");
  });
});

describe("CreateImage sources", () => {
  test("createImage() from an instance snapshots every disk and maps them", () => {
    const { core } = makeCore();
    const imageId = createImage(core, {
      InstanceId: "i-running",
      ImageName: "web-1",
      "Tag.1.Key": "team",
      "Tag.1.Value": "data",
    });
    expect(imageId).toMatch(/^m-bp1[0-9a-z]{17}$/);
    const image = describeImage(core, imageId)!;
    expect(image).toMatchObject({
      ImageName: "web-1",
      Status: "Creating",
      Progress: "0%",
      Size: 40,
      ImageOwnerAlias: "self",
      Architecture: "x86_64",
      IsPublic: false,
    });
    expect(image["Tags"]).toEqual({ Tag: [{ TagKey: "team", TagValue: "data" }] });
    const mappings = (image["DiskDeviceMappings"] as { DiskDeviceMapping: Record<string, unknown>[] })
      .DiskDeviceMapping;
    expect(mappings.map((m) => [m["Device"], m["Type"], m["Size"]])).toEqual([
      ["/dev/xvda", "system", "40"],
      ["/dev/xvdb", "data", "100"],
    ]);
    const snapshotIds = mappings.map((m) => m["SnapshotId"] as string);
    const snapshots = ok(call(core, "DescribeSnapshots", { SnapshotIds: JSON.stringify(snapshotIds) }));
    const listed = (snapshots["Snapshots"] as { Snapshot: Record<string, unknown>[] }).Snapshot;
    expect(
      listed.map((s) => [s["SnapshotId"], s["Status"], s["Usage"], s["SourceDiskType"], s["SourceDiskSize"]]),
    ).toEqual([
      [snapshotIds[0], "accomplished", "image", "system", "40"],
      [snapshotIds[1], "accomplished", "image", "data", "100"],
    ]);
  });

  test("createImage() from a stopped instance works", () => {
    const { core } = makeCore();
    expect(call(core, "CreateImage", { InstanceId: "i-stopped" }).kind).toBe("ok");
  });

  test("createImage() from a system snapshot gives one /dev/xvda mapping", () => {
    const { core } = makeCore();
    const image = describeImage(core, createImage(core, { SnapshotId: "s-system", ImageName: "from-snap" }))!;
    expect((image["DiskDeviceMappings"] as { DiskDeviceMapping: unknown[] }).DiskDeviceMapping).toEqual([
      expect.objectContaining({ Device: "/dev/xvda", Type: "system", Size: "40", SnapshotId: "s-system" }),
    ]);
  });

  test("createImage() prefers InstanceId over DiskDeviceMapping over SnapshotId", () => {
    const { core } = makeCore();
    const fromInstance = describeImage(
      core,
      createImage(core, {
        InstanceId: "i-stopped",
        SnapshotId: "s-data",
        "DiskDeviceMapping.1.SnapshotId": "s-nope",
      }),
    )!;
    expect(JSON.stringify(fromInstance)).not.toContain("s-data");
    const fromDisks = describeImage(
      core,
      createImage(core, {
        SnapshotId: "s-data",
        "DiskDeviceMapping.1.SnapshotId": "s-system",
        "DiskDeviceMapping.2.SnapshotId": "s-data",
      }),
    )!;
    const mappings = (fromDisks["DiskDeviceMappings"] as { DiskDeviceMapping: Record<string, unknown>[] })
      .DiskDeviceMapping;
    expect(mappings.map((m) => [m["Device"], m["Type"], m["SnapshotId"]])).toEqual([
      ["/dev/xvda", "system", "s-system"],
      ["/dev/xvdb", "data", "s-data"],
    ]);
  });

  test("createImage() from a disk mapping takes sizes, empty data disks and explicit devices", () => {
    const { core } = makeCore();
    const imageId = createImage(core, {
      "DiskDeviceMapping.1.Device": "/dev/xvda",
      "DiskDeviceMapping.1.SnapshotId": "s-system",
      "DiskDeviceMapping.1.Size": "60",
      "DiskDeviceMapping.2.Device": "/dev/xvdc",
      "DiskDeviceMapping.2.Size": "50",
      "DiskDeviceMapping.2.DiskType": "data",
    });
    const image = describeImage(core, imageId)!;
    const mappings = (image["DiskDeviceMappings"] as { DiskDeviceMapping: Record<string, unknown>[] })
      .DiskDeviceMapping;
    expect(mappings.map((m) => [m["Device"], m["Size"], m["SnapshotId"]])).toEqual([
      ["/dev/xvda", "60", "s-system"],
      ["/dev/xvdc", "50", ""],
    ]);
    expect(image["Size"]).toBe(60);
  });

  const diskCases: [string, Record<string, string>, EcsError][] = [
    ["no system disk", { "DiskDeviceMapping.1.SnapshotId": "s-data" }, errors.operationDeniedNoSystemDisk()],
    [
      "system disk without snapshot",
      { "DiskDeviceMapping.1.Size": "40", "DiskDeviceMapping.1.DiskType": "system" },
      errors.operationDeniedNoSystemDisk(),
    ],
    [
      "two system disks",
      { "DiskDeviceMapping.1.SnapshotId": "s-system", "DiskDeviceMapping.2.SnapshotId": "s-system" },
      errors.operationDeniedTwoSystemDisks(),
    ],
    [
      "system disk on /dev/xvdb",
      { "DiskDeviceMapping.1.SnapshotId": "s-system", "DiskDeviceMapping.1.Device": "/dev/xvdb" },
      errors.invalidDeviceMalformed(),
    ],
    [
      "data disk on /dev/sdb",
      {
        "DiskDeviceMapping.1.SnapshotId": "s-system",
        "DiskDeviceMapping.2.SnapshotId": "s-data",
        "DiskDeviceMapping.2.Device": "/dev/sdb",
      },
      errors.invalidDeviceMalformed(),
    ],
    [
      "same device twice",
      {
        "DiskDeviceMapping.1.SnapshotId": "s-system",
        "DiskDeviceMapping.2.Device": "/dev/xvdb",
        "DiskDeviceMapping.3.Device": "/dev/xvdb",
      },
      errors.invalidDeviceInUse(),
    ],
    [
      "size below snapshot",
      { "DiskDeviceMapping.1.SnapshotId": "s-system", "DiskDeviceMapping.1.Size": "30" },
      errors.invalidSizeValueNotSupported(),
    ],
    [
      "size too small",
      { "DiskDeviceMapping.1.SnapshotId": "s-system", "DiskDeviceMapping.2.Size": "4" },
      errors.invalidSizeValueNotSupported(),
    ],
    [
      "size too large",
      { "DiskDeviceMapping.1.SnapshotId": "s-system", "DiskDeviceMapping.2.Size": "32769" },
      errors.invalidSizeValueNotSupported(),
    ],
    [
      "size not a number",
      { "DiskDeviceMapping.1.SnapshotId": "s-system", "DiskDeviceMapping.2.Size": "big" },
      errors.invalidSizeValueNotSupported(),
    ],
    ["unknown snapshot", { "DiskDeviceMapping.1.SnapshotId": "s-nope" }, errors.invalidSnapshotIdNotFound()],
    [
      "bad disk type",
      { "DiskDeviceMapping.1.SnapshotId": "s-system", "DiskDeviceMapping.1.DiskType": "boot" },
      errors.invalidParameter("DiskDeviceMapping.1.DiskType"),
    ],
  ];
  test.each(diskCases)("createImage() disk mapping rejects %s", (_, params, expected) => {
    const { core } = makeCore();
    expect(failure(call(core, "CreateImage", params))).toEqual(expected);
  });

  test("createImage() allows 16 data disks and refuses 17", () => {
    const { core } = makeCore();
    const params: Record<string, string> = { "DiskDeviceMapping.1.SnapshotId": "s-system" };
    for (let i = 2; i <= 17; i += 1) params[`DiskDeviceMapping.${i}.Size`] = "20";
    expect(call(core, "CreateImage", params).kind).toBe("ok");
    params["DiskDeviceMapping.18.Size"] = "20";
    expect(failure(call(core, "CreateImage", params))).toEqual(errors.invalidParameter("DiskDeviceMapping"));
  });
});

describe("CreateImage idempotency and quota", () => {
  test("createImage() with the same ClientToken and parameters returns the same image once", () => {
    const { core } = makeCore();
    const params = { InstanceId: "i-running", ImageName: "tok-1", ClientToken: "token-abc" };
    const first = createImage(core, params);
    expect(createImage(core, params)).toBe(first);
    const all = ok(call(core, "DescribeImages", { ImageName: "tok-1", Status: "ALL" }));
    expect(all["TotalCount"]).toBe(1);
  });

  test("createImage() with the same ClientToken and other parameters is IdempotenceParamNotMatch", () => {
    const { core } = makeCore();
    createImage(core, { InstanceId: "i-running", ImageName: "tok-1", ClientToken: "token-abc" });
    expect(
      failure(
        call(core, "CreateImage", { InstanceId: "i-running", ImageName: "tok-2", ClientToken: "token-abc" }),
      ),
    ).toEqual(errors.idempotenceParamNotMatch());
  });

  test("createImage() ClientTokens are per account", () => {
    const { core } = makeCore();
    const mine = createImage(core, { InstanceId: "i-running", ImageName: "tok-1", ClientToken: "t" });
    const theirs = ok(
      call(
        core,
        "CreateImage",
        { InstanceId: "i-running", ImageName: "tok-1", ClientToken: "t" },
        OTHER_ACCOUNT,
      ),
    )["ImageId"];
    expect(theirs).not.toBe(mine);
  });

  test("createImage() refuses beyond the image quota per account and region", () => {
    const { core } = makeCore({
      credentials: [{ access_key_id: "a", access_key_secret: "b", account_id: "1000000000000001" }],
      image_quota: 2,
      regions: {
        "cn-hangzhou": { snapshots: [{ id: "s-1", disk_type: "system", size: 40, status: "accomplished" }] },
      },
    });
    createImage(core, { SnapshotId: "s-1", ImageName: "q-1" });
    createImage(core, { SnapshotId: "s-1", ImageName: "q-2" });
    expect(failure(call(core, "CreateImage", { SnapshotId: "s-1", ImageName: "q-3" }))).toEqual(
      errors.quotaExceedImage(),
    );
  });
});
