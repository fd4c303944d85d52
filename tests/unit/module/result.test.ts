import type { ImageState } from "../../../src/common/types";
import { validateParams } from "../../../src/module/params";
import type { JsonValue } from "../../../src/module/result";
import {
  exitJson,
  failJson,
  failParams,
  imageFacts,
  moduleArgsOf,
  removeValues,
} from "../../../src/module/result";

const P = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER";

describe("removeValues() masks like Ansible's remove_values", () => {
  test.each<[string, JsonValue, string[], JsonValue]>([
    ["an equal string", "hunter2", ["hunter2"], P],
    ["each occurrence inside a string", "hunter2-image-hunter2", ["hunter2"], "********-image-********"],
    ["a number equal to a secret", 12345, ["12345"], P],
    ["a number containing a secret", 9123459, ["2345"], P],
    ["a float containing a secret", 1.5, ["1.5"], P],
    ["an unrelated number", 7, ["12345"], 7],
    ["a bool is untouched", true, ["True"], true],
    ["null is untouched", null, ["None"], null],
    ["dict keys are untouched", { hunter2: "hunter2" }, ["hunter2"], { hunter2: P }],
    ["recursively", { a: [{ b: "x hunter2 y" }, 12] }, ["hunter2", "12"], { a: [{ b: "x ******** y" }, P] }],
    ["an empty secret is ignored", "text", [""], "text"],
    ["several secrets", "a-s1-b-s2", ["s1", "s2"], "a-********-b-********"],
  ])("%s", (_name, value, secrets, expected) => {
    expect(removeValues(value, secrets)).toEqual(expected);
  });
});

const CONTEXT = {
  moduleArgs: { image_name: "x", acs_secret_access_key: "s3cr3t" },
  warnings: [],
  noLogValues: ["s3cr3t"],
};

describe("exitJson() and failJson() build the whole result and mask it last", () => {
  test("exitJson() puts changed, failed and msg first, invocation last, and drops empty warnings", () => {
    const result = exitJson(
      { changed: true, msg: "Created image m-1 with s3cr3t", image_id: "m-1" },
      CONTEXT,
    );
    expect(Object.keys(result)).toEqual(["changed", "failed", "msg", "image_id", "invocation"]);
    expect(result.msg).toBe("Created image m-1 with ********");
    expect(result.invocation).toEqual({ module_args: { image_name: "x", acs_secret_access_key: P } });
  });

  test("exitJson() keeps warnings when there are some", () => {
    const result = exitJson({ changed: false, msg: "ok" }, { ...CONTEXT, warnings: ["w"] });
    expect(result.warnings).toEqual(["w"]);
  });

  test("failJson() sets failed and changed, and masks the cloud error too", () => {
    const result = failJson(
      "SignatureDoesNotMatch for s3cr3t",
      { error: { code: "X", request_id: "r" } },
      CONTEXT,
    );
    expect(result).toMatchObject({
      changed: false,
      failed: true,
      msg: "SignatureDoesNotMatch for ********",
      error: { code: "X" },
    });
    expect(JSON.stringify(result)).not.toContain("s3cr3t");
  });

  test("failJson() keeps changed: true after a partial failure", () => {
    expect(failJson("boom", { changed: true, image_id: "m-1" }, CONTEXT)).toMatchObject({
      changed: true,
      failed: true,
      image_id: "m-1",
    });
  });

  test("failParams() turns a validation error into Ansible's failure, secrets masked", () => {
    const validated = validateParams({ secret_key: "topsecret", status: "topsecret" }, {});
    if (validated.ok) throw new Error("expected an error");
    const result = failParams(validated.error);
    expect(result.msg).toBe(`value of status must be one of: present, absent, got: ********`);
    expect(result.failed).toBe(true);
    expect(JSON.stringify(result)).not.toContain("topsecret");
  });

  test("moduleArgsOf() echoes canonical keys with null for absent options", () => {
    const validated = validateParams({ name: "img", version: 4 }, {});
    if (!validated.ok) throw new Error(validated.error.msg);
    const args = moduleArgsOf(validated.params);
    expect(args).toMatchObject({ image_name: "img", image_version: "4", region: null, wait: false });
    expect(Object.keys(args)).not.toContain("name");
  });
});

describe("imageFacts() gives the snake_case image dict", () => {
  const image: ImageState = {
    imageId: "m-1",
    imageName: "web",
    imageVersion: "4",
    description: "d",
    status: "Available",
    progress: "100%",
    sizeGiB: 40,
    creationTime: "2024-01-01T00:00:00Z",
    architecture: "x86_64",
    platform: "Ubuntu",
    osName: "Ubuntu 22.04",
    tags: { team: "data" },
    diskDeviceMappings: [{ device: "/dev/xvda", sizeGiB: 40, snapshotId: "s-1", type: "system" }],
    launchPermission: ["1100000000000001"],
    region: "cn-hangzhou",
  };

  test("imageFacts() maps every field", () => {
    expect(imageFacts(image)).toEqual({
      image_id: "m-1",
      image_name: "web",
      image_version: "4",
      description: "d",
      status: "Available",
      progress: "100%",
      size: 40,
      creation_time: "2024-01-01T00:00:00Z",
      architecture: "x86_64",
      platform: "Ubuntu",
      os_name: "Ubuntu 22.04",
      boot_mode: "",
      image_family: "",
      resource_group_id: "",
      tags: { team: "data" },
      disk_device_mappings: [{ device: "/dev/xvda", size: 40, snapshot_id: "s-1", type: "system" }],
      launch_permission: ["1100000000000001"],
      region: "cn-hangzhou",
    });
  });

  test("imageFacts() gives null for what was not read", () => {
    const facts = imageFacts({
      ...image,
      sizeGiB: undefined,
      launchPermission: undefined,
      diskDeviceMappings: [
        { device: "/dev/xvdb", sizeGiB: undefined, snapshotId: undefined, type: undefined },
      ],
    });
    expect(facts).toMatchObject({
      size: null,
      launch_permission: null,
      disk_device_mappings: [{ device: "/dev/xvdb", size: null, snapshot_id: null, type: null }],
    });
  });
});
