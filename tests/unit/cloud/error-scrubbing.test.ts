/**
 * normalizeError() keeps only what is safe to print (issue 5, point 7): the SDK's own message text can echo
 * request data (a real SignatureDoesNotMatch echoes the string to sign), so a crafted SDK-shaped error whose
 * every text field embeds a secret must come out without it.
 */
import { normalizeError } from "../../../src/cloud/errors";

const SECRET = "CanarySecret-crafted-0001";

/** The fields of a CloudError as JSON, everything a result could print. */
function printable(error: unknown): string {
  const normalized = normalizeError(error, "CreateImage");
  return JSON.stringify({
    code: normalized.code,
    message: normalized.message,
    requestId: normalized.requestId,
    httpStatus: normalized.httpStatus,
    action: normalized.action,
    retryAfterMs: normalized.retryAfterMs,
    attempts: normalized.attempts,
    name: normalized.name,
    keys: Object.keys(normalized),
  });
}

describe("normalizeError() scrubs request data", () => {
  test("normalizeError() drops the SDK's message, description and detail of a ClientError", () => {
    const error = Object.assign(
      new Error(`SignatureDoesNotMatch: code: 400, string to sign ${SECRET} request id: R1`),
      {
        name: "ClientError",
        code: "SignatureDoesNotMatch",
        statusCode: 400,
        requestId: "R1",
        description: `signed with ${SECRET}`,
        detail: `detail ${SECRET}`,
        accessDeniedDetail: { secret: SECRET },
        data: {
          Code: "SignatureDoesNotMatch",
          Message: "Specified signature is not matched with our calculation.",
          Recommend: `https://x?${SECRET}`,
        },
      },
    );
    const text = printable(error);
    expect(text).not.toContain(SECRET);
    expect(normalizeError(error, "CreateImage").message).toBe(
      "Specified signature is not matched with our calculation.",
    );
  });

  test("normalizeError() drops the message of network errors, timeouts and non-JSON bodies", () => {
    const errors: unknown[] = [
      Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:1 POST http://x/?AccessKeySecret=${SECRET}`), {
        code: "ECONNREFUSED",
      }),
      Object.assign(new Error(`ReadTimeout(10000) ${SECRET}`), { name: "RequestTimeoutError" }),
      new SyntaxError(`Unexpected token < in JSON at position 0: ${SECRET}`),
      Object.assign(new Error(`socket hang up ${SECRET}`), {}),
      new TypeError(`Cannot read properties of undefined ${SECRET}`),
      { name: SECRET.slice(0, 0) + "Weird", message: SECRET },
    ];
    for (const error of errors) expect(printable(error)).not.toContain(SECRET);
  });
});
