import type { EmulatorClock, EmulatorCore, Fixtures } from "../../src/emulator/contract";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server";

/** Options for a test emulator; the same as startEmulator's, minus host and port (always 127.0.0.1:0). */
export interface TestEmulatorOptions {
  readonly fixtures?: Fixtures;
  /** Must stay near the real time: the SDK signs with the real clock and skew over 15 minutes fails. */
  readonly clock?: EmulatorClock;
  readonly core?: EmulatorCore;
}

/** Emulators started by startTestEmulator and not yet stopped. */
const running = new Set<RunningEmulator>();

/** Starts an in-process emulator on 127.0.0.1, any free port. Stop it with stopTestEmulators in afterEach. */
export async function startTestEmulator(options: TestEmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ ...options, host: "127.0.0.1", port: 0 });
  running.add(emulator);
  return emulator;
}

/** Stops every emulator this helper started (use as `afterEach(stopTestEmulators)`). */
export async function stopTestEmulators(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.all(all.map((emulator) => emulator.stop()));
}

/** The base URL of an emulator, for raw fetch calls (control plane, tampered requests). */
export function baseUrl(emulator: RunningEmulator): string {
  return `http://${emulator.endpoint}`;
}

/** Calls the control plane and returns the status and parsed JSON body. */
export async function control(
  emulator: RunningEmulator,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  const response = await fetch(`${baseUrl(emulator)}${path}`, init);
  return { status: response.status, body: await response.json() };
}
