/**
 * One generic wait (style.md §5): polls with capped exponential backoff until a target, fails fast on a
 * failure status, and stops only at the user's timeout. "Not found yet" right after a create counts as
 * pending for a short grace window (eventual consistency).
 */
import type { CancelSignal, Clock } from "../common/clock";
import { CancelledError, WaitFailedError, WaitTimeoutError } from "./errors";

/** First poll interval. */
export const DEFAULT_WAIT_INITIAL_INTERVAL_MS = 1_000;
/** Interval cap: real builds take minutes, so after the ramp-up we poll this often (T/cap polls). */
export const DEFAULT_WAIT_MAX_INTERVAL_MS = 15_000;
/** Growth of the interval between polls. */
export const DEFAULT_WAIT_BACKOFF_FACTOR = 1.5;
/** How long "not found" still counts as pending, from the start of the wait. */
export const DEFAULT_NOT_FOUND_GRACE_MS = 10_000;
/** Status word used in errors when the resource is not visible. */
export const NOT_FOUND_STATUS = "NotFound";

/** Something that can be cancelled, like an AbortSignal (defined with the clock, whose sleep it can end). */
export type { CancelSignal } from "../common/clock";

/** What and how to wait for. `T` is what `read` returns when the resource is visible. */
export interface WaitOptions<T> {
  /** Reads the resource once; undefined when it is not (or no longer) visible. */
  readonly read: () => Promise<T | undefined>;
  /** The target: e.g. status Available, or undefined (gone). */
  readonly isDone: (value: T | undefined) => boolean;
  /** A failure status reached: stop at once (e.g. CreateFailed). */
  readonly isFailed: (value: T) => boolean;
  /** The status word of a visible value, for messages. */
  readonly statusOf: (value: T) => string;
  /** The id and region of what we wait for, for messages and errors. */
  readonly imageId: string;
  readonly region: string;
  /** The target, in words, for messages ("Available", "deleted"). */
  readonly target: string;
  /** The user's wait_timeout: the only limit. */
  readonly timeoutMs: number;
  readonly clock: Clock;
  /** @default DEFAULT_WAIT_INITIAL_INTERVAL_MS */
  readonly initialIntervalMs?: number;
  /** @default DEFAULT_WAIT_MAX_INTERVAL_MS */
  readonly maxIntervalMs?: number;
  /** @default DEFAULT_WAIT_BACKOFF_FACTOR */
  readonly backoffFactor?: number;
  /** How long "not found" counts as pending; 0 when absence is itself the target or an error. @default 0 */
  readonly notFoundGraceMs?: number;
  readonly signal?: CancelSignal;
}

/** How a successful wait ended. */
export interface WaitResult<T> {
  readonly value: T | undefined;
  readonly polls: number;
  readonly elapsedMs: number;
}

/** The interval after `interval`: grown by the factor, capped. */
export function nextIntervalMs(intervalMs: number, options: { factor: number; maxMs: number }): number {
  return Math.min(options.maxMs, Math.ceil(intervalMs * options.factor));
}

/** Checks one observation; throws when the wait must stop with a failure. */
function checkFailure<T>(value: T | undefined, options: WaitOptions<T>, progress: WaitProgress): void {
  const fields = {
    imageId: options.imageId,
    region: options.region,
    elapsedMs: progress.elapsedMs,
    polls: progress.polls,
  };
  if (value === undefined) {
    const graceMs = options.notFoundGraceMs ?? 0;
    if (graceMs > 0 && progress.elapsedMs <= graceMs) return;
    throw new WaitFailedError(
      { ...fields, lastStatus: NOT_FOUND_STATUS },
      `Image ${options.imageId} not found in region ${options.region} while waiting for it to be ${options.target}`,
    );
  }
  if (!options.isFailed(value)) return;
  const status = options.statusOf(value);
  throw new WaitFailedError(
    { ...fields, lastStatus: status },
    `Image ${options.imageId} in region ${options.region} reached status ${status} while waiting for it to be ${options.target}`,
  );
}

/** Elapsed time and polls so far. */
interface WaitProgress {
  readonly elapsedMs: number;
  readonly polls: number;
}

/** The error for a timeout, with the last status seen. */
function timeoutError<T>(
  options: WaitOptions<T>,
  lastStatus: string,
  progress: WaitProgress,
): WaitTimeoutError {
  const seconds = Math.round(options.timeoutMs / 1000);
  return new WaitTimeoutError(
    { imageId: options.imageId, region: options.region, lastStatus, ...progress },
    `Timed out after ${seconds} seconds waiting for image ${options.imageId} in region ${options.region} to be ${options.target} (last status ${lastStatus})`,
  );
}

/** The error for a cancelled wait, with the last status seen. */
function cancelledError<T>(options: WaitOptions<T>, lastStatus: string): CancelledError {
  return new CancelledError(
    { imageId: options.imageId, lastStatus },
    `Cancelled while waiting for image ${options.imageId} in region ${options.region} to be ${options.target} (last status ${lastStatus})`,
  );
}

/** True once the signal is aborted (a function, so that the check is read afresh after each await). */
function isAborted(signal: CancelSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * Polls `read` until `isDone`, never longer than `timeoutMs`; returns within one interval of the target.
 * @throws WaitFailedError on a failure status, or when not found after the grace window
 * @throws WaitTimeoutError when the timeout runs out (with the last status seen)
 * @throws CancelledError when the signal is aborted (a sleep between polls ends at once then)
 */
export async function waitForStatus<T>(options: WaitOptions<T>): Promise<WaitResult<T>> {
  const { clock } = options;
  const startMs = clock.now();
  const deadlineMs = startMs + Math.max(0, options.timeoutMs);
  const backoff = {
    factor: options.backoffFactor ?? DEFAULT_WAIT_BACKOFF_FACTOR,
    maxMs: options.maxIntervalMs ?? DEFAULT_WAIT_MAX_INTERVAL_MS,
  };
  let intervalMs = Math.min(options.initialIntervalMs ?? DEFAULT_WAIT_INITIAL_INTERVAL_MS, backoff.maxMs);
  for (let polls = 1; ; polls += 1) {
    const value = await options.read();
    const progress = { elapsedMs: clock.now() - startMs, polls };
    if (options.isDone(value)) return { value, ...progress };
    checkFailure(value, options, progress);
    const lastStatus = value === undefined ? NOT_FOUND_STATUS : options.statusOf(value);
    const remainingMs = deadlineMs - clock.now();
    if (isAborted(options.signal)) throw cancelledError(options, lastStatus);
    if (remainingMs <= 0) throw timeoutError(options, lastStatus, progress);
    await clock.sleep(Math.min(intervalMs, remainingMs), options.signal);
    if (isAborted(options.signal)) throw cancelledError(options, lastStatus);
    intervalMs = nextIntervalMs(intervalMs, backoff);
  }
}
