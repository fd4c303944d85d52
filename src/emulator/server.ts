/**
 * The emulator's HTTP server: `/_emulator/*` goes to the control plane, everything else is an ECS API
 * call that is parsed, authenticated, exposed to injected faults and handed to the core. Binds to a
 * loopback address only.
 */

import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

import type {
  ApiCall,
  ApiOutcome,
  EmulatorClock,
  EmulatorCore,
  FixtureCredential,
  Fixtures,
} from "./contract";
import { handleControl, isControlPath, controlError, type ControlContext } from "./control";
import { createEmulatorCore } from "./core";
import { DEFAULT_FIXTURES } from "./default-fixtures";
import { createFaultInjector, type FaultInjector } from "./faults";
import {
  checkActionAndVersion,
  errorResponse,
  newRequestId,
  parseApiRequest,
  successResponse,
  type ApiRequest,
  type HttpResponse,
  type RequestHeaders,
} from "./protocol";
import { internalError, serviceUnavailable, throttlingUser, type ProtocolError } from "./protocol-errors";
import { createRequestLog, redactParams, type FaultKind, type RequestLog } from "./request-log";
import { createNonceStore, verifyRequest, type NonceStore, type VerifyResult } from "./signature";

/** Options of `startEmulator`; every one has a safe default. */
export interface StartEmulatorOptions {
  /** Seeded state; default DEFAULT_FIXTURES. Ignored for state when `core` is given, but still names the credentials. */
  readonly fixtures?: Fixtures;
  /** A loopback address; default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  /** Default the real clock. */
  readonly clock?: EmulatorClock;
  /** A ready core (e.g. restored from a state file); default a fresh core from `fixtures`. */
  readonly core?: EmulatorCore;
}

/** The access key a client should use. */
export interface EmulatorCredentials {
  readonly access_key_id: string;
  readonly access_key_secret: string;
}

/** A started emulator. */
export interface RunningEmulator {
  /** `host:port` as the SDK's `endpoint` option wants it, e.g. `127.0.0.1:40123`. */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  readonly core: EmulatorCore;
  /** The first credential of the current fixtures (it follows `POST /_emulator/reset`). */
  readonly credentials: EmulatorCredentials;
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  stop(): Promise<void>;
}

/** Default bind address. */
export const DEFAULT_HOST = "127.0.0.1";

/** Largest request body accepted; the SDK sends none, reset bodies carry fixtures. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The real clock. */
export const SYSTEM_CLOCK: EmulatorClock = { now: () => Date.now() };

/** Everything one running server shares between requests. */
interface ServerState {
  readonly core: EmulatorCore;
  readonly clock: EmulatorClock;
  readonly log: RequestLog;
  readonly faults: FaultInjector;
  readonly nonces: NonceStore;
  readonly control: ControlContext;
  /** Aborted on stop, so pending injected latencies end at once. */
  readonly stopping: AbortController;
}

/** What answering one API call produced, for the response and the log. */
interface ApiAnswer {
  readonly response: HttpResponse;
  readonly errorCode: string | null;
  readonly fault: FaultKind | null;
  /** True when the core ran the action (only then can the response be dropped). */
  readonly ranAction: boolean;
}

/** What the log records about how a call ended. */
interface CallResult {
  readonly status: number | null;
  readonly errorCode: string | null;
  readonly fault: FaultKind | null;
}

/** True for 127.0.0.0/8, ::1 and localhost: the only addresses the emulator binds to. */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost" || host === "::1" || host === "[::1]") {
    return true;
  }
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

/**
 * Starts the emulator on a loopback address.
 * @throws Error when the host is not a loopback address or the port cannot be bound.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const host = bindAddress(options.host ?? DEFAULT_HOST);
  const fixtures = options.fixtures ?? DEFAULT_FIXTURES;
  const clock = options.clock ?? SYSTEM_CLOCK;
  let credential = firstCredential(fixtures);
  const state = createServerState(options.core ?? createEmulatorCore(fixtures, { clock }), clock, (next) => {
    credential = firstCredential(next);
  });
  const server = createServer({ keepAlive: true }, (req, res) => {
    handleHttp(state, req, res).catch((error: unknown) => {
      reportInternalError("request", error);
      res.destroy();
    });
  });
  const port = await listen(server, host, options.port ?? 0);
  return {
    endpoint: `${host.includes(":") ? `[${host}]` : host}:${port}`,
    host,
    port,
    core: state.core,
    get credentials(): EmulatorCredentials {
      return { access_key_id: credential.access_key_id, access_key_secret: credential.access_key_secret };
    },
    stop: () => stopServer(server, state.stopping),
  };
}

/** Checks the host and maps `localhost` to 127.0.0.1, so the endpoint never depends on name resolution. */
function bindAddress(host: string): string {
  if (!isLoopbackHost(host)) {
    throw new Error(
      `Refusing to bind to ${host}: the emulator listens on a loopback address only (127.0.0.1, ::1 or localhost)`,
    );
  }
  if (host === "localhost") {
    return DEFAULT_HOST;
  }
  return host === "[::1]" ? "::1" : host;
}

/** The first credential of the fixtures, which clients are told to use. */
function firstCredential(fixtures: Fixtures): FixtureCredential {
  const credential = fixtures.credentials?.[0];
  if (credential === undefined) {
    throw new Error("The fixtures have no credentials, so no client could call the emulator");
  }
  return credential;
}

/** Builds the per-server state. */
function createServerState(
  core: EmulatorCore,
  clock: EmulatorClock,
  onReset: (fixtures: Fixtures) => void,
): ServerState {
  const log = createRequestLog();
  const faults = createFaultInjector();
  const nonces = createNonceStore();
  return {
    core,
    clock,
    log,
    faults,
    nonces,
    control: { core, log, faults, nonces, onReset },
    stopping: new AbortController(),
  };
}

/** Listens and resolves with the bound port. */
function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the listener and every socket; keep-alive clients would otherwise hold it open. */
function stopServer(server: Server, stopping: AbortController): Promise<void> {
  stopping.abort();
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error === undefined) {
        resolve();
      } else {
        reject(error);
      }
    });
    server.closeAllConnections();
  });
}

/** Routes one HTTP request. */
async function handleHttp(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawUrl = req.url ?? "/";
  const body = await readBody(req);
  const path = rawUrl.split("?", 1)[0] ?? "/";
  if (body === undefined) {
    send(res, controlError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes`));
  } else if (isControlPath(path)) {
    send(res, handleControl(state.control, req.method ?? "GET", path, body));
  } else {
    await handleApi(
      state,
      parseApiRequest(req.method ?? "GET", rawUrl, flattenHeaders(req.headers), body),
      res,
    );
  }
}

/** One API call: latency, connection reset, answer, dropped response, log. */
async function handleApi(state: ServerState, request: ApiRequest, res: ServerResponse): Promise<void> {
  const action = request.headers["x-acs-action"];
  const latencyMs = state.faults.latencyMs(action);
  if (latencyMs > 0 && !(await sleepUnlessStopped(latencyMs, state.stopping.signal))) {
    return;
  }
  const requestId = newRequestId();
  if (state.faults.shouldResetConnection(action)) {
    logCall(state, request, requestId, { status: null, errorCode: null, fault: "reset_connection" });
    res.socket?.destroy();
    return;
  }
  const answer = answerApi(state, request, requestId);
  if (answer.ranAction && state.faults.shouldDropResponse(action)) {
    logCall(state, request, requestId, { status: null, errorCode: answer.errorCode, fault: "drop_response" });
    res.socket?.destroy();
    return;
  }
  logCall(state, request, requestId, {
    status: answer.response.status,
    errorCode: answer.errorCode,
    fault: answer.fault,
  });
  send(res, answer.response);
}

/** Waits for injected latency; false when the server stopped meanwhile (the socket is gone then). */
async function sleepUnlessStopped(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Checks, authenticates and answers an API call; service faults hit only authenticated calls. */
function answerApi(state: ServerState, request: ApiRequest, requestId: string): ApiAnswer {
  const verified = authenticate(state, request);
  if (!verified.ok) {
    return errorAnswer(requestId, verified.error, null);
  }
  const action = request.headers["x-acs-action"] ?? "";
  const fault = state.faults.serviceFault(action);
  if (fault !== undefined) {
    return errorAnswer(requestId, fault === "throttle" ? throttlingUser() : serviceUnavailable(), fault);
  }
  const call = { action, accountId: verified.caller.accountId, requestId, params: request.params };
  const outcome = runCore(state.core, call);
  if (outcome.kind === "error") {
    return { ...errorAnswer(requestId, outcome.error, null), ranAction: true };
  }
  return {
    response: successResponse(requestId, outcome.body),
    errorCode: null,
    fault: null,
    ranAction: true,
  };
}

/** Version and action headers first (no key needed to learn those are wrong), then the signature. */
function authenticate(state: ServerState, request: ApiRequest): VerifyResult {
  const protocolError = checkActionAndVersion(request.headers);
  if (protocolError !== undefined) {
    return { ok: false, error: protocolError };
  }
  return verifyRequest(request, {
    findCredential: (id) => state.core.findCredential(id),
    nonces: state.nonces,
    nowMs: state.clock.now(),
  });
}

/** An answer carrying an error response. */
function errorAnswer(requestId: string, error: ProtocolError, fault: FaultKind | null): ApiAnswer {
  return { response: errorResponse(requestId, error), errorCode: error.code, fault, ranAction: false };
}

/** Runs the core; a throw is an emulator bug, answered as InternalError and reported on stderr. */
function runCore(core: EmulatorCore, call: ApiCall): ApiOutcome {
  try {
    return core.handle(call);
  } catch (error) {
    reportInternalError(call.action, error);
    return { kind: "error", error: internalError() };
  }
}

/** Records one API call; params are masked and no header is ever logged (only whether a token came). */
function logCall(state: ServerState, request: ApiRequest, requestId: string, result: CallResult): void {
  state.log.record({
    time: new Date(state.clock.now()).toISOString(),
    action: request.headers["x-acs-action"] ?? null,
    region: request.params.RegionId ?? null,
    params: redactParams(request.params),
    http_status: result.status,
    error_code: result.errorCode,
    request_id: requestId,
    used_security_token: request.headers["x-acs-security-token"] !== undefined,
    fault: result.fault,
  });
}

/** One line on stderr for an emulator bug (the message only: no request data, so no secret). */
function reportInternalError(where: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ecs-emulator: internal error in ${where}: ${message}\n`);
}

/** Reads the whole body; undefined when it exceeds MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) {
      chunks.push(buffer);
    }
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
}

/** node:http gives repeated headers as arrays (only set-cookie); join them as the signer saw them. */
function flattenHeaders(headers: IncomingHttpHeaders): RequestHeaders {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      flat[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return flat;
}

/** Writes a prepared response. */
function send(res: ServerResponse, response: HttpResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
