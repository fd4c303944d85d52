/**
 * Helpers of the reliability tests: an emulator on loopback, its request log and state, faults, and a
 * spawned bundle that can be signalled or run in a chosen working directory with a chosen HOME and TMPDIR.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator/server";
import { ansibleControlKeys, MODULE_BUNDLE } from "../helpers/run-module";

/** One entry of `GET /_emulator/requests`. */
export interface LogEntry {
  readonly action: string | null;
  readonly params: Readonly<Record<string, string>>;
  readonly http_status: number | null;
  readonly error_code: string | null;
  readonly fault: string | null;
}

/** Actions that change state. */
export const WRITE_ACTIONS: ReadonlySet<string> = new Set([
  "CreateImage",
  "DeleteImage",
  "ModifyImageAttribute",
  "ModifyImageSharePermission",
  "TagResources",
  "UntagResources",
  "DeleteSnapshot",
]);

/** Calls the emulator's control plane and returns the parsed body. */
export async function controlCall(
  emulator: RunningEmulator,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<unknown> {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`http://${emulator.endpoint}/_emulator/${path}`, init);
  const parsed: unknown = await response.json();
  if (!response.ok)
    throw new Error(`Emulator control ${path} answered ${response.status}: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** The request log so far. */
export async function requestLog(emulator: RunningEmulator): Promise<LogEntry[]> {
  return ((await controlCall(emulator, "GET", "requests")) as { requests: LogEntry[] }).requests;
}

/** Sets faults (`{}` clears). */
export async function setFaults(emulator: RunningEmulator, faults: Record<string, unknown>): Promise<void> {
  await controlCall(emulator, "POST", "faults", faults);
}

/** The images of a region as the emulator holds them (listed or not). */
export async function imagesIn(
  emulator: RunningEmulator,
  region = "cn-hangzhou",
): Promise<{ id: string; name: string; status: string }[]> {
  const state = (await controlCall(emulator, "GET", "state")) as {
    regions: Record<string, { images?: { id: string; name: string; status: string }[] }>;
  };
  return state.regions[region]?.images ?? [];
}

/** The environment of a task against the emulator. */
export function emulatorEnv(emulator: RunningEmulator): Record<string, string> {
  return {
    ACS_ENDPOINT: emulator.endpoint,
    ACS_REGION: "cn-hangzhou",
    ACS_ACCESS_KEY_ID: emulator.credentials.access_key_id,
    ACS_SECRET_ACCESS_KEY: emulator.credentials.access_key_secret,
  };
}

/** A spawned bundle: its process, and a promise of what it printed. */
export interface SpawnedRun {
  readonly child: ChildProcess;
  readonly done: Promise<{ stdout: string; stderr: string; exitCode: number | null; signal: string | null }>;
}

/** Spawns the bundle on an args object, in `cwd` with only `env` (plus PATH). */
export function spawnBundle(
  args: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string>>,
  options: {
    readonly cwd?: string;
    readonly flags?: Parameters<typeof ansibleControlKeys>[0];
    /** Run on this existing file instead of writing `args` (which is then ignored). */
    readonly argsFile?: string;
  } = {},
): SpawnedRun {
  const dir = mkdtempSync(join(tmpdir(), "ecs-ami-rel-"));
  const argsFile = options.argsFile ?? join(dir, "args.json");
  if (options.argsFile === undefined) {
    writeFileSync(argsFile, JSON.stringify({ ...args, ...ansibleControlKeys(options.flags) }), {
      mode: 0o600,
    });
  }
  const child = spawn(process.execPath, [MODULE_BUNDLE, argsFile], {
    env: { PATH: process.env.PATH ?? "", ...env },
    cwd: options.cwd ?? dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const done = new Promise<{
    stdout: string;
    stderr: string;
    exitCode: number | null;
    signal: string | null;
  }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        exitCode,
        signal,
      });
    });
  });
  return { child, done };
}

/** Parses stdout as exactly one JSON object, or undefined. */
export function oneJsonObject(stdout: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(stdout);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    return stdout.trim().split("\n").length === 1 ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `condition` every 50 ms until true or `timeoutMs` passes. */
export async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
