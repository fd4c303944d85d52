/** Time as the module sees it: injectable so that tests never sleep (style.md §1). */

/** A source of time and a way to wait. Milliseconds throughout. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** Resolves after `ms` milliseconds of real time (0 or less resolves on the next tick). */
function sleepRealMs(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });
}

/** The real clock: wall time and real timers. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: sleepRealMs,
};
