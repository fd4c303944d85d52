import { createServer } from "node:net";

import { createEcsApi } from "../../src/cloud/ecs-api";
import type { EcsApi } from "../../src/cloud/ecs-api";
import { CloudError } from "../../src/cloud/errors";
import { SYSTEM_CLOCK } from "../../src/common/clock";
import type { DesiredImage } from "../../src/common/types";
import type { FixtureImage, Fixtures } from "../../src/emulator/contract";
import type { RunningEmulator } from "../../src/emulator/server";
import { PlanRefusedError } from "../../src/reconcile/errors";
import { reconcileImage } from "../../src/reconcile/reconcile";
import { fakeClock, seededRandom } from "../helpers/fake-clock";
import { control, startTestEmulator, stopTestEmulators } from "../helpers/start-emulator";
import { desiredImage } from "../helpers/desired";

const REGION = "cn-hangzhou";
const INSTANCE = "i-bp1running000000001";
const ACCOUNTS = Array.from({ length: 12 }, (_, i) => `11000000000000${String(i + 1).padStart(2, "0")}`);

const FIXTURES: Fixtures = {
  credentials: [
    {
      access_key_id: "LTAI5tTestKey0001",
      access_key_secret: "TestSecret-NotReal-1",
      account_id: "1000000000000001",
    },
  ],
  known_accounts: ACCOUNTS,
  image_create_seconds: 1,
  regions: {
    [REGION]: {
      instances: [
        { id: INSTANCE, status: "Running", disks: [{ device: "/dev/xvda", type: "system", size: 40 }] },
        {
          id: "i-bp1starting00000001",
          status: "Starting",
          disks: [{ device: "/dev/xvda", type: "system", size: 40 }],
        },
      ],
      snapshots: [
        {
          id: "s-bp1system40000000001",
          disk_type: "system",
          size: 40,
          status: "accomplished",
          creation_time: "2025-06-01T00:00:00Z",
        },
        {
          id: "s-bp1data1000000000001",
          disk_type: "data",
          size: 100,
          status: "accomplished",
          creation_time: "2025-06-01T00:00:00Z",
        },
      ],
      images: [
        {
          id: "m-bp1golden00000000001",
          name: "golden-1",
          status: "Available",
          description: "first build",
          tags: { team: "platform" },
        },
        { id: "m-bp1golden00000000002", name: "golden-10", status: "Available" },
        { id: "m-bp1golden00000000003", name: "xgolden-1", status: "Available" },
        { id: "m-bp1inuse000000000001", name: "in-use-1", status: "Available", in_use: true },
      ],
    },
  },
};

afterEach(stopTestEmulators);

/** A loopback port that nothing listens on (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

interface LogEntry {
  readonly action: string | null;
  readonly params: Readonly<Record<string, string>>;
  readonly error_code: string | null;
}

async function requests(emulator: RunningEmulator): Promise<LogEntry[]> {
  const response = await control(emulator, "GET", "/_emulator/requests");
  const body = response.body as { requests?: LogEntry[] } | LogEntry[];
  return Array.isArray(body) ? body : (body.requests ?? []);
}

function apiFor(emulator: RunningEmulator, options: { maxAttempts?: number } = {}): EcsApi {
  return createEcsApi(
    {
      accessKeyId: emulator.credentials.access_key_id,
      accessKeySecret: emulator.credentials.access_key_secret,
      region: REGION,
      endpoint: `http://${emulator.endpoint}`,
    },
    { clock: fakeClock(), random: seededRandom(7), requestTimeoutMs: 5000, ...options },
  );
}

/** `count` Available images named `<name>-0`, `<name>-1`, ...: a lookup of `name` matches all of them fuzzily. */
function fuzzyMatches(name: string, count: number): FixtureImage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `m-${name}${String(i).padStart(18, "0")}`,
    name: `${name}-${i}`,
    status: "Available",
  }));
}

/** The test fixtures with `images` as the images of REGION. */
function withRegionImages(images: readonly FixtureImage[]): Fixtures {
  return {
    ...FIXTURES,
    regions: { [REGION]: { ...FIXTURES.regions?.[REGION], images: [...images] } },
  };
}

function desired(fields: Partial<DesiredImage>): DesiredImage {
  return desiredImage({ region: REGION, waitTimeoutSeconds: 60, ...fields });
}

describe("createEcsApi() against the emulator", () => {
  test("findImagesByName() matches exactly among own images in every status, in one call", async () => {
    const emulator = await startTestEmulator({ fixtures: FIXTURES });
    const api = apiFor(emulator);
    const found = await api.findImagesByName(REGION, "golden-1");
    expect(found.map((image) => image.imageId)).toEqual(["m-bp1golden00000000001"]);
    expect(found[0]).toMatchObject({
      imageName: "golden-1",
      description: "first build",
      tags: { team: "platform" },
      status: "Available",
    });
    const log = await requests(emulator);
    expect(log).toHaveLength(1);
    expect(log[0]?.params).toMatchObject({
      ImageName: "golden-1",
      ImageOwnerAlias: "self",
      Status: "Creating,Waiting,Available,UnAvailable,CreateFailed,Deprecated",
      PageSize: "100",
    });
  });

  test("findImagesByName() pages only through the fuzzy matches, 100 per page", async () => {
    const images = [
      ...fuzzyMatches("pg", 150),
      { id: "m-pgexact0000000000001", name: "pg", status: "CreateFailed" },
    ];
    const emulator = await startTestEmulator({ fixtures: withRegionImages(images) });
    const found = await apiFor(emulator).findImagesByName(REGION, "pg");
    expect(found.map((image) => [image.imageId, image.status])).toEqual([
      ["m-pgexact0000000000001", "CreateFailed"],
    ]);
    const log = await requests(emulator);
    expect(log.map((entry) => entry.params.PageNumber)).toEqual(["1", "2"]);
  });

  test("findImagesByName() finds exact matches on later pages too, with all their fields", async () => {
    // Inserted first, listed last (newest first, same creation time): the exact names land on pages 2 and 3.
    const exact = (id: string, status: string) => ({ id, name: "lp", status, description: `build ${id}` });
    const fuzzy = fuzzyMatches("lp", 230);
    const images = [
      exact("m-lpexact0000000000001", "Available"),
      ...fuzzy.slice(0, 60),
      exact("m-lpexact0000000000002", "CreateFailed"),
      ...fuzzy.slice(60),
    ];
    const emulator = await startTestEmulator({ fixtures: withRegionImages(images) });
    const found = await apiFor(emulator).findImagesByName(REGION, "lp");
    expect(found.map((image) => [image.imageId, image.status, image.description])).toEqual([
      ["m-lpexact0000000000002", "CreateFailed", "build m-lpexact0000000000002"],
      ["m-lpexact0000000000001", "Available", "build m-lpexact0000000000001"],
    ]);
    const log = await requests(emulator);
    expect(log.map((entry) => entry.params.PageNumber).sort()).toEqual(["1", "2", "3"]);
  });

  test("createImage() sends tags and ClientToken; the image is visible while Creating", async () => {
    const emulator = await startTestEmulator({ fixtures: { ...FIXTURES, image_create_seconds: 120 } });
    const api = apiFor(emulator);
    const input = {
      region: REGION,
      imageName: "tagged-1",
      imageVersion: undefined,
      description: undefined,
      tags: { team: "data", env: "prod" },
      source: { kind: "instance", instanceId: INSTANCE } as const,
      clientToken: "a".repeat(64),
    };
    const imageId = await api.createImage(input);
    expect(imageId).toMatch(/^m-/);
    expect(await api.createImage(input)).toBe(imageId);
    const image = await api.findImageById(REGION, imageId);
    expect(image).toMatchObject({ status: "Creating", tags: { team: "data", env: "prod" }, inUse: false });
    const create = (await requests(emulator)).find((entry) => entry.action === "CreateImage");
    expect(create?.params).toMatchObject({
      "Tag.1.Key": "team",
      "Tag.1.Value": "data",
      ClientToken: "a".repeat(64),
      InstanceId: INSTANCE,
    });
  });

  test("describeInstance() and describeSnapshot() read sources for the pre-flight checks", async () => {
    const emulator = await startTestEmulator({ fixtures: FIXTURES });
    const api = apiFor(emulator);
    expect(await api.describeInstance(REGION, "i-bp1starting00000001")).toEqual({
      instanceId: "i-bp1starting00000001",
      status: "Starting",
      lockReasons: [],
    });
    expect(await api.describeInstance(REGION, "i-bp1nosuch0000000001")).toBeUndefined();
    expect(await api.describeSnapshot(REGION, "s-bp1data1000000000001")).toMatchObject({
      status: "accomplished",
      diskType: "data",
      sizeGiB: 100,
    });
    expect(await api.describeSnapshot(REGION, "s-bp1nosuch0000000001")).toBeUndefined();
    const log = await requests(emulator);
    expect(log[0]?.params.InstanceIds).toBe('["i-bp1starting00000001"]');
  });

  test("the write calls change what the reads show", async () => {
    const emulator = await startTestEmulator({ fixtures: FIXTURES });
    const api = apiFor(emulator);
    const ref = { region: REGION, imageId: "m-bp1golden00000000001" };
    await api.modifyImageAttribute(ref, { description: "second build" });
    await api.tagImage(ref, { env: "prod" });
    await api.untagImage(ref, ["team"]);
    await api.addLaunchPermission(ref, ACCOUNTS.slice(0, 10));
    await api.addLaunchPermission(ref, ACCOUNTS.slice(10));
    expect(await api.describeLaunchPermission(ref)).toEqual(ACCOUNTS);
    await api.removeLaunchPermission(ref, ACCOUNTS.slice(0, 10));
    expect(await api.describeLaunchPermission(ref)).toEqual(ACCOUNTS.slice(10));
    expect(await api.findImageById(REGION, ref.imageId)).toMatchObject({
      description: "second build",
      tags: { env: "prod" },
    });
    await expect(api.addLaunchPermission(ref, ACCOUNTS.concat(ACCOUNTS).slice(0, 11))).rejects.toThrow(
      RangeError,
    );
  });

  test("errors arrive as CloudError with the server's code and message", async () => {
    const emulator = await startTestEmulator({ fixtures: FIXTURES });
    const api = apiFor(emulator);
    const error: unknown = await api
      .deleteImage({ region: REGION, imageId: "m-bp1inuse000000000001" }, { force: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({
      code: "ImageUsingByInstance",
      httpStatus: 403,
      action: "DeleteImage",
      attempts: 1,
    });
    expect((error as CloudError).requestId).toBeDefined();
    await api.deleteImage({ region: REGION, imageId: "m-bp1inuse000000000001" }, { force: true });
    expect(await api.findImageById(REGION, "m-bp1inuse000000000001")).toBeUndefined();
  });

  test("throttling is retried with backoff and attempts are recorded", async () => {
    const emulator = await startTestEmulator({ fixtures: FIXTURES });
    expect((await control(emulator, "POST", "/_emulator/faults", { throttle_rate: 1 })).status).toBe(200);
    const api = apiFor(emulator, { maxAttempts: 3 });
    const error: unknown = await api.findImageById(REGION, "m-bp1golden00000000001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ attempts: 3 });
    expect((error as CloudError).code).toContain("Throttling");
    expect(await requests(emulator)).toHaveLength(3);
  });

  test("a refused connection is a CloudError without request data in its message", async () => {
    const port = await freePort();
    const api = createEcsApi(
      { accessKeyId: "AK", accessKeySecret: "SECRET", region: REGION, endpoint: `http://127.0.0.1:${port}` },
      { clock: fakeClock(), random: seededRandom(7), requestTimeoutMs: 5000, maxAttempts: 2 },
    );
    const error: unknown = await api.findImagesByName(REGION, "secret-name").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ code: "ECONNREFUSED", attempts: 2 });
    expect((error as Error).message).not.toContain("secret-name");
  });
});

describe("reconcileImage() against the emulator", () => {
  test("a create without wait costs one CreateImage with the tags in it, and a Starting instance is refused first", async () => {
    const emulator = await startTestEmulator({ fixtures: { ...FIXTURES, image_create_seconds: 120 } });
    const options = { api: apiFor(emulator), clock: SYSTEM_CLOCK, checkMode: false };
    const source = { kind: "instance", instanceId: INSTANCE } as const;
    const outcome = await reconcileImage(
      desired({ imageName: "tagged-1", source, tags: { team: "data", env: "prod" } }),
      options,
    );
    expect(outcome).toMatchObject({
      changed: true,
      image: { status: "Creating", tags: { team: "data", env: "prod" } },
    });
    const actions = (await requests(emulator)).map((entry) => entry.action);
    expect(actions).toEqual(["DescribeImages", "DescribeInstances", "CreateImage", "DescribeImages"]);
    const starting = desired({
      imageName: "s-1",
      source: { kind: "instance", instanceId: "i-bp1starting00000001" },
    });
    await expect(reconcileImage(starting, options)).rejects.toThrow(/is Starting/);
    expect((await requests(emulator)).filter((entry) => entry.action === "CreateImage")).toHaveLength(1);
  });

  test("create with wait, then a no-op re-run with one lookup and one share read (the image is shared)", async () => {
    const emulator = await startTestEmulator({ fixtures: FIXTURES });
    const api = apiFor(emulator);
    const want = desired({
      imageName: "web-base-1",
      source: { kind: "instance", instanceId: INSTANCE },
      wait: true,
      launchPermission: ACCOUNTS,
    });
    const options = {
      api,
      clock: SYSTEM_CLOCK,
      checkMode: false,
      wait: { initialIntervalMs: 200, maxIntervalMs: 500 },
    };
    const first = await reconcileImage(want, options);
    expect(first).toMatchObject({
      changed: true,
      image: { status: "Available", imageName: "web-base-1", launchPermission: ACCOUNTS },
    });
    const shareCalls = (await requests(emulator)).filter(
      (entry) => entry.action === "ModifyImageSharePermission",
    );
    expect(shareCalls).toHaveLength(2);
    const before = (await requests(emulator)).length;
    const second = await reconcileImage(desired({ imageName: "web-base-1", wait: true }), options);
    expect(second).toMatchObject({
      changed: false,
      imageId: first.imageId,
      image: { launchPermission: ACCOUNTS },
    });
    // The image is shared (IsSelfShared), so its facts cost one share read besides the lookup.
    expect((await requests(emulator)).slice(before).map((entry) => entry.action)).toEqual([
      "DescribeImages",
      "DescribeImageSharePermission",
    ]);
  });

  test("absent on a missing image is a one-call no-op; in use is refused without force", async () => {
    const emulator = await startTestEmulator({ fixtures: FIXTURES });
    const api = apiFor(emulator);
    const options = { api, clock: SYSTEM_CLOCK, checkMode: false };
    const missing = await reconcileImage(
      desired({ state: "absent", imageId: "m-bp1nosuchimage00001" }),
      options,
    );
    expect(missing).toMatchObject({ changed: false, msg: expect.stringContaining(REGION) as unknown });
    expect(await requests(emulator)).toHaveLength(1);
    await expect(
      reconcileImage(desired({ state: "absent", imageId: "m-bp1inuse000000000001" }), options),
    ).rejects.toBeInstanceOf(PlanRefusedError);
    const forced = await reconcileImage(
      desired({ state: "absent", imageId: "m-bp1inuse000000000001", force: true, wait: true }),
      {
        ...options,
        wait: { initialIntervalMs: 100 },
      },
    );
    expect(forced.changed).toBe(true);
    const deletes = (await requests(emulator)).filter((entry) => entry.action === "DeleteImage");
    expect(deletes.map((entry) => entry.params.Force)).toEqual(["true"]);
  });
});
