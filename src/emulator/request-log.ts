/**
 * The request log behind `GET /_emulator/requests`: one entry per API call (control calls are not
 * logged). Headers are never logged, and parameters that could hold a secret are masked.
 */

/** Which injected fault hit a call, if any. */
export type FaultKind = "throttle" | "server_error" | "reset_connection" | "drop_response";

/** One logged API call. */
export interface RequestLogEntry {
  /** ISO 8601 time on the emulator clock. */
  readonly time: string;
  /** The `x-acs-action` header, or null when absent. */
  readonly action: string | null;
  /** The `RegionId` parameter, or null when absent. */
  readonly region: string | null;
  readonly params: Readonly<Record<string, string>>;
  /** The status sent, or null when no response was sent (connection reset or dropped). */
  readonly http_status: number | null;
  /** The error code sent, or null on success. */
  readonly error_code: string | null;
  readonly request_id: string;
  /** True when the call carried an STS security token (the token itself is never logged). */
  readonly used_security_token: boolean;
  readonly fault: FaultKind | null;
}

/** The log itself. */
export interface RequestLog {
  record(entry: RequestLogEntry): void;
  entries(): readonly RequestLogEntry[];
  clear(): void;
}

/** Parameter names whose values are masked: anything that could carry a credential. */
export const SECRET_PARAM_PATTERN = /secret|token|signature|password|authorization/i;

/**
 * ECS parameters that match the pattern but are not credentials: the idempotency token and the paging
 * cursor. Tests of the module need to see them (same request, same ClientToken).
 */
export const NON_SECRET_PARAMS: ReadonlySet<string> = new Set(["ClientToken", "NextToken"]);

/** What a masked value reads as. */
export const MASKED_VALUE = "********";

/** Oldest entries are dropped beyond this, so a long-running emulator stays bounded. */
export const MAX_LOG_ENTRIES = 10_000;

/** A new, empty log holding at most `maxEntries` entries. */
export function createRequestLog(maxEntries: number = MAX_LOG_ENTRIES): RequestLog {
  let log: RequestLogEntry[] = [];
  return {
    record(entry: RequestLogEntry): void {
      log.push(entry);
      if (log.length > maxEntries) {
        log = log.slice(log.length - maxEntries);
      }
    },
    entries(): readonly RequestLogEntry[] {
      return [...log];
    },
    clear(): void {
      log = [];
    },
  };
}

/** Copies params, masking every value whose name looks like a secret (e.g. `SecurityToken`, `Signature`). */
export function redactParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    redacted[key] = isSecretParam(key) ? MASKED_VALUE : value;
  }
  return redacted;
}

/** True for a parameter name whose value must never be logged. */
export function isSecretParam(name: string): boolean {
  return SECRET_PARAM_PATTERN.test(name) && !NON_SECRET_PARAMS.has(name);
}
