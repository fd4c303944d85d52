/**
 * Secrets (issue 5, point 7): a canary secret run through success, cloud error, validation error, check mode,
 * diff mode and `_ansible_verbosity: 4` never shows in stdout, stderr, the emulator's request log, or any file:
 * each run gets a fresh empty HOME, TMPDIR and working directory, which must still be empty afterwards.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Fixtures } from "../../src/emulator/contract";
import type { RunningEmulator } from "../../src/emulator/server";
import { startEmulator } from "../../src/emulator/server";
import { REGRESSION_FIXTURES } from "./harness";
import { oneJsonObject, requestLog, setFaults, spawnBundle } from "./reliability-harness";

const CANARY = "CanarySecret-7f3e9a1c-DoNotLeak";
const CANARY_TOKEN = "CanaryToken-0b9d4e2f-DoNotLeak";
const RUNNING = "i-bp1running000000001";

let emulator: RunningEmulator;
let accessKeyId: string;

beforeAll(async () => {
  const [credential] = REGRESSION_FIXTURES.credentials ?? [];
  if (credential === undefined) throw new Error("The regression fixtures have no credential");
  accessKeyId = credential.access_key_id;
  const fixtures: Fixtures = {
    ...REGRESSION_FIXTURES,
    credentials: [{ ...credential, access_key_secret: CANARY }],
  };
  emulator = await startEmulator({ fixtures });
});

afterAll(async () => {
  await emulator.stop();
});

/** Every file and directory under `dir`, recursively. */
function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" });
}

/** One scenario: extra args, extra env, control flags, and what the result must say. */
interface SecretScenario {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly flags?: { checkMode?: boolean; diff?: boolean; verbosity?: number };
  readonly faults?: Record<string, unknown>;
  readonly failed: boolean;
}

const SCENARIOS: readonly SecretScenario[] = [
  {
    name: "success (secret as an option)",
    args: { image_name: "secret-ok-1", instance_id: RUNNING, acs_secret_access_key: CANARY },
    failed: false,
  },
  {
    name: "success (secret from the environment)",
    args: { image_name: "secret-ok-2", instance_id: RUNNING },
    env: { ACS_SECRET_ACCESS_KEY: CANARY },
    failed: false,
  },
  {
    // The SDK's HTTP layer logs request headers (the security token among them) through `debug` when DEBUG is
    // set; the bundle silences it. (Node's own NODE_DEBUG=http does the same: the Ansible shim never passes it on.)
    name: "success with a security token while the SDK's debug logging is asked for (DEBUG=*)",
    args: {
      image_name: "secret-debug-1",
      instance_id: RUNNING,
      acs_secret_access_key: CANARY,
      security_token: CANARY_TOKEN,
    },
    env: { DEBUG: "*" },
    failed: false,
  },
  {
    name: "cloud error",
    args: {
      image_name: "secret-err-1",
      instance_id: RUNNING,
      acs_secret_access_key: CANARY,
      acs_access_key: "LTAIUnknownKey000001",
    },
    failed: true,
  },
  {
    name: "cloud error after retries (5xx)",
    args: { image_name: "secret-err-2", instance_id: RUNNING, acs_secret_access_key: CANARY },
    faults: { server_error_rate: 1, actions: ["CreateImage"] },
    failed: true,
  },
  {
    name: "validation error",
    args: {
      image_name: "secret-bad-1",
      acs_secret_access_key: CANARY,
      security_token: CANARY_TOKEN,
      bogus_option: CANARY,
    },
    failed: true,
  },
  {
    name: "validation error with the secret in a wrong-typed option",
    args: { acs_secret_access_key: CANARY, wait: CANARY },
    failed: true,
  },
  {
    name: "check mode",
    args: { image_name: "secret-check-1", instance_id: RUNNING, acs_secret_access_key: CANARY },
    flags: { checkMode: true },
    failed: false,
  },
  {
    name: "diff mode",
    args: {
      image_name: "secret-diff-1",
      instance_id: RUNNING,
      acs_secret_access_key: CANARY,
      description: "has diff",
    },
    flags: { diff: true },
    failed: false,
  },
  {
    name: "verbosity 4",
    args: { image_name: "secret-v4-1", instance_id: RUNNING, acs_secret_access_key: CANARY },
    flags: { verbosity: 4, diff: true },
    failed: false,
  },
];

describe("a canary secret never leaks", () => {
  test.each(SCENARIOS)(
    "$name",
    async (scenario) => {
      await setFaults(emulator, scenario.faults ?? {});
      const home = mkdtempSync(join(tmpdir(), "ecs-ami-home-"));
      const tmp = mkdtempSync(join(tmpdir(), "ecs-ami-tmp-"));
      const cwd = mkdtempSync(join(tmpdir(), "ecs-ami-cwd-"));
      try {
        const run = await spawnBundle(
          scenario.args,
          {
            HOME: home,
            TMPDIR: tmp,
            ACS_ENDPOINT: emulator.endpoint,
            ACS_REGION: "cn-hangzhou",
            ACS_ACCESS_KEY_ID: accessKeyId,
            ...scenario.env,
          },
          { cwd, ...(scenario.flags === undefined ? {} : { flags: scenario.flags }) },
        ).done;
        const result = oneJsonObject(run.stdout);
        expect(result).toMatchObject({ failed: scenario.failed });
        for (const secret of [CANARY, CANARY_TOKEN]) {
          expect(run.stdout).not.toContain(secret);
          expect(run.stderr).not.toContain(secret);
          expect(JSON.stringify(await requestLog(emulator))).not.toContain(secret);
        }
        expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
        expect([listTree(home), listTree(tmp), listTree(cwd)]).toEqual([[], [], []]);
      } finally {
        for (const dir of [home, tmp, cwd]) rmSync(dir, { recursive: true, force: true });
        await setFaults(emulator, {});
      }
    },
    30_000,
  );
});
