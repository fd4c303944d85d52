/** planImage() with plain data: purge switches, snapshot steps, image attributes and the create-only refusal. */
import type { DesiredImage, ImageAttributes, ImageState } from "../../../src/common/types";
import type { Observed } from "../../../src/reconcile/observe";
import type { Plan, Step } from "../../../src/reconcile/plan";
import { planImage } from "../../../src/reconcile/plan";
import { deleteSnapshots, snapshotIdsOf } from "../../../src/reconcile/snapshots";
import { cloudError, fakeEcsApi, image } from "./fake-ecs-api";
import { desiredImage } from "../../helpers/desired";

const REGION = "cn-hangzhou";
const NO_ATTRIBUTES: ImageAttributes = {
  architecture: undefined,
  platform: undefined,
  bootMode: undefined,
  imageFamily: undefined,
  resourceGroupId: undefined,
};

function desired(fields: Partial<DesiredImage> = {}): DesiredImage {
  return desiredImage({ region: REGION, ...fields });
}

function byId(img: ImageState): Observed {
  return { image: img, lookup: "id", duplicates: [] };
}

function stepsOf(plan: Plan): Step[] {
  expect(plan.error).toBeUndefined();
  return [...plan.steps];
}

const TAGGED = image({
  imageId: "m-1",
  tags: { team: "a", env: "dev", "acs:owner": "x", aliyunx: "y" },
  launchPermission: [],
});

const TWELVE = Array.from({ length: 12 }, (_, i) => `1${String(i).padStart(15, "0")}`);
const SHARED = image({ imageId: "m-2", launchPermission: TWELVE });

describe("planImage() purge_tags", () => {
  test("planImage() untags unlisted keys with purge, never reserved ones", () => {
    const plan = planImage(desired({ imageId: "m-1", tags: { team: "a" }, purgeTags: true }), byId(TAGGED));
    expect(stepsOf(plan)).toEqual([{ kind: "untag", keys: ["env"] }]);
    expect(plan.after?.tags).toEqual({ team: "a", "acs:owner": "x", aliyunx: "y" });
  });

  test("planImage() with an empty tag map and purge removes every non-reserved tag", () => {
    const plan = planImage(desired({ imageId: "m-1", tags: {}, purgeTags: true }), byId(TAGGED));
    expect(stepsOf(plan)).toEqual([{ kind: "untag", keys: ["team", "env"] }]);
    expect(plan.changed).toBe(true);
  });

  test("planImage() without purge or without images_tags removes nothing", () => {
    expect(planImage(desired({ imageId: "m-1", tags: {} }), byId(TAGGED)).changed).toBe(false);
    expect(planImage(desired({ imageId: "m-1", purgeTags: true }), byId(TAGGED)).changed).toBe(false);
  });

  test("planImage() sets and unsets in one plan", () => {
    const plan = planImage(desired({ imageId: "m-1", tags: { team: "b" }, purgeTags: true }), byId(TAGGED));
    expect(stepsOf(plan).map((step) => step.kind)).toEqual(["tag", "untag"]);
  });
});

describe("planImage() purge_launch_permission", () => {
  test("planImage() unshares unlisted accounts in batches of at most 10", () => {
    const keep = TWELVE[0] ?? "";
    const plan = planImage(
      desired({ imageId: "m-2", launchPermission: [keep], purgeLaunchPermission: true }),
      byId(SHARED),
    );
    expect(stepsOf(plan)).toEqual([
      { kind: "unshare", accounts: TWELVE.slice(1, 11) },
      { kind: "unshare", accounts: TWELVE.slice(11) },
    ]);
    expect(plan.after?.launchPermission).toEqual([keep]);
  });

  test("planImage() with an empty list and purge unshares all", () => {
    const plan = planImage(
      desired({ imageId: "m-2", launchPermission: [], purgeLaunchPermission: true }),
      byId(SHARED),
    );
    expect(stepsOf(plan).flatMap((step) => (step.kind === "unshare" ? step.accounts : []))).toEqual(TWELVE);
    expect(plan.after?.launchPermission).toEqual([]);
  });

  test("planImage() without purge keeps other accounts", () => {
    expect(planImage(desired({ imageId: "m-2", launchPermission: [] }), byId(SHARED)).changed).toBe(false);
  });
});

describe("planImage() snapshots", () => {
  const BUILT = image({
    imageId: "m-3",
    launchPermission: [],
    diskDeviceMappings: [
      { device: "/dev/xvda", sizeGiB: 40, snapshotId: "s-a", type: "system" },
      { device: "/dev/xvdb", sizeGiB: 100, snapshotId: "s-b", type: "data" },
      { device: "/dev/xvdc", sizeGiB: 20, snapshotId: undefined, type: "data" },
    ],
  });

  test("snapshotIdsOf() lists each snapshot once, in disk order", () => {
    expect(snapshotIdsOf(BUILT)).toEqual(["s-a", "s-b"]);
  });

  test("planImage() deletes snapshots after the image is gone (waiting even without wait)", () => {
    const plan = planImage(desired({ state: "absent", imageId: "m-3", deleteSnapshots: true }), byId(BUILT));
    expect(stepsOf(plan).map((step) => step.kind)).toEqual(["delete", "waitDeleted", "deleteSnapshots"]);
    expect(plan.steps.at(-1)).toEqual({ kind: "deleteSnapshots", snapshotIds: ["s-a", "s-b"] });
  });

  test("planImage() absent with wait and no delete_snapshots polls until gone", () => {
    const plan = planImage(desired({ state: "absent", imageId: "m-3", wait: true }), byId(BUILT));
    expect(stepsOf(plan).map((step) => step.kind)).toEqual(["delete", "waitDeleted"]);
  });

  test("planImage() tags snapshots after the create's wait with tag_snapshots", () => {
    const plan = planImage(
      desired({
        imageName: "n-1",
        source: { kind: "instance", instanceId: "i-1" },
        tags: { app: "web" },
        tagSnapshots: true,
      }),
      { image: undefined, lookup: "name", duplicates: [] },
    );
    expect(stepsOf(plan).map((step) => step.kind)).toEqual(["create", "waitAvailable", "tagSnapshots"]);
    expect(plan.warnings).toEqual([expect.stringContaining("tag_snapshots")]);
  });

  test("planImage() tags snapshots of an existing image only when its tags change", () => {
    const same = planImage(desired({ imageId: "m-3", tags: {}, tagSnapshots: true }), byId(BUILT));
    expect(same.changed).toBe(false);
    const changed = planImage(desired({ imageId: "m-3", tags: { a: "1" }, tagSnapshots: true }), byId(BUILT));
    expect(stepsOf(changed)).toEqual([
      { kind: "tag", tags: { a: "1" } },
      { kind: "tagSnapshots", tags: { a: "1" } },
    ]);
  });

  test("planImage() tags snapshots that lack the image's tags although the image's tags do not change", () => {
    const img = { ...BUILT, tags: { team: "y", "acs:owner": "x" } };
    const observed: Observed = { ...byId(img), snapshotTags: { "s-a": {}, "s-b": { team: "y" } } };
    const plan = planImage(desired({ imageId: "m-3", tags: { team: "y" }, tagSnapshots: true }), observed);
    expect(stepsOf(plan)).toEqual([{ kind: "tagSnapshots", tags: { team: "y" }, snapshotIds: ["s-a"] }]);
    expect(plan.changed).toBe(true);
    const synced: Observed = { ...byId(img), snapshotTags: { "s-a": { team: "y" }, "s-b": { team: "y" } } };
    const again = planImage(desired({ imageId: "m-3", tags: { team: "y" }, tagSnapshots: true }), synced);
    expect(again.steps).toEqual([]);
    expect(again.changed).toBe(false);
  });

  test("planImage() with purge_tags untags snapshot keys not on the image, never reserved ones", () => {
    const img = { ...BUILT, tags: { team: "y", env: "dev" } };
    const observed: Observed = {
      ...byId(img),
      snapshotTags: {
        "s-a": { team: "y", env: "dev", "acs:x": "1" },
        "s-b": { team: "old", env: "dev", extra: "1" },
      },
    };
    const args = { imageId: "m-3", tags: { team: "y" }, purgeTags: true, tagSnapshots: true };
    expect(stepsOf(planImage(desired(args), observed))).toEqual([
      { kind: "untag", keys: ["env"] },
      { kind: "tagSnapshots", tags: { team: "y" }, snapshotIds: ["s-b"] },
      { kind: "untagSnapshots", keys: ["env"], snapshotIds: ["s-a"] },
      { kind: "untagSnapshots", keys: ["env", "extra"], snapshotIds: ["s-b"] },
    ]);
    const noPurge = planImage(desired({ ...args, purgeTags: false }), observed);
    expect(stepsOf(noPurge)).toEqual([{ kind: "tagSnapshots", tags: { team: "y" }, snapshotIds: ["s-b"] }]);
    expect(planImage(desired({ ...args, tagSnapshots: false }), observed).steps).toEqual([
      { kind: "untag", keys: ["env"] },
    ]);
  });

  test("deleteSnapshots() keeps refused snapshots with the reason and counts missing ones as deleted", async () => {
    const api = fakeEcsApi();
    api.failures.set("deleteSnapshot", [
      cloudError("SnapshotCreatedImage", "DeleteSnapshot", 403),
      cloudError("InvalidSnapshotId.NotFound", "DeleteSnapshot", 404),
      cloudError("SnapshotCreatedDisk", "DeleteSnapshot", 403),
    ]);
    expect(await deleteSnapshots(api, REGION, ["s-1", "s-2", "s-3", "s-4"])).toEqual({
      deleted: ["s-2", "s-4"],
      kept: [
        { snapshotId: "s-1", reason: "in use by another image (SnapshotCreatedImage)" },
        { snapshotId: "s-3", reason: "in use by a disk (SnapshotCreatedDisk)" },
      ],
    });
  });
});

describe("planImage() image attributes", () => {
  const EXISTING = image({
    imageId: "m-4",
    architecture: "x86_64",
    platform: "CentOS",
    bootMode: "BIOS",
    imageFamily: "",
    resourceGroupId: "rg-1",
    launchPermission: [],
  });

  function attributes(fields: Partial<ImageAttributes>): ImageAttributes {
    return { ...NO_ATTRIBUTES, ...fields };
  }

  test("planImage() sends the attributes in the create input", () => {
    const plan = planImage(
      desired({
        imageName: "n-1",
        source: { kind: "snapshot", snapshotId: "s-1" },
        attributes: attributes({ architecture: "arm64", bootMode: "UEFI" }),
      }),
      { image: undefined, lookup: "name", duplicates: [] },
    );
    const create = plan.steps[0];
    expect(create?.kind === "create" ? create.input.attributes : undefined).toMatchObject({
      architecture: "arm64",
      bootMode: "UEFI",
    });
  });

  test("planImage() changes boot_mode and image_family in place", () => {
    const plan = planImage(
      desired({ imageId: "m-4", attributes: attributes({ bootMode: "UEFI", imageFamily: "f-1" }) }),
      byId(EXISTING),
    );
    expect(stepsOf(plan)).toEqual([
      { kind: "setAttributes", changes: { bootMode: "UEFI", imageFamily: "f-1" } },
    ]);
  });

  test("planImage() leaves equal attributes alone", () => {
    const same = attributes({
      architecture: "x86_64",
      platform: "CentOS",
      bootMode: "BIOS",
      resourceGroupId: "rg-1",
    });
    expect(planImage(desired({ imageId: "m-4", attributes: same }), byId(EXISTING)).changed).toBe(false);
  });

  test.each<[string, Partial<ImageAttributes>, string]>([
    ["architecture", { architecture: "arm64" }, "has architecture x86_64, which cannot be changed to arm64"],
    ["platform", { platform: "Ubuntu" }, "has platform CentOS, which cannot be changed to Ubuntu"],
    [
      "resource_group_id",
      { resourceGroupId: "rg-2" },
      "has resource_group_id rg-1, which cannot be changed to rg-2",
    ],
  ])("planImage() refuses to change the create-only %s", (_name, fields, message) => {
    const plan = planImage(desired({ imageId: "m-4", attributes: attributes(fields) }), byId(EXISTING));
    expect(plan.error).toEqual({
      code: "CreateOnlyAttributeChanged",
      message: expect.stringContaining(message),
    });
    expect(plan.error?.message).toContain("in region cn-hangzhou");
    expect(plan.steps).toEqual([]);
  });
});
