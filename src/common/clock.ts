/** Time as the module sees it: injectable so that tests never sleep (style.md §1). */

/**
 * Something that can be cancelled, like an AbortSignal. Only `aborted` is required; a signal that can also
 * notify (an AbortSignal does) lets a sleep end at once instead of at its next deadline.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener?(type: "abort", listener: () => void, options?: { readonly once?: boolean }): void;
  removeEventListener?(type: "abort", listener: () => void): void;
}

/** A source of time and a way to wait. Milliseconds throughout. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds, or as soon as `signal` is aborted (it never rejects). */
  sleep(ms: number, signal?: CancelSignal): Promise<void>;
}

/** Resolves after `ms` milliseconds of real time (0 or less: next tick), or at once when `signal` aborts. */
function sleepRealMs(ms: number, signal?: CancelSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener?.("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener?.("abort", onAbort, { once: true });
  });
}

/** The real clock: wall time and real timers. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: sleepRealMs,
};
