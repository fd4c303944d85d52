/**
 * The real ansible-playbook drives the shim against an in-process emulator: the check -> real -> repeat
 * rhythm for create and for delete, --check from the command line, and --diff at -vvv where the secret
 * (passed as a plain task argument, no no_log on the task) must not appear anywhere in the output.
 */
import type { RunningEmulator } from "../../src/emulator/server";
import { control } from "../helpers/start-emulator";
import {
  ANSIBLE_PLAYBOOK,
  DEMO_CREDENTIALS,
  DEMO_SECRET,
  describeWithAnsible,
  moduleTask,
  play,
  readRegistered,
  runAnsible,
  saveRegistered,
  transcript,
  writePlaybook,
  useShimSuite,
} from "./ansible-harness";

interface EmulatorImage {
  readonly id: string;
  readonly name: string;
  readonly tags?: Record<string, string>;
}

/** The images of one region in the emulator's state. */
async function imagesIn(emulator: RunningEmulator, region: string): Promise<EmulatorImage[]> {
  const state = (await control(emulator, "GET", "/_emulator/state")).body as {
    regions: Record<string, { images?: EmulatorImage[] }>;
  };
  return state.regions[region]?.images ?? [];
}

describeWithAnsible("ansible-playbook runs the shim: check mode, real, repeat; diff; secrets", () => {
  jest.setTimeout(120_000);
  const suite = useShimSuite();

  /** Runs a playbook with the emulator's endpoint in the environment; it must succeed. */
  async function playbook(file: string, args: readonly string[] = []) {
    const run = await runAnsible(suite.workspace, ANSIBLE_PLAYBOOK ?? "ansible-playbook", [...args, file], {
      ACS_ENDPOINT: suite.emulator.endpoint,
    });
    if (run.exitCode !== 0) throw new Error(`ansible-playbook failed:\n${transcript(run)}`);
    return run;
  }

  test("ecs_ami create and delete: check mode, then real, then repeat report changed true, true, false", async () => {
    const image = { ...DEMO_CREDENTIALS, image_name: "rhythm-image", instance_id: "i-bp1demostopped00001" };
    const absent = { ...DEMO_CREDENTIALS, image_name: "rhythm-image", status: "absent", wait: true };
    const names = [
      "create_check",
      "create_real",
      "create_repeat",
      "delete_check",
      "delete_real",
      "delete_repeat",
    ];
    const file = writePlaybook(suite.workspace, "rhythm.yml", [
      play([
        moduleTask("create_check", image, { check_mode: true }),
        moduleTask("create_real", { ...image, wait: true }),
        moduleTask("create_repeat", { ...image, wait: true }),
        moduleTask("delete_check", absent, { check_mode: true }),
        moduleTask("delete_real", absent),
        moduleTask("delete_repeat", absent),
        saveRegistered(suite.workspace, "rhythm", names),
      ]),
    ]);
    const run = await playbook(file);
    const results = readRegistered(suite.workspace, "rhythm");
    expect(names.map((name) => results[name]?.changed)).toEqual([true, true, false, true, true, false]);
    expect(names.map((name) => results[name]?.failed)).toEqual([false, false, false, false, false, false]);
    expect(results.create_check?.image_id).toBeUndefined();
    const imageId = results.create_real?.image_id;
    expect(imageId).toMatch(/^m-/);
    expect(results.create_repeat?.image_id).toBe(imageId);
    expect(results.delete_check?.image_id).toBe(imageId);
    expect(results.delete_real?.image_id).toBe(imageId);
    expect(run.stdout).toMatch(/localhost\s+: ok=7\s+changed=4\s+unreachable=0\s+failed=0/);
    expect((await imagesIn(suite.emulator, "cn-hangzhou")).some((i) => i.name === "rhythm-image")).toBe(
      false,
    );
  });

  test("ansible-playbook --check predicts a create and writes nothing", async () => {
    const file = writePlaybook(suite.workspace, "check.yml", [
      play([
        moduleTask("checked", {
          ...DEMO_CREDENTIALS,
          image_name: "checked-image",
          snapshot_id: "s-bp1demosystem000001",
        }),
        saveRegistered(suite.workspace, "check", ["checked"]),
      ]),
    ]);
    await playbook(file, ["--check"]);
    const { checked } = readRegistered(suite.workspace, "check");
    expect(checked).toMatchObject({ changed: true, failed: false });
    expect((await imagesIn(suite.emulator, "cn-hangzhou")).some((i) => i.name === "checked-image")).toBe(
      false,
    );
  });

  test("--diff at -vvv renders the module's diff and the secret appears nowhere in the output", async () => {
    const image = {
      ...DEMO_CREDENTIALS,
      image_name: "diff-image",
      instance_id: "i-bp1demostopped00001",
      images_tags: [{ tag_key: "team", tag_value: "blue" }],
    };
    const file = writePlaybook(suite.workspace, "diff.yml", [
      play([
        moduleTask("created", image),
        moduleTask("retagged", { ...image, images_tags: [{ tag_key: "team", tag_value: "green" }] }),
      ]),
    ]);
    const run = await playbook(file, ["--diff", "-vvv"]);
    expect(run.stdout).toContain("--- before");
    expect(run.stdout).toContain("+++ after");
    expect(run.stdout).toContain('-    "state": "absent"');
    expect(run.stdout).toContain('+    "image_name": "diff-image"');
    expect(run.stdout).toContain('-        "team": "blue"');
    expect(run.stdout).toContain('+        "team": "green"');
    // -vvv prints each result's invocation.module_args: the bundle masks the secret there itself.
    expect(run.stdout).toContain('"acs_secret_access_key": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"');
    expect(transcript(run)).not.toContain(DEMO_SECRET);
    const tagged = (await imagesIn(suite.emulator, "cn-hangzhou")).find((i) => i.name === "diff-image");
    expect(tagged?.tags).toMatchObject({ team: "green" });
  });
});
