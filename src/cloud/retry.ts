/**
 * One generic retry loop with capped exponential backoff and full jitter (smithy's delayDecider), the
 * service's `retryAfter` honoured, attempts recorded on the error (style.md §5).
 */
import type { Clock } from "../common/clock";
import { CloudError } from "./errors";

/** Total attempts (first try included) before giving up. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Backoff base: the cap of the first retry's jitter window. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
/** Backoff cap: no retry waits longer than this, except when the service asks for more (retryAfter). */
export const DEFAULT_RETRY_MAX_DELAY_MS = 20_000;
/** The most we wait when the service sends `x-acs-retry-after` (the SDK's own cap is 120 s). */
export const MAX_RETRY_AFTER_MS = 120_000;

/** How `retry` behaves. */
export interface RetryOptions {
  /** Decides whether an error may be retried (from classify.ts). */
  readonly isRetriable: (error: unknown) => boolean;
  /** @default DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** @default DEFAULT_RETRY_BASE_DELAY_MS */
  readonly baseDelayMs?: number;
  /** @default DEFAULT_RETRY_MAX_DELAY_MS */
  readonly maxDelayMs?: number;
  readonly clock: Clock;
  /** A source of numbers in [0, 1), injected so tests are reproducible. */
  readonly random: () => number;
  /** Called before each wait, e.g. for debug logs. */
  readonly onRetry?: (info: {
    readonly attempt: number;
    readonly delayMs: number;
    readonly error: unknown;
  }) => void;
}

/** The jitter-free cap of the wait before retry number `retryIndex` (0 for the first retry). */
export function backoffCapMs(
  retryIndex: number,
  options: { baseDelayMs: number; maxDelayMs: number },
): number {
  const exponential = options.baseDelayMs * 2 ** Math.min(retryIndex, 30);
  return Math.min(options.maxDelayMs, exponential);
}

/** The wait before a retry: full jitter in [0, cap), or the service's retryAfter when it asks for more. */
export function retryDelayMs(
  error: unknown,
  retryIndex: number,
  options: { baseDelayMs: number; maxDelayMs: number; random: () => number },
): number {
  const jittered = Math.floor(options.random() * backoffCapMs(retryIndex, options));
  const retryAfter = error instanceof CloudError ? error.retryAfterMs : undefined;
  if (retryAfter === undefined || retryAfter <= 0) return jittered;
  return Math.max(jittered, Math.min(retryAfter, MAX_RETRY_AFTER_MS));
}

/** Records the attempt count on a CloudError (other values are left untouched). */
function recordAttempts(error: unknown, attempts: number): void {
  if (error instanceof CloudError) error.attempts = attempts;
}

/**
 * Calls `fn` until it succeeds, the error is not retriable, or the attempts run out.
 * @throws the last error of `fn`, with `attempts` recorded when it is a CloudError
 */
export async function retry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const delays = {
    baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
    random: options.random,
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error: unknown) {
      recordAttempts(error, attempt);
      if (attempt >= maxAttempts || !options.isRetriable(error)) throw error;
      const delayMs = retryDelayMs(error, attempt - 1, delays);
      options.onRetry?.({ attempt, delayMs, error });
      await options.clock.sleep(delayMs);
    }
  }
}
