import { CancelledError, WaitFailedError, WaitTimeoutError } from "../../../src/cloud/errors";
import type { WaitOptions } from "../../../src/cloud/wait";
import { waitForStatus } from "../../../src/cloud/wait";
import type { ImageStatus } from "../../../src/common/types";
import type { FakeClock } from "../../helpers/fake-clock";
import { fakeClock } from "../../helpers/fake-clock";

interface Seen {
  readonly status: ImageStatus;
}

/** Wait options for an image that becomes `finalStatus` at `readyAtMs` after the start (or never). */
function options(
  clock: FakeClock,
  fields: { readyAtMs?: number; finalStatus?: ImageStatus; invisibleUntilMs?: number; timeoutMs: number },
): WaitOptions<Seen> & { reads: () => number } {
  const start = clock.now();
  let reads = 0;
  return {
    reads: () => reads,
    read: () => {
      reads += 1;
      const elapsed = clock.now() - start;
      if (fields.invisibleUntilMs !== undefined && elapsed < fields.invisibleUntilMs)
        return Promise.resolve(undefined);
      const ready = fields.readyAtMs !== undefined && elapsed >= fields.readyAtMs;
      return Promise.resolve({ status: ready ? (fields.finalStatus ?? "Available") : "Creating" });
    },
    isDone: (seen) => seen?.status === "Available",
    isFailed: (seen) => seen.status === "CreateFailed",
    statusOf: (seen) => seen.status,
    imageId: "m-1",
    region: "cn-hangzhou",
    target: "Available",
    timeoutMs: fields.timeoutMs,
    clock,
  };
}

const CAP_MS = 15_000;

describe("waitForStatus()", () => {
  test("waitForStatus() returns at most one interval after the image becomes Available", async () => {
    for (const readyAtMs of [0, 1, 999, 5_000, 30_000, 61_234, 600_000]) {
      const clock = fakeClock();
      const start = clock.now();
      const result = await waitForStatus(options(clock, { readyAtMs, timeoutMs: 3_600_000 }));
      expect(result.value?.status).toBe("Available");
      const late = clock.now() - start - readyAtMs;
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThanOrEqual(CAP_MS);
    }
  });

  test("waitForStatus() uses O(log T + T/cap) polls", async () => {
    for (const readyAtMs of [5_000, 30_000, 600_000, 3_600_000]) {
      const clock = fakeClock();
      const result = await waitForStatus(options(clock, { readyAtMs, timeoutMs: 7_200_000 }));
      const rampPolls = Math.ceil(Math.log(CAP_MS / 1000) / Math.log(1.5));
      expect(result.polls).toBeLessThanOrEqual(rampPolls + Math.ceil(readyAtMs / CAP_MS) + 2);
    }
  });

  test("waitForStatus() stops at the user's timeout and no earlier (no hidden cap)", async () => {
    for (const timeoutMs of [3_000, 300_000, 3 * 3_600_000]) {
      const clock = fakeClock();
      const start = clock.now();
      const error: unknown = await waitForStatus(options(clock, { timeoutMs })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect(clock.now() - start).toBe(timeoutMs);
      expect(error).toMatchObject({ imageId: "m-1", region: "cn-hangzhou", lastStatus: "Creating" });
      expect((error as Error).message).toMatch(
        /^Timed out after \d+ seconds waiting for image m-1 in region cn-hangzhou to be Available \(last status Creating\)$/,
      );
    }
  });

  test("waitForStatus() polls once more at the deadline before timing out", async () => {
    const clock = fakeClock();
    const result = await waitForStatus(options(clock, { readyAtMs: 3_000, timeoutMs: 3_000 }));
    expect(result.value?.status).toBe("Available");
  });

  test("waitForStatus() fails fast on CreateFailed without sleeping", async () => {
    const clock = fakeClock();
    const waiting = options(clock, { readyAtMs: 0, finalStatus: "CreateFailed", timeoutMs: 3_000_000 });
    const error: unknown = await waitForStatus(waiting).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitFailedError);
    expect(error).toMatchObject({ imageId: "m-1", lastStatus: "CreateFailed", polls: 1 });
    expect(clock.sleeps).toEqual([]);
  });

  test("waitForStatus() treats 'not found yet' as pending within the grace window", async () => {
    const clock = fakeClock();
    const result = await waitForStatus({
      ...options(clock, { invisibleUntilMs: 4_000, readyAtMs: 8_000, timeoutMs: 60_000 }),
      notFoundGraceMs: 10_000,
    });
    expect(result.value?.status).toBe("Available");
  });

  test("waitForStatus() fails when still not found after the grace window", async () => {
    const clock = fakeClock();
    const start = clock.now();
    const waiting = {
      ...options(clock, { invisibleUntilMs: 1e12, timeoutMs: 600_000 }),
      notFoundGraceMs: 10_000,
    };
    const error: unknown = await waitForStatus(waiting).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitFailedError);
    expect(error).toMatchObject({ lastStatus: "NotFound" });
    expect(clock.now() - start).toBeLessThan(10_000 + CAP_MS);
  });

  test("waitForStatus() without grace fails at once when the resource is missing", async () => {
    const clock = fakeClock();
    const error: unknown = await waitForStatus(
      options(clock, { invisibleUntilMs: 1e12, timeoutMs: 600_000 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitFailedError);
    expect(clock.sleeps).toEqual([]);
  });

  test("waitForStatus() can wait for absence", async () => {
    const clock = fakeClock();
    const result = await waitForStatus({
      ...options(clock, { invisibleUntilMs: 2_000 + 1e12, timeoutMs: 60_000 }),
      isDone: (seen) => seen === undefined,
    });
    expect(result.value).toBeUndefined();
  });

  test("waitForStatus() stops with CancelledError when the signal is aborted", async () => {
    const clock = fakeClock();
    const signal = { aborted: true };
    const error: unknown = await waitForStatus({ ...options(clock, { timeoutMs: 60_000 }), signal }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ imageId: "m-1", lastStatus: "Creating" });
  });
});
