/**
 * The ECS wire protocol (reference/ecs-api.md §3, §4, §7): a signed `POST /` with every parameter in
 * the query string and the action in the `x-acs-action` header, answered with PascalCase JSON. This is
 * the only file that knows about query strings and response envelopes.
 */

import { createHash, randomUUID } from "node:crypto";

import type { EcsError } from "./contract";
import { invalidParameter, invalidVersion, missingParameter, type ProtocolError } from "./protocol-errors";

/** The only API version ECS answers (`x-acs-version`). */
export const ECS_API_VERSION = "2014-05-26";

/** `HostId` of every error body, as the real ECS endpoint reports it. */
export const ECS_HOST_ID = "ecs.aliyuncs.com";

/** Request headers with lower-case names; repeated headers are joined as node:http joins them. */
export type RequestHeaders = Readonly<Record<string, string>>;

/** An incoming API request, before authentication. */
export interface ApiRequest {
  readonly method: string;
  /** The URL path as sent (the SDK always sends `/`). */
  readonly path: string;
  readonly headers: RequestHeaders;
  /** Decoded query parameters, flattened names as sent (`Tag.1.Key`). */
  readonly params: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A response ready to write: status, headers and the JSON text. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Content type of every response (reference/ecs-api.md §7: the SDK needs JSON, errors included). */
export const JSON_CONTENT_TYPE = "application/json;charset=utf-8";

/** Builds an `ApiRequest` from the raw request line, headers and body. */
export function parseApiRequest(
  method: string,
  rawUrl: string,
  headers: RequestHeaders,
  body: Buffer,
): ApiRequest {
  const queryStart = rawUrl.indexOf("?");
  const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = queryStart === -1 ? "" : rawUrl.slice(queryStart + 1);
  return { method, path, headers, params: decodeQuery(query), body };
}

/** Decodes a raw query string; a repeated key keeps its last value (the SDK never repeats one). */
export function decodeQuery(query: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    params[key] = value;
  }
  return params;
}

/**
 * Checks the action and version headers. A wrong version answers `InvalidVersion` (400), the code the
 * real gateway gives for an unknown API version; a missing header answers `MissingParameter`.
 */
export function checkActionAndVersion(headers: RequestHeaders): ProtocolError | undefined {
  const version = headers["x-acs-version"];
  if (version === undefined || version === "") {
    return missingParameter("x-acs-version");
  }
  if (version !== ECS_API_VERSION) {
    return invalidVersion();
  }
  const action = headers["x-acs-action"];
  return action === undefined || action === "" ? missingParameter("x-acs-action") : undefined;
}

/** Checks that the body hashes to `x-acs-content-sha256`, which the signature covers. */
export function checkContentHash(headers: RequestHeaders, body: Buffer): ProtocolError | undefined {
  const declared = headers["x-acs-content-sha256"];
  if (declared === undefined || declared === "") {
    return missingParameter("x-acs-content-sha256");
  }
  return declared.toLowerCase() === sha256Hex(body)
    ? undefined
    : invalidParameter("The x-acs-content-sha256 header does not match the SHA-256 of the request body.");
}

/** Hex SHA-256 of a buffer or string. */
export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A new request id in the real format: an upper-case UUID. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

/** The success envelope: `{RequestId, ...body}`. */
export function successResponse(requestId: string, body: Readonly<Record<string, unknown>>): HttpResponse {
  return jsonResponse(200, { RequestId: requestId, ...body }, { "x-acs-request-id": requestId });
}

/** The error envelope `{RequestId, HostId, Code, Message, Recommend}` with the error's own status. */
export function errorResponse(requestId: string, error: EcsError | ProtocolError): HttpResponse {
  const body = {
    RequestId: requestId,
    HostId: ECS_HOST_ID,
    Code: error.code,
    Message: error.message,
    Recommend: recommendUrl(error.code, requestId),
  };
  const extra = "headers" in error ? error.headers : undefined;
  return jsonResponse(error.httpStatus, body, { ...extra, "x-acs-request-id": requestId });
}

/** The troubleshooting link the real service puts in `Recommend`. */
export function recommendUrl(code: string, requestId: string): string {
  const query = new URLSearchParams({ q: code, product: "Ecs", requestId });
  return `https://api.aliyun.com/troubleshoot?${query.toString()}`;
}

/** Any JSON response (also used by the control plane). */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResponse {
  return { status, headers: { "content-type": JSON_CONTENT_TYPE, ...headers }, body: JSON.stringify(value) };
}
