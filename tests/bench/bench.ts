/**
 * The performance benchmark of issue 6 (run by `npm run bench`, never by jest): every figure is measured in
 * this one run, against a baseline measured alternately with it (medians), on loopback only, with bounded
 * run counts. Prints a table with PASS/FAIL per target and writes the same data to dist/bench.json.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import type { FixtureImage, Fixtures } from "../../src/emulator/contract";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";

const ROOT = process.cwd();
const BUNDLE = resolve(ROOT, "dist/ecs_ami.js");
const OUTPUT = resolve(ROOT, "dist/bench.json");
const REGION = "cn-hangzhou";
const INSTANCE = "i-bp1benchrunning0001";
const TIME_BIN = "/usr/bin/time";
/** Runs per alternated pair (odd, so the median is a run). */
const COLD_RUNS = 21;
const LOOKUP_RUNS = 15;
const RSS_RUNS = 5;
const PARALLEL_PROCESSES = 50;
const ANSIBLE_TASKS = 10;
const ANSIBLE_RUNS = 3;

const CREDENTIAL = {
  access_key_id: "LTAI5tBenchKey000001",
  access_key_secret: "bench-secret-not-real",
  account_id: "1000000000000001",
};

/** One row of the table. */
interface Row {
  readonly name: string;
  readonly value: string;
  readonly baseline?: string;
  readonly ratio?: number;
  readonly target?: string;
  readonly pass?: boolean;
  readonly data?: unknown;
}

/** How one spawned process ended. */
interface ProcessRun {
  readonly ms: number;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One logged API call of the emulator. */
interface LoggedCall {
  readonly time: string;
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  readonly error_code: string | null;
}

/**
 * By default every process (baseline and module alike) runs with PATH only, as a clean host would: an
 * inherited variable such as NODE_EXTRA_CA_CERTS slows bare `node` itself and flatters every ratio.
 * `--inherit-env` measures with this shell's environment instead.
 */
const CHILD_ENV: NodeJS.ProcessEnv = process.argv.includes("--inherit-env")
  ? process.env
  : { PATH: process.env.PATH ?? "" };

const workDir = mkdtempSync(join(tmpdir(), "ecs-ami-bench-"));
let argsCounter = 0;

/** Spawns a command (async, so in-process emulators keep answering) and times it to exit. */
function timeProcess(command: string, args: readonly string[]): Promise<ProcessRun> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: CHILD_ENV,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", fail);
    child.on("close", (exitCode) => {
      done({
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        exitCode,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

/** Writes an args file as Ansible does and returns its path. */
function argsFile(args: Readonly<Record<string, unknown>>): string {
  argsCounter += 1;
  const path = join(workDir, `args-${argsCounter}.json`);
  writeFileSync(path, JSON.stringify(args), { mode: 0o600 });
  return path;
}

/** Module args for one emulator, with credentials and endpoint. */
function moduleArgs(
  emulator: RunningEmulator,
  args: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return {
    acs_access_key: CREDENTIAL.access_key_id,
    acs_secret_access_key: CREDENTIAL.access_key_secret,
    region: REGION,
    endpoint: emulator.endpoint,
    ...args,
  };
}

/** The median of some numbers. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Runs two commands alternately `runs` times each; returns both medians (ms). */
async function alternate(
  baseline: readonly string[],
  subject: readonly string[],
  runs: number,
): Promise<{ baselineMs: number; subjectMs: number; subjectRuns: ProcessRun[] }> {
  const base: number[] = [];
  const subjectRuns: ProcessRun[] = [];
  for (let i = 0; i < runs; i += 1) {
    const [baseCommand = "", ...baseArgs] = baseline;
    const [command = "", ...args] = subject;
    base.push((await timeProcess(baseCommand, baseArgs)).ms);
    subjectRuns.push(await timeProcess(command, args));
  }
  return { baselineMs: median(base), subjectMs: median(subjectRuns.map((run) => run.ms)), subjectRuns };
}

/** Fetches a control-plane path of an emulator. */
async function control(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`http://${emulator.endpoint}/_emulator/${path}`, init);
  if (!response.ok) throw new Error(`Emulator ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** The API calls logged since the last clear. */
async function loggedCalls(emulator: RunningEmulator): Promise<LoggedCall[]> {
  return ((await control(emulator, "GET", "requests")) as { requests: LoggedCall[] }).requests;
}

/** Calls per action. */
function countByAction(calls: readonly LoggedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { action } of calls) counts[action] = (counts[action] ?? 0) + 1;
  return counts;
}

/** `web-1` ... `web-<count>`: `web-1` fuzzily matches web-1, web-10.., web-100.., web-1000.. */
function numberedImages(count: number): FixtureImage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `m-bp1bench${String(i + 1).padStart(10, "0")}`,
    name: `web-${i + 1}`,
    status: "Available",
    creation_time: "2025-01-01T00:00:00Z",
  }));
}

/** Bench fixtures: one credential, one running instance, `images` custom images, builds of `buildSeconds`. */
function fixtures(options: {
  images?: readonly FixtureImage[];
  buildSeconds?: number;
  shareAccounts?: number;
}): Fixtures {
  return {
    credentials: [CREDENTIAL],
    known_accounts: Array.from(
      { length: options.shareAccounts ?? 0 },
      (_, i) => `11${String(i + 1).padStart(14, "0")}`,
    ),
    image_create_seconds: options.buildSeconds ?? 1,
    image_quota: 100_000,
    regions: {
      [REGION]: {
        instances: [
          { id: INSTANCE, status: "Running", disks: [{ device: "/dev/xvda", type: "system", size: 40 }] },
        ],
        images: [...(options.images ?? [])],
      },
    },
  };
}

/** Runs the bundle once on args and returns the run and the calls it made (log cleared first). */
async function runCounted(
  emulator: RunningEmulator,
  args: Readonly<Record<string, unknown>>,
): Promise<{ run: ProcessRun; calls: LoggedCall[] }> {
  await control(emulator, "DELETE", "requests");
  const run = await timeProcess(process.execPath, [BUNDLE, argsFile(moduleArgs(emulator, args))]);
  return { run, calls: await loggedCalls(emulator) };
}

/** A ratio row with a target. */
function ratioRow(
  name: string,
  subjectMs: number,
  baselineMs: number,
  baselineName: string,
  maxRatio: number,
): Row {
  const ratio = subjectMs / baselineMs;
  return {
    name,
    value: `${subjectMs.toFixed(1)} ms`,
    baseline: `${baselineName} ${baselineMs.toFixed(1)} ms`,
    ratio,
    target: `<= ${maxRatio}x`,
    pass: ratio <= maxRatio,
  };
}

/**
 * Node's own floor for a no-op run, for reference: a script that loads http and crypto, signs one query with an
 * HMAC and makes one DescribeImages request to the emulator (answered with an error: it signs nothing real),
 * then prints the body. No SDK, no module code: what any Node client pays for one call.
 */
function nodeFloorScript(emulator: RunningEmulator): string {
  const [host = "", port = ""] = emulator.endpoint.split(":");
  return `const http = require("http"); const crypto = require("crypto");
const query = new URLSearchParams({ RegionId: "${REGION}", ImageName: "web-1", PageSize: "100" }).toString();
const signature = crypto.createHmac("sha256", "not-a-secret").update(query).digest("hex");
const request = http.request({ host: "${host}", port: ${port}, path: "/?" + query, method: "POST",
  headers: { "x-acs-action": "DescribeImages", authorization: signature } }, (response) => {
  const chunks = []; response.on("data", (chunk) => chunks.push(chunk));
  response.on("end", () => require("fs").writeSync(1, Buffer.concat(chunks).toString() + "\\n"));
});
request.end();`;
}

/** Cold starts: a validation failure and a no-op run, each against `node -e 0` alternately. */
async function coldStarts(emulator: RunningEmulator): Promise<Row[]> {
  const bare = [process.execPath, "-e", "0"];
  const invalid = argsFile({ status: "bogus" });
  const failure = await alternate(bare, [process.execPath, BUNDLE, invalid], COLD_RUNS);
  if (!failure.subjectRuns.every((run) => run.exitCode === 1))
    throw new Error("Validation runs did not fail");
  const noopArgs = argsFile(moduleArgs(emulator, { status: "present", image_name: "web-1" }));
  const noop = await alternate(bare, [process.execPath, BUNDLE, noopArgs], COLD_RUNS);
  if (!noop.subjectRuns.every((run) => run.exitCode === 0)) throw new Error("No-op runs failed");
  const floor = await alternate(bare, [process.execPath, "-e", nodeFloorScript(emulator)], COLD_RUNS);
  return [
    ratioRow("cold start: validation failure", failure.subjectMs, failure.baselineMs, "node -e 0", 1.3),
    ratioRow("cold start: no-op run (1 API call)", noop.subjectMs, noop.baselineMs, "node -e 0", 1.8),
    {
      name: "reference: bare Node, http + crypto, 1 request",
      value: `${floor.subjectMs.toFixed(1)} ms`,
      baseline: `node -e 0 ${floor.baselineMs.toFixed(1)} ms; no SDK, no module: Node's own floor for one call`,
      ratio: floor.subjectMs / floor.baselineMs,
    },
  ];
}

/** Peak RSS of a no-op run, from /usr/bin/time -v (median of a few runs). */
async function peakRss(emulator: RunningEmulator): Promise<Row> {
  if (!existsSync(TIME_BIN)) return { name: "peak RSS: no-op run", value: "n/a (no /usr/bin/time)" };
  const noopArgs = argsFile(moduleArgs(emulator, { status: "present", image_name: "web-1" }));
  const samples: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RSS_RUNS; i += 1) {
    bare.push(maxRssKiB(await timeProcess(TIME_BIN, ["-v", process.execPath, "-e", "0"])));
    samples.push(maxRssKiB(await timeProcess(TIME_BIN, ["-v", process.execPath, BUNDLE, noopArgs])));
  }
  const mib = median(samples) / 1024;
  return {
    name: "peak RSS: no-op run",
    value: `${mib.toFixed(1)} MiB`,
    baseline: `node -e 0 ${(median(bare) / 1024).toFixed(1)} MiB`,
    ratio: median(samples) / median(bare),
    target: "<= 80 MiB",
    pass: mib <= 80,
  };
}

/** Parses "Maximum resident set size (kbytes): N" from time -v. */
function maxRssKiB(run: ProcessRun): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  if (match?.[1] === undefined) throw new Error(`No RSS in /usr/bin/time output: ${run.stderr.slice(-300)}`);
  return Number(match[1]);
}

/** What each payload part of the bundle (scripts/bundle-layout.mjs) weighs, by its tag. */
const PART_NAMES: Readonly<Record<string, string>> = {
  M: "program",
  m: "program code cache",
  S: "SDK (brotli)",
  s: "SDK code cache (brotli)",
  R: "rest of the SDK (brotli)",
};

/** Bundle size, by part: every byte is read and scanned on every start; only the program is compiled. */
function bundleSize(): Row {
  const text = readFileSync(BUNDLE, "latin1");
  const parts: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const name = PART_NAMES[/^\/\/([A-Za-z]) /.exec(line)?.[1] ?? ""] ?? "loader";
    parts[name] = (parts[name] ?? 0) + line.length + 1;
  }
  const total = statSync(BUNDLE).size;
  return {
    name: "bundle size",
    value: `${(total / 1024).toFixed(0)} KiB`,
    baseline: Object.entries(parts)
      .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`)
      .join(", "),
    data: { totalBytes: total, parts },
  };
}

/** The scenarios of issue 6, point 2, with their exact call counts. */
async function callCounts(): Promise<Row[]> {
  const golden: FixtureImage = {
    id: "m-bp1benchgolden00001",
    name: "golden-1",
    status: "Available",
    creation_time: "2025-01-01T00:00:00Z",
  };
  const emulator = await startEmulator({
    fixtures: fixtures({ images: [golden, ...numberedImages(250)], shareAccounts: 12, buildSeconds: 1 }),
  });
  const scenarios: readonly [string, Record<string, unknown>][] = [
    ["no-op present by name", { status: "present", image_name: "golden-1" }],
    ["no-op present by id", { status: "present", image_id: golden.id }],
    [
      "no-op by name + launch_permission",
      { status: "present", image_name: "golden-1", launch_permission: [] },
    ],
    ["absent on a missing image", { status: "absent", image_name: "missing-1" }],
    [
      "create with 2 tags, wait (1 s build)",
      {
        status: "present",
        image_name: "tagged-1",
        instance_id: INSTANCE,
        wait: true,
        images_tags: [
          { tag_key: "team", tag_value: "data" },
          { tag_key: "env", tag_value: "prod" },
        ],
      },
    ],
    [
      "share with 12 accounts",
      {
        status: "present",
        image_id: golden.id,
        launch_permission: Array.from({ length: 12 }, (_, i) => `11${String(i + 1).padStart(14, "0")}`),
      },
    ],
    ["lookup web-1 among 250 web-* (111 fuzzy matches)", { status: "present", image_name: "web-1" }],
  ];
  const rows: Row[] = [];
  try {
    for (const [name, args] of scenarios) {
      const { run, calls } = await runCounted(emulator, args);
      const counts = countByAction(calls);
      rows.push({
        name: `API calls: ${name}`,
        value: `${calls.length} (${Object.entries(counts)
          .map(([action, count]) => `${action} ${count}`)
          .join(", ")})`,
        pass: run.exitCode === 0,
        data: counts,
      });
    }
  } finally {
    await emulator.stop();
  }
  return rows;
}

/** Starts a create with wait on its own emulator; resolves with polls and latency after Available. */
async function buildLatency(buildSeconds: number): Promise<Row> {
  const emulator = await startEmulator({ fixtures: fixtures({ buildSeconds }) });
  try {
    const args = {
      status: "present",
      image_name: `build-${buildSeconds}s`,
      instance_id: INSTANCE,
      wait: true,
    };
    const { run, calls } = await runCounted(emulator, args);
    const endedAt = Date.now();
    const create = calls.find((call) => call.action === "CreateImage" && call.error_code === null);
    if (run.exitCode !== 0 || create === undefined)
      throw new Error(`Build of ${buildSeconds} s failed: ${run.stdout}`);
    const availableAt = Date.parse(create.time) + buildSeconds * 1000;
    // DescribeImages = 1 lookup + the polls + 1 final read.
    const polls = (countByAction(calls).DescribeImages ?? 0) - 2;
    const latencyMs = endedAt - availableAt;
    const bound = pollIntervalBoundMs(buildSeconds * 1000);
    return {
      name: `build of ${buildSeconds} s: return latency after Available`,
      value: `${(latencyMs / 1000).toFixed(2)} s, ${polls} polls`,
      baseline: `one poll interval at that point: ${(bound / 1000).toFixed(2)} s`,
      target: "<= one poll interval",
      pass: latencyMs <= bound + 1000,
      data: { latencyMs, polls, boundMs: bound },
    };
  } finally {
    await emulator.stop();
  }
}

/** The poll interval in force when a build of `buildMs` ends (1 s, x1.5, capped at 15 s: src/cloud/wait.ts). */
function pollIntervalBoundMs(buildMs: number): number {
  let at = 0;
  let interval = 1000;
  while (at + interval < buildMs) {
    at += interval;
    interval = Math.min(15_000, Math.ceil(interval * 1.5));
  }
  return interval;
}

/** A no-op lookup among 10,000 images vs among 10, alternately; with call counts. */
async function lookupScaling(): Promise<Row[]> {
  const small = await startEmulator({ fixtures: fixtures({ images: numberedImages(10) }) });
  const large = await startEmulator({ fixtures: fixtures({ images: numberedImages(10_000) }) });
  try {
    const args = { status: "present", image_name: "web-1" };
    const smallArgs = argsFile(moduleArgs(small, args));
    const largeArgs = argsFile(moduleArgs(large, args));
    const timed = await alternate(
      [process.execPath, BUNDLE, smallArgs],
      [process.execPath, BUNDLE, largeArgs],
      LOOKUP_RUNS,
    );
    const smallCalls = (await runCounted(small, args)).calls.length;
    const largeCalls = (await runCounted(large, args)).calls.length;
    return [
      {
        ...ratioRow("no-op lookup: 10,000 images", timed.subjectMs, timed.baselineMs, "10 images", 1.5),
        data: { smallCalls, largeCalls },
      },
      {
        name: "API calls: lookup web-1 among 10,000 (1,112 fuzzy matches) vs 10",
        value: `${largeCalls} vs ${smallCalls} DescribeImages`,
      },
    ];
  } finally {
    await Promise.all([small.stop(), large.stop()]);
  }
}

/** 50 module processes at once, each creating its own image, 30% of calls throttled. */
async function parallelCreates(): Promise<Row> {
  const emulator = await startEmulator({ fixtures: fixtures({ buildSeconds: 1 }) });
  try {
    await control(emulator, "POST", "faults", { throttle_rate: 0.3 });
    const names = Array.from({ length: PARALLEL_PROCESSES }, (_, i) => `par-${i + 1}`);
    const started = Date.now();
    const runs = await Promise.all(
      names.map((name) =>
        timeProcess(process.execPath, [
          BUNDLE,
          argsFile(
            moduleArgs(emulator, { status: "present", image_name: name, instance_id: INSTANCE, wait: true }),
          ),
        ]),
      ),
    );
    const wallMs = Date.now() - started;
    const calls = await loggedCalls(emulator);
    const state = (await control(emulator, "GET", "state")) as {
      regions?: Record<string, { images?: { name?: string }[] }>;
    };
    const images = state.regions?.[REGION]?.images ?? [];
    const succeeded = runs.filter((run) => run.exitCode === 0).length;
    const duplicates = names.filter(
      (name) => images.filter((image) => image.name === name).length !== 1,
    ).length;
    const throttled = calls.filter((call) => call.error_code?.includes("Throttling") === true).length;
    const failures = runs.filter((run) => run.exitCode !== 0).map((run) => run.stdout.slice(0, 300));
    return {
      name: `${PARALLEL_PROCESSES} parallel creates, 30% throttling`,
      value: `${(wallMs / 1000).toFixed(1)} s wall, ${succeeded}/${PARALLEL_PROCESSES} succeeded, ${duplicates} duplicates or missing`,
      baseline: `${calls.length} calls, ${throttled} throttled and retried`,
      target: "all succeed, 0 duplicates",
      pass: succeeded === PARALLEL_PROCESSES && duplicates === 0 && images.length === PARALLEL_PROCESSES,
      data: { wallMs, succeeded, duplicates, calls: calls.length, throttled, failures },
    };
  } finally {
    await emulator.stop();
  }
}

/** The first executable called `name` on PATH, or undefined. */
function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** A private Ansible workspace: config (local connection, the checkout's collection), inventory, temp dirs. */
function ansibleWorkspace(): string {
  const dir = mkdtempSync(join(workDir, "ansible-"));
  writeFileSync(
    join(dir, "inventory.ini"),
    'localhost ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"\n',
  );
  const config = [
    "[defaults]",
    `inventory = ${join(dir, "inventory.ini")}`,
    `collections_path = ${resolve(ROOT, "ansible")}`,
    "retry_files_enabled = False",
    "gathering = explicit",
    `local_tmp = ${join(dir, "local-tmp")}`,
    `remote_tmp = ${join(dir, "remote-tmp")}`,
  ];
  writeFileSync(join(dir, "ansible.cfg"), `${config.join("\n")}\n`);
  return dir;
}

/** A play of `count` no-op ecs_ami tasks (JSON is YAML), or of none. */
function noopPlaybook(dir: string, emulator: RunningEmulator, count: number): string {
  const task = {
    "alicloud_ecs.ecs.ecs_ami": moduleArgs(emulator, { status: "present", image_name: "web-1" }),
  };
  const play = [
    { hosts: "localhost", gather_facts: false, tasks: Array.from({ length: count }, () => task) },
  ];
  const path = join(dir, `play-${count}.yml`);
  writeFileSync(path, JSON.stringify(play, null, 2));
  return path;
}

/** Runs ansible-playbook in the workspace, running the freshly built bundle (ECS_AMI_BUNDLE). */
function runPlaybook(command: string, dir: string, playbook: string): Promise<ProcessRun> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const env = {
      PATH: [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
      HOME: process.env.HOME ?? dir,
      LC_ALL: "C.UTF-8",
      ANSIBLE_CONFIG: join(dir, "ansible.cfg"),
      ANSIBLE_NOCOLOR: "1",
      ECS_AMI_BUNDLE: BUNDLE,
    };
    execFile(command, [playbook], { env, cwd: dir }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") {
        fail(new Error(`ansible-playbook did not run: ${error.message}`));
        return;
      }
      done({
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        exitCode: error === null ? 0 : (error.code as number),
        stdout,
        stderr,
      });
    });
  });
}

/** ansible-playbook: per-task cost of 10 no-op ecs_ami tasks (minus an empty play) vs the bundle run directly. */
async function ansibleOverhead(): Promise<Row> {
  const name = `ansible-playbook: per-task overhead (${ANSIBLE_TASKS} no-op tasks)`;
  const command = findOnPath("ansible-playbook");
  if (command === undefined) return { name, value: "skipped: ansible-playbook is not installed" };
  const emulator = await startEmulator({ fixtures: fixtures({ images: numberedImages(10) }) });
  try {
    const dir = ansibleWorkspace();
    const full = noopPlaybook(dir, emulator, ANSIBLE_TASKS);
    const empty = noopPlaybook(dir, emulator, 0);
    const direct = argsFile(moduleArgs(emulator, { status: "present", image_name: "web-1" }));
    const fullMs: number[] = [];
    const emptyMs: number[] = [];
    const directMs: number[] = [];
    for (let i = 0; i < ANSIBLE_RUNS; i += 1) {
      const run = await runPlaybook(command, dir, full);
      if (run.exitCode !== 0) throw new Error(`The ansible-playbook run failed: ${run.stdout.slice(-1500)}`);
      fullMs.push(run.ms);
      emptyMs.push((await runPlaybook(command, dir, empty)).ms);
      directMs.push((await timeProcess(process.execPath, [BUNDLE, direct])).ms);
    }
    const perTaskMs = (median(fullMs) - median(emptyMs)) / ANSIBLE_TASKS;
    const bundleMs = median(directMs);
    return {
      name,
      value: `${perTaskMs.toFixed(0)} ms per task`,
      baseline: `bundle run directly ${bundleMs.toFixed(0)} ms; Ansible + shim add ${(perTaskMs - bundleMs).toFixed(0)} ms per task`,
      ratio: perTaskMs / bundleMs,
      data: { perTaskMs, bundleMs, fullMs, emptyMs },
    };
  } finally {
    await emulator.stop();
  }
}

/** Prints the table. */
function printTable(rows: readonly Row[]): void {
  const line = (row: Row): string => {
    const verdict = row.pass === undefined ? "" : row.pass ? "PASS" : "FAIL";
    const ratio = row.ratio === undefined ? "" : `${row.ratio.toFixed(2)}x`;
    return [
      row.name.padEnd(58),
      row.value.padEnd(44),
      ratio.padEnd(7),
      (row.target ?? "").padEnd(26),
      verdict,
      row.baseline ?? "",
    ].join(" ");
  };
  console.log(
    [
      "measurement".padEnd(58),
      "value".padEnd(44),
      "ratio".padEnd(7),
      "target".padEnd(26),
      "",
      "baseline / note",
    ].join(" "),
  );
  for (const row of rows) console.log(line(row));
}

/** Runs every measurement; the 30 s build runs alongside the others to keep the total time down. */
async function main(): Promise<void> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);
  const started = Date.now();
  const longBuild = buildLatency(30);
  const coldEmulator = await startEmulator({ fixtures: fixtures({ images: numberedImages(10) }) });
  const rows: Row[] = [];
  try {
    rows.push(...(await coldStarts(coldEmulator)));
    rows.push(await peakRss(coldEmulator));
  } finally {
    await coldEmulator.stop();
  }
  rows.push(bundleSize());
  rows.push(...(await callCounts()));
  rows.push(...(await lookupScaling()));
  rows.push(await buildLatency(5));
  rows.push(await parallelCreates());
  rows.push(await longBuild);
  rows.push(await ansibleOverhead());
  printTable(rows);
  const totalSeconds = (Date.now() - started) / 1000;
  const env = CHILD_ENV === process.env ? "inherited environment" : "clean environment (PATH only)";
  console.log(
    `\nbench took ${totalSeconds.toFixed(1)} s; node ${process.version}; ${env}; JSON in ${OUTPUT}`,
  );
  writeFileSync(OUTPUT, `${JSON.stringify({ node: process.version, env, totalSeconds, rows }, null, 2)}\n`);
  if (rows.some((row) => row.pass === false)) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    rmSync(workDir, { recursive: true, force: true });
  });
