// The demo: build, start the embedded emulator with its default fixtures, run the seed document's
// five examples through the built module, then run them again to show what idempotency means here.
// When ansible-playbook is installed, the emulator is reset and the same five examples run once more
// as playbooks (examples/playbooks/) through the collection's Python shim.
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";

const ROOT = resolve(import.meta.dirname, "..");
const EXAMPLES_DIR = join(ROOT, "examples", "args");
const PLAYBOOKS_DIR = join(ROOT, "examples", "playbooks");

/** Builds both bundles (fast: esbuild), so the demo always runs the current sources. */
function build() {
  const built = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { stdio: "inherit" });
  if (built.status !== 0) throw new Error("Build failed");
}

/** Starts the emulator on a free loopback port and resolves with its ready line. */
function startEmulator() {
  const child = spawn(process.execPath, [join(ROOT, "dist", "ecs-emulator.js"), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolveReady, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => resolveReady({ child, ready: JSON.parse(line) }));
    child.once("exit", (code) => reject(new Error(`Emulator exited early with code ${code}`)));
  });
}

/** Runs the module on one args file, with the emulator's endpoint in the environment. */
function runExample(file, endpoint) {
  const run = spawnSync(process.execPath, [join(ROOT, "dist", "ecs_ami.js"), file], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ACS_ENDPOINT: endpoint },
    encoding: "utf8",
  });
  try {
    return JSON.parse(run.stdout);
  } catch {
    return { failed: true, msg: `Module printed no JSON (exit ${run.status}): ${run.stdout}${run.stderr}` };
  }
}

/** One readable line per result. */
function summarize(result) {
  const state = result.failed ? "FAILED" : result.changed ? "changed" : "ok";
  const image = result.image ? ` ${result.image.image_name ?? ""} [${result.image.status}]` : "";
  const lines = [
    `  ${state.padEnd(7)} image_id=${result.image_id ?? "-"}${image}`,
    `          ${result.msg}`,
  ];
  for (const warning of result.warnings ?? []) lines.push(`          warning: ${warning}`);
  return lines.join("\n");
}

/** What a second run must show: no change when the task names its image, a warning when it cannot. */
function checkRerun(args, result) {
  if (result.failed) return "failed";
  const named = args.image_name !== undefined || args.image_id !== undefined;
  if (named) return result.changed === false ? undefined : "expected changed: false";
  const warned = (result.warnings ?? []).some((w) => /idempotent/i.test(w));
  return warned ? undefined : "expected the warning that a task without image_name is not idempotent";
}

/** Runs every example once (must succeed) and again (must converge or warn); returns the problems. */
function runPasses(files, endpoint) {
  const problems = [];
  for (const pass of [1, 2]) {
    console.log(`\n=== Pass ${pass}${pass === 2 ? ": the same tasks again" : ""}`);
    for (const file of files) {
      const args = JSON.parse(readFileSync(file, "utf8"));
      console.log(`\n${file.slice(ROOT.length + 1)}`);
      const result = runExample(file, endpoint);
      console.log(summarize(result));
      const problem = pass === 1 ? (result.failed ? "failed" : undefined) : checkRerun(args, result);
      if (problem !== undefined) problems.push(`pass ${pass}, ${file}: ${problem}`);
    }
  }
  return problems;
}

/** The first executable called `name` on PATH, or undefined. */
function findOnPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Resets the emulator to its default fixtures, so the playbooks start from the same cloud. */
async function resetEmulator(endpoint) {
  const response = await globalThis.fetch(`http://${endpoint}/_emulator/reset`, { method: "POST" });
  if (!response.ok) throw new Error(`Emulator reset answered ${response.status}`);
}

/** Runs the five example playbooks with examples/ansible.cfg; returns the problems. */
async function runPlaybooks(ansiblePlaybook, endpoint) {
  console.log("\n=== Pass 3: the same examples as playbooks, through ansible-playbook and the Python shim");
  const embedded = spawnSync(process.execPath, [join(ROOT, "scripts", "collection.mjs"), "--embed-only"], {
    stdio: "inherit",
  });
  if (embedded.status !== 0) return ["embedding the bundle into the collection failed"];
  await resetEmulator(endpoint);
  const playbooks = readdirSync(PLAYBOOKS_DIR)
    .filter((name) => name.endsWith(".yml"))
    .sort()
    .map((name) => join("playbooks", name));
  const run = spawnSync(ansiblePlaybook, playbooks, {
    cwd: join(ROOT, "examples"),
    stdio: "inherit",
    env: {
      PATH: [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
      HOME: process.env.HOME ?? "",
      LC_ALL: "C.UTF-8",
      ANSIBLE_CONFIG: join(ROOT, "examples", "ansible.cfg"),
      ACS_ENDPOINT: endpoint,
    },
  });
  return run.status === 0 ? [] : [`ansible-playbook exited with ${run.status ?? run.signal}`];
}

build();
const { child, ready } = await startEmulator();
console.log(`Emulator at ${ready.endpoint} (demo access key ${ready.access_key_id})`);
const files = readdirSync(EXAMPLES_DIR)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => join(EXAMPLES_DIR, name));
const ansiblePlaybook = findOnPath("ansible-playbook");
let problems;
try {
  problems = runPasses(files, ready.endpoint);
  if (ansiblePlaybook === undefined) {
    console.log(
      "\nansible-playbook is not installed: skipping the playbook pass (apt-get install ansible-core).",
    );
  } else {
    problems.push(...(await runPlaybooks(ansiblePlaybook, ready.endpoint)));
  }
} finally {
  child.kill("SIGTERM");
}
if (problems.length > 0) {
  console.error(`\nDemo problems:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  process.exit(1);
}
const playbookNote = ansiblePlaybook === undefined ? "" : " and once as playbooks";
console.log(
  `\nDemo done: ${files.length} examples run twice${playbookNote}; named tasks converged, nameless ones warned.`,
);
