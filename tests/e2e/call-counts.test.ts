/**
 * API calls at the physical minimum (issue 6): the built bundle, spawned as Ansible runs it, against the
 * emulator; every count below is EXACT, read from the emulator's request log (one entry per API call).
 * Calls count against the account's rate limits, shared by every host, so a new call here is a regression.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fixtures, FixtureImage } from "../../src/emulator/contract";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";
import { ansibleControlKeys, MODULE_BUNDLE, runModule } from "../helpers/run-module";
import { REGRESSION_FIXTURES } from "./harness";

const REGION = "cn-hangzhou";
const RUNNING = "i-bp1running000000001";
const GOLDEN = "m-bp1golden00000000001";

/** One logged API call, as much as these tests read. */
interface LoggedCall {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
}

/** `count` sixteen-digit account ids that start with `prefix`. */
function accounts(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(14, "0")}`);
}

/** Images `name-1` ... `name-<count>`: looking up `name-1` fuzzily matches 1 + 10 + 100 + ... of them. */
function numberedImages(prefix: string, count: number): FixtureImage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `m-bp1num${String(i + 1).padStart(12, "0")}`,
    name: `${prefix}-${i + 1}`,
    status: "Available",
    creation_time: "2025-01-01T00:00:00Z",
  }));
}

const FIXTURES: Fixtures = {
  ...REGRESSION_FIXTURES,
  known_accounts: [...(REGRESSION_FIXTURES.known_accounts ?? []), ...accounts("11", 12)],
  image_quota: 1_000,
  regions: {
    ...REGRESSION_FIXTURES.regions,
    [REGION]: {
      ...REGRESSION_FIXTURES.regions?.[REGION],
      images: [...(REGRESSION_FIXTURES.regions?.[REGION]?.images ?? []), ...numberedImages("web", 250)],
    },
  },
};

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ fixtures: FIXTURES, host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await emulator.stop();
});

/** Sends a control-plane request. */
async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`http://${emulator.endpoint}/_emulator/${path}`, init);
  return response.json();
}

/** Runs the bundle once with fresh state and returns its result and the API calls it made. */
async function runCounted(
  args: Record<string, unknown>,
  fixtures: Fixtures = FIXTURES,
): Promise<{ result: Record<string, unknown>; calls: LoggedCall[] }> {
  await control("POST", "reset", fixtures);
  const credential = fixtures.credentials?.[0];
  const run = await runModule({
    acs_access_key: credential?.access_key_id,
    acs_secret_access_key: credential?.access_key_secret,
    region: REGION,
    endpoint: emulator.endpoint,
    ...args,
    ...ansibleControlKeys(),
  });
  if (run.result === undefined) throw new Error(`No JSON result: ${run.stdout}\n${run.stderr}`);
  const log = (await control("GET", "requests")) as { requests: LoggedCall[] };
  return { result: run.result, calls: log.requests };
}

/** Counts calls per action. */
function countByAction(calls: readonly LoggedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { action } of calls) counts[action] = (counts[action] ?? 0) + 1;
  return counts;
}

describe("exact API call counts of the bundle", () => {
  test("a no-op present by name costs 1 call", async () => {
    const { result, calls } = await runCounted({ status: "present", image_name: "golden-1" });
    expect(result).toMatchObject({ changed: false, image_id: GOLDEN });
    expect(countByAction(calls)).toEqual({ DescribeImages: 1 });
  });

  test("a no-op present by id costs 1 call", async () => {
    const { result, calls } = await runCounted({ status: "present", image_id: GOLDEN });
    expect(result).toMatchObject({ changed: false, image_id: GOLDEN });
    expect(countByAction(calls)).toEqual({ DescribeImages: 1 });
  });

  test("launch_permission on an unshared image costs no share read: IsSelfShared says false (by name and by id)", async () => {
    const byName = await runCounted({ status: "present", image_name: "golden-1", launch_permission: [] });
    expect(byName.result).toMatchObject({ changed: false, failed: false, image: { launch_permission: [] } });
    expect(countByAction(byName.calls)).toEqual({ DescribeImages: 1 });
    const byId = await runCounted({ status: "present", image_id: GOLDEN, launch_permission: [] });
    expect(countByAction(byId.calls)).toEqual({ DescribeImages: 1 });
  });

  test("a shared image costs exactly 1 DescribeImageSharePermission, so the facts carry its accounts", async () => {
    const noOp = await runCounted({ status: "present", image_name: "shared-1" });
    expect(noOp.result).toMatchObject({
      changed: false,
      image: { launch_permission: ["1100000000000001"] },
    });
    expect(countByAction(noOp.calls)).toEqual({ DescribeImages: 1, DescribeImageSharePermission: 1 });
    const managed = await runCounted({
      status: "present",
      image_name: "shared-1",
      launch_permission: ["1100000000000001"],
    });
    expect(countByAction(managed.calls)).toEqual({ DescribeImages: 1, DescribeImageSharePermission: 1 });
  });

  test("absent on a missing image costs 1 call", async () => {
    const { result, calls } = await runCounted({ status: "absent", image_name: "never-existed-1" });
    expect(result).toMatchObject({ changed: false, failed: false });
    expect(countByAction(calls)).toEqual({ DescribeImages: 1 });
  });

  test("a create with tags sends them in CreateImage: lookup, source check, create, polls", async () => {
    // image_create_seconds 1: polls at 0 s and 1 s (first interval 1 s) see Creating, then Available.
    const { result, calls } = await runCounted({
      status: "present",
      image_name: "tagged-1",
      instance_id: RUNNING,
      images_tags: [
        { tag_key: "team", tag_value: "data" },
        { tag_key: "env", tag_value: "prod" },
      ],
      wait: true,
    });
    expect(result).toMatchObject({ changed: true, failed: false, image: { status: "Available" } });
    // DescribeImages = 1 lookup + the polls + 1 final read (reconcile re-reads after any write).
    const counts = countByAction(calls);
    const polls = (counts.DescribeImages ?? 0) - 2;
    expect(counts).toEqual({ DescribeImages: 2 + polls, DescribeInstances: 1, CreateImage: 1 });
    expect(polls).toBeGreaterThanOrEqual(1);
    expect(polls).toBeLessThanOrEqual(3);
    expect(calls.map((call) => call.action)).not.toContain("TagResources");
    const create = calls.find((call) => call.action === "CreateImage");
    expect(create?.params).toMatchObject({
      "Tag.1.Key": "team",
      "Tag.1.Value": "data",
      "Tag.2.Key": "env",
      "Tag.2.Value": "prod",
    });
  });

  test("a create that is Available at once polls exactly once", async () => {
    const { calls } = await runCounted(
      { status: "present", image_name: "instant-1", instance_id: RUNNING, wait: true },
      { ...FIXTURES, image_create_seconds: 0 },
    );
    // 1 lookup + 1 poll (already Available) + 1 final read.
    expect(countByAction(calls)).toEqual({ DescribeImages: 3, DescribeInstances: 1, CreateImage: 1 });
  });

  test("sharing with 12 accounts takes 2 share calls", async () => {
    const { result, calls } = await runCounted({
      status: "present",
      image_id: GOLDEN,
      launch_permission: accounts("11", 12),
    });
    expect(result).toMatchObject({ changed: true, failed: false });
    // Reads before (the image, not shared: no share read) and after (image + shares), and 2 share calls (10 + 2).
    expect(countByAction(calls)).toEqual({
      DescribeImages: 2,
      DescribeImageSharePermission: 1,
      ModifyImageSharePermission: 2,
    });
    const added = calls
      .filter((call) => call.action === "ModifyImageSharePermission")
      .map((call) => Object.keys(call.params).filter((key) => key.startsWith("AddAccount.")).length);
    expect(added).toEqual([10, 2]);
  });

  test("a lookup by name pages only through the server's fuzzy matches, 100 at a time", async () => {
    // web-1 fuzzily matches web-1, web-10..19 and web-100..199 (111 of 250 web-* images): 2 pages.
    const { result, calls } = await runCounted({ status: "present", image_name: "web-1" });
    expect(result).toMatchObject({ changed: false, image: { image_name: "web-1" } });
    expect(countByAction(calls)).toEqual({ DescribeImages: 2 });
    for (const call of calls) {
      expect(call.params).toMatchObject({ ImageName: "web-1", PageSize: "100", ImageOwnerAlias: "self" });
    }
    expect(calls.map((call) => call.params.PageNumber).sort()).toEqual(["1", "2"]);
  });
});

describe("start-up loading of the bundle", () => {
  /** Runs a copy of the bundle without its SDK parts (the `//S`, `//s` and `//R` comment lines of its payload). */
  async function runWithoutSdk(
    args: Record<string, unknown>,
  ): Promise<{ code: number | null; stdout: string }> {
    const dir = mkdtempSync(join(tmpdir(), "ecs-ami-nosdk-"));
    try {
      const lines = readFileSync(MODULE_BUNDLE, "latin1").split("\n");
      const kept = lines.filter((line) => !/^\/\/[SsR] /.test(line));
      expect(lines.length - kept.length).toBe(3);
      const bundle = join(dir, "ecs_ami.js");
      writeFileSync(bundle, kept.join("\n"), "latin1");
      const argsFile = join(dir, "args.json");
      writeFileSync(argsFile, JSON.stringify(args));
      // Asynchronous, so that the in-process emulator keeps answering.
      return await new Promise((done) => {
        execFile(process.execPath, [bundle, argsFile], { encoding: "utf8" }, (error, stdout) => {
          done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : null, stdout });
        });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test("a validation failure never reads, compiles or runs SDK code", async () => {
    // Without its SDK part the bundle still reports the bad option exactly: that path never touches the SDK.
    const run = await runWithoutSdk({ status: "bogus" });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      failed: true,
      msg: "value of status must be one of: present, absent, got: bogus",
    });
  });

  test("a run that reaches the cloud does load the SDK part (so the test above proves something)", async () => {
    const credential = FIXTURES.credentials?.[0];
    const run = await runWithoutSdk({
      acs_access_key: credential?.access_key_id,
      acs_secret_access_key: credential?.access_key_secret,
      region: REGION,
      endpoint: emulator.endpoint,
      status: "present",
      image_id: GOLDEN,
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      failed: true,
      msg: expect.stringMatching(
        /^Internal error in ecs_ami \(please report it\): Error: The SDK part of .*ecs_ami\.js is missing: rebuild it with npm run build$/,
      ),
    });
  });
});
