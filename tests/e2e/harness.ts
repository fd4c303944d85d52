/**
 * Runs regression scenarios: each step spawns the built module against ONE in-process emulator
 * and checks the printed JSON, the API calls the emulator saw, and the final state.
 * The scenario format is the one of ../shared/cases (README there), so the shared files run as is.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Fixtures } from "../../src/emulator/contract";
import { startEmulator } from "../../src/emulator/server";
import { ansibleControlKeys, runModule, type ModuleRun, type RunEnv } from "../helpers/run-module";

/** Our copy of the shared regression fixtures. */
export const REGRESSION_FIXTURES: Fixtures = JSON.parse(
  readFileSync(resolve(__dirname, "../fixtures/regression-fixtures.json"), "utf8"),
) as Fixtures;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One step: optional control actions, the task's args, and what must hold afterwards. */
export interface ScenarioStep {
  readonly before?: { faults?: Record<string, Json>; complete?: boolean; sleep_seconds?: number };
  readonly env?: RunEnv;
  readonly check_mode?: boolean;
  readonly diff?: boolean;
  readonly args: Record<string, Json>;
  readonly expect: Record<string, Json>;
}

/** A whole scenario against one emulator. */
export interface Scenario {
  readonly fixtures: "default" | (Fixtures & { extends?: "default" });
  readonly env?: RunEnv;
  readonly credentials?: "none";
  readonly steps: readonly ScenarioStep[];
  readonly then?: { images_named?: Record<string, number>; region?: string };
}

const WRITE_ACTIONS = new Set([
  "CreateImage",
  "DeleteImage",
  "ModifyImageAttribute",
  "ModifyImageSharePermission",
  "TagResources",
  "UntagResources",
  "DeleteSnapshot",
]);
const REGION_ENV_KEYS = [
  "ACS_REGION",
  "ACS_DEFAULT_REGION",
  "ECS_REGION",
  "ALICLOUD_REGION",
  "ALIBABA_CLOUD_REGION_ID",
];
const REGION_ARG_KEYS = ["region", "acs_region", "ecs_region", "alicloud_region"];
const SPECIAL_EXPECT_KEYS = new Set([
  "msg_matches",
  "image",
  "warnings_match",
  "calls",
  "output_excludes",
  "max_seconds",
]);

/** Resolves "default" and `{"extends": "default", ...}` to a fixtures object. */
export function resolveFixtures(fixtures: Scenario["fixtures"], base: Fixtures): Fixtures {
  if (fixtures === "default") return base;
  const overrides = Object.fromEntries(Object.entries(fixtures).filter(([key]) => key !== "extends"));
  return fixtures.extends === "default" ? { ...base, ...overrides } : overrides;
}

/** Replaces ${ACCESS_KEY_ID}, ${ACCESS_KEY_SECRET} and ${ENDPOINT} everywhere in a JSON value. */
function substitute(value: Json, vars: Readonly<Record<string, string>>): Json {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => vars[name] ?? whole);
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  }
  return value;
}

/** Matches expected against actual: `$name` binds or compares, `<present>`, objects by key, lists as sets. */
function matches(expected: Json, actual: unknown, bindings: Map<string, unknown>): boolean {
  if (typeof expected === "string" && expected.startsWith("$")) {
    if (!bindings.has(expected)) {
      bindings.set(expected, actual);
      return actual !== undefined && actual !== null;
    }
    return JSON.stringify(bindings.get(expected)) === JSON.stringify(actual);
  }
  if (expected === "<present>") return actual !== undefined && actual !== null;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    return expected.every((item) => actual.some((candidate) => matches(item, candidate, new Map(bindings))));
  }
  if (expected !== null && typeof expected === "object") {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(expected).every(([key, value]) => matches(value, record[key], bindings));
  }
  return expected === actual;
}

interface LogEntry {
  readonly action: string;
}

/** Counts the actions of a request log, plus the pseudo-action "writes". */
function countCalls(entries: readonly LogEntry[]): Map<string, number> {
  const counts = new Map<string, number>([["writes", 0]]);
  for (const { action } of entries) {
    counts.set(action, (counts.get(action) ?? 0) + 1);
    if (WRITE_ACTIONS.has(action)) counts.set("writes", (counts.get("writes") ?? 0) + 1);
  }
  return counts;
}

/** Sends a control-plane request to the emulator on loopback. */
async function control(endpoint: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`http://${endpoint}/_emulator/${path}`, init);
  if (!response.ok) throw new Error(`Emulator control ${path} answered ${response.status}`);
  return response.json();
}

/** Counts the images with a given name in one region of the emulator's state. */
function countImagesNamed(state: unknown, region: string, name: string): number {
  const regions = (state as { regions?: Record<string, { images?: { name?: string }[] }> }).regions ?? {};
  return (regions[region]?.images ?? []).filter((image) => image.name === name).length;
}

/** Builds the environment of one step, as the cases README describes. */
function stepEnv(scenario: Scenario, step: ScenarioStep, vars: Record<string, string>): RunEnv {
  const env: Record<string, string | null> = {};
  if (scenario.credentials !== "none") {
    env.ACS_ACCESS_KEY_ID = vars.ACCESS_KEY_ID ?? "";
    env.ACS_SECRET_ACCESS_KEY = vars.ACCESS_KEY_SECRET ?? "";
  }
  env.ACS_ENDPOINT = vars.ENDPOINT ?? "";
  const named = { ...scenario.env, ...step.env };
  const regionNamed =
    REGION_ENV_KEYS.some((key) => key in named) || REGION_ARG_KEYS.some((key) => key in step.args);
  if (!regionNamed) env.ACS_REGION = "cn-hangzhou";
  return { ...env, ...named };
}

/** Checks one step's expectations; returns the list of failures (empty when it passed). */
function checkStep(
  run: ModuleRun,
  step: ScenarioStep,
  calls: Map<string, number>,
  ctx: StepContext,
): string[] {
  const failures: string[] = [];
  const result = run.result;
  if (result === undefined) return [`stdout is not one JSON object: ${run.stdout.slice(0, 500)}`];
  const expect = substitute(step.expect, ctx.vars) as Record<string, Json>;
  for (const [key, value] of Object.entries(expect)) {
    if (SPECIAL_EXPECT_KEYS.has(key)) continue;
    const actual = key === "failed" ? (result.failed ?? false) : result[key];
    if (!matches(value, actual, ctx.bindings)) failures.push(`${key}: expected ${JSON.stringify(value)}`);
  }
  const msg = typeof result.msg === "string" ? result.msg : "";
  if (typeof expect.msg_matches === "string" && !new RegExp(expect.msg_matches, "i").test(msg)) {
    failures.push(`msg does not match /${expect.msg_matches}/i`);
  }
  if (expect.image !== undefined && !matches(expect.image, result.image, ctx.bindings)) {
    failures.push(`image does not match ${JSON.stringify(expect.image)}`);
  }
  if (typeof expect.warnings_match === "string") {
    const pattern = new RegExp(expect.warnings_match);
    const warnings = Array.isArray(result.warnings) ? (result.warnings as unknown[]) : [];
    if (!warnings.some((w) => typeof w === "string" && pattern.test(w))) {
      failures.push(`no warning matches /${expect.warnings_match}/`);
    }
  }
  for (const [action, count] of Object.entries((expect.calls ?? {}) as Record<string, number>)) {
    if ((calls.get(action) ?? 0) !== count)
      failures.push(`calls.${action}: ${calls.get(action) ?? 0} != ${count}`);
  }
  for (const secret of (expect.output_excludes ?? []) as string[]) {
    if (run.stdout.includes(secret) || run.stderr.includes(secret))
      failures.push(`output contains ${secret}`);
  }
  if (typeof expect.max_seconds === "number" && run.seconds > expect.max_seconds) {
    failures.push(`took ${run.seconds.toFixed(1)} s, over ${expect.max_seconds} s`);
  }
  return failures;
}

interface StepContext {
  readonly vars: Record<string, string>;
  readonly bindings: Map<string, unknown>;
}

/** Runs the step's `before` actions. */
async function runBefore(endpoint: string, before: ScenarioStep["before"]): Promise<void> {
  if (before?.faults !== undefined) await control(endpoint, "POST", "faults", before.faults);
  if (before?.complete === true) await control(endpoint, "POST", "complete", {});
  if (before?.sleep_seconds !== undefined) {
    await new Promise((done) => setTimeout(done, (before.sleep_seconds ?? 0) * 1000));
  }
}

/** Runs a whole scenario; throws an Error listing every failed expectation with the module's output. */
export async function runScenario(
  scenario: Scenario,
  baseFixtures: Fixtures = REGRESSION_FIXTURES,
): Promise<void> {
  const fixtures = resolveFixtures(scenario.fixtures, baseFixtures);
  const emulator = await startEmulator({ fixtures });
  const credential = fixtures.credentials?.[0];
  const ctx: StepContext = {
    vars: {
      ACCESS_KEY_ID: credential?.access_key_id ?? "",
      ACCESS_KEY_SECRET: credential?.access_key_secret ?? "",
      ENDPOINT: emulator.endpoint,
    },
    bindings: new Map(),
  };
  try {
    for (const [index, step] of scenario.steps.entries()) {
      await runBefore(emulator.endpoint, step.before);
      await control(emulator.endpoint, "DELETE", "requests");
      const args = {
        ...(substitute(step.args, ctx.vars) as Record<string, Json>),
        ...ansibleControlKeys({ checkMode: step.check_mode === true, diff: step.diff === true }),
      };
      const run = await runModule(args, stepEnv(scenario, step, ctx.vars));
      const log = (await control(emulator.endpoint, "GET", "requests")) as { requests: LogEntry[] };
      const failures = checkStep(run, step, countCalls(log.requests), ctx);
      if (failures.length > 0) {
        throw new Error(
          `step ${index + 1}: ${failures.join("; ")}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`,
        );
      }
    }
    const state = await control(emulator.endpoint, "GET", "state");
    const region = scenario.then?.region ?? "cn-hangzhou";
    for (const [name, count] of Object.entries(scenario.then?.images_named ?? {})) {
      const actual = countImagesNamed(state, region, name);
      if (actual !== count)
        throw new Error(`then: ${actual} images named ${name} in ${region}, expected ${count}`);
    }
  } finally {
    await emulator.stop();
  }
}
