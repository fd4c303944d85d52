import { applyShareDiff, diffShares, toBatches } from "../../../src/reconcile/diff-shares";
import { applyTagDiff, diffTags, isReservedTagKey } from "../../../src/reconcile/diff-tags";

describe("diffTags()", () => {
  test.each([
    ["no change", { a: "1" }, { a: "1" }, false, {}, []],
    ["adds a missing key", { a: "1" }, { a: "1", b: "2" }, false, { b: "2" }, []],
    ["overwrites a different value", { a: "1" }, { a: "2" }, false, { a: "2" }, []],
    ["empty value is a value", { a: "1" }, { a: "" }, false, { a: "" }, []],
    ["keeps unlisted keys without purge", { a: "1", b: "2" }, { a: "1" }, false, {}, []],
    ["removes unlisted keys with purge", { a: "1", b: "2" }, { a: "1" }, true, {}, ["b"]],
    ["empty desired plus purge removes all", { a: "1", b: "2" }, {}, true, {}, ["a", "b"]],
    ["never purges reserved prefixes", { "acs:x": "1", aliyunY: "2", c: "3" }, {}, true, {}, ["c"]],
  ])("diffTags() %s", (_name, current, desired, purge, toSet, toUnset) => {
    const diff = diffTags(current, desired, { purge });
    expect(diff).toEqual({ toSet, toUnset });
    expect(applyTagDiff(current, diff)).toEqual(
      purge
        ? { ...Object.fromEntries(Object.entries(current).filter(([k]) => isReservedTagKey(k))), ...desired }
        : { ...current, ...desired },
    );
  });

  test("diffTags() defaults purge to false", () => {
    expect(diffTags({ a: "1" }, {}).toUnset).toEqual([]);
  });
});

describe("diffShares()", () => {
  const twelve = Array.from({ length: 12 }, (_, i) => `acc${i + 1}`);

  test("diffShares() adds missing accounts in batches of at most 10", () => {
    const diff = diffShares([], twelve);
    expect(diff.add).toEqual([twelve.slice(0, 10), twelve.slice(10)]);
    expect(diff.remove).toEqual([]);
  });

  test("diffShares() sends nothing for accounts already there and ignores duplicates", () => {
    expect(diffShares(["a", "b"], ["b", "a", "a"])).toEqual({ add: [], remove: [] });
    expect(diffShares(["a"], ["a", "b", "b"]).add).toEqual([["b"]]);
  });

  test("diffShares() removes unlisted accounts only with purge (empty plus purge removes all)", () => {
    expect(diffShares(["a", "b"], ["a"]).remove).toEqual([]);
    expect(diffShares(["a", "b"], ["a"], { purge: true }).remove).toEqual([["b"]]);
    expect(diffShares(["a", "b"], [], { purge: true }).remove).toEqual([["a", "b"]]);
  });

  test("applyShareDiff() gives the resulting accounts", () => {
    expect(applyShareDiff(["a", "b"], { add: [["c"]], remove: [["a"]] })).toEqual(["b", "c"]);
  });

  test("toBatches() splits into consecutive batches", () => {
    expect(toBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(toBatches([], 10)).toEqual([]);
  });
});
