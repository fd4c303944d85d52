import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The built module bundle, as Ansible runs it. */
export const MODULE_BUNDLE = resolve(__dirname, "../../dist/ecs_ami.js");
/** The built ecs_ami_info bundle. */
export const INFO_BUNDLE = resolve(__dirname, "../../dist/ecs_ami_info.js");

/** What one run of the bundle printed and how it ended. */
export interface ModuleRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly seconds: number;
  /** stdout parsed as one JSON object; undefined when it is not exactly that. */
  readonly result: Record<string, unknown> | undefined;
}

/** Environment variables for a run: a value of null unsets the variable. */
export type RunEnv = Readonly<Record<string, string | null>>;

/** Keeps only what a child needs from the test process's environment (no stray cloud credentials). */
function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT"];
  const env: Record<string, string> = {};
  for (const key of keep) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** Merges a RunEnv over the base environment, removing the keys set to null. */
function childEnv(env: RunEnv): Record<string, string> {
  const merged = new Map(Object.entries(baseEnv()));
  for (const [key, value] of Object.entries(env)) {
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}

/** Parses stdout as exactly one JSON object, as Ansible requires. */
function parseResult(stdout: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(stdout);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `node dist/ecs_ami.js ARGS_FILE` with the given raw args file text. */
export function runModuleText(
  argsText: string,
  env: RunEnv = {},
  bundle: string = MODULE_BUNDLE,
  nodeArgs: readonly string[] = [],
): Promise<ModuleRun> {
  const dir = mkdtempSync(join(tmpdir(), "ecs-ami-test-"));
  const argsFile = join(dir, "args");
  writeFileSync(argsFile, argsText, { mode: 0o600 });
  return runModuleFile(argsFile, env, bundle, nodeArgs).finally(() => {
    rmSync(dir, { recursive: true, force: true });
  });
}

/** Runs the ecs_ami_info bundle on an args object written as Ansible writes it (flat JSON). */
export function runInfoBundle(args: Readonly<Record<string, unknown>>, env: RunEnv = {}): Promise<ModuleRun> {
  return runModuleText(JSON.stringify(args), env, INFO_BUNDLE);
}

/** Runs the bundle on an args object written as Ansible writes it (flat JSON). */
export function runModule(args: Readonly<Record<string, unknown>>, env: RunEnv = {}): Promise<ModuleRun> {
  return runModuleText(JSON.stringify(args), env);
}

/**
 * Runs the bundle on an existing args file path (which may be missing or unreadable on purpose). `nodeArgs` go
 * before the bundle, as options of node itself.
 */
export function runModuleFile(
  argsFile: string,
  env: RunEnv = {},
  bundle: string = MODULE_BUNDLE,
  nodeArgs: readonly string[] = [],
): Promise<ModuleRun> {
  const started = process.hrtime.bigint();
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, bundle, argsFile], {
      env: childEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => {
      const stdout = Buffer.concat(out).toString("utf8");
      resolveRun({
        stdout,
        stderr: Buffer.concat(err).toString("utf8"),
        exitCode,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        result: parseResult(stdout),
      });
    });
  });
}

/** The `_ansible_*` control keys ansible-core 2.14 adds to every args file. */
export function ansibleControlKeys(
  options: { checkMode?: boolean; diff?: boolean; verbosity?: number; moduleName?: string } = {},
) {
  return {
    _ansible_check_mode: options.checkMode ?? false,
    _ansible_no_log: false,
    _ansible_debug: false,
    _ansible_diff: options.diff ?? false,
    _ansible_verbosity: options.verbosity ?? 0,
    _ansible_version: "2.14.18",
    _ansible_module_name: options.moduleName ?? "ecs_ami",
    _ansible_syslog_facility: "LOG_USER",
    _ansible_selinux_special_fs: ["fuse", "nfs", "vboxsf", "ramfs", "9p", "vfat"],
    _ansible_string_conversion_action: "warn",
    _ansible_socket: null,
    _ansible_shell_executable: "/bin/sh",
    _ansible_keep_remote_files: false,
    _ansible_tmpdir: null,
    _ansible_remote_tmp: "~/.ansible/tmp",
  };
}
