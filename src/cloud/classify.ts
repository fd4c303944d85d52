/**
 * Documented code tables and predicates over `CloudError` (style.md §5, §6). Sources: reference/ecs-api.md
 * §4 (SDK error classes), §5 (per-action error tables), §8 (Terraform's NeedRetry).
 */
import type { ApiAction, CloudError } from "./errors";
import { NON_JSON_RESPONSE_CODE, REQUEST_TIMEOUT_CODE } from "./errors";

/** Substring that marks a throttling code: the SDK raises ThrottlingError for any code containing it. */
export const THROTTLING_CODE_MARKER = "Throttling";

/**
 * Codes that mean "try again later" whatever the HTTP status: the service's own transient codes, plus the
 * codes `normalizeError` gives to timeouts, dropped connections and non-JSON bodies (an HTML 502 page).
 */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  "ServiceUnavailable",
  "InternalError",
  "UnknownServer",
  NON_JSON_RESPONSE_CODE,
  REQUEST_TIMEOUT_CODE,
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
]);

/** The lowest HTTP status that is a server error; every 5xx is transient. */
export const MIN_SERVER_ERROR_HTTP_STATUS = 500;

/**
 * "Not found" codes per action, from the documented error tables (reference/ecs-api.md §5). Describe calls
 * are absent on purpose: an unknown id gives an empty list there, which is absence, not an error.
 */
export const NOT_FOUND_CODES: Readonly<Partial<Record<ApiAction, ReadonlySet<string>>>> = {
  DeleteImage: new Set(["InvalidImageId.NotFound"]),
  ModifyImageAttribute: new Set(["InvalidImageId.NotFound"]),
  ModifyImageSharePermission: new Set(["InvalidImageId.NotFound"]),
  DescribeImageSharePermission: new Set(["InvalidImageId.NotFound"]),
  TagResources: new Set(["InvalidResourceId.NotFound"]),
  UntagResources: new Set(["InvalidResourceId.NotFound"]),
  DeleteSnapshot: new Set(["InvalidSnapshotId.NotFound"]),
};

/** Codes that say an image name is taken (a concurrent create won the race). */
export const NAME_TAKEN_CODES: ReadonlySet<string> = new Set(["InvalidImageName.Duplicated"]);

/** True for throttling: any code containing "Throttling" (Throttling, Throttling.User, Rejected.Throttling). */
export function isThrottling(error: CloudError): boolean {
  return error.code.includes(THROTTLING_CODE_MARKER);
}

/** True for transient failures: listed codes, any 5xx, timeouts, dropped connections, non-JSON bodies. */
export function isTransient(error: CloudError): boolean {
  if (TRANSIENT_CODES.has(error.code)) return true;
  return error.httpStatus !== undefined && error.httpStatus >= MIN_SERVER_ERROR_HTTP_STATUS;
}

/** True when retrying may succeed: throttling or transient. A 4xx other than throttling never is. */
export function isRetriable(error: unknown): boolean {
  if (!isCloudErrorLike(error)) return false;
  return isThrottling(error) || isTransient(error);
}

/** True when the error is the documented "not found" of that action (a verified list, not a guess). */
export function isNotFound(error: CloudError): boolean {
  return NOT_FOUND_CODES[error.action]?.has(error.code) ?? false;
}

/** Narrows an unknown to a CloudError by its fields (so that the predicate works across bundles too). */
function isCloudErrorLike(error: unknown): error is CloudError {
  if (typeof error !== "object" || error === null) return false;
  const record = error as Record<string, unknown>;
  return record.name === "CloudError" && typeof record.code === "string";
}
