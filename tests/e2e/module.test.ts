/**
 * The built bundle as Ansible runs it, against the emulator: the check -> real -> repeat rhythm,
 * diff mode, nameless creates, broken args files, cloud-error and partial-failure result shapes.
 */
import { readFileSync } from "node:fs";
import type { RunningEmulator } from "../../src/emulator/server";
import { startEmulator } from "../../src/emulator/server";
import { REGRESSION_FIXTURES } from "./harness";
import {
  ansibleControlKeys,
  MODULE_BUNDLE,
  runModule,
  runModuleFile,
  runModuleText,
  type ModuleRun,
} from "../helpers/run-module";

const RUNNING = "i-bp1running000000001";
const GOLDEN = "m-bp1golden00000000001";

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await startEmulator({ fixtures: REGRESSION_FIXTURES });
});

afterEach(async () => {
  await emulator.stop();
});

/** The environment a task gets: the emulator's endpoint, the fixtures' credentials, a region. */
function env(): Record<string, string> {
  return {
    ACS_ENDPOINT: emulator.endpoint,
    ACS_REGION: "cn-hangzhou",
    ACS_ACCESS_KEY_ID: emulator.credentials.access_key_id,
    ACS_SECRET_ACCESS_KEY: emulator.credentials.access_key_secret,
  };
}

/** Runs one task with Ansible's control keys. */
function task(
  args: Record<string, unknown>,
  flags: { checkMode?: boolean; diff?: boolean } = {},
): Promise<ModuleRun> {
  return runModule({ ...args, ...ansibleControlKeys(flags) }, env());
}

/** The actions the emulator saw since the last call, then clears the log. */
async function takeActions(): Promise<string[]> {
  const base = `http://${emulator.endpoint}/_emulator/requests`;
  const log = (await (await fetch(base)).json()) as { requests: { action: string }[] };
  await fetch(base, { method: "DELETE" });
  return log.requests.map((entry) => entry.action);
}

const WRITES = /^(Create|Delete|Modify|Tag|Untag)/;

describe("ecs_ami bundle", () => {
  test("the bundle keeps the WANT_JSON marker and a node shebang", () => {
    const head = readFileSync(MODULE_BUNDLE, "utf8").slice(0, 200);
    expect(head.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(head).toContain("WANT_JSON");
  });

  test("create by name: check mode, real run, repeat give changed true, true, false", async () => {
    const args = { image_name: "rhythm-1", instance_id: RUNNING, wait: true };
    const check = await task(args, { checkMode: true });
    expect(check.result).toMatchObject({ changed: true, failed: false });
    expect((await takeActions()).filter((a) => WRITES.test(a))).toEqual([]);
    const real = await task(args);
    expect(real.result).toMatchObject({ changed: true, failed: false, image: { status: "Available" } });
    expect(await takeActions()).toContain("CreateImage");
    const again = await task(args);
    expect(again.result).toMatchObject({ changed: false, failed: false, image_id: real.result?.image_id });
  });

  test("delete: check mode, real run, repeat give changed true, true, false", async () => {
    const args = { status: "absent", image_id: GOLDEN };
    const check = await task(args, { checkMode: true });
    expect(check.result).toMatchObject({ changed: true, failed: false, image_id: GOLDEN });
    expect((await takeActions()).filter((a) => WRITES.test(a))).toEqual([]);
    expect((await task(args)).result).toMatchObject({ changed: true, failed: false });
    expect((await task(args)).result).toMatchObject({ changed: false, failed: false });
  });

  test("diff mode shows before and after of the managed attributes, the same in check mode", async () => {
    const args = {
      image_name: "golden-1",
      description: "second build",
      images_tags: [{ tag_key: "env", tag_value: "prod" }],
    };
    const before = {
      state: "present",
      image_id: GOLDEN,
      image_name: "golden-1",
      image_version: "",
      description: "first build",
      tags: { team: "platform" },
      launch_permission: [],
      boot_mode: "",
      image_family: "",
    };
    const after = { ...before, description: "second build", tags: { team: "platform", env: "prod" } };
    const check = await task(args, { checkMode: true, diff: true });
    expect(check.result?.diff).toEqual({ before, after });
    const real = await task(args, { diff: true });
    expect(real.result?.diff).toEqual({ before, after });
    expect(real.result?.changed).toBe(true);
  });

  test("a task without image_name makes a new image every run and warns that it is not idempotent", async () => {
    const args = { snapshot_id: "s-bp1system40000000001" };
    const first = await task(args);
    const second = await task(args);
    expect(first.result).toMatchObject({ changed: true, failed: false });
    expect(second.result).toMatchObject({ changed: true, failed: false });
    expect(second.result?.image_id).not.toBe(first.result?.image_id);
    expect(second.result?.warnings).toEqual([expect.stringMatching(/not idempotent/)]);
  });

  test("a cloud error names the action, region and code and carries the request id", async () => {
    const run = await runModule(
      { image_name: "golden-1", ...ansibleControlKeys() },
      { ...env(), ACS_SECRET_ACCESS_KEY: "a-wrong-secret-0001" },
    );
    expect(run.exitCode).toBe(1);
    expect(run.result).toMatchObject({
      failed: true,
      changed: false,
      msg: expect.stringMatching(
        /^Failed to describe image golden-1 in region cn-hangzhou: SignatureDoesNotMatch: /,
      ),
      error: {
        code: "SignatureDoesNotMatch",
        http_status: 400,
        request_id: expect.stringMatching(/^[0-9A-F-]{36}$/),
        action: "DescribeImages",
      },
    });
    expect(run.stdout + run.stderr).not.toContain("a-wrong-secret-0001");
  });

  test("a failure after the image was created says changed, failed and gives the image id", async () => {
    await fetch(`http://${emulator.endpoint}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ server_error_rate: 1, actions: ["ModifyImageSharePermission"] }),
    });
    const run = await task({
      image_name: "half-done-1",
      instance_id: RUNNING,
      launch_permission: ["1100000000000001"],
    });
    expect(run.exitCode).toBe(1);
    expect(run.result).toMatchObject({
      failed: true,
      changed: true,
      image_id: expect.stringMatching(/^m-/),
      error: { code: "ServiceUnavailable", http_status: 503 },
    });
    const state = (await (await fetch(`http://${emulator.endpoint}/_emulator/state`)).json()) as {
      regions: Record<string, { images: { id: string; name: string }[] }>;
    };
    const made = state.regions["cn-hangzhou"]?.images.filter((image) => image.name === "half-done-1") ?? [];
    expect(made.map((image) => image.id)).toEqual([run.result?.image_id]);
  }, 60_000);
});

describe("ecs_ami bundle when things go wrong", () => {
  test("a refused delete of an image in use still reports the image's facts", async () => {
    const run = await task({ status: "absent", image_id: "m-bp1inuse000000000001" });
    expect(run.result).toMatchObject({
      failed: true,
      changed: false,
      image_id: "m-bp1inuse000000000001",
      image: { image_id: "m-bp1inuse000000000001", image_name: "in-use-1", status: "Available" },
    });
  });

  test("a wait that times out reports the image's facts and its last status", async () => {
    await fetch(`http://${emulator.endpoint}/_emulator/reset`, {
      method: "POST",
      body: JSON.stringify({ ...REGRESSION_FIXTURES, image_create_seconds: 600 }),
    });
    const run = await task({ image_name: "slow-facts-1", instance_id: RUNNING, wait: true, wait_timeout: 2 });
    expect(run.result).toMatchObject({
      failed: true,
      changed: true,
      status: "Creating",
      image: { image_name: "slow-facts-1", status: "Creating" },
    });
  }, 60_000);

  test("a create whose answer is lost finds the image it made and goes on", async () => {
    await fetch(`http://${emulator.endpoint}/_emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ drop_response_rate: 1, actions: ["CreateImage"] }),
    });
    const run = await task({ image_name: "lost-answer-1", instance_id: RUNNING, wait: true });
    expect(run.result).toMatchObject({ failed: false, changed: true, image: { status: "Available" } });
    const state = (await (await fetch(`http://${emulator.endpoint}/_emulator/state`)).json()) as {
      regions: Record<string, { images: { id: string; name: string }[] }>;
    };
    const made = state.regions["cn-hangzhou"]?.images.filter((image) => image.name === "lost-answer-1") ?? [];
    expect(made.map((image) => image.id)).toEqual([run.result?.image_id]);
  }, 90_000);
});

describe("ecs_ami bundle deleting an image that is still being built", () => {
  test("without wait it is refused with what to do; with wait the build ends, then it is deleted", async () => {
    const created = await task({ image_name: "young-1", instance_id: RUNNING, wait: false });
    expect(created.result).toMatchObject({ changed: true, image: { status: "Creating" } });
    const refused = await task({ status: "absent", image_name: "young-1" });
    expect(refused.result).toMatchObject({
      failed: true,
      changed: false,
      msg: expect.stringMatching(/still being built \(Creating\).*set wait/),
    });
    const deleted = await task({ status: "absent", image_name: "young-1", wait: true });
    expect(deleted.result).toMatchObject({
      failed: false,
      changed: true,
      image_id: created.result?.image_id,
    });
    expect((await task({ status: "absent", image_name: "young-1" })).result).toMatchObject({
      changed: false,
    });
  }, 60_000);
});

describe("ecs_ami bundle on a broken args file", () => {
  test.each([
    ["an empty file", ""],
    ["text that is not JSON", "status=present image_name=x"],
    ["a JSON array", "[1, 2]"],
    ["a JSON string", '"present"'],
    ["binary bytes", "\u0000\u0001\u0002\u00ff"],
    ["a deeply nested value", `{"image_name": ${"[".repeat(5000)}${"]".repeat(5000)}}`],
  ])("%s gives one clean JSON failure and no API call", async (_name, text) => {
    const run = await runModuleText(text, env());
    expect(run.exitCode).toBe(1);
    expect(run.result).toMatchObject({ failed: true, changed: false, msg: expect.any(String) });
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    expect(await takeActions()).toEqual([]);
  });

  test("a missing args file gives one clean JSON failure", async () => {
    const run = await runModuleFile("/nonexistent/args", env());
    expect(run.exitCode).toBe(1);
    expect(run.result).toMatchObject({ failed: true, msg: expect.stringContaining("/nonexistent/args") });
  });
});
