/**
 * Endpoint parsing (pure): `host:port` or `http(s)://host[:port]`. HTTPS by default, and plain HTTP only to a
 * loopback host, so credentials-bearing requests never cross a network in clear. A bare `host:port` on
 * loopback means plain HTTP: that is a local emulator (it prints its endpoint so), and traffic to loopback
 * never leaves the machine; `https://` still forces TLS there.
 */
import { CloudConfigError } from "./errors";

/** Wire protocol, spelled as the SDK's Config wants it. */
export type EndpointProtocol = "HTTPS" | "HTTP";

/** A parsed endpoint: the host (with port, if any) as it goes into the Host header, and the protocol. */
export interface Endpoint {
  readonly host: string;
  readonly protocol: EndpointProtocol;
}

/** The option name used in messages. */
const ENDPOINT_OPTION = "endpoint";

/** True for 127.0.0.0/8, ::1 and localhost (the only hosts plain HTTP may reach). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Parses with the WHATWG URL parser; undefined when it is not a URL at all. */
function tryParseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Rejects URLs that carry more than a host and port (a path, query, fragment or user info). */
function checkBareHost(url: URL, original: string): void {
  const hasExtra = (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "";
  if (hasExtra || url.username !== "" || url.password !== "") {
    throw new CloudConfigError(
      ENDPOINT_OPTION,
      `Endpoint ${original} must be host[:port] or http(s)://host[:port] with no path`,
    );
  }
}

/**
 * Parses the endpoint option.
 * @throws CloudConfigError for an empty or malformed value, an unknown scheme, or plain HTTP to a non-loopback host
 */
export function parseEndpoint(text: string): Endpoint {
  const trimmed = text.trim();
  if (trimmed === "") throw new CloudConfigError(ENDPOINT_OPTION, "Endpoint must not be empty");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "http" && scheme !== "https") {
    throw new CloudConfigError(
      ENDPOINT_OPTION,
      `Endpoint ${trimmed} has scheme ${scheme}; use https:// (or http:// to a loopback host)`,
    );
  }
  const url = tryParseUrl(scheme === undefined ? `https://${trimmed}` : trimmed);
  if (url === undefined || url.hostname === "") {
    throw new CloudConfigError(ENDPOINT_OPTION, `Endpoint ${trimmed} is not a valid host[:port] or URL`);
  }
  checkBareHost(url, trimmed);
  if (scheme === "http" && !isLoopbackHost(url.hostname)) {
    throw new CloudConfigError(
      ENDPOINT_OPTION,
      `Endpoint ${trimmed} uses plain HTTP to a host that is not loopback; use https:// or a loopback address (127.0.0.1, ::1, localhost)`,
    );
  }
  const plain = scheme === "http" || (scheme === undefined && isLoopbackHost(url.hostname));
  return { host: url.host, protocol: plain ? "HTTP" : "HTTPS" };
}
