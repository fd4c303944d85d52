/**
 * ACS3-HMAC-SHA256 verification, exactly the recipe of reference/ecs-api.md §3. Errors never carry the
 * string to sign or any secret, unlike the real service's `SignatureDoesNotMatch` message.
 */

import { createHmac, timingSafeEqual } from "node:crypto";

import type { FixtureCredential } from "./contract";
import { checkContentHash, sha256Hex, type ApiRequest, type RequestHeaders } from "./protocol";
import {
  incompleteSignature,
  invalidAccessKeyIdNotFound,
  invalidTimeStampExpired,
  invalidTimeStampFormat,
  missingParameter,
  signatureDoesNotMatch,
  signatureNonceUsed,
  type ProtocolError,
} from "./protocol-errors";

/** The only signature algorithm the emulator accepts (the SDK's default). */
export const SIGNATURE_ALGORITHM = "ACS3-HMAC-SHA256";

/** Largest difference between `x-acs-date` and the emulator clock (the documented 15 minutes). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Headers every signature must cover, so none of them can be changed in flight. */
const REQUIRED_SIGNED_HEADERS: readonly string[] = [
  "host",
  "x-acs-action",
  "x-acs-content-sha256",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-version",
];

/** The parts of an `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…` header. */
export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Who made a verified call. */
export interface VerifiedCaller {
  readonly accessKeyId: string;
  readonly accountId: string;
  /** True when the call carried `x-acs-security-token` (an STS credential). The token itself is never kept. */
  readonly usedSecurityToken: boolean;
}

/** The verdict on one request. */
export type VerifyResult =
  | { readonly ok: true; readonly caller: VerifiedCaller }
  | { readonly ok: false; readonly error: ProtocolError };

/** Remembers nonces for the skew window, in bounded memory. */
export interface NonceStore {
  /** Records a nonce; false when it was already seen and has not expired. */
  remember(nonce: string, nowMs: number): boolean;
  clear(): void;
  size(): number;
}

/** What verification needs from the rest of the emulator. */
export interface VerifyContext {
  findCredential(accessKeyId: string): FixtureCredential | undefined;
  readonly nonces: NonceStore;
  readonly nowMs: number;
}

/** Verifies the header format, date, key, body hash, signature and nonce, cheapest first, nonce last. */
export function verifyRequest(request: ApiRequest, context: VerifyContext): VerifyResult {
  const parsed = parseRequestAuthorization(request.headers);
  if ("code" in parsed) {
    return { ok: false, error: parsed };
  }
  const credential = context.findCredential(parsed.accessKeyId);
  const error =
    checkSignedHeaders(request.headers, parsed) ??
    checkDate(request.headers, context.nowMs) ??
    (credential === undefined
      ? invalidAccessKeyIdNotFound()
      : checkSigned(request, parsed, credential, context));
  if (error !== undefined || credential === undefined) {
    return { ok: false, error: error ?? invalidAccessKeyIdNotFound() };
  }
  const usedSecurityToken = request.headers["x-acs-security-token"] !== undefined;
  return {
    ok: true,
    caller: { accessKeyId: parsed.accessKeyId, accountId: credential.account_id, usedSecurityToken },
  };
}

/** The checks that need the key's secret; the nonce is recorded only once everything else holds. */
function checkSigned(
  request: ApiRequest,
  auth: ParsedAuthorization,
  credential: FixtureCredential,
  context: VerifyContext,
): ProtocolError | undefined {
  return (
    checkContentHash(request.headers, request.body) ??
    checkStsKey(request.headers, auth) ??
    checkSignature(request, auth, credential.access_key_secret) ??
    checkNonce(request.headers, context)
  );
}

/**
 * Reads the Authorization header. Missing answers `MissingParameter` (naming the header, the clearest
 * of the real codes); present but not a well-formed ACS3 header answers `IncompleteSignature`.
 */
export function parseRequestAuthorization(headers: RequestHeaders): ParsedAuthorization | ProtocolError {
  const header = headers.authorization;
  if (header === undefined || header.trim() === "") {
    return missingParameter("Authorization");
  }
  return (
    parseAuthorization(header) ??
    incompleteSignature(
      `Expected "${SIGNATURE_ALGORITHM} Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>"`,
    )
  );
}

/** Parses an ACS3 Authorization header value; undefined when it is malformed. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const prefix = `${SIGNATURE_ALGORITHM} `;
  if (!header.startsWith(prefix)) {
    return undefined;
  }
  const fields = parseAuthorizationFields(header.slice(prefix.length));
  const accessKeyId = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (accessKeyId === undefined || signedHeaders === undefined || signature === undefined) {
    return undefined;
  }
  if (
    accessKeyId === "" ||
    !/^[0-9a-f]{64}$/i.test(signature) ||
    !/^[a-z0-9-]+(;[a-z0-9-]+)*$/.test(signedHeaders)
  ) {
    return undefined;
  }
  return { accessKeyId, signedHeaders: signedHeaders.split(";"), signature: signature.toLowerCase() };
}

/** Splits `k=v,k=v` into a map; a part without `=` makes the map miss a field, hence malformed. */
function parseAuthorizationFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split(",")) {
    const equals = part.indexOf("=");
    if (equals > 0) {
      fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
    }
  }
  return fields;
}

/** The required headers must be signed and present, the list sorted and without repeats. */
function checkSignedHeaders(headers: RequestHeaders, auth: ParsedAuthorization): ProtocolError | undefined {
  const sorted = [...new Set(auth.signedHeaders)].sort();
  if (sorted.join(";") !== auth.signedHeaders.join(";")) {
    return incompleteSignature("SignedHeaders must be lower case, sorted and without repeats");
  }
  const required =
    headers["x-acs-security-token"] === undefined
      ? REQUIRED_SIGNED_HEADERS
      : [...REQUIRED_SIGNED_HEADERS, "x-acs-security-token"];
  const unsigned = required.find((name) => !auth.signedHeaders.includes(name));
  if (unsigned !== undefined) {
    return incompleteSignature(`SignedHeaders must include ${unsigned}`);
  }
  const absent = auth.signedHeaders.find((name) => headers[name] === undefined);
  return absent === undefined ? undefined : missingParameter(absent);
}

/** `x-acs-date` must be `YYYY-MM-DDTHH:mm:ssZ` and within 15 minutes of the emulator clock. */
function checkDate(headers: RequestHeaders, nowMs: number): ProtocolError | undefined {
  const dateMs = parseAcsDate(headers["x-acs-date"] ?? "");
  if (dateMs === undefined) {
    return invalidTimeStampFormat();
  }
  return Math.abs(dateMs - nowMs) > MAX_CLOCK_SKEW_MS ? invalidTimeStampExpired() : undefined;
}

/** Parses the SDK's UTC timestamp format; undefined when malformed. */
export function parseAcsDate(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) {
    return undefined;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** With STS the SDK also sends `x-acs-accesskey-id`; it must name the signing key. */
function checkStsKey(headers: RequestHeaders, auth: ParsedAuthorization): ProtocolError | undefined {
  const declared = headers["x-acs-accesskey-id"];
  return declared === undefined || declared === auth.accessKeyId ? undefined : signatureDoesNotMatch();
}

/** Recomputes the signature and compares it in constant time. */
function checkSignature(
  request: ApiRequest,
  auth: ParsedAuthorization,
  secret: string,
): ProtocolError | undefined {
  const expected = Buffer.from(computeSignature(request, auth.signedHeaders, secret), "hex");
  const given = Buffer.from(auth.signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? undefined
    : signatureDoesNotMatch();
}

/** The nonce is recorded only after the signature holds, so forged requests cannot burn nonces. */
function checkNonce(headers: RequestHeaders, context: VerifyContext): ProtocolError | undefined {
  const nonce = headers["x-acs-signature-nonce"] ?? "";
  return context.nonces.remember(nonce, context.nowMs) ? undefined : signatureNonceUsed();
}

/** Hex HMAC-SHA256 of the string to sign, keyed with the secret as is (no trailing `&`). */
export function computeSignature(
  request: ApiRequest,
  signedHeaders: readonly string[],
  secret: string,
): string {
  const stringToSign = `${SIGNATURE_ALGORITHM}\n${sha256Hex(canonicalRequest(request, signedHeaders))}`;
  return createHmac("sha256", secret).update(stringToSign).digest("hex");
}

/** METHOD, path, canonical query, canonical headers, signed header names, hashed payload. */
export function canonicalRequest(request: ApiRequest, signedHeaders: readonly string[]): string {
  return [
    request.method,
    request.path,
    canonicalQueryString(request.params),
    canonicalHeaders(request.headers, signedHeaders),
    signedHeaders.join(";"),
    sha256Hex(request.body),
  ].join("\n");
}

/** Decoded params sorted by key (code-unit order), values percent-encoded the SDK's way. */
export function canonicalQueryString(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${key}=${percentEncode(params[key] ?? "")}`)
    .join("&");
}

/** `name:trimmed value\n` for each signed header; the result ends in a newline. */
export function canonicalHeaders(headers: RequestHeaders, signedHeaders: readonly string[]): string {
  return signedHeaders.map((name) => `${name}:${(headers[name] ?? "").trim()}\n`).join("");
}

/** encodeURIComponent plus `!'()*`, as the SDK encodes values for signing. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * A nonce store that forgets a nonce after `ttlMs` (default 30 minutes: a nonce can only be replayed
 * while its date is within ±15 minutes of the clock) and holds at most `maxEntries`, dropping the oldest.
 */
export function createNonceStore(options: { ttlMs?: number; maxEntries?: number } = {}): NonceStore {
  const ttlMs = options.ttlMs ?? 2 * MAX_CLOCK_SKEW_MS;
  const maxEntries = options.maxEntries ?? 100_000;
  const expiries = new Map<string, number>();
  return {
    remember(nonce: string, nowMs: number): boolean {
      forgetExpired(expiries, nowMs);
      const expiry = expiries.get(nonce);
      if (expiry !== undefined && expiry > nowMs) {
        return false;
      }
      expiries.delete(nonce);
      expiries.set(nonce, nowMs + ttlMs);
      forgetOldest(expiries, maxEntries);
      return true;
    },
    clear(): void {
      expiries.clear();
    },
    size(): number {
      return expiries.size;
    },
  };
}

/** Insertion order is expiry order while the clock moves forward, so expired nonces sit at the front. */
function forgetExpired(expiries: Map<string, number>, nowMs: number): void {
  for (const [nonce, expiry] of expiries) {
    if (expiry > nowMs) {
      return;
    }
    expiries.delete(nonce);
  }
}

/** Keeps memory bounded under a flood of requests. */
function forgetOldest(expiries: Map<string, number>, maxEntries: number): void {
  for (const nonce of expiries.keys()) {
    if (expiries.size <= maxEntries) {
      return;
    }
    expiries.delete(nonce);
  }
}
