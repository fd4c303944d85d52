import { isRetriable } from "../../../src/cloud/classify";
import { CloudError } from "../../../src/cloud/errors";
import { backoffCapMs, retry, retryDelayMs } from "../../../src/cloud/retry";
import { fakeClock, seededRandom } from "../../helpers/fake-clock";

function err(code: string, httpStatus: number | undefined, retryAfterMs?: number): CloudError {
  return new CloudError({
    code,
    message: "m",
    requestId: undefined,
    httpStatus,
    action: "DescribeImages",
    retryAfterMs,
  });
}

/** A function that fails with the given errors in turn, then returns "ok". */
function failing(errors: unknown[]): { fn: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    fn: () => {
      calls += 1;
      const next = errors.shift();
      return next === undefined
        ? Promise.resolve("ok")
        : Promise.reject(next instanceof Error ? next : new Error("x"));
    },
    calls: () => calls,
  };
}

describe("retry()", () => {
  test("retry() retries throttling and 5xx, then succeeds", async () => {
    const clock = fakeClock();
    const { fn, calls } = failing([err("Throttling.User", 400), err("InternalError", 500)]);
    await expect(retry(fn, { isRetriable, clock, random: seededRandom(1) })).resolves.toBe("ok");
    expect(calls()).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  test("retry() never retries a non-retryable 4xx and records one attempt", async () => {
    const clock = fakeClock();
    const error = err("InvalidImageName.Duplicated", 400);
    const { fn, calls } = failing([error]);
    await expect(retry(fn, { isRetriable, clock, random: seededRandom(1) })).rejects.toBe(error);
    expect(calls()).toBe(1);
    expect(error.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  test("retry() gives up after maxAttempts and records the attempts on the error", async () => {
    const clock = fakeClock();
    const errors = Array.from({ length: 10 }, () => err("ServiceUnavailable", 503));
    const last = errors[3];
    const { fn, calls } = failing(errors);
    await expect(retry(fn, { isRetriable, clock, random: seededRandom(2), maxAttempts: 4 })).rejects.toBe(
      last,
    );
    expect(calls()).toBe(4);
    expect(last?.attempts).toBe(4);
    expect(clock.sleeps).toHaveLength(3);
  });

  test("retry() waits with full jitter inside the capped exponential window", async () => {
    const clock = fakeClock();
    const errors = Array.from({ length: 7 }, () => err("Throttling", 400));
    const { fn } = failing(errors);
    const options = {
      isRetriable,
      clock,
      random: seededRandom(42),
      maxAttempts: 8,
      baseDelayMs: 100,
      maxDelayMs: 1000,
    };
    await retry(fn, options);
    expect(clock.sleeps).toHaveLength(7);
    clock.sleeps.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(backoffCapMs(index, options));
    });
    const again = fakeClock();
    await retry(failing(Array.from({ length: 7 }, () => err("Throttling", 400))).fn, {
      ...options,
      clock: again,
      random: seededRandom(42),
    });
    expect(again.sleeps).toEqual(clock.sleeps);
  });

  test("retry() honours the service's retryAfter", async () => {
    const clock = fakeClock();
    const { fn } = failing([err("Throttling.User", 400, 7000)]);
    await retry(fn, { isRetriable, clock, random: () => 0, baseDelayMs: 100, maxDelayMs: 1000 });
    expect(clock.sleeps).toEqual([7000]);
  });

  test("retry() retries nothing that the predicate refuses, such as plain errors", async () => {
    const clock = fakeClock();
    const { fn, calls } = failing([new Error("bug")]);
    await expect(retry(fn, { isRetriable, clock, random: Math.random })).rejects.toThrow("bug");
    expect(calls()).toBe(1);
  });

  test.each([
    [0, 500],
    [1, 1000],
    [2, 2000],
    [5, 16_000],
    [6, 20_000],
    [60, 20_000],
  ])("backoffCapMs(%i) is %i with base 500 ms and cap 20 s", (index, cap) => {
    expect(backoffCapMs(index, { baseDelayMs: 500, maxDelayMs: 20_000 })).toBe(cap);
  });

  test("retryDelayMs() caps a huge retryAfter at 120 s", () => {
    expect(
      retryDelayMs(err("Throttling", 400, 10_000_000), 0, { baseDelayMs: 1, maxDelayMs: 1, random: () => 0 }),
    ).toBe(120_000);
  });
});
