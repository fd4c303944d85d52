/**
 * Issue 7 through the built bundle against the emulator: purge switches (empty-list purges included),
 * snapshot clean-up on delete (`snapshots_deleted`, `snapshots_kept`), snapshot tagging, diff in check
 * mode, image attributes at create, in-place updates and the create-only refusal, and the share list
 * read from `IsSelfShared`.
 */
import type { Fixtures } from "../../src/emulator/contract";
import type { RunningEmulator } from "../../src/emulator/server";
import { startEmulator } from "../../src/emulator/server";
import { REGRESSION_FIXTURES } from "./harness";
import { ansibleControlKeys, runModule, type ModuleRun } from "../helpers/run-module";

const REGION = "cn-hangzhou";
const RUNNING = "i-bp1running000000001";
const SYSTEM_SNAPSHOT = "s-bp1system40000000001";
const TAGGED = "m-bp1tagged00000000001";
const SHARED_MANY = "m-bp1sharedmany000001";

/** Twelve known accounts, the first twelve of the fixtures. */
const TWELVE = Array.from({ length: 12 }, (_, i) => `11000000000000${String(i + 1).padStart(2, "0")}`);

const FIXTURES: Fixtures = {
  ...REGRESSION_FIXTURES,
  regions: {
    ...REGRESSION_FIXTURES.regions,
    [REGION]: {
      ...REGRESSION_FIXTURES.regions?.[REGION],
      images: [
        ...(REGRESSION_FIXTURES.regions?.[REGION]?.images ?? []),
        {
          id: TAGGED,
          name: "tagged-1",
          status: "Available",
          tags: { team: "platform", env: "dev", "acs:owner": "cloud", "aliyun-managed": "yes" },
          shared_with: [],
        },
        { id: SHARED_MANY, name: "shared-many-1", status: "Available", tags: {}, shared_with: TWELVE },
      ],
    },
  },
};

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await startEmulator({ fixtures: FIXTURES, host: "127.0.0.1", port: 0 });
});

afterEach(async () => {
  await emulator.stop();
});

/** Runs one task with Ansible's control keys against the emulator. */
function task(
  args: Record<string, unknown>,
  flags: { checkMode?: boolean; diff?: boolean } = {},
): Promise<ModuleRun> {
  return runModule(
    { ...args, ...ansibleControlKeys(flags) },
    {
      ACS_ENDPOINT: emulator.endpoint,
      ACS_REGION: REGION,
      ACS_ACCESS_KEY_ID: emulator.credentials.access_key_id,
      ACS_SECRET_ACCESS_KEY: emulator.credentials.access_key_secret,
    },
  );
}

/** One logged API call. */
interface Logged {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
}

/** The API calls since the last call, then clears the log. */
async function takeCalls(): Promise<Logged[]> {
  const base = `http://${emulator.endpoint}/_emulator/requests`;
  const log = (await (await fetch(base)).json()) as { requests: Logged[] };
  await fetch(base, { method: "DELETE" });
  return log.requests;
}

/** The emulator's view of the region. */
interface RegionView {
  readonly images: { id: string; tags: Record<string, string>; shared_with: string[] }[];
  readonly snapshots: { id: string; tags: Record<string, string>; used_by_images: string[] }[];
}

async function regionState(): Promise<RegionView> {
  const state = (await (await fetch(`http://${emulator.endpoint}/_emulator/state`)).json()) as {
    regions: Record<string, RegionView>;
  };
  const region = state.regions[REGION];
  if (region === undefined) throw new Error(`No region ${REGION} in the emulator state`);
  return region;
}

describe("purge_tags", () => {
  test("purge_tags removes unlisted tags but never reserved ones: check, real, repeat", async () => {
    const args = {
      image_id: TAGGED,
      images_tags: [{ tag_key: "team", tag_value: "platform" }],
      purge_tags: true,
    };
    const check = await task(args, { checkMode: true, diff: true });
    expect(check.result).toMatchObject({ changed: true, diff: { after: { tags: { team: "platform" } } } });
    const real = await task(args);
    expect(real.result).toMatchObject({ changed: true, failed: false });
    const untag = (await takeCalls()).filter((call) => call.action === "UntagResources");
    expect(untag.map((call) => call.params)).toEqual([expect.objectContaining({ "TagKey.1": "env" })]);
    expect(real.result?.image).toMatchObject({
      tags: { team: "platform", "acs:owner": "cloud", "aliyun-managed": "yes" },
    });
    expect((await task(args)).result).toMatchObject({ changed: false });
  });

  test("images_tags: [] with purge_tags removes every tag but the reserved ones", async () => {
    const run = await task({ image_id: TAGGED, images_tags: [], purge_tags: true });
    expect(run.result).toMatchObject({ changed: true, failed: false });
    expect(run.result?.image).toMatchObject({ tags: { "acs:owner": "cloud", "aliyun-managed": "yes" } });
    expect(Object.keys((run.result?.image as { tags: object }).tags)).toHaveLength(2);
  });

  test("without purge_tags, unlisted tags stay", async () => {
    const run = await task({ image_id: TAGGED, images_tags: [{ tag_key: "team", tag_value: "platform" }] });
    expect(run.result).toMatchObject({ changed: false });
  });
});

describe("purge_launch_permission", () => {
  test("purge_launch_permission unshares unlisted accounts in batches of at most 10", async () => {
    const args = {
      image_id: SHARED_MANY,
      launch_permission: ["1100000000000001"],
      purge_launch_permission: true,
    };
    const real = await task(args);
    expect(real.result).toMatchObject({
      changed: true,
      failed: false,
      image: { launch_permission: ["1100000000000001"] },
    });
    const removed = (await takeCalls())
      .filter((call) => call.action === "ModifyImageSharePermission")
      .map((call) => Object.keys(call.params).filter((key) => key.startsWith("RemoveAccount.")).length);
    expect(removed).toEqual([10, 1]);
    expect((await task(args)).result).toMatchObject({ changed: false });
  });

  test("launch_permission: [] with purge unshares all, and diff in check mode shows it", async () => {
    const args = { image_id: SHARED_MANY, launch_permission: [], purge_launch_permission: true };
    const check = await task(args, { checkMode: true, diff: true });
    expect(check.result).toMatchObject({
      changed: true,
      diff: { before: { launch_permission: TWELVE }, after: { launch_permission: [] } },
    });
    expect((await takeCalls()).filter((call) => call.action.startsWith("Modify"))).toEqual([]);
    const real = await task(args);
    expect(real.result).toMatchObject({ changed: true, image: { launch_permission: [] } });
    const state = await regionState();
    expect(state.images.find((image) => image.id === SHARED_MANY)?.shared_with).toEqual([]);
  });
});

describe("delete_snapshots", () => {
  test("delete_snapshots deletes the image's snapshots after the image and reports them", async () => {
    const made = await task({ image_name: "snaps-1", instance_id: RUNNING, wait: true });
    const mappings = (made.result?.image as { disk_device_mappings: { snapshot_id: string }[] })
      .disk_device_mappings;
    const snapshotIds = mappings.map((disk) => disk.snapshot_id);
    expect(snapshotIds).toHaveLength(2);
    const args = { status: "absent", image_name: "snaps-1", delete_snapshots: true };
    const check = await task(args, { checkMode: true, diff: true });
    expect(check.result).toMatchObject({ changed: true, diff: { after: { state: "absent" } } });
    const gone = await task(args);
    expect(gone.result).toMatchObject({ changed: true, snapshots_deleted: snapshotIds, snapshots_kept: [] });
    const left = (await regionState()).snapshots.map((snapshot) => snapshot.id);
    for (const id of snapshotIds) expect(left).not.toContain(id);
    expect((await task(args)).result).toMatchObject({ changed: false });
  });

  test("a snapshot another image uses is kept with the reason, not a crash", async () => {
    const first = await task({ image_name: "from-snap-1", snapshot_id: SYSTEM_SNAPSHOT, wait: true });
    const second = await task({ image_name: "from-snap-2", snapshot_id: SYSTEM_SNAPSHOT, wait: true });
    expect(second.result).toMatchObject({ changed: true, failed: false });
    const gone = await task({ status: "absent", image_id: first.result?.image_id, delete_snapshots: true });
    expect(gone.exitCode).toBe(0);
    expect(gone.result).toMatchObject({
      changed: true,
      failed: false,
      snapshots_deleted: [],
      snapshots_kept: [
        { snapshot_id: SYSTEM_SNAPSHOT, reason: "in use by another image (SnapshotCreatedImage)" },
      ],
    });
    const last = await task({ status: "absent", image_name: "from-snap-2", delete_snapshots: true });
    expect(last.result).toMatchObject({ snapshots_deleted: [SYSTEM_SNAPSHOT], snapshots_kept: [] });
  });

  test("absent with wait polls until the image is gone", async () => {
    await task({ image_name: "wait-gone-1", snapshot_id: SYSTEM_SNAPSHOT, wait: true });
    await takeCalls();
    const gone = await task({ status: "absent", image_name: "wait-gone-1", wait: true });
    expect(gone.result).toMatchObject({ changed: true, failed: false });
    const actions = (await takeCalls()).map((call) => call.action);
    expect(actions.slice(actions.indexOf("DeleteImage"))).toEqual(["DeleteImage", "DescribeImages"]);
  });
});

describe("tag_snapshots", () => {
  test("tag_snapshots gives the image's snapshots its tags once they are known", async () => {
    const run = await task({
      image_name: "tagsnap-1",
      instance_id: RUNNING,
      images_tags: [{ tag_key: "app", tag_value: "web" }],
      tag_snapshots: true,
    });
    expect(run.result).toMatchObject({ changed: true, failed: false, image: { status: "Available" } });
    const ids = (
      run.result?.image as { disk_device_mappings: { snapshot_id: string }[] }
    ).disk_device_mappings.map((disk) => disk.snapshot_id);
    const snapshots = (await regionState()).snapshots.filter((snapshot) => ids.includes(snapshot.id));
    expect(snapshots).toHaveLength(2);
    for (const snapshot of snapshots) expect(snapshot.tags).toEqual({ app: "web" });
    const tagCalls = (await takeCalls()).filter((call) => call.action === "TagResources");
    expect(tagCalls.map((call) => call.params.ResourceType)).toEqual(["snapshot"]);
  });
});

/** The tags of the snapshots of an image, from a run's result, in disk order. */
async function snapshotTagsOf(run: ModuleRun): Promise<Record<string, string>[]> {
  const ids = (
    run.result?.image as { disk_device_mappings: { snapshot_id: string }[] }
  ).disk_device_mappings.map((disk) => disk.snapshot_id);
  const snapshots = (await regionState()).snapshots;
  return ids.map((id) => snapshots.find((snapshot) => snapshot.id === id)?.tags ?? {});
}

describe("tag_snapshots on an existing image", () => {
  const WRITES = /^(Create|Modify|Delete|Tag|Untag)/;

  test("turning tag_snapshots on later tags the snapshots, then a re-run changes nothing", async () => {
    const tags = [{ tag_key: "team", tag_value: "y" }];
    const first = await task({ image_name: "ts2", instance_id: RUNNING, images_tags: tags, wait: true });
    expect(first.result).toMatchObject({ changed: true, failed: false, image: { status: "Available" } });
    expect(await snapshotTagsOf(first)).toEqual([{}, {}]);
    await takeCalls();
    const args = { image_name: "ts2", images_tags: tags, tag_snapshots: true };
    const check = await task(args, { checkMode: true });
    expect(check.result).toMatchObject({ changed: true, failed: false });
    expect((await takeCalls()).filter((call) => WRITES.test(call.action))).toEqual([]);
    const second = await task(args);
    expect(second.result).toMatchObject({ changed: true, failed: false });
    expect(await snapshotTagsOf(second)).toEqual([{ team: "y" }, { team: "y" }]);
    const writes = (await takeCalls()).filter((call) => WRITES.test(call.action));
    expect(writes.map((call) => [call.action, call.params.ResourceType])).toEqual([
      ["TagResources", "snapshot"],
    ]);
    const third = await task(args);
    expect(third.result).toMatchObject({ changed: false, failed: false });
    const calls = await takeCalls();
    expect(calls.filter((call) => WRITES.test(call.action))).toEqual([]);
    expect(calls.filter((call) => call.action === "DescribeSnapshots")).toHaveLength(1);
    expect((await task(args, { checkMode: true })).result).toMatchObject({ changed: false });
  });

  test("with purge_tags a tag removed from the image is removed from its snapshots too", async () => {
    const both = [
      { tag_key: "team", tag_value: "y" },
      { tag_key: "env", tag_value: "dev" },
    ];
    const created = await task({
      image_name: "ts3",
      instance_id: RUNNING,
      images_tags: both,
      tag_snapshots: true,
    });
    expect(await snapshotTagsOf(created)).toEqual([
      { team: "y", env: "dev" },
      { team: "y", env: "dev" },
    ]);
    await takeCalls();
    const args = {
      image_name: "ts3",
      images_tags: [{ tag_key: "team", tag_value: "y" }],
      purge_tags: true,
      tag_snapshots: true,
    };
    const purged = await task(args);
    expect(purged.result).toMatchObject({ changed: true, failed: false, image: { tags: { team: "y" } } });
    expect(await snapshotTagsOf(purged)).toEqual([{ team: "y" }, { team: "y" }]);
    const untags = (await takeCalls()).filter((call) => call.action === "UntagResources");
    expect(untags.map((call) => [call.params.ResourceType, call.params["TagKey.1"]])).toEqual([
      ["image", "env"],
      ["snapshot", "env"],
    ]);
    expect((await task(args)).result).toMatchObject({ changed: false });
    expect((await takeCalls()).filter((call) => WRITES.test(call.action))).toEqual([]);
  });
});

describe("image attributes", () => {
  test("architecture, platform, boot_mode, image_family and resource_group_id are sent at create", async () => {
    const args = {
      image_name: "attrs-1",
      snapshot_id: SYSTEM_SNAPSHOT,
      architecture: "arm64",
      platform: "Ubuntu",
      boot_mode: "UEFI",
      image_family: "web-family",
      resource_group_id: "rg-acfmdemo000001",
      wait: true,
    };
    const run = await task(args);
    expect(run.result).toMatchObject({
      changed: true,
      image: {
        architecture: "arm64",
        platform: "Ubuntu",
        boot_mode: "UEFI",
        image_family: "web-family",
        resource_group_id: "rg-acfmdemo000001",
      },
    });
    const create = (await takeCalls()).find((call) => call.action === "CreateImage");
    expect(create?.params).toMatchObject({
      Architecture: "arm64",
      Platform: "Ubuntu",
      BootMode: "UEFI",
      ImageFamily: "web-family",
      ResourceGroupId: "rg-acfmdemo000001",
    });
    expect((await task(args)).result).toMatchObject({ changed: false });
  });

  test("image_family and boot_mode change in place on an existing image", async () => {
    const args = { image_name: "golden-1", image_family: "golden-family", boot_mode: "BIOS" };
    const check = await task(args, { checkMode: true, diff: true });
    expect(check.result).toMatchObject({
      changed: true,
      diff: { after: { image_family: "golden-family", boot_mode: "BIOS" } },
    });
    const real = await task(args);
    expect(real.result).toMatchObject({
      changed: true,
      image: { image_family: "golden-family", boot_mode: "BIOS" },
    });
    const modify = (await takeCalls()).filter((call) => call.action === "ModifyImageAttribute");
    expect(modify.map((call) => call.params)).toEqual([
      expect.objectContaining({ ImageFamily: "golden-family", BootMode: "BIOS" }),
    ]);
    expect((await task(args)).result).toMatchObject({ changed: false });
  });

  test.each([
    ["architecture", "arm64", "x86_64"],
    ["platform", "Ubuntu", "Others Linux"],
    ["image_version", "2", "(none)"],
  ])(
    "asking to change %s of an existing image is refused, naming both values",
    async (name, wanted, current) => {
      const run = await task({ image_name: "golden-1", [name]: wanted });
      expect(run.exitCode).toBe(1);
      expect(run.result).toMatchObject({ failed: true, changed: false });
      expect(run.result?.msg).toContain(`has ${name} ${current}, which cannot be changed to ${wanted}`);
      expect(run.result?.msg).toContain("region cn-hangzhou");
      expect((await takeCalls()).filter((call) => /^(Create|Modify|Tag|Untag)/.test(call.action))).toEqual(
        [],
      );
    },
  );

  test("the emulator's validation error of a bad image_family reaches the result", async () => {
    const run = await task({
      image_name: "bad-family-1",
      snapshot_id: SYSTEM_SNAPSHOT,
      image_family: "aliyun-x",
    });
    expect(run.result).toMatchObject({ failed: true, error: { code: "InvalidImageFamily.Malformed" } });
  });
});
