/**
 * The shim's generated docs are fresh (npm run gen), Ansible reads them (ansible-doc), the shim is
 * valid Python 3.8, and the bundle keeps the text Ansible needs (WANT_JSON) and none of the markers
 * that would make Ansible treat it as a Python or PowerShell module (ansible-protocol.md §2).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { OPTIONS } from "../../src/module/options";
import {
  SHIM_PATH,
  readExamplePlaybooks,
  renderShimDocs,
  renderYaml,
  replaceShimDocs,
  toDocMarkup,
} from "../../scripts/shim-docs";
import {
  ROOT,
  createWorkspace,
  describeWithAnsible,
  embedBundle,
  findOnPath,
  runAnsible,
  type AnsibleWorkspace,
} from "./ansible-harness";

const SHIM_FILE = join(ROOT, SHIM_PATH);
const BUNDLE_FILE = join(ROOT, "dist", "ecs_ami.js");

describe("the shim's generated docs are fresh (run npm run gen when this fails)", () => {
  test(`${SHIM_PATH} DOCUMENTATION, EXAMPLES and RETURN match the option table and the example playbooks`, () => {
    const shim = readFileSync(SHIM_FILE, "utf8");
    expect(shim).toBe(replaceShimDocs(shim, renderShimDocs(readExamplePlaybooks(ROOT))));
  });

  test("replaceShimDocs() fails loudly without its markers", () => {
    expect(() => replaceShimDocs("print(1)\n", "x")).toThrow(/has no "# BEGIN GENERATED DOCUMENTATION/);
  });

  test("renderYaml() quotes what YAML would misread and keeps the rest plain", () => {
    expect(
      renderYaml({
        plain: "Device name, e.g. /dev/xvda",
        colon: "a: b",
        word: "yes",
        version: "0.1.0",
        list: ["x", 5, true],
        empty: [],
        nested: { a: { b: "c" } },
      }),
    ).toBe(
      [
        "plain: Device name, e.g. /dev/xvda",
        'colon: "a: b"',
        'word: "yes"',
        'version: "0.1.0"',
        "list:",
        "  - x",
        "  - 5",
        "  - true",
        "empty: []",
        "nested:",
        "  a:",
        "    b: c",
        "",
      ].join("\n"),
    );
  });

  test("toDocMarkup() turns markdown code and bold into Ansible's C() and B()", () => {
    expect(toDocMarkup("Set `image_id` (**required**)")).toBe("Set C(image_id) (B(required))");
  });
});

describe("dist/ecs_ami.js stays a WANT_JSON module for Ansible", () => {
  const bundle = readFileSync(BUNDLE_FILE);
  const text = bundle.toString("latin1");

  test("the bundle contains the text WANT_JSON", () => {
    expect(text).toContain("WANT_JSON");
  });

  test("the first KB of the bundle is text (else Ansible runs it as a binary module)", () => {
    const binary = [...bundle.subarray(0, 1024)].filter(
      (byte) =>
        !(
          byte === 7 ||
          byte === 8 ||
          byte === 9 ||
          byte === 10 ||
          byte === 12 ||
          byte === 13 ||
          byte === 27
        ) &&
        (byte < 0x20 || byte === 0x7f),
    );
    expect(binary).toEqual([]);
  });

  // module_common.py of ansible-core 2.14: the markers checked before WANT_JSON.
  test.each<[string, RegExp]>([
    ["#<<INCLUDE_ANSIBLE_MODULE_COMMON>>", /#<<INCLUDE_ANSIBLE_MODULE_COMMON>>/],
    ["a relative module_utils import", /from +\.{2,} *module_utils.* +import /],
    [
      "a collection module_utils import",
      /from +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.* +import /,
    ],
    [
      "a collection module_utils import (import form)",
      /import +ansible_collections\.[^.]+\.[^.]+\.plugins\.module_utils.*/,
    ],
    ["an ansible.module_utils import", /from +ansible\.module_utils.* +import /],
    ["an ansible.module_utils import (import form)", /import +ansible\.module_utils\./],
    ["# POWERSHELL_COMMON", /# POWERSHELL_COMMON/],
    ["#Requires -Module", /#Requires -Module/i],
    ["#Requires -Version", /#Requires -Version/i],
    ["#AnsibleRequires -OSVersion", /#AnsibleRequires -OSVersion/i],
    ["#AnsibleRequires -Powershell", /#AnsibleRequires -Powershell/i],
    ["#AnsibleRequires -CSharpUtil", /#AnsibleRequires -CSharpUtil/i],
    ["<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>", /<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>/],
  ])("the bundle has no %s marker", (_name, marker) => {
    expect(marker.exec(text)?.[0]).toBeUndefined();
  });
});

describeWithAnsible("Ansible reads the shim: Python 3.8 syntax and ansible-doc", () => {
  jest.setTimeout(60_000);
  let workspace: AnsibleWorkspace;

  beforeAll(() => {
    embedBundle();
    workspace = createWorkspace();
  });
  afterAll(() => {
    workspace.cleanup();
  });

  test("the shim and the generated module_utils parse as Python 3.8 (compiled in memory, no __pycache__)", () => {
    const python = findOnPath("python3") ?? "python3";
    const check = [
      "import ast, sys",
      "for path in sys.argv[1:]:",
      "    source = open(path, encoding='utf-8').read()",
      "    ast.parse(source, path, feature_version=(3, 8))",
      "    compile(source, path, 'exec')",
    ].join("\n");
    const moduleUtils = join(
      ROOT,
      "ansible/ansible_collections/alicloud_ecs/ecs/plugins/module_utils/ecs_ami_bundle.py",
    );
    const run = spawnSync(python, ["-c", check, SHIM_FILE, moduleUtils], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  test("ansible-doc shows the description, every option, the examples and the return values", async () => {
    const run = await runAnsible(workspace, "ansible-doc", ["alicloud_ecs.ecs.ecs_ami"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("> ALICLOUD_ECS.ECS.ECS_AMI");
    expect(run.stdout).toContain("Manages one ECS custom image idempotently");
    for (const spec of OPTIONS) expect(run.stdout).toContain(`- ${spec.name}\n`);
    expect(run.stdout).toContain("EXAMPLES:");
    expect(run.stdout).toContain("alicloud_ecs.ecs.ecs_ami:");
    expect(run.stdout).toContain("RETURN VALUES:");
    expect(run.stdout).toMatch(/- image_id\n\s+The ID of the image the task is about\./);
  });

  test("ansible-doc --json parses every option as the option table says", async () => {
    const run = await runAnsible(workspace, "ansible-doc", ["--json", "alicloud_ecs.ecs.ecs_ami"]);
    expect(run.exitCode).toBe(0);
    const parsed = JSON.parse(run.stdout) as Record<
      string,
      { doc: { options: Record<string, Record<string, unknown>> }; return: Record<string, unknown> }
    >;
    const doc = parsed["alicloud_ecs.ecs.ecs_ami"];
    expect(Object.keys(doc?.doc.options ?? {}).sort()).toEqual(OPTIONS.map((spec) => spec.name).sort());
    for (const spec of OPTIONS) {
      const option = doc?.doc.options[spec.name] ?? {};
      expect([
        spec.name,
        option.type,
        option.aliases ?? [],
        option.default ?? null,
        option.choices ?? null,
      ]).toEqual([spec.name, spec.type, spec.aliases, spec.default ?? null, spec.choices ?? null]);
    }
    expect(Object.keys(doc?.return ?? {})).toEqual(
      expect.arrayContaining([
        "changed",
        "failed",
        "msg",
        "image_id",
        "image",
        "warnings",
        "diff",
        "error",
        "completed_steps",
        "status",
      ]),
    );
  });
});
