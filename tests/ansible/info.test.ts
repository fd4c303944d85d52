/**
 * ansible-playbook runs the ecs_ami_info shim against an in-process emulator: an image ecs_ami creates is
 * found by exact name and by tag with the same facts, read-only (changed false, also under --check).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { INFO_OPTIONS } from "../../src/module/info-options";
import {
  ANSIBLE_PLAYBOOK,
  DEMO_CREDENTIALS,
  ROOT,
  findOnPath,
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

const INFO_FQCN = "alicloud_ecs.ecs.ecs_ami_info";

describeWithAnsible("ansible-playbook runs the ecs_ami_info shim", () => {
  jest.setTimeout(120_000);
  const suite = useShimSuite();

  test("ecs_ami_info finds what ecs_ami made by exact name and by tag, with the same facts, changed false", async () => {
    const image = {
      ...DEMO_CREDENTIALS,
      image_name: "info-image",
      snapshot_id: "s-bp1demosystem000001",
      images_tags: [{ tag_key: "app", tag_value: "info" }],
      wait: true,
    };
    const names = ["made", "by_name", "by_tag", "checked"];
    const file = writePlaybook(suite.workspace, "info.yml", [
      play([
        moduleTask("made", image),
        {
          name: "by_name",
          [INFO_FQCN]: { ...DEMO_CREDENTIALS, image_names: ["info-image", "info-imag"] },
          register: "by_name",
        },
        { name: "by_tag", [INFO_FQCN]: { ...DEMO_CREDENTIALS, tags: { app: "info" } }, register: "by_tag" },
        {
          name: "checked",
          [INFO_FQCN]: { ...DEMO_CREDENTIALS, image_names: ["info-image"] },
          register: "checked",
          check_mode: true,
        },
        saveRegistered(suite.workspace, "info", names),
      ]),
    ]);
    const run = await runAnsible(suite.workspace, ANSIBLE_PLAYBOOK ?? "ansible-playbook", [file], {
      ACS_ENDPOINT: suite.emulator.endpoint,
    });
    if (run.exitCode !== 0) throw new Error(`ansible-playbook failed:\n${transcript(run)}`);
    const results = readRegistered(suite.workspace, "info");
    const made = results.made?.image;
    expect(results.by_name).toMatchObject({ changed: false, failed: false, images: [made] });
    expect(results.by_tag).toMatchObject({ changed: false, images: [made] });
    expect(results.checked).toMatchObject({ changed: false, images: [made] });
  });

  test("ansible-doc --json shows every option of ecs_ami_info with its default and choices", async () => {
    const run = await runAnsible(suite.workspace, "ansible-doc", ["--json", INFO_FQCN]);
    expect(run.exitCode).toBe(0);
    const parsed = JSON.parse(run.stdout) as Record<
      string,
      { doc: { options: Record<string, Record<string, unknown>> }; return: Record<string, unknown> }
    >;
    const options = parsed[INFO_FQCN]?.doc.options ?? {};
    expect(Object.keys(options).sort()).toEqual(INFO_OPTIONS.map((spec) => spec.name).sort());
    for (const spec of INFO_OPTIONS) {
      const option = options[spec.name] ?? {};
      expect([spec.name, option.type, option.default ?? null, option.choices ?? null]).toEqual([
        spec.name,
        spec.type,
        spec.default ?? null,
        spec.choices ?? null,
      ]);
    }
    expect(Object.keys(parsed[INFO_FQCN]?.return ?? {})).toEqual(
      expect.arrayContaining(["images", "changed"]),
    );
  });

  test("the info shim and the shared node_shim parse as Python 3.8", () => {
    const python = findOnPath("python3") ?? "python3";
    const check = [
      "import ast, sys",
      "for path in sys.argv[1:]:",
      "    ast.parse(open(path, encoding='utf-8').read(), path, feature_version=(3, 8))",
    ].join("\n");
    const plugins = join(ROOT, "ansible/ansible_collections/alicloud_ecs/ecs/plugins");
    const files = [join(plugins, "modules/ecs_ami_info.py"), join(plugins, "module_utils/node_shim.py")];
    const run = spawnSync(python, ["-c", check, ...files], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
