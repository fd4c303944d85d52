/**
 * The soak (issue 5, point 9): many module runs against one in-process emulator on loopback under a fault mix
 * (throttling, 5xx, dropped responses, latency, connection resets), mixing create, re-run, update, absent and
 * concurrent pairs. It counts runs, failures by cause, images created against expected, duplicates, orphans,
 * non-JSON outputs and leaked secrets. Bounded in runs and in time.
 */
import type { Fixtures } from "../../src/emulator/contract";
import type { RunningEmulator } from "../../src/emulator/server";
import { startEmulator } from "../../src/emulator/server";
import { REGRESSION_FIXTURES } from "../e2e/harness";
import { ansibleControlKeys, runModule, type ModuleRun } from "../helpers/run-module";
import { seededRandom } from "../helpers/fake-clock";

/** How big and how hostile a soak is. */
export interface SoakOptions {
  /** Module runs to make (a story in flight when the count is reached still finishes). */
  readonly runs: number;
  /** Stories run side by side. */
  readonly lanes: number;
  /** No new story starts after this many seconds. */
  readonly maxSeconds: number;
  readonly seed: number;
  /** Chance that a run uses wait: true. */
  readonly waitRate: number;
}

/** What a soak saw. */
export interface SoakReport {
  readonly runs: number;
  readonly seconds: number;
  readonly failuresByCause: Readonly<Record<string, number>>;
  readonly unexpectedFailures: readonly string[];
  readonly imagesCreated: number;
  readonly imagesExpected: number;
  readonly duplicates: number;
  readonly orphans: number;
  readonly nonJsonOutputs: number;
  readonly secretsFound: number;
  readonly rerunsThatChanged: number;
}

/** The canary secret of the soak's credential: it must never appear in any output or in the request log. */
const CANARY = "SoakCanarySecret-4c1d8e77-NeverPrint";
const RUNNING = "i-bp1running000000001";

/** Failure causes the soak accepts: a fault outlasted every retry, each named clearly in the message. */
const EXPECTED_CAUSES: readonly (readonly [string, RegExp])[] = [
  ["throttling, retries exhausted", /: Throttling[\w.]*: /],
  ["5xx, retries exhausted", /: (ServiceUnavailable|InternalError): /],
  ["connection reset, retries exhausted", /: ECONNRESET: Connection (reset|closed) by the endpoint/],
  ["request timeout, retries exhausted", /: RequestTimeout: The request timed out/],
  // The cloud refuses to delete an image whose build is still running; the next run deletes it.
  [
    "delete refused: image still being created",
    /^(Failed to delete image \S+ in region \S+: ImageIsCreating: |Image \S+ in region \S+ is still being built \(\w+\) and cannot be deleted yet)/,
  ],
];

/** Mutable tallies of a soak. */
interface Tally {
  runs: number;
  nonJson: number;
  secrets: number;
  rerunsChanged: number;
  readonly causes: Map<string, number>;
  readonly unexpected: string[];
  /** Every image id any run reported, per name. */
  readonly reported: Map<string, Set<string>>;
  /** Names whose last successful run made them absent. */
  readonly expectAbsent: Set<string>;
  /** Names whose story created an image. */
  readonly created: Set<string>;
}

/** Classifies a failed run; an unknown cause is kept, worded as printed, for the report. */
function classifyFailure(run: ModuleRun, tally: Tally): void {
  const msg = typeof run.result?.msg === "string" ? run.result.msg : "";
  const cause = EXPECTED_CAUSES.find(([, pattern]) => pattern.test(msg))?.[0] ?? "unexpected";
  tally.causes.set(cause, (tally.causes.get(cause) ?? 0) + 1);
  if (cause === "unexpected") tally.unexpected.push(msg === "" ? run.stdout.slice(0, 300) : msg);
}

/** Runs the module once and records what it printed. */
async function soakRun(
  emulator: RunningEmulator,
  tally: Tally,
  args: Readonly<Record<string, unknown>>,
): Promise<ModuleRun> {
  const run = await runModule(
    { ...args, ...ansibleControlKeys(), acs_secret_access_key: CANARY },
    {
      ACS_ENDPOINT: emulator.endpoint,
      ACS_REGION: "cn-hangzhou",
      ACS_ACCESS_KEY_ID: emulator.credentials.access_key_id,
    },
  );
  tally.runs += 1;
  if (run.result === undefined || run.stdout.trim().split("\n").length !== 1) tally.nonJson += 1;
  if ((run.stdout + run.stderr).includes(CANARY)) tally.secrets += 1;
  const name = typeof args.image_name === "string" ? args.image_name : "";
  const imageId = run.result?.image_id;
  if (typeof imageId === "string") {
    const ids = tally.reported.get(name) ?? new Set<string>();
    ids.add(imageId);
    tally.reported.set(name, ids);
  }
  if (run.result?.failed === true) classifyFailure(run, tally);
  return run;
}

/** True when the run succeeded. */
function succeeded(run: ModuleRun): boolean {
  return run.result !== undefined && run.result.failed !== true;
}

/** One story on one name: create, re-run, update, and for some, absent and absent again. */
async function singleStory(emulator: RunningEmulator, tally: Tally, name: string, random: () => number) {
  const base = { image_name: name, instance_id: RUNNING, description: "soak v1" };
  const tags = [{ tag_key: "soak", tag_value: "1" }];
  tally.created.add(name);
  const created = await soakRun(emulator, tally, { ...base, images_tags: tags, wait: random() < 0.2 });
  if (succeeded(created)) tally.expectAbsent.delete(name);
  const again = await soakRun(emulator, tally, { ...base, images_tags: tags });
  if (succeeded(created) && succeeded(again) && again.result?.changed === true) tally.rerunsChanged += 1;
  const update = {
    ...base,
    description: "soak v2",
    images_tags: [...tags, { tag_key: "step", tag_value: "2" }],
  };
  await soakRun(emulator, tally, update);
  if (random() < 0.5) return;
  const absent = await soakRun(emulator, tally, { image_name: name, status: "absent", wait: random() < 0.3 });
  if (succeeded(absent)) tally.expectAbsent.add(name);
  await soakRun(emulator, tally, { image_name: name, status: "absent" });
}

/** Two runs creating the same name at once, then a re-run. */
async function pairStory(emulator: RunningEmulator, tally: Tally, name: string) {
  const args = { image_name: name, instance_id: RUNNING, description: "soak pair" };
  tally.created.add(name);
  await Promise.all([soakRun(emulator, tally, args), soakRun(emulator, tally, args)]);
  await soakRun(emulator, tally, args);
}

/** A random fault mix for the next story (seeded, so a soak is reproducible in its faults). */
function faultMix(random: () => number): Record<string, unknown> {
  return {
    throttle_rate: 0.15,
    server_error_rate: 0.08,
    drop_response_rate: 0.05,
    reset_connection_rate: 0.05,
    latency_ms: Math.floor(random() * 40),
    seed: Math.floor(random() * 1_000_000),
  };
}

/** Sends a control-plane request. */
async function control(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`http://${emulator.endpoint}/_emulator/${path}`, init);
  return response.json();
}

/** Counts duplicates, orphans and created images from the final state and every reported id. */
async function audit(emulator: RunningEmulator, tally: Tally, fixtureIds: ReadonlySet<string>) {
  const state = (await control(emulator, "GET", "state")) as {
    regions: Record<string, { images?: { id: string; name: string }[] }>;
  };
  const images = (state.regions["cn-hangzhou"]?.images ?? []).filter((image) => !fixtureIds.has(image.id));
  const byName = new Map<string, string[]>();
  for (const image of images) byName.set(image.name, [...(byName.get(image.name) ?? []), image.id]);
  const allReported = new Set([...tally.reported.values()].flatMap((ids) => [...ids]));
  let duplicates = 0;
  for (const name of tally.created) {
    const ids = new Set([...(tally.reported.get(name) ?? []), ...(byName.get(name) ?? [])]);
    duplicates += Math.max(0, ids.size - 1);
  }
  const orphans = images.filter(
    (image) => !allReported.has(image.id) || tally.expectAbsent.has(image.name),
  ).length;
  const createdIds = new Set([...allReported, ...images.map((image) => image.id)]);
  const log = JSON.stringify(await control(emulator, "GET", "requests"));
  return { duplicates, orphans, imagesCreated: createdIds.size, logLeaks: log.includes(CANARY) ? 1 : 0 };
}

/** Runs one lane: stories one after another until the shared budget is spent. */
async function lane(
  emulator: RunningEmulator,
  tally: Tally,
  context: { index: number; options: SoakOptions; deadlineMs: number; random: () => number },
): Promise<void> {
  for (let story = 0; tally.runs < context.options.runs && Date.now() < context.deadlineMs; story += 1) {
    const name = `soak-${context.index}-${story}`;
    if (context.random() < 0.2) await pairStory(emulator, tally, name);
    else await singleStory(emulator, tally, name, context.random);
  }
}

/** Runs a soak and returns its report. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const fixtures: Fixtures = { ...REGRESSION_FIXTURES, image_quota: 100_000 };
  const [credential] = fixtures.credentials ?? [];
  const emulator = await startEmulator({
    fixtures: {
      ...fixtures,
      credentials: credential === undefined ? [] : [{ ...credential, access_key_secret: CANARY }],
    },
  });
  const started = Date.now();
  const random = seededRandom(options.seed);
  const tally: Tally = {
    runs: 0,
    nonJson: 0,
    secrets: 0,
    rerunsChanged: 0,
    causes: new Map(),
    unexpected: [],
    reported: new Map(),
    expectAbsent: new Set(),
    created: new Set(),
  };
  try {
    const fixtureIds = new Set(
      (
        (await control(emulator, "GET", "state")) as {
          regions: Record<string, { images?: { id: string }[] }>;
        }
      ).regions["cn-hangzhou"]?.images?.map((image) => image.id) ?? [],
    );
    await control(emulator, "POST", "faults", faultMix(random));
    const deadlineMs = started + options.maxSeconds * 1000;
    await Promise.all(
      Array.from({ length: options.lanes }, (_, index) =>
        lane(emulator, tally, { index, options, deadlineMs, random: seededRandom(options.seed + index + 1) }),
      ),
    );
    await control(emulator, "POST", "faults", {});
    const found = await audit(emulator, tally, fixtureIds);
    return {
      runs: tally.runs,
      seconds: Math.round((Date.now() - started) / 1000),
      failuresByCause: Object.fromEntries(tally.causes),
      unexpectedFailures: tally.unexpected,
      imagesCreated: found.imagesCreated,
      imagesExpected: tally.created.size,
      duplicates: found.duplicates,
      orphans: found.orphans,
      nonJsonOutputs: tally.nonJson,
      secretsFound: tally.secrets + found.logLeaks,
      rerunsThatChanged: tally.rerunsChanged,
    };
  } finally {
    await emulator.stop();
  }
}

/** True when the soak passed: nothing duplicated, orphaned, unparseable, leaked, or failed for an unknown cause. */
export function soakPassed(report: SoakReport): boolean {
  return (
    report.duplicates === 0 &&
    report.orphans === 0 &&
    report.nonJsonOutputs === 0 &&
    report.secretsFound === 0 &&
    report.unexpectedFailures.length === 0 &&
    report.rerunsThatChanged === 0 &&
    report.imagesCreated === report.imagesExpected
  );
}

/** The report as a two-column table. */
export function formatReport(report: SoakReport): string {
  const failures = Object.values(report.failuresByCause).reduce((sum, n) => sum + n, 0);
  const rows: [string, string][] = [
    ["runs", String(report.runs)],
    ["seconds", String(report.seconds)],
    ["failures", String(failures)],
    ...Object.entries(report.failuresByCause).map(([cause, n]): [string, string] => [
      `  ${cause}`,
      String(n),
    ]),
    ["images created / expected", `${report.imagesCreated} / ${report.imagesExpected}`],
    ["duplicates", String(report.duplicates)],
    ["orphans", String(report.orphans)],
    ["re-runs that changed", String(report.rerunsThatChanged)],
    ["non-JSON outputs", String(report.nonJsonOutputs)],
    ["secrets found", String(report.secretsFound)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  for (const msg of report.unexpectedFailures) lines.push(`unexpected failure: ${msg}`);
  return lines.join("\n");
}
