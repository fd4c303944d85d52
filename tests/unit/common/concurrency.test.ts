import { mapWithConcurrency } from "../../../src/common/concurrency";

/** A task whose promise the test settles by hand, with a log of starts and ends. */
function controlledTasks() {
  const started: number[] = [];
  const settle = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();
  let inFlight = 0;
  let maxInFlight = 0;
  const task = (item: number): Promise<string> => {
    started.push(item);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<string>((resolve, reject) => {
      settle.set(item, { resolve, reject });
    }).finally(() => {
      inFlight -= 1;
    });
  };
  const flush = () => new Promise((done) => setImmediate(done));
  return { task, started, settle, flush, maxInFlight: () => maxInFlight };
}

describe("mapWithConcurrency", () => {
  test("returns results in the order of the items, whatever order the tasks end in", async () => {
    const tasks = controlledTasks();
    const mapped = mapWithConcurrency([1, 2, 3], 3, tasks.task);
    await tasks.flush();
    for (const item of [3, 1, 2]) tasks.settle.get(item)?.resolve(`page ${item}`);
    await expect(mapped).resolves.toEqual(["page 1", "page 2", "page 3"]);
  });

  test("never runs more than the limit at once, and starts the next item as soon as one ends", async () => {
    const tasks = controlledTasks();
    const mapped = mapWithConcurrency([1, 2, 3, 4, 5], 2, tasks.task);
    await tasks.flush();
    expect(tasks.started).toEqual([1, 2]);
    tasks.settle.get(2)?.resolve("two");
    await tasks.flush();
    // Item 3 starts while item 1 is still running: no waiting for a whole batch.
    expect(tasks.started).toEqual([1, 2, 3]);
    for (const item of [1, 3, 4]) {
      tasks.settle.get(item)?.resolve(String(item));
      await tasks.flush();
    }
    tasks.settle.get(5)?.resolve("5");
    await expect(mapped).resolves.toEqual(["1", "two", "3", "4", "5"]);
    expect(tasks.maxInFlight()).toBe(2);
  });

  test("the first failure rejects the map and no further item starts", async () => {
    const tasks = controlledTasks();
    const mapped = mapWithConcurrency([1, 2, 3, 4], 2, tasks.task);
    await tasks.flush();
    tasks.settle.get(1)?.reject(new Error("throttled for good"));
    await expect(mapped).rejects.toThrow("throttled for good");
    tasks.settle.get(2)?.resolve("2");
    await tasks.flush();
    expect(tasks.started).toEqual([1, 2]);
  });

  test.each([
    ["no items", [], 4, []],
    ["a limit above the item count", [7], 10, ["7"]],
    ["a limit below one (treated as one)", [1, 2], 0, ["1", "2"]],
    ["a limit that is not a number (treated as one)", [1, 2], Number.NaN, ["1", "2"]],
    ["a fractional limit (rounded down)", [1, 2, 3], 2.7, ["1", "2", "3"]],
  ])("%s", async (_name, items, limit, expected) => {
    await expect(mapWithConcurrency(items, limit, (item) => Promise.resolve(String(item)))).resolves.toEqual(
      expected,
    );
  });
});
