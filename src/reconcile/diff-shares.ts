/** PURE: which accounts to share an image with or unshare, in batches the API takes. */

import { MAX_SHARE_ACCOUNTS_PER_CALL } from "../cloud/limits";

/** Accounts to add and to remove, each split into batches of at most 10. */
export interface ShareDiff {
  readonly add: readonly (readonly string[])[];
  readonly remove: readonly (readonly string[])[];
}

/** Splits a list into consecutive batches of at most `size` items. */
export function toBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** The unique items of a list, first occurrence first. */
function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/**
 * Compares current and desired share accounts: missing ones are added; with `purge`, accounts the user did
 * not list are removed (an empty desired list plus purge unshares every account).
 */
export function diffShares(
  current: readonly string[],
  desired: readonly string[],
  options: { readonly purge?: boolean } = {},
): ShareDiff {
  const have = new Set(current);
  const want = new Set(desired);
  const add = unique(desired).filter((account) => !have.has(account));
  const remove = options.purge === true ? unique(current).filter((account) => !want.has(account)) : [];
  return {
    add: toBatches(add, MAX_SHARE_ACCOUNTS_PER_CALL),
    remove: toBatches(remove, MAX_SHARE_ACCOUNTS_PER_CALL),
  };
}

/** The accounts an image would be shared with after applying a diff, in a stable order. */
export function applyShareDiff(current: readonly string[], diff: ShareDiff): string[] {
  const removed = new Set(diff.remove.flat());
  return unique([...current.filter((account) => !removed.has(account)), ...diff.add.flat()]);
}
