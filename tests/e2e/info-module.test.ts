/**
 * The built ecs_ami_info bundle against the emulator: by ids, exact names (fuzzy matches left out), tags, own
 * images by default; read-only (changed false, check mode the same), the same `image` facts as ecs_ami.
 */
import { readFileSync } from "node:fs";
import type { Fixtures } from "../../src/emulator/contract";
import type { RunningEmulator } from "../../src/emulator/server";
import { startEmulator } from "../../src/emulator/server";
import { REGRESSION_FIXTURES } from "./harness";
import {
  ansibleControlKeys,
  INFO_BUNDLE,
  runInfoBundle,
  runModule,
  type ModuleRun,
} from "../helpers/run-module";

const REGION = "cn-hangzhou";
const GOLDEN = "m-bp1golden00000000001";
const SHARED = "m-bp1shared00000000001";

const FIXTURES: Fixtures = {
  ...REGRESSION_FIXTURES,
  regions: {
    ...REGRESSION_FIXTURES.regions,
    [REGION]: {
      ...REGRESSION_FIXTURES.regions?.[REGION],
      images: [
        ...(REGRESSION_FIXTURES.regions?.[REGION]?.images ?? []),
        { id: "m-bp1golden00000000012", name: "golden-12", status: "Available", tags: { team: "platform" } },
        { id: "m-bp1creating000000001", name: "creating-1", status: "Creating", tags: {} },
      ],
    },
  },
};

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ fixtures: FIXTURES, host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await emulator.stop();
});

function env(): Record<string, string> {
  return {
    ACS_ENDPOINT: emulator.endpoint,
    ACS_REGION: REGION,
    ACS_ACCESS_KEY_ID: emulator.credentials.access_key_id,
    ACS_SECRET_ACCESS_KEY: emulator.credentials.access_key_secret,
  };
}

function info(args: Record<string, unknown>, flags: { checkMode?: boolean } = {}): Promise<ModuleRun> {
  return runInfoBundle({ ...args, ...ansibleControlKeys({ ...flags, moduleName: "ecs_ami_info" }) }, env());
}

/** The ids of the `images` of a result. */
function idsOf(run: ModuleRun): string[] {
  const images = run.result?.images;
  if (!Array.isArray(images)) throw new Error(`No images in ${JSON.stringify(run.result)}`);
  return images.map((image) => (image as { image_id: string }).image_id).sort();
}

describe("ecs_ami_info bundle", () => {
  test("the bundle keeps the WANT_JSON marker and a node shebang", () => {
    const head = readFileSync(INFO_BUNDLE, "utf8").slice(0, 200);
    expect(head.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(head).toContain("WANT_JSON");
  });

  test("by ids: exactly those images, changed false", async () => {
    const run = await info({ image_ids: [GOLDEN, SHARED] });
    expect(run.exitCode).toBe(0);
    expect(run.result).toMatchObject({ changed: false, failed: false });
    expect(idsOf(run)).toEqual([GOLDEN, SHARED].sort());
  });

  test("by exact names: fuzzy matches are left out, every status is seen", async () => {
    const run = await info({ image_names: ["golden-1", "creating-1"] });
    expect(idsOf(run)).toEqual(["m-bp1creating000000001", GOLDEN]);
  });

  test("by tags: only images carrying every tag", async () => {
    const run = await info({ tags: { team: "platform" } });
    expect(idsOf(run)).toEqual([GOLDEN, "m-bp1golden00000000012"]);
  });

  test("own images by default; facts equal ecs_ami's image facts, launch permission included", async () => {
    const all = await info({});
    expect(idsOf(all)).toEqual(expect.arrayContaining([GOLDEN, SHARED, "m-bp1inuse000000000001"]));
    const listed = (all.result?.images as { image_id: string }[]).find((image) => image.image_id === SHARED);
    expect(listed).toMatchObject({ launch_permission: ["1100000000000001"] });
    const single = await runModule({ image_id: SHARED, ...ansibleControlKeys() }, env());
    expect(listed).toEqual(single.result?.image);
  });

  test("check mode is the same read-only run", async () => {
    const run = await info({ image_ids: [GOLDEN] }, { checkMode: true });
    expect(run.result).toMatchObject({ changed: false, failed: false });
    expect(idsOf(run)).toEqual([GOLDEN]);
  });

  test("an unknown option and a bad owner are refused in Ansible's words", async () => {
    const bogus = await info({ image_name: "x" });
    expect(bogus.result?.msg).toMatch(/^Unsupported parameters for \(ecs_ami_info\) module: image_name\./);
    const owner = await info({ owner: "me" });
    expect(owner.result?.msg).toMatch(
      /^value of owner must be one of: self, others, system, marketplace, got: me/,
    );
  });

  test("missing credentials are refused before any call, secrets masked", async () => {
    const run = await runInfoBundle(
      { acs_secret_access_key: "s3cr3t-value-0001", ...ansibleControlKeys() },
      { ACS_REGION: REGION },
    );
    expect(run.exitCode).toBe(1);
    expect(run.result?.msg).toMatch(/^acs_access_key is not set/);
    expect(run.stdout).not.toContain("s3cr3t-value-0001");
  });
});
