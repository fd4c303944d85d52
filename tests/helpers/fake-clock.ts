import type { Clock } from "../../src/common/clock";

/** A clock whose time moves only when someone sleeps: sleeping advances time at once. */
export interface FakeClock extends Clock {
  /** Every sleep requested so far, in milliseconds, in order. */
  readonly sleeps: number[];
  /** Moves time forward without sleeping. */
  advance(ms: number): void;
}

/** Returns a fake clock starting at `startMs`; `sleep(ms)` advances the time by `ms` and resolves. */
export function fakeClock(startMs = 1_700_000_000_000): FakeClock {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => nowMs,
    advance(ms: number): void {
      nowMs += ms;
    },
    sleep(ms: number): Promise<void> {
      sleeps.push(ms);
      nowMs += Math.max(0, ms);
      return Promise.resolve();
    },
  };
}

/** A seeded pseudo-random source in [0, 1) (mulberry32), so jitter is reproducible without touching Math.random. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
