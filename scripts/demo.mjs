// The demo: build, start the embedded emulator with its default fixtures, run the seed document's
// five examples through the built module, then run them again to show what idempotency means here.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const ROOT = resolve(import.meta.dirname, "..");
const EXAMPLES_DIR = join(ROOT, "examples", "args");

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

build();
const { child, ready } = await startEmulator();
console.log(`Emulator at ${ready.endpoint} (demo access key ${ready.access_key_id})`);
const files = readdirSync(EXAMPLES_DIR)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => join(EXAMPLES_DIR, name));
let problems;
try {
  problems = runPasses(files, ready.endpoint);
} finally {
  child.kill("SIGTERM");
}
if (problems.length > 0) {
  console.error(`\nDemo problems:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(`\nDemo done: ${files.length} examples run twice; named tasks converged, nameless ones warned.`);
