/**
 * Parity: for a table of argument sets, the result a playbook task registers equals what
 * `node dist/ecs_ami.js` prints for the same arguments (with the control keys Ansible 2.14 sends),
 * key by key. The shim must add, drop or change nothing.
 *
 * The only differences allowed are Ansible's own, on the controller:
 * - `invocation` (the masked module_args every result carries) is printed at -vvv but always removed
 *   from registered variables (strategy/__init__.py), so it is dropped from the node result here;
 * - nothing else: `changed` and `failed` are booleans the bundle always prints, which Ansible keeps as
 *   they are, and `_ansible_no_log` and the other internal keys never reach a registered variable.
 *
 * The cases are read-only (validation errors, check mode, no-op adoptions, refusals) so the emulator's
 * state is the same for the playbook and for the node runs that follow it.
 */
import { ansibleControlKeys, runModule } from "../helpers/run-module";
import {
  ANSIBLE_PLAYBOOK,
  DEMO_ACCESS_KEY,
  DEMO_SECRET,
  FQCN,
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

/** One argument set, with the task's check and diff mode. */
interface ParityCase {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly checkMode?: boolean;
  readonly diff?: boolean;
}

const STOPPED_INSTANCE = "i-bp1demostopped00001";
const SNAPSHOT = "s-bp1demosystem000001";
const BASE_IMAGE = "m-bp1demobase00000001";

const CASES: readonly ParityCase[] = [
  { name: "unsupported_parameter", args: { image_name: "x", bogus: 1, another: [1, 2] } },
  { name: "bad_choice", args: { image_name: "x", status: "gone" } },
  { name: "bad_int", args: { image_name: "x", wait_timeout: "ten" } },
  {
    name: "mutually_exclusive",
    args: { image_name: "x", instance_id: STOPPED_INSTANCE, snapshot_id: SNAPSHOT },
  },
  {
    name: "check_create",
    args: { image_name: "parity-new", instance_id: STOPPED_INSTANCE },
    checkMode: true,
    diff: true,
  },
  { name: "adopt_by_id", args: { image_id: BASE_IMAGE }, diff: true },
  {
    name: "check_update_by_name",
    args: {
      image_name: "demo-base",
      description: "changed",
      images_tags: [{ tag_key: "k", tag_value: "v" }],
    },
    checkMode: true,
    diff: true,
  },
  { name: "absent_missing", args: { image_id: "m-bp1doesnotexist0001", status: "absent" } },
  { name: "check_delete", args: { image_id: BASE_IMAGE, status: "absent" }, checkMode: true, diff: true },
  {
    name: "coercion_and_alias",
    args: {
      name: "parity-a",
      image_name: "parity-b",
      wait: "yes",
      wait_timeout: "30",
      instance_id: STOPPED_INSTANCE,
    },
    checkMode: true,
  },
  { name: "nameless_create", args: { snapshot_id: SNAPSHOT }, checkMode: true },
  {
    name: "explicit_credentials",
    args: {
      acs_access_key: DEMO_ACCESS_KEY,
      acs_secret_access_key: DEMO_SECRET,
      region: "cn-hangzhou",
      image_id: BASE_IMAGE,
    },
  },
  { name: "refused_in_use", args: { image_id: "m-bp1demoinuse0000001", status: "absent" }, checkMode: true },
  {
    name: "source_not_found",
    args: { image_name: "parity-x", instance_id: "i-bp1nosuchinstance01" },
    checkMode: true,
  },
];

/** The keys Ansible removes from a result before registering it. */
const STRIPPED_BY_ANSIBLE = ["invocation"];

/** What the registered variable must hold, from the node result. */
function expectedRegistered(nodeResult: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(nodeResult).filter(([key]) => !STRIPPED_BY_ANSIBLE.includes(key)));
}

describeWithAnsible("a registered task result equals node dist/ecs_ami.js on the same arguments", () => {
  jest.setTimeout(120_000);
  const suite = useShimSuite();
  let registered: Record<string, Record<string, unknown>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Credentials and region come from the environment (the module's env fallbacks) unless a case
    // gives them: the shim must hand the environment through to node.
    env = {
      ACS_ENDPOINT: suite.emulator.endpoint,
      ACS_ACCESS_KEY_ID: DEMO_ACCESS_KEY,
      ACS_SECRET_ACCESS_KEY: DEMO_SECRET,
      ACS_REGION: "cn-hangzhou",
    };
    const tasks = CASES.map((c) =>
      moduleTask(c.name, c.args, {
        ignore_errors: true,
        check_mode: c.checkMode ?? false,
        diff: c.diff ?? false,
      }),
    );
    const file = writePlaybook(suite.workspace, "parity.yml", [
      play([
        ...tasks,
        saveRegistered(
          suite.workspace,
          "parity",
          CASES.map((c) => c.name),
        ),
      ]),
    ]);
    const run = await runAnsible(suite.workspace, ANSIBLE_PLAYBOOK ?? "ansible-playbook", [file], env);
    if (run.exitCode !== 0) throw new Error(`ansible-playbook failed:\n${transcript(run)}`);
    registered = readRegistered(suite.workspace, "parity");
  });

  test.each(CASES.map((c) => [c.name, c]))("%s", async (_name, parityCase) => {
    const controlKeys = {
      ...ansibleControlKeys({ checkMode: parityCase.checkMode ?? false, diff: parityCase.diff ?? false }),
      _ansible_module_name: FQCN,
    };
    const node = await runModule({ ...parityCase.args, ...controlKeys }, env);
    expect(node.result).toBeDefined();
    expect(registered[parityCase.name]).toEqual(expectedRegistered(node.result ?? {}));
  });

  test("the table covers successes, failures, check mode, diff and warnings", () => {
    const results = Object.values(registered);
    expect(results.some((r) => r.failed === true)).toBe(true);
    expect(results.some((r) => r.failed === false && r.changed === true)).toBe(true);
    expect(results.some((r) => r.failed === false && r.changed === false)).toBe(true);
    expect(results.some((r) => r.diff !== undefined)).toBe(true);
    expect(results.some((r) => Array.isArray(r.warnings) && r.warnings.length > 0)).toBe(true);
    expect(registered.check_create).toMatchObject({ changed: true, failed: false });
    expect(registered.adopt_by_id).toMatchObject({ changed: false, failed: false, image_id: BASE_IMAGE });
    expect(registered.explicit_credentials).toMatchObject({
      changed: false,
      failed: false,
      image_id: BASE_IMAGE,
    });
    expect(registered.check_delete).toMatchObject({ changed: true, failed: false, image_id: BASE_IMAGE });
    expect(registered.refused_in_use).toMatchObject({ failed: true });
    expect(registered.unsupported_parameter?.msg).toMatch(
      /^Unsupported parameters for \(alicloud_ecs\.ecs\.ecs_ami\) module: another, bogus\./,
    );
  });
});
