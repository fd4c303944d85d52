/**
 * Errors of the cloud layer as values with a code (style.md §6). `normalizeError` turns whatever the
 * SDK or the network threw into a `CloudError` that carries only what is safe to print: the SDK's own
 * message text embeds request data, so only the server's `Message` is kept.
 */

/** The API actions the module calls, named as the wire names them. */
export type ApiAction =
  | "CreateImage"
  | "DescribeImages"
  | "DeleteImage"
  | "ModifyImageAttribute"
  | "ModifyImageSharePermission"
  | "DescribeImageSharePermission"
  | "TagResources"
  | "UntagResources"
  | "DescribeInstances"
  | "DescribeSnapshots"
  | "DeleteSnapshot";

/** The verb of each action, for "Failed to <verb> image <id> in region <r>: <Code>: <Message>" (style.md §6). */
export const ACTION_VERBS: Readonly<Record<ApiAction, string>> = {
  CreateImage: "create",
  DescribeImages: "describe",
  DeleteImage: "delete",
  ModifyImageAttribute: "update",
  ModifyImageSharePermission: "change sharing of",
  DescribeImageSharePermission: "read sharing of",
  TagResources: "tag",
  UntagResources: "untag",
  DescribeInstances: "read the source instance of",
  DescribeSnapshots: "read the source snapshot of",
  DeleteSnapshot: "delete a snapshot of",
};

/** Fields of a normalised cloud error. */
export interface CloudErrorFields {
  readonly code: string;
  readonly message: string;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly action: ApiAction;
  /** Milliseconds the service asked us to wait (`x-acs-retry-after`), when it said so. */
  readonly retryAfterMs?: number | undefined;
}

/** A failed API call, normalised: code, server message, request id, HTTP status, action, attempts. */
export class CloudError extends Error {
  override readonly name = "CloudError";
  readonly code: string;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly action: ApiAction;
  readonly retryAfterMs: number | undefined;
  /** How many attempts were made before giving up (set by `retry`). */
  attempts: number;

  constructor(fields: CloudErrorFields) {
    super(fields.message);
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.httpStatus = fields.httpStatus;
    this.action = fields.action;
    this.retryAfterMs = fields.retryAfterMs;
    this.attempts = 1;
  }
}

/** A bad cloud configuration (e.g. an endpoint that is not allowed), found before any call. */
export class CloudConfigError extends Error {
  override readonly name = "CloudConfigError";
  /** The option at fault, in the user's spelling. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

/** What a wait knew when it stopped. */
export interface WaitErrorFields {
  readonly imageId: string;
  readonly region: string;
  /** The last status seen, or "NotFound" when the resource was not (or no longer) visible. */
  readonly lastStatus: string;
  readonly elapsedMs: number;
  readonly polls: number;
}

/** What both wait failures carry: the image, its region and what the wait last saw. */
abstract class WaitError extends Error {
  readonly imageId: string;
  readonly region: string;
  readonly lastStatus: string;
  readonly elapsedMs: number;
  readonly polls: number;

  constructor(fields: WaitErrorFields, message: string) {
    super(message);
    this.imageId = fields.imageId;
    this.region = fields.region;
    this.lastStatus = fields.lastStatus;
    this.elapsedMs = fields.elapsedMs;
    this.polls = fields.polls;
  }
}

/** The user's wait_timeout ran out before the target status was reached. */
export class WaitTimeoutError extends WaitError {
  override readonly name = "WaitTimeoutError";
}

/** The resource reached a failure status (e.g. CreateFailed) or vanished while we waited. */
export class WaitFailedError extends WaitError {
  override readonly name = "WaitFailedError";
}

/** The run was cancelled (e.g. SIGTERM) while waiting; carries what was known. */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
  readonly imageId: string | undefined;
  readonly lastStatus: string | undefined;

  constructor(
    fields: { readonly imageId: string | undefined; readonly lastStatus: string | undefined },
    message: string,
  ) {
    super(message);
    this.imageId = fields.imageId;
    this.lastStatus = fields.lastStatus;
  }
}

/** Network error codes Node reports, with the safe text we print for each. */
const NETWORK_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "Connection refused by the endpoint",
  ECONNRESET: "Connection reset by the endpoint",
  ETIMEDOUT: "Connection timed out",
  EPIPE: "Connection closed while sending the request",
  ENOTFOUND: "Endpoint host name could not be resolved",
  EAI_AGAIN: "Endpoint host name could not be resolved (temporary failure)",
  EHOSTUNREACH: "Endpoint host is unreachable",
  ENETUNREACH: "Network is unreachable",
};

/** Codes the SDK raises on its own, before any request, with the safe text we print for each. */
const LOCAL_SDK_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  InvalidCredentials: "No usable credentials were given",
};

/** Our code for a response body that is not JSON (the SDK throws a raw SyntaxError). */
export const NON_JSON_RESPONSE_CODE = "NonJsonResponse";
/** Our code for a read or connect timeout (the SDK's RequestTimeoutError). */
export const REQUEST_TIMEOUT_CODE = "RequestTimeout";
/** Our code for anything we cannot classify. */
export const UNKNOWN_ERROR_CODE = "UnknownError";

/** Reads a property of an unknown value without trusting its type. */
function prop(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  return (value as Record<string, unknown>)[key];
}

/** A string that is present and not the SDK's literal "undefined" placeholder. */
function cleanString(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "" || value === "undefined" || value === "null")
    return undefined;
  return value;
}

/** Is this shaped like the SDK's ClientError / ServerError / ThrottlingError (code + statusCode)? */
function isSdkResponseError(error: unknown): boolean {
  return typeof prop(error, "code") === "string" && typeof prop(error, "statusCode") === "number";
}

/** Converts an SDK response error; keeps the server's Message from `.data`, never the SDK's own text. */
function fromSdkResponseError(error: unknown, action: ApiAction): CloudError {
  const code = cleanString(prop(error, "code")) ?? UNKNOWN_ERROR_CODE;
  const httpStatus = prop(error, "statusCode") as number;
  const data = prop(error, "data");
  const serverMessage = cleanString(prop(data, "Message")) ?? cleanString(prop(data, "message"));
  const retryAfter = prop(error, "retryAfter");
  return new CloudError({
    code,
    message: serverMessage ?? `The service answered HTTP ${httpStatus} without a message`,
    requestId: cleanString(prop(error, "requestId")) ?? cleanString(prop(data, "RequestId")),
    httpStatus,
    action,
    retryAfterMs: typeof retryAfter === "number" && Number.isFinite(retryAfter) ? retryAfter : undefined,
  });
}

/** Converts a network-level failure (no HTTP response), or returns undefined if it is not one. */
function fromNetworkError(error: unknown, action: ApiAction): CloudError | undefined {
  const base = { requestId: undefined, httpStatus: undefined, action } as const;
  const name = prop(error, "name");
  const message = prop(error, "message");
  if (name === "RequestTimeoutError") {
    const kind = typeof message === "string" && message.startsWith("ConnectTimeout") ? "connect" : "read";
    return new CloudError({
      ...base,
      code: REQUEST_TIMEOUT_CODE,
      message: `The request timed out (${kind})`,
    });
  }
  if (error instanceof SyntaxError) {
    return new CloudError({
      ...base,
      code: NON_JSON_RESPONSE_CODE,
      message: "The service answered with a body that is not JSON",
    });
  }
  const code = cleanString(prop(error, "code"));
  if (code !== undefined && code in NETWORK_ERROR_MESSAGES) {
    return new CloudError({ ...base, code, message: NETWORK_ERROR_MESSAGES[code] ?? code });
  }
  if (typeof message === "string" && /socket hang up/i.test(message)) {
    return new CloudError({
      ...base,
      code: "ECONNRESET",
      message: "Connection closed by the endpoint (socket hang up)",
    });
  }
  return undefined;
}

/**
 * Normalises anything thrown by an API call into a `CloudError` whose message is safe to print.
 * @throws never
 */
export function normalizeError(error: unknown, action: ApiAction): CloudError {
  if (error instanceof CloudError) return error;
  if (isSdkResponseError(error)) return fromSdkResponseError(error, action);
  const network = fromNetworkError(error, action);
  if (network !== undefined) return network;
  const code = cleanString(prop(error, "code"));
  if (code !== undefined && code in LOCAL_SDK_ERROR_MESSAGES) {
    const message = LOCAL_SDK_ERROR_MESSAGES[code] ?? code;
    return new CloudError({ code, message, requestId: undefined, httpStatus: undefined, action });
  }
  const name = cleanString(prop(error, "name")) ?? typeof error;
  return new CloudError({
    code: UNKNOWN_ERROR_CODE,
    message: `Unexpected ${name} while calling ${action}`,
    requestId: undefined,
    httpStatus: undefined,
    action,
  });
}
