/**
 * The seed document's five examples, as the playbooks in examples/playbooks/, run by the real
 * ansible-playbook with examples/ansible.cfg (which finds the collection in the checkout) against an
 * in-process emulator with the default fixtures. Then the two named examples run again and converge.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

import { control } from "../helpers/start-emulator";
import {
  ANSIBLE_PLAYBOOK,
  ROOT,
  describeWithAnsible,
  runAnsible,
  transcript,
  useShimSuite,
} from "./ansible-harness";

const EXAMPLES_DIR = join(ROOT, "examples");
const PLAYBOOKS = readdirSync(join(EXAMPLES_DIR, "playbooks"))
  .filter((name) => name.endsWith(".yml"))
  .sort()
  .map((name) => join(EXAMPLES_DIR, "playbooks", name));

/** What the json stdout callback prints (only the parts used here). */
interface JsonCallbackOutput {
  readonly plays: readonly {
    readonly tasks: readonly {
      readonly task: { readonly name: string };
      readonly hosts: Readonly<Record<string, Record<string, unknown>>>;
    }[];
  }[];
  readonly stats: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

interface EmulatorImage {
  readonly id: string;
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly shared_with?: readonly string[];
}

describeWithAnsible("the seed's five examples run as playbooks with examples/ansible.cfg", () => {
  jest.setTimeout(120_000);
  const suite = useShimSuite();

  /** Runs playbooks with examples/ansible.cfg and the json callback; returns each task's result. */
  async function runExamples(playbooks: readonly string[]) {
    const run = await runAnsible(suite.workspace, ANSIBLE_PLAYBOOK ?? "ansible-playbook", playbooks, {
      ANSIBLE_CONFIG: join(EXAMPLES_DIR, "ansible.cfg"),
      ANSIBLE_STDOUT_CALLBACK: "json",
      ACS_ENDPOINT: suite.emulator.endpoint,
    });
    if (run.exitCode !== 0) throw new Error(`ansible-playbook failed:\n${transcript(run)}`);
    // The json callback prints one document per playbook, each with every play so far: keep the last.
    const documents = run.stdout.trim().split(/\n(?=\{\n)/);
    const output = JSON.parse(documents[documents.length - 1] ?? "{}") as JsonCallbackOutput;
    const results = output.plays.flatMap((p) => p.tasks.map((t) => t.hosts.localhost ?? {}));
    return { results, stats: output.stats.localhost ?? {} };
  }

  async function images(): Promise<EmulatorImage[]> {
    const state = (await control(suite.emulator, "GET", "/_emulator/state")).body as {
      regions: Record<string, { images?: EmulatorImage[] }>;
    };
    return state.regions["cn-hangzhou"]?.images ?? [];
  }

  test("all five examples succeed and change the cloud as the seed document says", async () => {
    expect(PLAYBOOKS).toHaveLength(5);
    const { results, stats } = await runExamples(PLAYBOOKS);
    expect(results.map((r) => [r.failed === true, r.changed])).toEqual(Array(5).fill([false, true]));
    expect(stats).toMatchObject({ ok: 5, changed: 5, failures: 0 });
    const [fromInstance, fromSnapshot, fromMapping, named, deleted] = results;
    for (const created of [fromInstance, fromSnapshot, fromMapping, named]) {
      expect(created?.image_id).toMatch(/^m-/);
    }
    expect(deleted?.image_id).toBe("m-bp1demobase00000001");
    const all = await images();
    expect(all.some((image) => image.id === "m-bp1demobase00000001")).toBe(false);
    const imageTest = all.find((image) => image.name === "image_test");
    expect(imageTest?.tags).toMatchObject({ key: "value" });
    expect(imageTest?.shared_with).toEqual(["1100000000000001"]);
  });

  test("the named examples (04 tags and sharing, 05 delete) converge on a second run", async () => {
    const named = PLAYBOOKS.filter((file) => /0[45]-/.test(file));
    const { results, stats } = await runExamples(named);
    expect(results.map((r) => [r.failed === true, r.changed])).toEqual([
      [false, false],
      [false, false],
    ]);
    expect(stats).toMatchObject({ ok: 2, changed: 0, failures: 0 });
  });
});
