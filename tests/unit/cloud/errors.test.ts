import { ClientError, ServerError, ThrottlingError } from "@alicloud/openapi-core";
import { CloudError, normalizeError } from "../../../src/cloud/errors";

/** Builds the SDK's error the way openapi-core 1.0.8 does for a 4xx/5xx response (reference §4). */
function sdkFields(
  statusCode: number,
  body: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const requestId = body.RequestId;
  return {
    statusCode,
    code: String(body.Code),
    message: `code: ${statusCode}, ${String(body.Message)} request id: ${String(requestId)}`,
    detail: "undefined",
    description: "undefined",
    data: body,
    requestId: String(requestId),
    ...extra,
  };
}

describe("normalizeError()", () => {
  test("normalizeError() keeps code, server Message, request id and status of a ClientError", () => {
    const body = {
      RequestId: "RID-1",
      HostId: "h",
      Code: "InvalidImageName.Duplicated",
      Message: "The specified Image name has already been used.",
      Recommend: "x",
    };
    const error = normalizeError(new ClientError(sdkFields(400, body)), "CreateImage");
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({
      code: "InvalidImageName.Duplicated",
      message: "The specified Image name has already been used.",
      requestId: "RID-1",
      httpStatus: 400,
      action: "CreateImage",
      attempts: 1,
      retryAfterMs: undefined,
    });
  });

  test("normalizeError() reads retryAfter of a ThrottlingError", () => {
    const body = {
      RequestId: "RID-2",
      Code: "Throttling.User",
      Message: "Request was denied due to user flow control.",
    };
    const error = normalizeError(
      new ThrottlingError(sdkFields(400, body, { retryAfter: 1500 })),
      "DescribeImages",
    );
    expect(error).toMatchObject({ code: "Throttling.User", httpStatus: 400, retryAfterMs: 1500 });
  });

  test("normalizeError() converts a ServerError", () => {
    const body = {
      RequestId: "RID-3",
      Code: "ServiceUnavailable",
      Message: "The request has failed due to a temporary failure of the server.",
    };
    expect(normalizeError(new ServerError(sdkFields(503, body)), "DeleteImage")).toMatchObject({
      code: "ServiceUnavailable",
      httpStatus: 503,
    });
  });

  test("normalizeError() never keeps the SDK's own message text (it can echo request data)", () => {
    const fields = sdkFields(400, { RequestId: "R", Code: "SignatureDoesNotMatch" });
    fields.message = "SignatureDoesNotMatch: code: 400, secret-value-123 request id: R";
    const error = normalizeError(new ClientError(fields), "DescribeImages");
    expect(error.message).not.toContain("secret-value-123");
    expect(error.message).toBe("The service answered HTTP 400 without a message");
    expect(error.requestId).toBe("R");
  });

  test("normalizeError() maps the SDK's 'undefined' request id to undefined", () => {
    const error = normalizeError(
      new ClientError(sdkFields(404, { Code: "X", Message: "m" })),
      "DescribeImages",
    );
    expect(error.requestId).toBeUndefined();
  });

  test("normalizeError() turns a raw SyntaxError (non-JSON 5xx body) into NonJsonResponse", () => {
    let syntax: unknown;
    try {
      JSON.parse("<html>502 Bad Gateway</html>");
    } catch (error: unknown) {
      syntax = error;
    }
    expect(normalizeError(syntax, "CreateImage")).toMatchObject({
      code: "NonJsonResponse",
      httpStatus: undefined,
    });
  });

  test.each([
    [
      Object.assign(
        new Error("connect ECONNREFUSED 127.0.0.1:1POST http://127.0.0.1:1/?ImageName=secret failed."),
        { code: "ECONNREFUSED" },
      ),
      "ECONNREFUSED",
    ],
    [Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), "ECONNRESET"],
    [new Error("socket hang up ImageName=secret"), "ECONNRESET"],
    [
      Object.assign(new Error("ReadTimeout(3000). POST http://h/?x=secret failed."), {
        name: "RequestTimeoutError",
      }),
      "RequestTimeout",
    ],
    [Object.assign(new Error("ConnectTimeout: x=secret"), { name: "RequestTimeoutError" }), "RequestTimeout"],
  ])("normalizeError() maps a network failure to %#", (error, code) => {
    const normalized = normalizeError(error, "DescribeImages");
    expect(normalized.code).toBe(code);
    expect(normalized.message).not.toContain("secret");
    expect(normalized.httpStatus).toBeUndefined();
  });

  test("normalizeError() distinguishes connect and read timeouts in its text", () => {
    const connect = Object.assign(new Error("ConnectTimeout: 3000"), { name: "RequestTimeoutError" });
    expect(normalizeError(connect, "DescribeImages").message).toBe("The request timed out (connect)");
  });

  test("normalizeError() handles the SDK's local InvalidCredentials and unknown values without their text", () => {
    const local = Object.assign(new Error("InvalidCredentials: secret"), { code: "InvalidCredentials" });
    expect(normalizeError(local, "DescribeImages")).toMatchObject({
      code: "InvalidCredentials",
      message: "No usable credentials were given",
    });
    const odd = normalizeError(new TypeError("boom secret"), "DescribeImages");
    expect(odd).toMatchObject({
      code: "UnknownError",
      message: "Unexpected TypeError while calling DescribeImages",
    });
    expect(normalizeError("text", "DescribeImages").code).toBe("UnknownError");
    expect(normalizeError(undefined, "DescribeImages").code).toBe("UnknownError");
  });

  test("normalizeError() returns a CloudError unchanged", () => {
    const error = new CloudError({
      code: "X",
      message: "m",
      requestId: undefined,
      httpStatus: 400,
      action: "DeleteImage",
    });
    expect(normalizeError(error, "CreateImage")).toBe(error);
  });
});
