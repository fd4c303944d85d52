/** Shared set-up for the emulator core's unit tests: a fake clock, test fixtures and call helpers. */
import type { ApiOutcome, EcsError, EmulatorCore, Fixtures } from "../../../src/emulator/contract";
import { createEmulatorCore } from "../../../src/emulator/core";

/** The caller's account in every test unless said otherwise. */
export const ACCOUNT = "1000000000000001";
/** A second account with its own credential (for `others` and share-with-yourself cases). */
export const OTHER_ACCOUNT = "2000000000000002";
export const REGION = "cn-hangzhou";
export const START_MS = Date.parse("2026-01-01T00:00:00Z");

/** A clock the test moves by hand. */
export interface FakeClock {
  nowMs: number;
  now(): number;
  advanceSeconds(seconds: number): void;
}

/** A fake clock starting at START_MS. */
export function fakeClock(): FakeClock {
  return {
    nowMs: START_MS,
    now() {
      return this.nowMs;
    },
    advanceSeconds(seconds) {
      this.nowMs += seconds * 1000;
    },
  };
}

/** Fixtures with everything the rules need: locked instance, old and progressing snapshots, shared and in-use images. */
export const TEST_FIXTURES: Fixtures = {
  credentials: [
    { access_key_id: "AKTEST1", access_key_secret: "secret-1", account_id: ACCOUNT },
    { access_key_id: "AKTEST2", access_key_secret: "secret-2", account_id: OTHER_ACCOUNT },
  ],
  known_accounts: Array.from({ length: 60 }, (_, i) => `11000000000000${String(i + 1).padStart(2, "0")}`),
  image_create_seconds: 10,
  regions: {
    "cn-hangzhou": {
      instances: [
        {
          id: "i-running",
          status: "Running",
          disks: [
            { device: "/dev/xvda", type: "system", size: 40 },
            { device: "/dev/xvdb", type: "data", size: 100 },
          ],
        },
        { id: "i-stopped", status: "Stopped", disks: [{ device: "/dev/xvda", type: "system", size: 40 }] },
        { id: "i-starting", status: "Starting", disks: [{ device: "/dev/xvda", type: "system", size: 40 }] },
        {
          id: "i-locked",
          status: "Running",
          lock_reason: "security",
          disks: [{ device: "/dev/xvda", type: "system", size: 40 }],
        },
      ],
      snapshots: [
        {
          id: "s-system",
          disk_type: "system",
          size: 40,
          status: "accomplished",
          creation_time: "2025-06-01T00:00:00Z",
        },
        {
          id: "s-data",
          disk_type: "data",
          size: 100,
          status: "accomplished",
          creation_time: "2025-06-01T00:00:00Z",
        },
        {
          id: "s-progress",
          disk_type: "system",
          size: 40,
          status: "progressing",
          creation_time: "2025-06-01T00:00:00Z",
        },
        {
          id: "s-old",
          disk_type: "system",
          size: 40,
          status: "accomplished",
          creation_time: "2013-07-15T12:00:00Z",
        },
      ],
      images: [
        {
          id: "m-golden",
          name: "golden-1",
          status: "Available",
          description: "first build",
          tags: { team: "platform" },
          creation_time: "2025-01-01T00:00:00Z",
        },
        {
          id: "m-inuse",
          name: "in-use-1",
          status: "Available",
          in_use: true,
          creation_time: "2025-01-02T00:00:00Z",
        },
        {
          id: "m-shared",
          name: "shared-1",
          status: "Available",
          shared_with: ["1100000000000001"],
          creation_time: "2025-01-03T00:00:00Z",
        },
        { id: "m-deprecated", name: "old-1", status: "Deprecated", creation_time: "2025-01-04T00:00:00Z" },
        { id: "m-failed", name: "failed-1", status: "CreateFailed", creation_time: "2025-01-05T00:00:00Z" },
      ],
    },
    "cn-shanghai": {
      snapshots: [
        {
          id: "s-sh-system",
          disk_type: "system",
          size: 40,
          status: "accomplished",
          creation_time: "2025-06-01T00:00:00Z",
        },
      ],
    },
  },
};

/** A core over `fixtures` with a fresh fake clock. */
export function makeCore(fixtures: Fixtures = TEST_FIXTURES): { core: EmulatorCore; clock: FakeClock } {
  const clock = fakeClock();
  return { core: createEmulatorCore(fixtures, { clock }), clock };
}

/** Calls an action as ACCOUNT (or `accountId`) in REGION unless params name another RegionId. */
export function call(
  core: EmulatorCore,
  action: string,
  params: Record<string, string> = {},
  accountId = ACCOUNT,
): ApiOutcome {
  return core.handle({ action, accountId, requestId: "RID-TEST", params: { RegionId: REGION, ...params } });
}

/** The body of a successful outcome; fails the test on an error. */
export function ok(outcome: ApiOutcome): Readonly<Record<string, unknown>> {
  if (outcome.kind !== "ok")
    throw new Error(`expected success, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.body;
}

/** The error of a failed outcome; fails the test on a success. */
export function failure(outcome: ApiOutcome): EcsError {
  if (outcome.kind !== "error") throw new Error(`expected an error, got ${JSON.stringify(outcome.body)}`);
  return outcome.error;
}

/** Image objects of a DescribeImages body. */
export function imagesOf(body: Readonly<Record<string, unknown>>): Record<string, unknown>[] {
  return (body["Images"] as { Image: Record<string, unknown>[] }).Image;
}

/** DescribeImages with every status, by ID; the single image or undefined. */
export function describeImage(core: EmulatorCore, imageId: string): Record<string, unknown> | undefined {
  return imagesOf(ok(call(core, "DescribeImages", { ImageId: imageId, Status: "ALL" })))[0];
}

/** Creates an image and returns its ID. */
export function createImage(core: EmulatorCore, params: Record<string, string>): string {
  return ok(call(core, "CreateImage", params))["ImageId"] as string;
}
