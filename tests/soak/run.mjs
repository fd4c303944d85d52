// npm run soak: bundles tests/soak/main.ts with esbuild (no TS loader needed) and runs it against the
// freshly built dist/ecs_ami.js. Loopback only; bounded in runs and time (300 runs, at most 15 minutes); the short version runs in npm test.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

// Built one level under tests/, so that the helpers' __dirname-relative paths (../fixtures, ../../dist) resolve.
const dir = mkdtempSync(join("tests", ".soak-build-"));
const outfile = join(dir, "soak.cjs");
try {
  await build({
    entryPoints: ["tests/soak/main.ts"],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
  execFileSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: "inherit" });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
