/**
 * Runs the shared regression cases (../shared/cases beside the checkout) verbatim through the same
 * harness, so our restatement in regressions.test.ts cannot drift from the originals.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Fixtures } from "../../src/emulator/contract";
import { runScenario, type Scenario } from "./harness";

const CASES_DIR = resolve(__dirname, "../../../shared/cases");
const present = existsSync(join(CASES_DIR, "fixtures.json"));

if (!present) {
  // CI lays shared/ beside the clone, so there a missing folder is an error, not a reason to skip.
  if (process.env.CI !== undefined) throw new Error(`Shared cases not found at ${CASES_DIR}`);
  console.warn(`SKIPPED: shared cases not found at ${CASES_DIR}; only our restated regressions ran`);
}

const describeIfPresent = present ? describe : describe.skip;

describeIfPresent("shared regression cases, verbatim", () => {
  const fixtures = present
    ? (JSON.parse(readFileSync(join(CASES_DIR, "fixtures.json"), "utf8")) as Fixtures)
    : {};
  const files = present ? readdirSync(CASES_DIR).filter((f) => /^\d+-.*\.json$/.test(f)) : [];
  for (const file of files.sort()) {
    test(
      file,
      () => {
        const scenario = JSON.parse(readFileSync(join(CASES_DIR, file), "utf8")) as Scenario;
        return runScenario(scenario, fixtures);
      },
      180_000,
    );
  }
});
