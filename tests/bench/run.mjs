// npm run bench: bundles tests/bench/bench.ts with esbuild (no TS loader needed) and runs it against the
// freshly built dist/ecs_ami.js. Loopback only; bounded in runs and time (about a minute); not a unit test.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const dir = mkdtempSync(join(tmpdir(), "ecs-ami-bench-"));
const outfile = join(dir, "bench.cjs");
try {
  await build({
    entryPoints: ["tests/bench/bench.ts"],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
  execFileSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: "inherit" });
} catch (error) {
  // The bench already printed its table and which targets failed; pass its exit code on, without a stack.
  if (typeof error?.status !== "number") throw error;
  process.exitCode = error.status;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
