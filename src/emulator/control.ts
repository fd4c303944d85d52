/**
 * The control plane under `/_emulator/`: plain JSON, no signature, a namespace no ECS action can
 * collide with. Used by tests and users to inspect state, reset, read the request log and inject faults.
 */

import type { EmulatorCore, Fixtures } from "./contract";
import { DEFAULT_FIXTURES } from "./default-fixtures";
import { NO_FAULTS, parseFaultSettings, type FaultInjector } from "./faults";
import { parseFixtures } from "./fixtures";
import { jsonResponse, type HttpResponse } from "./protocol";
import type { RequestLog } from "./request-log";
import type { NonceStore } from "./signature";

/** Path prefix of the control plane. */
export const CONTROL_PREFIX = "/_emulator/";

/** Everything the control plane acts on. */
export interface ControlContext {
  readonly core: EmulatorCore;
  readonly log: RequestLog;
  readonly faults: FaultInjector;
  readonly nonces: NonceStore;
  /** Told about the fixtures after a reset (the server keeps the current first credential). */
  onReset(fixtures: Fixtures): void;
}

/** A parsed JSON body, or the message saying why it is not JSON. */
type JsonBody =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** True when a request path belongs to the control plane. */
export function isControlPath(path: string): boolean {
  return path === "/_emulator" || path.startsWith(CONTROL_PREFIX);
}

/** Answers one control request. `path` has no query string. */
export function handleControl(
  context: ControlContext,
  method: string,
  path: string,
  body: Buffer,
): HttpResponse {
  switch (path) {
    case "/_emulator/state":
      return method === "GET" ? jsonResponse(200, context.core.inspect()) : methodNotAllowed(method, path);
    case "/_emulator/reset":
      return method === "POST" ? handleReset(context, body) : methodNotAllowed(method, path);
    case "/_emulator/requests":
      return handleRequests(context, method, path);
    case "/_emulator/faults":
      return handleFaults(context, method, path, body);
    case "/_emulator/complete":
      return method === "POST"
        ? jsonResponse(200, { completed: context.core.completeCreating() })
        : methodNotAllowed(method, path);
    default:
      return controlError(404, `Unknown control path ${path}; known paths are ${KNOWN_PATHS.join(", ")}`);
  }
}

const KNOWN_PATHS = ["state", "reset", "requests", "faults", "complete"].map(
  (name) => `${CONTROL_PREFIX}${name}`,
);

/** `POST /_emulator/reset`: fresh store from the body's fixtures (empty body: defaults), no faults, no log. */
function handleReset(context: ControlContext, body: Buffer): HttpResponse {
  const parsed = parseJsonBody(body, DEFAULT_FIXTURES);
  if (!parsed.ok) {
    return controlError(400, parsed.message);
  }
  let fixtures: Fixtures;
  try {
    fixtures = parseFixtures(parsed.value);
  } catch (error) {
    return controlError(400, `Invalid fixtures: ${errorMessage(error)}`);
  }
  if (fixtures.credentials === undefined || fixtures.credentials.length === 0) {
    return controlError(
      400,
      "Invalid fixtures: credentials must hold at least one access key, or no client could call",
    );
  }
  resetEmulator(context, fixtures);
  return jsonResponse(200, { reset: true });
}

/** Resets the store and every piece of HTTP-side state. */
export function resetEmulator(context: ControlContext, fixtures: Fixtures): void {
  context.core.reset(fixtures);
  context.core.setFailingImageNames([]);
  context.core.setInvisibleForSeconds(0);
  context.faults.configure(NO_FAULTS);
  context.nonces.clear();
  context.log.clear();
  context.onReset(fixtures);
}

/** `GET` lists the request log, `DELETE` clears it. */
function handleRequests(context: ControlContext, method: string, path: string): HttpResponse {
  if (method === "GET") {
    return jsonResponse(200, { requests: context.log.entries() });
  }
  if (method === "DELETE") {
    context.log.clear();
    return jsonResponse(200, { requests: [] });
  }
  return methodNotAllowed(method, path);
}

/** `POST` replaces every fault setting (`{}` or an empty body clears them); `GET` shows them. */
function handleFaults(context: ControlContext, method: string, path: string, body: Buffer): HttpResponse {
  if (method === "GET") {
    return jsonResponse(200, context.faults.settings());
  }
  if (method !== "POST") {
    return methodNotAllowed(method, path);
  }
  const parsed = parseJsonBody(body, {});
  const settings = parsed.ok ? parseFaultSettings(parsed.value) : parsed.message;
  if (typeof settings === "string") {
    return controlError(400, settings);
  }
  context.faults.configure(settings);
  context.core.setFailingImageNames(settings.fail_image_names);
  context.core.setInvisibleForSeconds(settings.invisible_for_seconds);
  return jsonResponse(200, settings);
}

/** Parses a JSON body; an empty body stands for `empty`. */
function parseJsonBody(body: Buffer, empty: unknown): JsonBody {
  const text = body.toString("utf8").trim();
  if (text === "") {
    return { ok: true, value: empty };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `The request body is not valid JSON: ${errorMessage(error)}` };
  }
}

/** 405 for a known path with the wrong method. */
function methodNotAllowed(method: string, path: string): HttpResponse {
  return controlError(405, `Method ${method} is not allowed on ${path}`);
}

/** A control-plane error: `{error: message}` as JSON. */
export function controlError(status: number, message: string): HttpResponse {
  return jsonResponse(status, { error: message });
}

/** The message of a thrown value. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
