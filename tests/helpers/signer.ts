/**
 * An independent ACS3-HMAC-SHA256 signer written from the recipe in reference/ecs-api.md §3 (not from
 * src/emulator/signature.ts), so signature tests check the emulator against the recipe, and a raw
 * HTTP sender for hand-made or tampered requests. Talks to 127.0.0.1 only.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";

/** What to sign. Every field but the first five has a default that matches the SDK. */
export interface SignInput {
  readonly endpoint: string;
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  readonly version?: string;
  /** `YYYY-MM-DDTHH:mm:ssZ`; default now. */
  readonly date?: string;
  readonly nonce?: string;
  readonly body?: string;
}

/** A signed request, ready to send (or to tamper with first). */
export interface SignedRequest {
  /** The raw query string as it goes on the wire (no leading `?`). */
  query: string;
  headers: Record<string, string>;
  body: string;
}

/** What came back from a raw request. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: Record<string, unknown> | undefined;
}

/** The RFC 3986 encoding the recipe asks for: unreserved characters stay, everything else is %XX (UTF-8). */
export function acsEncode(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The current time in the SDK's `x-acs-date` format. */
export function acsDate(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function hexSha256(data: string): string {
  return createHash("sha256").update(data, "utf8").digest("hex");
}

/** Signs a request as the SDK does (all x-acs-* headers plus host are signed). */
export function signRequest(input: SignInput): SignedRequest {
  const body = input.body ?? "";
  const headers: Record<string, string> = {
    host: input.endpoint,
    "x-acs-version": input.version ?? "2014-05-26",
    "x-acs-action": input.action,
    "x-acs-date": input.date ?? acsDate(),
    "x-acs-signature-nonce": input.nonce ?? randomBytes(32).toString("hex"),
    "x-acs-content-sha256": hexSha256(body),
    accept: "application/json",
  };
  if (input.securityToken !== undefined) {
    headers["x-acs-accesskey-id"] = input.accessKeyId;
    headers["x-acs-security-token"] = input.securityToken;
  }
  const query = Object.keys(input.params)
    .sort()
    .map((key) => `${key}=${acsEncode(input.params[key]!)}`)
    .join("&");
  headers.authorization = authorizationFor(input, headers, query);
  return { query, headers, body };
}

/** The Authorization header for the given headers and canonical query. */
function authorizationFor(input: SignInput, headers: Record<string, string>, query: string): string {
  const names = Object.keys(headers)
    .filter((name) => name === "host" || name.startsWith("x-acs-"))
    .sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers[name]!.trim()}\n`).join("");
  const canonical = [
    "POST",
    "/",
    query,
    canonicalHeaders,
    names.join(";"),
    headers["x-acs-content-sha256"],
  ].join("\n");
  const stringToSign = `ACS3-HMAC-SHA256\n${hexSha256(canonical)}`;
  const signature = createHmac("sha256", input.accessKeySecret).update(stringToSign).digest("hex");
  return `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${names.join(";")},Signature=${signature}`;
}

/** The hex signature inside an Authorization header. */
export function signatureOf(request: SignedRequest): string {
  return /Signature=([0-9a-f]+)/.exec(request.headers.authorization ?? "")?.[1] ?? "";
}

/** Sends a request to the emulator at `endpoint` (which must be 127.0.0.1:PORT). */
export function sendRaw(endpoint: string, request: SignedRequest, path = "/"): Promise<RawResponse> {
  const [host, port] = splitEndpoint(endpoint);
  const url = request.query === "" ? path : `${path}?${request.query}`;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host, port, method: "POST", path: url, headers: request.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) });
        });
        res.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

function splitEndpoint(endpoint: string): [string, number] {
  const match = /^(127\.0\.0\.1):(\d+)$/.exec(endpoint);
  if (match === null) {
    throw new Error(`Tests only talk to 127.0.0.1, got endpoint ${endpoint}`);
  }
  return [match[1]!, Number(match[2])];
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
