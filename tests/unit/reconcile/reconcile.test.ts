import { CancelledError, CloudError, WaitFailedError, WaitTimeoutError } from "../../../src/cloud/errors";
import type { DesiredImage } from "../../../src/common/types";
import { PartialFailureError, PlanRefusedError } from "../../../src/reconcile/errors";
import { observeImage } from "../../../src/reconcile/observe";
import type { ReconcileOptions } from "../../../src/reconcile/reconcile";
import { reconcileImage } from "../../../src/reconcile/reconcile";
import { fakeClock } from "../../helpers/fake-clock";
import type { FakeEcsApi } from "./fake-ecs-api";
import { cloudError, fakeEcsApi, image } from "./fake-ecs-api";
import { desiredImage } from "../../helpers/desired";

const REGION = "cn-hangzhou";
const INSTANCE = { kind: "instance", instanceId: "i-bp1running000000001" } as const;
const TWELVE = Array.from({ length: 12 }, (_, i) => `11000000000000${String(i + 1).padStart(2, "0")}`);

function desired(fields: Partial<DesiredImage> = {}): DesiredImage {
  return desiredImage({ region: REGION, ...fields });
}

function defaultCloud(): FakeEcsApi {
  return fakeEcsApi([
    image({
      imageId: "m-bp1golden00000000001",
      imageName: "golden-1",
      description: "first build",
      tags: { team: "platform" },
      inUse: false,
    }),
    image({ imageId: "m-bp1inuse000000000001", imageName: "in-use-1", inUse: true }),
    image({
      imageId: "m-bp1shared00000000001",
      imageName: "shared-1",
      inUse: false,
      launchPermission: ["1100000000000001"],
    }),
  ]);
}

function run(api: FakeEcsApi, want: DesiredImage, checkMode = false): ReturnType<typeof reconcileImage> {
  const options: ReconcileOptions = { api, clock: fakeClock(), checkMode };
  return reconcileImage(want, options);
}

/** Calls made from here on. */
function callsSince(api: FakeEcsApi, mark: number): string[] {
  return api.calls.slice(mark).map((call) => call.method);
}

describe("reconcileImage()", () => {
  test("reconcileImage() creates once with wait, and a second run is a no-op with the same id (case 01)", async () => {
    const api = defaultCloud();
    api.createScript = ["Creating", "Creating", "Available"];
    const want = desired({ imageName: "web-base-1", source: INSTANCE, wait: true });
    const first = await run(api, want);
    expect(first).toMatchObject({ changed: true, image: { status: "Available", imageName: "web-base-1" } });
    expect(first.imageId).toMatch(/^m-new/);
    expect(first.msg).toBe(`Created image ${first.imageId ?? ""} in region cn-hangzhou`);
    const mark = api.calls.length;
    const second = await run(api, want);
    expect(second).toMatchObject({
      changed: false,
      imageId: first.imageId,
      image: { imageId: first.imageId },
    });
    expect(callsSince(api, mark)).toEqual(["findImagesByName"]);
  });

  test("reconcileImage() adopts an image that is still Creating instead of creating again (case 02)", async () => {
    const api = defaultCloud();
    api.createScript = ["Creating"];
    const want = desired({ imageName: "web-base-2", source: INSTANCE });
    const first = await run(api, want);
    expect(first).toMatchObject({ changed: true, image: { status: "Creating" } });
    const second = await run(api, want);
    expect(second).toMatchObject({ changed: false, imageId: first.imageId });
    expect(api.calls.filter((call) => call.method === "createImage")).toHaveLength(1);
  });

  test("reconcileImage() resolves by name alone, and asks for a source only when the image is missing (case 03)", async () => {
    const api = defaultCloud();
    const found = await run(api, desired({ imageName: "golden-1" }));
    expect(found).toMatchObject({ changed: false, imageId: "m-bp1golden00000000001" });
    const error: unknown = await run(api, desired({ imageName: "never-built-1" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanRefusedError);
    expect((error as Error).message).toMatch(/instance_id|snapshot_id|disk_mapping/);
    expect((error as Error).message).toMatch(/cn-hangzhou/);
    expect(api.writes()).toEqual([]);
  });

  test("reconcileImage() updates the description in place, then is a no-op (case 04)", async () => {
    const api = defaultCloud();
    const want = desired({ imageName: "golden-1", source: INSTANCE, description: "second build" });
    const first = await run(api, want);
    expect(first).toMatchObject({
      changed: true,
      imageId: "m-bp1golden00000000001",
      image: { description: "second build" },
    });
    expect(first.msg).toBe("Updated description of image m-bp1golden00000000001 in region cn-hangzhou");
    expect(api.writes().map((call) => call.method)).toEqual(["modifyImageAttribute"]);
    const second = await run(api, want);
    expect(second.changed).toBe(false);
    expect(api.writes()).toHaveLength(1);
  });

  test("reconcileImage() without wait returns at once with the tags set in the create call (case 05)", async () => {
    const api = defaultCloud();
    api.createScript = ["Creating"];
    const clock = fakeClock();
    const outcome = await reconcileImage(
      desired({ imageName: "tagged-1", source: INSTANCE, tags: { team: "data", env: "prod" } }),
      {
        api,
        clock,
        checkMode: false,
      },
    );
    expect(outcome).toMatchObject({
      changed: true,
      image: { status: "Creating", tags: { team: "data", env: "prod" } },
    });
    expect(api.writes().map((call) => call.method)).toEqual(["createImage"]);
    expect(clock.sleeps).toEqual([]);
  });

  test("reconcileImage() reports the image id and last status on a wait timeout (case 06)", async () => {
    const api = defaultCloud();
    api.createScript = ["Creating"];
    const error: unknown = await run(
      api,
      desired({ imageName: "slow-1", source: INSTANCE, wait: true, waitTimeoutSeconds: 3 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialFailureError);
    const partial = error as PartialFailureError;
    expect(partial.imageId).toMatch(/^m-new/);
    expect(partial.completed).toEqual(["create"]);
    expect(partial.cause).toBeInstanceOf(WaitTimeoutError);
    expect(partial.cause).toMatchObject({ lastStatus: "Creating", imageId: partial.imageId });
    expect(partial.message).toMatch(/Timed out after 3 seconds/);
  });

  test("reconcileImage() fails fast on CreateFailed (case 06)", async () => {
    const api = defaultCloud();
    api.createScript = ["Creating", "CreateFailed"];
    const clock = fakeClock();
    const error: unknown = await reconcileImage(
      desired({ imageName: "broken-1", source: INSTANCE, wait: true, waitTimeoutSeconds: 3000 }),
      { api, clock, checkMode: false },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialFailureError);
    expect((error as PartialFailureError).cause).toBeInstanceOf(WaitFailedError);
    expect((error as Error).message).toMatch(/CreateFailed/);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(5_000);
  });

  test("reconcileImage() absent on a missing image is a one-call no-op naming the region (case 07)", async () => {
    const api = defaultCloud();
    const missing = await run(api, desired({ state: "absent", imageId: "m-bp1nosuchimage00001" }));
    expect(missing).toMatchObject({
      changed: false,
      msg: "Image m-bp1nosuchimage00001 not found in region cn-hangzhou, nothing to delete",
    });
    expect(api.calls).toHaveLength(1);
    const deleted = await run(api, desired({ state: "absent", imageId: "m-bp1golden00000000001" }));
    expect(deleted).toMatchObject({ changed: true, imageId: "m-bp1golden00000000001", image: undefined });
    const again = await run(api, desired({ state: "absent", imageId: "m-bp1golden00000000001" }));
    expect(again.changed).toBe(false);
    expect(api.writes()).toHaveLength(1);
  });

  test("reconcileImage() refuses to delete an image in use unless force, then deletes with Force (case 08)", async () => {
    const api = defaultCloud();
    const error: unknown = await run(
      api,
      desired({ state: "absent", imageId: "m-bp1inuse000000000001" }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanRefusedError);
    expect((error as Error).message).toMatch(/in use/);
    expect(api.writes()).toEqual([]);
    const forced = await run(
      api,
      desired({ state: "absent", imageId: "m-bp1inuse000000000001", force: true }),
    );
    expect(forced.changed).toBe(true);
    expect(api.writes()).toEqual([
      {
        method: "deleteImage",
        args: [{ region: REGION, imageId: "m-bp1inuse000000000001" }, { force: true }],
      },
    ]);
  });

  test("reconcileImage() with force unshares a shared image, then deletes it", async () => {
    const api = defaultCloud();
    await expect(run(api, desired({ state: "absent", imageName: "shared-1" }))).rejects.toThrow(
      /shared with 1 account/,
    );
    const outcome = await run(
      api,
      desired({ state: "absent", imageName: "shared-1", force: true, wait: true }),
    );
    expect(outcome.completed).toEqual(["unshare", "delete", "waitDeleted"]);
    expect(api.images.has("m-bp1shared00000000001")).toBe(false);
  });

  test("reconcileImage() shares with 12 accounts in 2 calls (case 10)", async () => {
    const api = defaultCloud();
    const outcome = await run(
      api,
      desired({ imageName: "shared-many-1", source: INSTANCE, wait: true, launchPermission: TWELVE }),
    );
    expect(api.calls.filter((call) => call.method === "addLaunchPermission")).toHaveLength(2);
    expect(outcome.image?.launchPermission).toEqual(TWELVE);
    const mark = api.calls.length;
    const again = await run(
      api,
      desired({ imageName: "shared-many-1", source: INSTANCE, wait: true, launchPermission: TWELVE }),
    );
    expect(again.changed).toBe(false);
    expect(callsSince(api, mark)).toEqual(["findImagesByName", "describeLaunchPermission"]);
  });

  test("reconcileImage() in check mode decides as the real run and sends no write", async () => {
    const cases: DesiredImage[] = [
      desired({ imageName: "new-1", source: INSTANCE, tags: { a: "b" }, wait: true }),
      desired({ imageName: "golden-1", description: "changed" }),
      desired({ imageName: "golden-1" }),
      desired({ state: "absent", imageId: "m-bp1golden00000000001" }),
      desired({ state: "absent", imageId: "m-missing" }),
      desired({ state: "absent", imageName: "shared-1", force: true }),
    ];
    for (const want of cases) {
      const checkApi = defaultCloud();
      const check = await run(checkApi, want, true);
      expect(checkApi.writes()).toEqual([]);
      const realApi = defaultCloud();
      const real = await run(realApi, want);
      expect(check.changed).toBe(real.changed);
      expect(check.plan.steps).toEqual(real.plan.steps);
      expect(check.diff.before).toEqual(real.diff.before);
    }
  });

  test("reconcileImage() wraps a failure after create in PartialFailureError with the image id", async () => {
    const api = defaultCloud();
    api.failures.set("addLaunchPermission", [
      cloudError("InvalidAccount.NotFound", "ModifyImageSharePermission", 404),
    ]);
    const error: unknown = await run(
      api,
      desired({ imageName: "p-1", source: INSTANCE, wait: true, launchPermission: ["1"] }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialFailureError);
    expect(error).toMatchObject({ completed: ["create", "waitAvailable"], failedStep: "share" });
    expect((error as PartialFailureError).imageId).toMatch(/^m-new/);
    expect((error as PartialFailureError).cause).toBeInstanceOf(CloudError);
  });

  test("reconcileImage() rethrows a failure of the first write as is (nothing changed)", async () => {
    const api = defaultCloud();
    const cause = cloudError("IncorrectInstanceStatus", "CreateImage");
    api.failures.set("createImage", [cause]);
    await expect(run(api, desired({ imageName: "x-1", source: INSTANCE }))).rejects.toBe(cause);
  });

  test("reconcileImage() adopts the winner when a concurrent run took the name first", async () => {
    const api = defaultCloud();
    const raced = cloudError("InvalidImageName.Duplicated", "CreateImage");
    api.failures.set("createImage", [raced]);
    const original = api.findImagesByName.bind(api);
    let lookups = 0;
    api.findImagesByName = async (region, name) => {
      lookups += 1;
      if (lookups === 2)
        api.images.set("m-winner", {
          state: image({ imageId: "m-winner", imageName: name }),
          shares: [],
          statusScript: [],
          invisibleReads: 0,
        });
      return original(region, name);
    };
    const outcome = await run(api, desired({ imageName: "race-1", source: INSTANCE }));
    expect(outcome).toMatchObject({ changed: false, imageId: "m-winner" });
  });

  test("reconcileImage() tolerates 'not found yet' right after create", async () => {
    const api = defaultCloud();
    api.createInvisibleReads = 2;
    api.createScript = ["Available"];
    const outcome = await run(api, desired({ imageName: "late-1", source: INSTANCE, wait: true }));
    expect(outcome.image?.status).toBe("Available");
  });

  test("reconcileImage() treats DeleteImage 'not found' as already deleted", async () => {
    const api = defaultCloud();
    api.failures.set("deleteImage", [cloudError("InvalidImageId.NotFound", "DeleteImage", 404)]);
    const outcome = await run(api, desired({ state: "absent", imageId: "m-bp1golden00000000001" }));
    expect(outcome.changed).toBe(true);
  });

  test("reconcileImage() reports warnings and diff for a nameless create", async () => {
    const api = defaultCloud();
    const outcome = await run(api, desired({ source: INSTANCE, description: "d" }));
    expect(outcome.warnings.join()).toMatch(/not idempotent/);
    expect(outcome.diff.before).toBeUndefined();
    expect(outcome.diff.after).toMatchObject({ imageId: outcome.imageId, description: "d" });
  });

  test("reconcileImage() refuses a source that cannot be imaged before any write, in check mode too", async () => {
    const api = defaultCloud();
    api.instances.set("i-starting", { instanceId: "i-starting", status: "Starting", lockReasons: [] });
    const want = desired({ imageName: "s-1", source: { kind: "instance", instanceId: "i-starting" } });
    await expect(run(api, want, true)).rejects.toThrow(
      "Instance i-starting in region cn-hangzhou is Starting",
    );
    await expect(run(api, want)).rejects.toBeInstanceOf(PlanRefusedError);
    expect(api.writes()).toEqual([]);
  });

  test("reconcileImage() refuses an unknown image id naming the region", async () => {
    const api = defaultCloud();
    await expect(run(api, desired({ imageId: "m-123" }))).rejects.toThrow(
      "Image m-123 not found in region cn-hangzhou",
    );
  });
});

describe("observeImage()", () => {
  test("observeImage() looks up by id first, then by exact name, and reads shares only of a shared image", async () => {
    const api = defaultCloud();
    expect(
      await observeImage(desired({ imageId: "m-bp1golden00000000001", imageName: "other" }), api),
    ).toMatchObject({
      lookup: "id",
      image: { imageId: "m-bp1golden00000000001", launchPermission: [] },
    });
    expect(await observeImage(desired({ imageName: "shared-1" }), api)).toMatchObject({
      lookup: "name",
      image: { launchPermission: ["1100000000000001"] },
    });
    expect(await observeImage(desired({ source: INSTANCE }), api)).toMatchObject({
      image: undefined,
      lookup: "none",
      duplicates: [],
    });
    expect(api.calls.map((call) => call.method)).toEqual([
      "findImageById",
      "findImagesByName",
      "describeLaunchPermission",
      "describeInstance",
    ]);
  });

  test("observeImage() reads the snapshots' tags in one call only with tag_snapshots on an Available image", async () => {
    const disks = [
      { device: "/dev/xvda", sizeGiB: 40, snapshotId: "s-a", type: "system" as const },
      { device: "/dev/xvdb", sizeGiB: 40, snapshotId: "s-b", type: "data" as const },
    ];
    const api = fakeEcsApi([
      image({ imageId: "m-1", imageName: "ts-1", diskDeviceMappings: disks, launchPermission: [] }),
      image({ imageId: "m-2", imageName: "ts-2", status: "Creating", launchPermission: [] }),
    ]);
    api.snapshotTags.set("s-a", { team: "y" });
    api.snapshotTags.set("s-b", {});
    expect((await observeImage(desired({ imageName: "ts-1" }), api)).snapshotTags).toBeUndefined();
    expect(callsSince(api, 0)).toEqual(["findImagesByName"]);
    const tagged = await observeImage(desired({ imageName: "ts-1", tagSnapshots: true }), api);
    expect(tagged.snapshotTags).toEqual({ "s-a": { team: "y" }, "s-b": {} });
    expect(api.calls.at(-1)).toEqual({ method: "describeSnapshotTags", args: [REGION, ["s-a", "s-b"]] });
    const mark = api.calls.length;
    const pending = await observeImage(desired({ imageName: "ts-2", tagSnapshots: true }), api);
    expect(pending.snapshotTags).toBeUndefined();
    expect(callsSince(api, mark)).toEqual(["findImagesByName"]);
  });

  test("observeImage() reads the source only when a create is coming", async () => {
    const api = defaultCloud();
    const coming = await observeImage(
      desired({ imageName: "new-1", source: { kind: "snapshot", snapshotId: "s-1" } }),
      api,
    );
    expect(coming.source).toMatchObject({
      kind: "snapshot",
      snapshotId: "s-1",
      snapshot: { status: "accomplished" },
    });
    const existing = await observeImage(desired({ imageName: "golden-1", source: INSTANCE }), api);
    expect(existing.source).toBeUndefined();
    const byId = await observeImage(desired({ imageId: "m-none", source: INSTANCE }), api);
    expect(byId.source).toBeUndefined();
    const absent = await observeImage(desired({ state: "absent", imageName: "none", source: INSTANCE }), api);
    expect(absent.source).toBeUndefined();
    const disks = await observeImage(
      desired({
        imageName: "d-1",
        source: { kind: "disks", disks: [{ device: "/dev/xvda", sizeGiB: 40, snapshotId: "s-1" }] },
      }),
      api,
    );
    expect(disks.source).toBeUndefined();
    expect(api.calls.map((call) => call.method)).toEqual([
      "findImagesByName",
      "describeSnapshot",
      "findImagesByName",
      "findImageById",
      "findImagesByName",
      "findImagesByName",
    ]);
  });

  test("observeImage() picks the oldest of duplicate names and lists the others", async () => {
    const api = fakeEcsApi([
      image({ imageId: "m-b", imageName: "dup", creationTime: "2025-02-01T00:00:00Z" }),
      image({ imageId: "m-a", imageName: "dup", creationTime: "2025-01-01T00:00:00Z" }),
    ]);
    expect(await observeImage(desired({ imageName: "dup" }), api)).toMatchObject({
      image: { imageId: "m-a" },
      duplicates: ["m-b"],
    });
  });
});

describe("reconcileImage() progress and cancellation", () => {
  test("reconcileImage() reports each completed step with the image id once known", async () => {
    const api = defaultCloud();
    const events: { step: string; imageId: string | undefined }[] = [];
    await reconcileImage(desired({ imageName: "p-1", source: INSTANCE, wait: true }), {
      api,
      clock: fakeClock(),
      checkMode: false,
      onStep: (event) => events.push({ step: event.step, imageId: event.imageId }),
    });
    expect(events.map((event) => event.step)).toEqual(["create", "waitAvailable"]);
    expect(events[0]?.imageId).toMatch(/^m-new/);
  });

  test("reconcileImage() stops a wait when cancelled and keeps the image id", async () => {
    const api = defaultCloud();
    api.createScript = ["Creating"];
    const signal = { aborted: false };
    const error: unknown = await reconcileImage(desired({ imageName: "c-1", source: INSTANCE, wait: true }), {
      api,
      clock: fakeClock(),
      checkMode: false,
      signal,
      onStep: () => {
        signal.aborted = true;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialFailureError);
    expect((error as PartialFailureError).cause).toBeInstanceOf(CancelledError);
    expect((error as PartialFailureError).imageId).toMatch(/^m-new/);
  });
});
