/**
 * Runs the real `ansible-playbook` (and ansible-doc, ansible-galaxy) against an in-process emulator:
 * a private temp dir per suite holds ansible.cfg, the inventory, playbooks and Ansible's own temp
 * files. When ansible-playbook is missing the suites are skipped with a loud warning, except under
 * CI (process.env.CI set), where they fail: CI must run them (.ci/run installs ansible-core).
 */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import type { RunningEmulator } from "../../src/emulator/server";
import { startTestEmulator, stopTestEmulators } from "../helpers/start-emulator";

/** The repository root. */
export const ROOT = resolve(__dirname, "../..");
/** The checkout's collection root (the directory that holds ansible_collections/). */
export const CHECKOUT_COLLECTIONS = join(ROOT, "ansible");
/** The module's fully qualified name, as tasks call it. */
export const FQCN = "alicloud_ecs.ecs.ecs_ami";
/** The emulator's demo credentials (src/emulator/default-fixtures.ts). */
export const DEMO_ACCESS_KEY = "LTAI5tEmulatorDemoKey01";
/** The emulator's demo secret: it must never appear in any output. */
export const DEMO_SECRET = "EmulatorDemoSecret-NotReal-0000";
/** The task options that reach the emulator with its demo credentials. */
export const DEMO_CREDENTIALS = {
  acs_access_key: DEMO_ACCESS_KEY,
  acs_secret_access_key: DEMO_SECRET,
  region: "cn-hangzhou",
};

/** The first executable called `name` on PATH, or undefined. */
export function findOnPath(name: string, path: string = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Whether the real ansible-playbook is installed. */
export const ANSIBLE_PLAYBOOK = findOnPath("ansible-playbook");

/**
 * `describe` for suites that need ansible-playbook: runs them when it is installed; otherwise fails
 * under CI and skips with a loud warning elsewhere.
 */
export function describeWithAnsible(name: string, body: () => void): void {
  if (ANSIBLE_PLAYBOOK !== undefined) {
    describe(name, body);
    return;
  }
  if (process.env.CI !== undefined && process.env.CI !== "") {
    describe(name, () => {
      test("ansible-playbook is installed (required under CI)", () => {
        throw new Error("ansible-playbook not found on PATH: CI must install ansible-core (see .ci/run)");
      });
    });
    return;
  }
  console.warn(
    [
      "",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      `!!! SKIPPED: "${name}": ansible-playbook is not installed, so the Ansible tests did NOT run.`,
      "!!! Install it (apt-get install -y ansible-core) to run them; under CI they fail instead.",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "",
    ].join("\n"),
  );
  describe.skip(name, body);
}

/** Regenerates the collection's module_utils from dist/ecs_ami.js (npm test builds dist first). */
export function embedBundle(): void {
  const run = spawnSync(process.execPath, [join(ROOT, "scripts", "collection.mjs"), "--embed-only"], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`Embedding the bundle failed: ${run.stdout}${run.stderr}`);
}

/** A private working directory for one suite: config, inventory, playbooks, Ansible's temp files. */
export interface AnsibleWorkspace {
  readonly dir: string;
  readonly config: string;
  readonly inventory: string;
  /** Removes the whole directory. */
  cleanup(): void;
}

/** Creates a workspace whose ansible.cfg finds the collections under `collectionsPath`. */
export function createWorkspace(collectionsPath: string = CHECKOUT_COLLECTIONS): AnsibleWorkspace {
  const dir = mkdtempSync(join(tmpdir(), "ecs-ami-ansible-"));
  const inventory = join(dir, "inventory.ini");
  writeFileSync(
    inventory,
    'localhost ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"\n',
  );
  const config = join(dir, "ansible.cfg");
  writeFileSync(
    config,
    [
      "[defaults]",
      `inventory = ${inventory}`,
      `collections_path = ${collectionsPath}`,
      "retry_files_enabled = False",
      "gathering = explicit",
      `local_tmp = ${join(dir, "local-tmp")}`,
      `remote_tmp = ${join(dir, "remote-tmp")}`,
      "",
    ].join("\n"),
  );
  const cleanup = (): void => {
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, config, inventory, cleanup };
}

/** The workspace and emulator a suite of playbook runs shares (see useShimSuite). */
export interface ShimSuite {
  readonly workspace: AnsibleWorkspace;
  readonly emulator: RunningEmulator;
}

/**
 * Sets up, for the enclosing describe block, the collection's module_utils embedded from dist/, a private
 * workspace and an in-process emulator, and tears them down after it. Call it before the block's own beforeAll,
 * which then sees both ready.
 */
export function useShimSuite(): ShimSuite {
  let workspace: AnsibleWorkspace | undefined;
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    embedBundle();
    workspace = createWorkspace();
    emulator = await startTestEmulator();
  });
  afterAll(async () => {
    await stopTestEmulators();
    workspace?.cleanup();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The suite's ${what} is used before its beforeAll ran`);
    return value;
  };
  return {
    get workspace() {
      return ready(workspace, "workspace");
    },
    get emulator() {
      return ready(emulator, "emulator");
    },
  };
}

/** What one ansible command printed and how it ended. */
export interface CommandRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly seconds: number;
}

/** Environment variables for a run: a value of null unsets the variable. */
export type AnsibleEnv = Readonly<Record<string, string | null>>;

/** PATH for children: node's own directory first, so the shim finds the node running the tests. */
export function pathWithNode(): string {
  return [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter);
}

/** A clean environment for ansible commands: no stray cloud credentials, no colour, UTF-8. */
function ansibleEnv(workspace: AnsibleWorkspace, env: AnsibleEnv): Record<string, string> {
  const merged = new Map<string, string>([
    ["PATH", pathWithNode()],
    ["HOME", process.env.HOME ?? workspace.dir],
    ["LC_ALL", "C.UTF-8"],
    ["ANSIBLE_CONFIG", workspace.config],
    ["ANSIBLE_NOCOLOR", "1"],
    ["ANSIBLE_FORCE_COLOR", "0"],
  ]);
  for (const [key, value] of Object.entries(env)) {
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}

/** Runs one ansible command (ansible-playbook, ansible-doc, ansible-galaxy) in the workspace. */
export function runAnsible(
  workspace: AnsibleWorkspace,
  command: string,
  args: readonly string[],
  env: AnsibleEnv = {},
): Promise<CommandRun> {
  const started = process.hrtime.bigint();
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      cwd: workspace.dir,
      env: ansibleEnv(workspace, env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => {
      resolveRun({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        exitCode,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    });
  });
}

/** A task of a playbook, as data (a playbook written as JSON is valid YAML). */
export type Task = Readonly<Record<string, unknown>>;

/** One play on localhost with the given tasks. */
export function play(tasks: readonly Task[], vars: Readonly<Record<string, unknown>> = {}): Task {
  return { name: "ecs_ami under test", hosts: "localhost", gather_facts: false, vars, tasks };
}

/** Writes a playbook (a list of plays) into the workspace and returns its path. */
export function writePlaybook(workspace: AnsibleWorkspace, name: string, plays: readonly Task[]): string {
  const file = join(workspace.dir, name);
  writeFileSync(file, `${JSON.stringify(plays, null, 2)}\n`);
  return file;
}

/** The file where saveRegistered() writes the registered results. */
export function registeredFile(workspace: AnsibleWorkspace, name: string): string {
  return join(workspace.dir, `${name}.registered.json`);
}

/**
 * A last task that saves the named registered variables as one JSON object: `{name: result}`. It is
 * the copy action on the controller, so the values are exactly what later tasks would see.
 */
export function saveRegistered(workspace: AnsibleWorkspace, name: string, vars: readonly string[]): Task {
  const object = vars.map((v) => `'${v}': ${v}`).join(", ");
  return {
    name: "save the registered results",
    "ansible.builtin.copy": {
      content: `{{ { ${object} } | to_json }}`,
      dest: registeredFile(workspace, name),
      mode: "0600",
    },
    // It must write under --check too, and it is no change to the system under test.
    check_mode: false,
    changed_when: false,
  };
}

/** Reads what saveRegistered() wrote. */
export function readRegistered(
  workspace: AnsibleWorkspace,
  name: string,
): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(registeredFile(workspace, name), "utf8")) as Record<
    string,
    Record<string, unknown>
  >;
}

/** A module task: the FQCN with literal args, registered under `register`. */
export function moduleTask(
  register: string,
  args: Readonly<Record<string, unknown>>,
  extra: Task = {},
): Task {
  return { name: register, [FQCN]: args, register, ...extra };
}

/** Everything a run printed, for failure messages and secret scans. */
export function transcript(run: CommandRun): string {
  return `exit ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}
