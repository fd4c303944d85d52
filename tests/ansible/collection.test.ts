/**
 * The collection tarball: scripts/collection.mjs packs it with ansible-galaxy (the bundle embedded in
 * module_utils), ansible-galaxy installs it into a temp path, and a playbook runs the module by FQCN
 * from there, with the checkout out of sight.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

import type { RunningEmulator } from "../../src/emulator/server";
import { startTestEmulator, stopTestEmulators } from "../helpers/start-emulator";
import {
  ANSIBLE_PLAYBOOK,
  DEMO_ACCESS_KEY,
  DEMO_SECRET,
  ROOT,
  createWorkspace,
  describeWithAnsible,
  findOnPath,
  moduleTask,
  play,
  readRegistered,
  runAnsible,
  saveRegistered,
  transcript,
  writePlaybook,
  type AnsibleWorkspace,
} from "./ansible-harness";

const TARBALL = "alicloud_ecs-ecs-0.1.0.tar.gz";

describeWithAnsible("the collection tarball installs into a temp path and runs by FQCN", () => {
  jest.setTimeout(180_000);
  let workspace: AnsibleWorkspace;
  let emulator: RunningEmulator;
  let installed: string;
  let tarball: string;

  beforeAll(async () => {
    workspace = createWorkspace();
    emulator = await startTestEmulator();
    installed = join(workspace.dir, "installed");
    const out = join(workspace.dir, "out");
    // --skip-build: npm test has built dist/ already, and rebuilding it here would race other suites.
    const pack = spawnSync(
      process.execPath,
      [join(ROOT, "scripts", "collection.mjs"), "--skip-build", "--output", out],
      {
        encoding: "utf8",
      },
    );
    if (pack.status !== 0) throw new Error(`scripts/collection.mjs failed:\n${pack.stdout}${pack.stderr}`);
    tarball = join(out, TARBALL);
  });
  afterAll(async () => {
    await stopTestEmulators();
    workspace.cleanup();
  });

  /** Environment that sees only the installed collection, never the checkout. */
  function installedEnv(): Record<string, string> {
    return { ANSIBLE_COLLECTIONS_PATH: installed, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: "False" };
  }

  test("the tarball holds the shim, the embedded bundle and the metadata", () => {
    expect(readdirSync(join(workspace.dir, "out"))).toEqual([TARBALL]);
    const list = spawnSync(findOnPath("tar") ?? "tar", ["-tzf", tarball], { encoding: "utf8" });
    const files = list.stdout.split("\n");
    expect(files).toEqual(
      expect.arrayContaining([
        "MANIFEST.json",
        "FILES.json",
        "README.md",
        "meta/runtime.yml",
        "plugins/modules/ecs_ami.py",
        "plugins/module_utils/ecs_ami_bundle.py",
      ]),
    );
    expect(files.some((file) => file.includes("__pycache__"))).toBe(false);
  });

  test("ansible-galaxy installs it, ansible-doc reads it there, and a playbook runs it by FQCN", async () => {
    const install = await runAnsible(workspace, "ansible-galaxy", [
      "collection",
      "install",
      "-p",
      installed,
      tarball,
    ]);
    expect(install.exitCode).toBe(0);
    const doc = await runAnsible(workspace, "ansible-doc", ["alicloud_ecs.ecs.ecs_ami"], installedEnv());
    expect(doc.exitCode).toBe(0);
    expect(doc.stdout).toContain(
      `(${join(installed, "ansible_collections/alicloud_ecs/ecs/plugins/modules/ecs_ami.py")})`,
    );
    const file = writePlaybook(workspace, "installed.yml", [
      play([
        moduleTask("created", {
          acs_access_key: DEMO_ACCESS_KEY,
          acs_secret_access_key: DEMO_SECRET,
          region: "cn-hangzhou",
          image_name: "installed-image",
          snapshot_id: "s-bp1demosystem000001",
        }),
        saveRegistered(workspace, "installed", ["created"]),
      ]),
    ]);
    const run = await runAnsible(workspace, ANSIBLE_PLAYBOOK ?? "ansible-playbook", [file], {
      ...installedEnv(),
      ACS_ENDPOINT: emulator.endpoint,
    });
    if (run.exitCode !== 0) throw new Error(`ansible-playbook failed:\n${transcript(run)}`);
    const { created } = readRegistered(workspace, "installed");
    expect(created).toMatchObject({ changed: true, failed: false, image_id: expect.stringMatching(/^m-/) });
  });
});
