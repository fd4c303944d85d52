/**
 * Errors the emulator's HTTP side answers before a call reaches the core: authentication, protocol
 * and transport faults. Codes, messages and statuses follow reference/ecs-api.md ("Common errors");
 * the messages are the real service's text, so they keep its trailing period.
 */

import type { EcsError } from "./contract";

/** An ECS error plus the extra response headers it needs (e.g. `x-acs-retry-after`). */
export interface ProtocolError extends EcsError {
  readonly headers?: Readonly<Record<string, string>>;
}

/** Milliseconds a throttled caller is told to wait (header `x-acs-retry-after`); short so tests stay fast. */
export const THROTTLING_RETRY_AFTER_MS = 100;

/** `MissingParameter` (400), with the real message pattern naming the missing input. */
export function missingParameter(name: string): ProtocolError {
  return {
    httpStatus: 400,
    code: "MissingParameter",
    message: `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  };
}

/** `InvalidParameter` (400) with a message saying what is wrong. */
export function invalidParameter(message: string): ProtocolError {
  return { httpStatus: 400, code: "InvalidParameter", message };
}

/** `InvalidVersion` (400): the `x-acs-version` header names a version ECS does not have. */
export function invalidVersion(): ProtocolError {
  return { httpStatus: 400, code: "InvalidVersion", message: "Specified parameter Version is not valid." };
}

/** `InvalidAccessKeyId.NotFound` (404): the access key id is not known. */
export function invalidAccessKeyIdNotFound(): ProtocolError {
  return {
    httpStatus: 404,
    code: "InvalidAccessKeyId.NotFound",
    message: "Specified access key is not found.",
  };
}

/** `SignatureDoesNotMatch` (400). Unlike the real service it never echoes the string to sign. */
export function signatureDoesNotMatch(): ProtocolError {
  return {
    httpStatus: 400,
    code: "SignatureDoesNotMatch",
    message: "Specified signature is not matched with our calculation.",
  };
}

/** `IncompleteSignature` (400): the Authorization header is not a well-formed ACS3 header. */
export function incompleteSignature(detail: string): ProtocolError {
  return {
    httpStatus: 400,
    code: "IncompleteSignature",
    message: `The request signature does not conform to Aliyun standards. ${detail}`,
  };
}

/** `InvalidTimeStamp.Format` (400): `x-acs-date` is not `YYYY-MM-DDTHH:mm:ssZ`. */
export function invalidTimeStampFormat(): ProtocolError {
  return {
    httpStatus: 400,
    code: "InvalidTimeStamp.Format",
    message: "Specified time stamp or date value is not well formatted.",
  };
}

/** `InvalidTimeStamp.Expired` (400): `x-acs-date` is more than 15 minutes off the emulator clock. */
export function invalidTimeStampExpired(): ProtocolError {
  return {
    httpStatus: 400,
    code: "InvalidTimeStamp.Expired",
    message: "Specified time stamp or date value is expired.",
  };
}

/** `SignatureNonceUsed` (400): the `x-acs-signature-nonce` was seen before. */
export function signatureNonceUsed(): ProtocolError {
  return {
    httpStatus: 400,
    code: "SignatureNonceUsed",
    message: "Specified signature nonce was used already.",
  };
}

/** `Throttling.User` (400), with `x-acs-retry-after` so the SDK sets `retryAfter`. */
export function throttlingUser(): ProtocolError {
  return {
    httpStatus: 400,
    code: "Throttling.User",
    message: "Request was denied due to user flow control.",
    headers: { "x-acs-retry-after": String(THROTTLING_RETRY_AFTER_MS) },
  };
}

/** `ServiceUnavailable` (503): an injected server fault. */
export function serviceUnavailable(): ProtocolError {
  return {
    httpStatus: 503,
    code: "ServiceUnavailable",
    message: "The request has failed due to a temporary failure of the server.",
  };
}

/** `InternalError` (500): the core threw, which is an emulator bug. */
export function internalError(): ProtocolError {
  return {
    httpStatus: 500,
    code: "InternalError",
    message: "The request processing has failed due to some unknown error, exception or failure.",
  };
}
