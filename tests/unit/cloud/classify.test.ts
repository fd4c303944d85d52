import { isNotFound, isRetriable, isThrottling, isTransient } from "../../../src/cloud/classify";
import type { ApiAction } from "../../../src/cloud/errors";
import { CloudError } from "../../../src/cloud/errors";

function err(code: string, httpStatus: number | undefined, action: ApiAction = "DescribeImages"): CloudError {
  return new CloudError({ code, message: "m", requestId: undefined, httpStatus, action });
}

describe("classify", () => {
  test.each([
    ["Throttling", 400, true, false, true],
    ["Throttling.User", 400, true, false, true],
    ["Rejected.Throttling", 503, true, true, true],
    ["ServiceUnavailable", 503, false, true, true],
    ["InternalError", 500, false, true, true],
    ["SomethingNew", 502, false, true, true],
    ["NonJsonResponse", undefined, false, true, true],
    ["RequestTimeout", undefined, false, true, true],
    ["ECONNREFUSED", undefined, false, true, true],
    ["ECONNRESET", undefined, false, true, true],
    ["InvalidImageName.Duplicated", 400, false, false, false],
    ["InvalidImageId.NotFound", 404, false, false, false],
    ["Forbidden.RAM", 403, false, false, false],
    ["SignatureDoesNotMatch", 400, false, false, false],
    ["UnknownError", undefined, false, false, false],
  ])(
    "%s (HTTP %s): throttling %s, transient %s, retriable %s",
    (code, status, throttling, transient, retriable) => {
      const error = err(code, status);
      expect(isThrottling(error)).toBe(throttling);
      expect(isTransient(error)).toBe(transient);
      expect(isRetriable(error)).toBe(retriable);
    },
  );

  test("isRetriable() is false for anything that is not a CloudError", () => {
    expect(isRetriable(new Error("ECONNRESET"))).toBe(false);
    expect(isRetriable({ code: "Throttling" })).toBe(false);
    expect(isRetriable(undefined)).toBe(false);
  });

  test.each<[string, ApiAction, boolean]>([
    ["InvalidImageId.NotFound", "DeleteImage", true],
    ["InvalidImageId.NotFound", "ModifyImageAttribute", true],
    ["InvalidImageId.NotFound", "ModifyImageSharePermission", true],
    ["InvalidImageId.NotFound", "DescribeImageSharePermission", true],
    ["InvalidResourceId.NotFound", "TagResources", true],
    ["InvalidSnapshotId.NotFound", "DeleteSnapshot", true],
    ["InvalidImageId.NotFound", "CreateImage", false],
    ["InvalidInstanceId.NotFound", "CreateImage", false],
    ["InvalidImageId.NotFound", "DescribeImages", false],
    ["ImageUsingByInstance", "DeleteImage", false],
  ])("isNotFound() of %s on %s is %s", (code, action, expected) => {
    expect(isNotFound(err(code, 404, action))).toBe(expected);
  });
});
