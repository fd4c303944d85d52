import * as errors from "../../../src/emulator/errors";
import { call, createImage, describeImage, failure, makeCore, ok } from "./harness";

function instances(body: Readonly<Record<string, unknown>>): Record<string, unknown>[] {
  return (body["Instances"] as { Instance: Record<string, unknown>[] }).Instance;
}

function snapshots(body: Readonly<Record<string, unknown>>): Record<string, unknown>[] {
  return (body["Snapshots"] as { Snapshot: Record<string, unknown>[] }).Snapshot;
}

describe("DescribeInstances", () => {
  test("describeInstances() filters by InstanceIds (JSON array) and Status, and pages", () => {
    const { core } = makeCore();
    const byId = ok(call(core, "DescribeInstances", { InstanceIds: '["i-running","i-nope"]' }));
    expect(byId).toMatchObject({ TotalCount: 1, PageNumber: 1, PageSize: 10 });
    expect(instances(byId)[0]).toMatchObject({
      InstanceId: "i-running",
      Status: "Running",
      RegionId: "cn-hangzhou",
      OperationLocks: { LockReason: [] },
      Tags: { Tag: [] },
    });
    const locked = instances(ok(call(core, "DescribeInstances", { InstanceIds: '["i-locked"]' })))[0]!;
    expect(locked["OperationLocks"]).toEqual({ LockReason: [{ LockReason: "security", LockMsg: "" }] });
    expect(
      instances(ok(call(core, "DescribeInstances", { Status: "Stopped" }))).map((i) => i["InstanceId"]),
    ).toEqual(["i-stopped"]);
    expect(ok(call(core, "DescribeInstances", { InstanceIds: '["i-nope"]' }))).toMatchObject({
      TotalCount: 0,
      Instances: { Instance: [] },
    });
    const page = ok(call(core, "DescribeInstances", { PageSize: "3", PageNumber: "2" }));
    expect(page["TotalCount"]).toBe(4);
    expect(instances(page)).toHaveLength(1);
  });

  test("describeInstances() rejects malformed InstanceIds and statuses", () => {
    const { core } = makeCore();
    expect(failure(call(core, "DescribeInstances", { InstanceIds: "i-running" }))).toEqual(
      errors.invalidParameter("InstanceIds"),
    );
    expect(failure(call(core, "DescribeInstances", { InstanceIds: "[1]" }))).toEqual(
      errors.invalidParameter("InstanceIds"),
    );
    expect(failure(call(core, "DescribeInstances", { Status: "Flying" }))).toEqual(
      errors.invalidParameter("Status"),
    );
  });
});

describe("DescribeSnapshots / DeleteSnapshot", () => {
  test("describeSnapshots() shows the documented fields and filters", () => {
    const { core } = makeCore();
    const all = ok(call(core, "DescribeSnapshots", { PageSize: "100" }));
    expect(all["TotalCount"]).toBe(4);
    expect(snapshots(ok(call(core, "DescribeSnapshots", { SnapshotIds: '["s-system"]' })))[0]).toMatchObject({
      SnapshotId: "s-system",
      Status: "accomplished",
      Progress: "100%",
      SourceDiskSize: "40",
      SourceDiskType: "system",
      CreationTime: "2025-06-01T00:00:00Z",
      Available: true,
      Usage: "none",
      Tags: { Tag: [] },
    });
    expect(
      snapshots(ok(call(core, "DescribeSnapshots", { Status: "progressing" }))).map((s) => s["SnapshotId"]),
    ).toEqual(["s-progress"]);
    expect(
      snapshots(ok(call(core, "DescribeSnapshots", { SourceDiskType: "Data" }))).map((s) => s["SnapshotId"]),
    ).toEqual(["s-data"]);
    expect(failure(call(core, "DescribeSnapshots", { Status: "done" }))).toEqual(
      errors.invalidParameter("Status"),
    );
    expect(failure(call(core, "DescribeSnapshots", { SnapshotIds: "{" }))).toEqual(
      errors.invalidParameter("SnapshotIds"),
    );
  });

  test("describeSnapshots() filters by Usage and InstanceId", () => {
    const { core } = makeCore();
    createImage(core, { SnapshotId: "s-system", ImageName: "u-1" });
    expect(
      snapshots(ok(call(core, "DescribeSnapshots", { Usage: "image" }))).map((s) => s["SnapshotId"]),
    ).toEqual(["s-system"]);
    createImage(core, { InstanceId: "i-stopped", ImageName: "u-2" });
    expect(snapshots(ok(call(core, "DescribeSnapshots", { InstanceId: "i-stopped" })))).toHaveLength(1);
  });

  test("deleteSnapshot() deletes a free snapshot; refuses one an image uses even with Force", () => {
    const { core } = makeCore();
    const id = createImage(core, { SnapshotId: "s-system", ImageName: "snap-1" });
    expect(failure(call(core, "DeleteSnapshot", { SnapshotId: "s-system" }))).toEqual(
      errors.snapshotCreatedImage(),
    );
    expect(failure(call(core, "DeleteSnapshot", { SnapshotId: "s-system", Force: "true" }))).toEqual(
      errors.snapshotCreatedImage(),
    );
    expect(
      ok(
        core.handle({
          action: "DeleteSnapshot",
          accountId: "1000000000000001",
          requestId: "r",
          params: { SnapshotId: "s-data" },
        }),
      ),
    ).toEqual({});
    expect(failure(call(core, "DeleteSnapshot", { SnapshotId: "s-data" }))).toEqual(
      errors.invalidSnapshotIdNotFound(),
    );
    expect(failure(call(core, "DeleteSnapshot", {}))).toEqual(errors.missingParameter("SnapshotId"));
    core.completeCreating();
    ok(call(core, "DeleteImage", { ImageId: id }));
    expect(describeImage(core, id)).toBeUndefined();
    expect(ok(call(core, "DeleteSnapshot", { SnapshotId: "s-system" }))).toEqual({});
    expect(
      failure(call(core, "DeleteSnapshot", { SnapshotId: "s-sh-system", RegionId: "xx-nowhere" })),
    ).toEqual(errors.invalidRegionIdNotFound());
    expect(ok(call(core, "DeleteSnapshot", { SnapshotId: "s-sh-system" }))).toEqual({});
    expect(errors.snapshotCreatedImage()).toEqual({
      httpStatus: 403,
      code: "SnapshotCreatedImage",
      message: "The snapshot has been used to create a user defined image.",
    });
  });
});
