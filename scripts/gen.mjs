// npm run gen: bundles scripts/gen-docs.ts with esbuild and runs it (no TS loader needed).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const dir = mkdtempSync(join(tmpdir(), "ecs-ami-gen-"));
const outfile = join(dir, "gen-docs.cjs");
try {
  await build({
    entryPoints: ["scripts/gen-docs.ts"],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
  execFileSync(process.execPath, [outfile], { stdio: "inherit" });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
