/** Small response-shaping helpers shared by the handlers (ecs-api.md §4, §7: wrapped lists, UTC times). */

/** `2019-11-15T06:07:05Z`: UTC, whole seconds, as ECS prints times. */
export function formatApiTime(ms: number): string {
  // toISOString is always `YYYY-MM-DDTHH:mm:ss.sssZ` for the years the emulator meets: drop the milliseconds.
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Tags as `[{TagKey, TagValue}]` (the element list of `Tags: {Tag: [...]}`). */
export function tagList(tags: ReadonlyMap<string, string>): { TagKey: string; TagValue: string }[] {
  return [...tags].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}
