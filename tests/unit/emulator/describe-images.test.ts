import * as errors from "../../../src/emulator/errors";
import { call, createImage, failure, imagesOf, makeCore, ok, OTHER_ACCOUNT } from "./harness";

function names(body: Readonly<Record<string, unknown>>): unknown[] {
  return imagesOf(body).map((image) => image["ImageName"]);
}

describe("DescribeImages", () => {
  test("describeImages() shows only Available images when Status is not given, even by ImageId", () => {
    const { core } = makeCore();
    const creating = createImage(core, { InstanceId: "i-running", ImageName: "new-1" });
    const body = ok(call(core, "DescribeImages"));
    expect(names(body)).toEqual(["shared-1", "in-use-1", "golden-1"]);
    expect(body).toMatchObject({ RegionId: "cn-hangzhou", TotalCount: 3, PageNumber: 1, PageSize: 10 });
    expect(ok(call(core, "DescribeImages", { ImageId: creating }))["TotalCount"]).toBe(0);
    expect(ok(call(core, "DescribeImages", { ImageId: "m-failed" }))["TotalCount"]).toBe(0);
  });

  test("describeImages() takes comma-separated statuses and ALL", () => {
    const { core } = makeCore();
    createImage(core, { InstanceId: "i-running", ImageName: "new-1" });
    expect(names(ok(call(core, "DescribeImages", { Status: "Creating,Deprecated" })))).toEqual([
      "new-1",
      "old-1",
    ]);
    expect(ok(call(core, "DescribeImages", { Status: "ALL" }))["TotalCount"]).toBe(6);
    expect(failure(call(core, "DescribeImages", { Status: "ALL,Available" }))).toEqual(
      errors.invalidParameter("Status"),
    );
    expect(failure(call(core, "DescribeImages", { Status: "Broken" }))).toEqual(
      errors.invalidParameter("Status"),
    );
  });

  test("describeImages() matches ImageName as a case-sensitive substring", () => {
    const { core } = makeCore();
    expect(names(ok(call(core, "DescribeImages", { ImageName: "-1", Status: "ALL" })))).toHaveLength(5);
    expect(names(ok(call(core, "DescribeImages", { ImageName: "olden" })))).toEqual(["golden-1"]);
    expect(names(ok(call(core, "DescribeImages", { ImageName: "GOLDEN" })))).toEqual([]);
  });

  test("describeImages() takes a comma-separated ImageId list; unknown IDs give an empty list", () => {
    const { core } = makeCore();
    expect(names(ok(call(core, "DescribeImages", { ImageId: "m-golden,m-inuse" })))).toEqual([
      "in-use-1",
      "golden-1",
    ]);
    expect(ok(call(core, "DescribeImages", { ImageId: "m-nope" }))).toMatchObject({
      TotalCount: 0,
      Images: { Image: [] },
    });
  });

  test("describeImages() filters by tags (AND, value optional)", () => {
    const { core } = makeCore();
    createImage(core, {
      SnapshotId: "s-system",
      ImageName: "t-1",
      "Tag.1.Key": "team",
      "Tag.1.Value": "platform",
      "Tag.2.Key": "env",
      "Tag.2.Value": "prod",
    });
    expect(
      names(
        ok(call(core, "DescribeImages", { Status: "ALL", "Tag.1.Key": "team", "Tag.1.Value": "platform" })),
      ),
    ).toEqual(["t-1", "golden-1"]);
    expect(
      names(ok(call(core, "DescribeImages", { Status: "ALL", "Tag.1.Key": "team", "Tag.2.Key": "env" }))),
    ).toEqual(["t-1"]);
    expect(
      names(ok(call(core, "DescribeImages", { Status: "ALL", "Tag.1.Key": "team", "Tag.1.Value": "other" }))),
    ).toEqual([]);
  });

  test("describeImages() separates self and others; system and marketplace are empty; bad alias is an error", () => {
    const { core } = makeCore();
    const theirs = ok(
      call(core, "CreateImage", { SnapshotId: "s-system", ImageName: "theirs-1" }, OTHER_ACCOUNT),
    )["ImageId"] as string;
    core.completeCreating();
    ok(
      call(
        core,
        "ModifyImageSharePermission",
        { ImageId: theirs, "AddAccount.1": "1000000000000001" },
        OTHER_ACCOUNT,
      ),
    );
    expect(names(ok(call(core, "DescribeImages", { ImageOwnerAlias: "others" })))).toEqual(["theirs-1"]);
    expect(imagesOf(ok(call(core, "DescribeImages", { ImageOwnerAlias: "others" })))[0]).toMatchObject({
      ImageOwnerAlias: "others",
      ImageOwnerId: 2000000000000002,
    });
    expect(names(ok(call(core, "DescribeImages", { ImageOwnerAlias: "self" })))).not.toContain("theirs-1");
    expect(names(ok(call(core, "DescribeImages")))).toContain("theirs-1");
    expect(ok(call(core, "DescribeImages", { ImageOwnerAlias: "system" }))["TotalCount"]).toBe(0);
    expect(ok(call(core, "DescribeImages", { ImageOwnerAlias: "marketplace" }))["TotalCount"]).toBe(0);
    expect(failure(call(core, "DescribeImages", { ImageOwnerAlias: "mine" }))).toEqual(
      errors.invalidImageOwnerAliasValueNotSupported(),
    );
    expect(errors.invalidImageOwnerAliasValueNotSupported().httpStatus).toBe(400);
  });

  test("describeImages() pages newest first, clamps PageSize to 1-100 and rejects non-numbers", () => {
    const { core, clock } = makeCore();
    for (let i = 1; i <= 25; i += 1) {
      createImage(core, { SnapshotId: "s-system", ImageName: `p-${i}` });
      clock.advanceSeconds(1);
    }
    const page2 = ok(
      call(core, "DescribeImages", { Status: "ALL", ImageName: "p-", PageSize: "10", PageNumber: "2" }),
    );
    expect(page2).toMatchObject({ TotalCount: 25, PageNumber: 2, PageSize: 10 });
    expect(names(page2)).toEqual([
      "p-15",
      "p-14",
      "p-13",
      "p-12",
      "p-11",
      "p-10",
      "p-9",
      "p-8",
      "p-7",
      "p-6",
    ]);
    expect(
      names(ok(call(core, "DescribeImages", { Status: "ALL", ImageName: "p-", PageNumber: "3" }))),
    ).toHaveLength(5);
    expect(ok(call(core, "DescribeImages", { PageSize: "500" }))["PageSize"]).toBe(100);
    expect(ok(call(core, "DescribeImages", { PageSize: "0" }))["PageSize"]).toBe(10);
    expect(failure(call(core, "DescribeImages", { PageSize: "ten" }))).toEqual(
      errors.invalidParameter("PageSize"),
    );
  });

  test("describeImages() image objects carry the documented fields with wrapped lists", () => {
    const { core } = makeCore();
    const image = imagesOf(ok(call(core, "DescribeImages", { ImageId: "m-golden" })))[0]!;
    expect(image).toMatchObject({
      ImageId: "m-golden",
      ImageName: "golden-1",
      Description: "first build",
      Status: "Available",
      Progress: "100%",
      Size: 40,
      CreationTime: "2025-01-01T00:00:00Z",
      Architecture: "x86_64",
      OSType: "linux",
      ImageOwnerAlias: "self",
      IsSelfShared: "false",
      IsPublic: false,
      Usage: "none",
      Tags: { Tag: [{ TagKey: "team", TagValue: "platform" }] },
      DiskDeviceMappings: {
        DiskDeviceMapping: [expect.objectContaining({ Device: "/dev/xvda", Size: "40", Type: "system" })],
      },
    });
    expect(imagesOf(ok(call(core, "DescribeImages", { ImageId: "m-inuse" })))[0]).toMatchObject({
      Usage: "instance",
    });
    expect(imagesOf(ok(call(core, "DescribeImages", { ImageId: "m-shared" })))[0]).toMatchObject({
      IsSelfShared: "true",
    });
  });

  test("describeImages() filters by OSType, Architecture, Usage, SnapshotId and ImageFamily", () => {
    const { core } = makeCore();
    const win = createImage(core, {
      SnapshotId: "s-system",
      ImageName: "win-1",
      Platform: "Windows Server 2022",
      Architecture: "arm64",
      ImageFamily: "fam-1",
    });
    core.completeCreating();
    expect(names(ok(call(core, "DescribeImages", { OSType: "Windows" })))).toEqual(["win-1"]);
    expect(names(ok(call(core, "DescribeImages", { Architecture: "arm64" })))).toEqual(["win-1"]);
    expect(names(ok(call(core, "DescribeImages", { Usage: "instance" })))).toEqual(["in-use-1"]);
    expect(names(ok(call(core, "DescribeImages", { SnapshotId: "s-system" })))).toEqual(["win-1"]);
    expect(names(ok(call(core, "DescribeImages", { ImageFamily: "fam-1" })))).toEqual(["win-1"]);
    expect(imagesOf(ok(call(core, "DescribeImages", { ImageId: win })))[0]).toMatchObject({
      OSType: "windows",
      Platform: "Windows Server 2022",
      Architecture: "arm64",
    });
  });
});
