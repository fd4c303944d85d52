/** PURE: what to send so that an image's tags match the user's (like amazon.aws compare_aws_tags). */

/** Tag key prefixes owned by the cloud: never removed by a purge. */
export const RESERVED_TAG_PREFIXES: readonly string[] = ["aliyun", "acs:"];

/** Tags to add or overwrite, and keys to remove. */
export interface TagDiff {
  readonly toSet: Readonly<Record<string, string>>;
  readonly toUnset: readonly string[];
}

/** True for a key the cloud owns (never purged). */
export function isReservedTagKey(key: string): boolean {
  return RESERVED_TAG_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * Compares current and desired tags. Missing or different values are set; with `purge`, keys the user did
 * not list are removed (reserved prefixes excepted), so an empty desired map plus purge removes every tag.
 */
export function diffTags(
  current: Readonly<Record<string, string>>,
  desired: Readonly<Record<string, string>>,
  options: { readonly purge?: boolean } = {},
): TagDiff {
  const toSet: Record<string, string> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (current[key] !== value) toSet[key] = value;
  }
  const toUnset =
    options.purge === true
      ? Object.keys(current).filter((key) => !(key in desired) && !isReservedTagKey(key))
      : [];
  return { toSet, toUnset };
}

/** The tags an image would carry after applying a diff. */
export function applyTagDiff(
  current: Readonly<Record<string, string>>,
  diff: TagDiff,
): Record<string, string> {
  const removed = new Set(diff.toUnset);
  const kept = Object.entries(current).filter(([key]) => !removed.has(key));
  return { ...Object.fromEntries(kept), ...diff.toSet };
}
