/** Running a list of asynchronous tasks with a bound on how many are in flight. */

/**
 * Maps `items` through `task` with at most `limit` tasks in flight: a new one starts as soon as one ends (no
 * waiting for a whole batch), and the results come back in the order of `items`. The first failure rejects the
 * whole map; tasks already running are left to end on their own, and no new one starts.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(items[index] as T);
      } catch (error: unknown) {
        failed = true;
        throw error;
      }
    }
  }
  // At least one worker for any limit (0, negative or NaN included), at most one per item.
  const width = Number.isFinite(limit) && limit > 1 ? Math.floor(limit) : 1;
  const workers = Array.from({ length: Math.min(width, Math.max(items.length, 1)) }, () => worker());
  await Promise.all(workers);
  return results;
}
