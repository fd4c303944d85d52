import { readFileSync } from "node:fs";
import { join } from "node:path";

import { parseArgsText } from "../../../src/module/args";
import { checkLimits } from "../../../src/module/limits";
import type { Env } from "../../../src/module/params";
import { validateParams } from "../../../src/module/params";

/** One step of a shared regression case (../shared/cases/*.json), as far as validation cares. */
interface CaseStep {
  readonly args: unknown;
  readonly env?: Readonly<Record<string, string | null>>;
  readonly expect: {
    readonly failed?: boolean;
    readonly msg_matches?: string;
    readonly warnings_match?: string;
  };
}

const CASES_DIR = join(__dirname, "../../../../shared/cases");

function readSteps(file: string): readonly CaseStep[] {
  const data = JSON.parse(readFileSync(join(CASES_DIR, file), "utf8")) as { steps: CaseStep[] };
  return data.steps;
}

/** Validation and pre-flight limits on a step's args: the first message, or undefined when clean. */
function preflight(step: CaseStep, env: Env): { msg: string | undefined; warnings: readonly string[] } {
  const parsed = parseArgsText(JSON.stringify(step.args));
  if (!parsed.ok) return { msg: parsed.error.msg, warnings: [] };
  const validated = validateParams(parsed.args, env);
  if (!validated.ok) return { msg: validated.error.msg, warnings: validated.error.warnings };
  return { msg: checkLimits(validated.params)?.msg, warnings: validated.warnings };
}

const HARNESS_ENV: Env = { ACS_REGION: "cn-hangzhou", ACS_ACCESS_KEY_ID: "ak", ACS_SECRET_ACCESS_KEY: "sk" };

describe("the shared cases that fail before any write fail in validation", () => {
  test.each<[string, number]>([
    ["09-tag-limit.json", 0],
    ["10-share-with-many-accounts.json", 1],
    ["11-invalid-account-before-create.json", 0],
  ])("%s step %i is refused by the pre-flight checks", (file, index) => {
    const step = readSteps(file)[index]!;
    const { msg } = preflight(step, HARNESS_ENV);
    expect(msg).toMatch(new RegExp(step.expect.msg_matches ?? "", "i"));
  });

  test("12-region-sources.json step 3 (no region anywhere) names the region", () => {
    const step = readSteps("12-region-sources.json")[2]!;
    expect(preflight(step, { ACS_ACCESS_KEY_ID: "ak" }).msg).toMatch(/region/i);
  });
});

describe("the shared cases that succeed pass validation", () => {
  test.each<[string, number]>([
    ["09-tag-limit.json", 1],
    ["10-share-with-many-accounts.json", 0],
    ["13-aliases-and-loose-types.json", 0],
    ["14-secrets-never-printed.json", 1],
  ])("%s step %i", (file, index) => {
    expect(preflight(readSteps(file)[index]!, HARNESS_ENV).msg).toBeUndefined();
  });

  test("13-aliases-and-loose-types.json step 2 warns about the alias", () => {
    const step = readSteps("13-aliases-and-loose-types.json")[1]!;
    const { msg, warnings } = preflight(step, HARNESS_ENV);
    expect(msg).toBeUndefined();
    expect(warnings.some((warning) => new RegExp(step.expect.warnings_match ?? "").test(warning))).toBe(true);
  });

  test("12-region-sources.json step 1 takes the region from ECS_REGION", () => {
    const step = readSteps("12-region-sources.json")[0]!;
    const parsed = parseArgsText(JSON.stringify(step.args));
    const validated = parsed.ok ? validateParams(parsed.args, { ECS_REGION: "cn-shanghai" }) : undefined;
    expect(validated?.ok && validated.params.region).toBe("cn-shanghai");
  });
});
