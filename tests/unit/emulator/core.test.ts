import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createEmulatorCore, ACTION_HANDLERS } from "../../../src/emulator/core";
import { DEFAULT_FIXTURES } from "../../../src/emulator/default-fixtures";
import * as errors from "../../../src/emulator/errors";
import { parseFixtures } from "../../../src/emulator/fixtures";
import { createIdGenerator } from "../../../src/emulator/ids";
import { call, createImage, describeImage, failure, fakeClock, makeCore, ok, TEST_FIXTURES } from "./harness";

const SHARED_FIXTURES_PATH = join(__dirname, "..", "..", "..", "..", "shared", "cases", "fixtures.json");

describe("createEmulatorCore() dispatch", () => {
  test("an unknown action is InvalidAction.NotFound (404)", () => {
    const { core } = makeCore();
    expect(failure(call(core, "RunInstances"))).toEqual({
      httpStatus: 404,
      code: "InvalidAction.NotFound",
      message: "Specified api is not found, please check your url and method.",
    });
    expect(failure(call(core, "toString"))).toEqual(errors.invalidActionNotFound());
  });

  test("the action table covers the twelve documented actions", () => {
    expect(Object.keys(ACTION_HANDLERS).sort()).toEqual([
      "CreateImage",
      "DeleteImage",
      "DeleteSnapshot",
      "DescribeImageSharePermission",
      "DescribeImages",
      "DescribeInstances",
      "DescribeSnapshots",
      "ListTagResources",
      "ModifyImageAttribute",
      "ModifyImageSharePermission",
      "TagResources",
      "UntagResources",
    ]);
  });

  test("RegionId is mandatory, must exist, and real regions are created empty on demand", () => {
    const { core } = makeCore();
    expect(failure(call(core, "DescribeImages", { RegionId: "" }))).toEqual(
      errors.missingParameter("RegionId"),
    );
    expect(errors.missingParameter("RegionId").httpStatus).toBe(400);
    expect(failure(call(core, "DescribeImages", { RegionId: "cn-hangzou" }))).toEqual({
      httpStatus: 404,
      code: "InvalidRegionId.NotFound",
      message: "The specified RegionId does not exist.",
    });
    expect(ok(call(core, "DescribeImages", { RegionId: "eu-central-1" }))).toMatchObject({
      RegionId: "eu-central-1",
      TotalCount: 0,
    });
    expect(failure(call(core, "ListTagResources", { RegionId: "" }))).toEqual(
      errors.missingParameterTagAction("RegionId"),
    );
  });

  test("images are regional", () => {
    const { core } = makeCore();
    expect(
      ok(call(core, "DescribeImages", { RegionId: "cn-shanghai", ImageId: "m-golden" }))["TotalCount"],
    ).toBe(0);
    expect(failure(call(core, "DeleteImage", { RegionId: "cn-shanghai", ImageId: "m-golden" }))).toEqual(
      errors.invalidImageIdNotFound(),
    );
  });

  test("findCredential() looks up access keys", () => {
    const { core } = makeCore();
    expect(core.findCredential("AKTEST1")).toEqual({
      access_key_id: "AKTEST1",
      access_key_secret: "secret-1",
      account_id: "1000000000000001",
    });
    expect(core.findCredential("nope")).toBeUndefined();
  });

  test("reset() replaces all state", () => {
    const { core } = makeCore();
    createImage(core, { InstanceId: "i-running", ImageName: "gone-1" });
    core.reset(TEST_FIXTURES);
    expect(ok(call(core, "DescribeImages", { ImageName: "gone-1", Status: "ALL" }))["TotalCount"]).toBe(0);
    core.reset({});
    expect(failure(call(core, "DescribeImages", { RegionId: "xx-nowhere" }))).toEqual(
      errors.invalidRegionIdNotFound(),
    );
    expect(core.findCredential("AKTEST1")).toBeUndefined();
  });
});

describe("fixtures", () => {
  test("the shared cases/fixtures.json loads as is", () => {
    if (!existsSync(SHARED_FIXTURES_PATH)) {
      console.warn(
        `!!! SKIPPED: ${SHARED_FIXTURES_PATH} is absent, the shared fixtures were NOT checked !!!`,
      );
      return;
    }
    const fixtures = parseFixtures(JSON.parse(readFileSync(SHARED_FIXTURES_PATH, "utf8")));
    const core = createEmulatorCore(fixtures, { clock: fakeClock() });
    const accountId = fixtures.credentials![0]!.account_id;
    const images = ok(
      core.handle({
        action: "DescribeImages",
        accountId,
        requestId: "r",
        params: { RegionId: "cn-hangzhou" },
      }),
    );
    expect(images["TotalCount"]).toBe(3);
    const created = ok(
      core.handle({
        action: "CreateImage",
        accountId,
        requestId: "r",
        params: { RegionId: "cn-hangzhou", InstanceId: "i-bp1running000000001", ImageName: "web-base-1" },
      }),
    );
    expect(created["ImageId"]).toMatch(/^m-bp1/);
    const shanghai = ok(
      core.handle({
        action: "CreateImage",
        accountId,
        requestId: "r",
        params: { RegionId: "cn-shanghai", InstanceId: "i-uf6running000000001", ImageName: "sh-1" },
      }),
    );
    expect(shanghai["ImageId"]).toMatch(/^m-uf6/);
  });

  test("the default fixtures are valid and hold two regions with demo credentials", () => {
    expect(parseFixtures(JSON.parse(JSON.stringify(DEFAULT_FIXTURES)))).toEqual(DEFAULT_FIXTURES);
    const core = createEmulatorCore(DEFAULT_FIXTURES, { clock: fakeClock() });
    expect(core.findCredential("LTAI5tEmulatorDemoKey01")?.account_id).toBe("1000000000000001");
    expect(Object.keys(DEFAULT_FIXTURES.regions ?? {})).toEqual(["cn-hangzhou", "cn-shanghai"]);
    const accountId = "1000000000000001";
    const id = ok(
      core.handle({
        action: "CreateImage",
        accountId,
        requestId: "r",
        params: { RegionId: "cn-hangzhou", InstanceId: "i-bp1demorunning00001", ImageName: "demo-1" },
      }),
    );
    expect(id["ImageId"]).toMatch(/^m-/);
  });

  const bad: [string, unknown, string][] = [
    ["not an object", [], "fixtures must be an object"],
    ["an unknown top-level key", { regionz: {} }, 'fixtures has an unknown key "regionz"'],
    [
      "a bad credential",
      { credentials: [{ access_key_id: 1 }] },
      "credentials[0].access_key_id must be a string",
    ],
    [
      "a bad instance status type",
      { regions: { "cn-hangzhou": { instances: [{ id: "i-1", status: 3 }] } } },
      "regions.cn-hangzhou.instances[0].status must be a string",
    ],
    [
      "an unknown instance status",
      { regions: { "cn-hangzhou": { instances: [{ id: "i-1", status: "Flying" }] } } },
      "regions.cn-hangzhou.instances[0].status must be one of",
    ],
    [
      "a bad disk type",
      {
        regions: {
          r: {
            instances: [
              { id: "i-1", status: "Running", disks: [{ device: "/dev/xvda", type: "boot", size: 1 }] },
            ],
          },
        },
      },
      "regions.r.instances[0].disks[0].type must be one of system, data",
    ],
    [
      "a bad snapshot size",
      {
        regions: { r: { snapshots: [{ id: "s", disk_type: "system", size: "40", status: "accomplished" }] } },
      },
      "regions.r.snapshots[0].size must be an integer",
    ],
    [
      "a bad timestamp",
      {
        regions: {
          r: {
            snapshots: [
              { id: "s", disk_type: "system", size: 40, status: "accomplished", creation_time: "yesterday" },
            ],
          },
        },
      },
      "regions.r.snapshots[0].creation_time must be an ISO 8601 timestamp",
    ],
    [
      "bad image tags",
      { regions: { r: { images: [{ id: "m", name: "n", status: "Available", tags: { a: 1 } }] } } },
      "regions.r.images[0].tags.a must be a string",
    ],
    [
      "an unknown image key",
      { regions: { r: { images: [{ id: "m", name: "n", status: "Available", owner: "x" }] } } },
      'regions.r.images[0] has an unknown key "owner"',
    ],
    [
      "a negative create time",
      { image_create_seconds: -1 },
      "image_create_seconds must be a number of at least 0",
    ],
    ["a fractional quota", { image_quota: 1.5 }, "image_quota must be an integer of at least 0"],
    ["bad known accounts", { known_accounts: ["1", 2] }, "known_accounts[1] must be a string"],
  ];
  test.each(bad)("parseFixtures() rejects %s", (_, value, message) => {
    expect(() => parseFixtures(value)).toThrow(message);
  });
});

describe("inspect, exportState and importState", () => {
  test("inspect() shows images, snapshots, instances and image_create_seconds without secrets", () => {
    const { core } = makeCore();
    const id = createImage(core, {
      InstanceId: "i-running",
      ImageName: "look-1",
      "Tag.1.Key": "a",
      "Tag.1.Value": "b",
    });
    const view = core.inspect() as {
      image_create_seconds: number;
      regions: Record<
        string,
        { images: Record<string, unknown>[]; snapshots: unknown[]; instances: unknown[] }
      >;
    };
    expect(view.image_create_seconds).toBe(10);
    const image = view.regions["cn-hangzhou"]!.images.find((i) => i["id"] === id);
    expect(image).toMatchObject({
      name: "look-1",
      status: "Creating",
      progress: "0%",
      tags: { a: "b" },
      shared_with: [],
      in_use: false,
      creation_time: "2026-01-01T00:00:00Z",
    });
    expect(view.regions["cn-hangzhou"]!.snapshots).toHaveLength(6);
    expect(view.regions["cn-hangzhou"]!.instances).toHaveLength(4);
    expect(JSON.stringify(view)).not.toContain("secret-1");
  });

  test("exportState() and importState() round-trip everything, the build clock included", () => {
    const { core, clock } = makeCore();
    const id = createImage(core, { InstanceId: "i-running", ImageName: "keep-1", ClientToken: "tok" });
    ok(call(core, "ModifyImageSharePermission", { ImageId: "m-golden", "AddAccount.1": "1100000000000007" }));
    ok(
      call(core, "TagResources", {
        ResourceType: "snapshot",
        "ResourceId.1": "s-data",
        "Tag.1.Key": "1",
        "Tag.1.Value": "one",
      }),
    );
    core.setFailingImageNames(["doomed-1"]);
    clock.advanceSeconds(4);
    const exported = JSON.parse(JSON.stringify(core.exportState())) as unknown;
    expect(JSON.stringify(exported)).toContain("secret-1");

    const restored = createEmulatorCore({}, { clock });
    restored.importState(exported);
    expect(restored.inspect()).toEqual(core.inspect());
    expect(restored.exportState()).toEqual(exported);
    expect(describeImage(restored, id)).toMatchObject({ Status: "Creating", Progress: "40%" });
    clock.advanceSeconds(6);
    expect(describeImage(restored, id)).toMatchObject({ Status: "Available" });
    expect(createImage(restored, { InstanceId: "i-running", ImageName: "keep-1", ClientToken: "tok" })).toBe(
      id,
    );
    const next = createImage(restored, { SnapshotId: "s-system", ImageName: "after-1" });
    expect(next).toBe(createImage(core, { SnapshotId: "s-system", ImageName: "after-1" }));
    const doomed = createImage(restored, { SnapshotId: "s-system", ImageName: "doomed-1" });
    expect(restored.completeCreating()).toBe(2);
    expect(describeImage(restored, doomed)).toMatchObject({ Status: "CreateFailed" });
  });

  test("importState() rejects malformed state with a clear message", () => {
    const { core } = makeCore();
    expect(() => {
      core.importState(null);
    }).toThrow("state must be an object");
    expect(() => {
      core.importState({ format: "other" });
    }).toThrow('state.format must be "ecs-emulator-state/1"');
    const exported = JSON.parse(JSON.stringify(core.exportState())) as {
      regions: Record<string, { images: Record<string, unknown>[] }>;
    };
    exported.regions["cn-hangzhou"]!.images[0]!["phase"] = { kind: "melting" };
    expect(() => {
      core.importState(exported);
    }).toThrow('state.regions.cn-hangzhou.images[0].phase.kind must be "building" or "settled"');
  });
});

describe("createIdGenerator()", () => {
  test("createEmulatorCore() mints the same IDs for the same seed and others for another", () => {
    const first = (seed?: number): string => {
      const core = createEmulatorCore(
        TEST_FIXTURES,
        seed === undefined ? { clock: fakeClock() } : { clock: fakeClock(), seed },
      );
      return createImage(core, { SnapshotId: "s-system" });
    };
    expect(first()).toBe(first());
    expect(first(1)).toBe(first(1));
    expect(first(1)).not.toBe(first(2));
  });

  test("is deterministic per seed and uses region prefixes", () => {
    const a = createIdGenerator(7);
    const b = createIdGenerator(7);
    const ids = [
      a.next("image", "cn-hangzhou"),
      a.next("snapshot", "cn-shanghai"),
      a.next("image", "eu-central-1"),
    ];
    expect([
      b.next("image", "cn-hangzhou"),
      b.next("snapshot", "cn-shanghai"),
      b.next("image", "eu-central-1"),
    ]).toEqual(ids);
    expect(ids[0]).toMatch(/^m-bp1[0-9a-z]{17}$/);
    expect(ids[1]).toMatch(/^s-uf6[0-9a-z]{17}$/);
    expect(ids[2]).toMatch(/^m-gw8[0-9a-z]{17}$/);
    expect(createIdGenerator(8).next("image", "cn-hangzhou")).not.toBe(ids[0]);
  });
});
