/**
 * Deterministic ClientToken for CreateImage (style.md §5): the same request gives the same token, so a
 * retry after a lost response returns the image the first attempt made instead of creating a second one.
 */
import type * as NodeCrypto from "node:crypto";
import type { ImageSource } from "../common/types";

let cryptoModule: typeof NodeCrypto | undefined;

/**
 * node:crypto, loaded on first use: loading it costs about 4 ms (a tenth of a bare Node start), which a
 * run that fails validation never needs to pay.
 */
function nodeCrypto(): typeof NodeCrypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point
  cryptoModule ??= require("node:crypto") as typeof NodeCrypto;
  return cryptoModule;
}

/** A random UUID for a run's nonce (node:crypto loaded only when a run gets that far). */
export function randomRunNonce(): string {
  return nodeCrypto().randomUUID();
}

/** The API's limit on ClientToken length (ASCII characters). */
export const MAX_CLIENT_TOKEN_LENGTH = 64;

/** The parts of a create request that identify it. */
export interface ClientTokenRequest {
  readonly region: string;
  readonly imageName: string | undefined;
  readonly imageVersion: string | undefined;
  readonly description: string | undefined;
  readonly tags: Readonly<Record<string, string>> | undefined;
  readonly source: ImageSource;
  /**
   * Mixed in only when set: a per-run value for creates without image_name, so each run makes a new image as
   * documented while the retries inside one run still share one token.
   */
  readonly nonce?: string | undefined;
}

/** JSON with object keys sorted at every level, so equal requests serialise equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return "null";
  return JSON.stringify(value);
}

/** The token for a create request: hex SHA-256 of its canonical JSON (64 ASCII characters). */
export function clientTokenFor(request: ClientTokenRequest): string {
  const canonical = canonicalJson({
    region: request.region,
    imageName: request.imageName,
    imageVersion: request.imageVersion,
    description: request.description,
    tags: request.tags,
    source: request.source,
    nonce: request.nonce,
  });
  return nodeCrypto()
    .createHash("sha256")
    .update(canonical, "utf8")
    .digest("hex")
    .slice(0, MAX_CLIENT_TOKEN_LENGTH);
}
