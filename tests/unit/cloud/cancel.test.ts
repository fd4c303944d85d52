/** Cancellation (issue 5, point 5): a sleep ends at once on abort, and a wait then stops with what it knows. */
import { CancelledError } from "../../../src/cloud/errors";
import { waitForStatus } from "../../../src/cloud/wait";
import { SYSTEM_CLOCK } from "../../../src/common/clock";
import { parseFaultSettings } from "../../../src/emulator/faults";

describe("cancellation", () => {
  test("SYSTEM_CLOCK.sleep() resolves as soon as its signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = SYSTEM_CLOCK.sleep(60_000, controller.signal);
    setTimeout(() => {
      controller.abort();
    }, 20);
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test("SYSTEM_CLOCK.sleep() on an aborted signal resolves at once, and without a signal it still sleeps", async () => {
    const controller = new AbortController();
    controller.abort();
    const started = Date.now();
    await SYSTEM_CLOCK.sleep(60_000, controller.signal);
    await SYSTEM_CLOCK.sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test("waitForStatus() aborted during its sleep stops at once with CancelledError, image id and last status", async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 50);
    const started = Date.now();
    const error: unknown = await waitForStatus({
      read: () => Promise.resolve({ status: "Creating" }),
      isDone: (value) => value?.status === "Available",
      isFailed: () => false,
      statusOf: (value) => value.status,
      imageId: "m-cancel-1",
      region: "cn-hangzhou",
      target: "Available",
      timeoutMs: 600_000,
      initialIntervalMs: 60_000,
      clock: SYSTEM_CLOCK,
      signal: controller.signal,
    }).catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ imageId: "m-cancel-1", lastStatus: "Creating" });
  });
});

describe("parseFaultSettings() invisible_for_seconds", () => {
  test("parseFaultSettings() accepts seconds from 0 to 3600, fractions included, default 0", () => {
    expect(parseFaultSettings({})).toMatchObject({ invisible_for_seconds: 0 });
    expect(parseFaultSettings({ invisible_for_seconds: 2.5 })).toMatchObject({ invisible_for_seconds: 2.5 });
  });

  test.each([-1, 3601, "5", true, Number.NaN])(
    "parseFaultSettings() refuses invisible_for_seconds %p",
    (value) => {
      expect(parseFaultSettings({ invisible_for_seconds: value })).toEqual(
        expect.stringMatching(/^invisible_for_seconds must be a number from 0 to 3600, got /),
      );
    },
  );
});
