/**
 * Readers for the flattened query parameters the SDK sends (ecs-api.md §3 "Parameter flattening"):
 * `Tag.N.Key/Value`, `DiskDeviceMapping.N.*`, `AddAccount.N`, JSON-array strings, booleans as
 * "true"/"false", integers as decimal text. Bad values raise the ECS error the service would give.
 */
import { invalidParameter, missingParameter, raise } from "./errors";

/** The decoded query of one call. */
export type Params = Readonly<Record<string, string>>;

/** One `Tag.N` entry; value undefined when only the key was sent. */
export interface TagParam {
  readonly index: number;
  readonly key: string | undefined;
  readonly value: string | undefined;
}

/** One `DiskDeviceMapping.N` entry, raw. */
export interface DiskMappingParam {
  readonly index: number;
  readonly device: string | undefined;
  readonly size: string | undefined;
  readonly snapshotId: string | undefined;
  readonly diskType: string | undefined;
}

/** A parameter's value, or undefined when absent. */
export function optionalString(params: Params, name: string): string | undefined {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

/** A mandatory parameter; absent or empty gives MissingParameter naming it. */
export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined || value === "") raise(missingParameter(name));
  return value;
}

/** A boolean sent as "true"/"false" (any case); anything else is InvalidParameter. */
export function readBoolean(params: Params, name: string, fallback: boolean): boolean {
  const value = optionalString(params, name);
  if (value === undefined || value === "") return fallback;
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  return raise(invalidParameter(name));
}

/** An integer sent as decimal text; not an integer is InvalidParameter. */
function readInteger(params: Params, name: string): number | undefined {
  const value = optionalString(params, name);
  if (value === undefined || value === "") return undefined;
  if (!/^-?\d{1,15}$/.test(value.trim())) raise(invalidParameter(name));
  return Number(value.trim());
}

/** The sorted N indexes present under `prefix.N` or `prefix.N.<field>`. */
function indexesOf(params: Params, prefix: string): number[] {
  const pattern = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.(\\d+)(?:\\.|$)`);
  const found = new Set<number>();
  for (const key of Object.keys(params)) {
    const match = pattern.exec(key);
    if (match?.[1] !== undefined) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b);
}

/** Values of `prefix.N` (string lists such as AddAccount.N), in N order, empty values dropped. */
export function readIndexedList(params: Params, prefix: string): string[] {
  const values: string[] = [];
  for (const index of indexesOf(params, prefix)) {
    const value = optionalString(params, `${prefix}.${index}`);
    if (value !== undefined && value !== "") values.push(value);
  }
  return values;
}

/** `Tag.N.Key` / `Tag.N.Value` entries in N order. */
export function readTags(params: Params, prefix = "Tag"): TagParam[] {
  return indexesOf(params, prefix).map((index) => ({
    index,
    key: optionalString(params, `${prefix}.${index}.Key`),
    value: optionalString(params, `${prefix}.${index}.Value`),
  }));
}

/** `DiskDeviceMapping.N.*` entries in N order. */
export function readDiskMappings(params: Params): DiskMappingParam[] {
  const prefix = "DiskDeviceMapping";
  return indexesOf(params, prefix).map((index) => ({
    index,
    device: optionalString(params, `${prefix}.${index}.Device`),
    size: optionalString(params, `${prefix}.${index}.Size`),
    snapshotId: optionalString(params, `${prefix}.${index}.SnapshotId`),
    diskType: optionalString(params, `${prefix}.${index}.DiskType`),
  }));
}

/** A JSON array of strings sent as one parameter (`InstanceIds=["i-1"]`); malformed is InvalidParameter. */
export function readJsonStringArray(params: Params, name: string): string[] | undefined {
  const value = optionalString(params, name);
  if (value === undefined || value === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return raise(invalidParameter(name));
  }
  if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === "string")) {
    return raise(invalidParameter(name));
  }
  return parsed;
}

/** A comma-separated list (`Status=Creating,Available`), trimmed, empty items dropped. */
export function readCommaList(params: Params, name: string): string[] | undefined {
  const value = optionalString(params, name);
  if (value === undefined || value.trim() === "") return undefined;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** Page number and size of a paged call. */
export interface Paging {
  readonly pageNumber: number;
  readonly pageSize: number;
}

/**
 * PageNumber (from 1) and PageSize (1 to `maxSize`, default `defaultSize`). Non-integers are
 * InvalidParameter. Out-of-range values are clamped (PageNumber below 1 -> 1, PageSize above the
 * maximum -> the maximum, below 1 -> the default): the reference documents no error for them, and
 * clamping keeps a caller's loop finite [inferred].
 */
export function readPaging(
  params: Params,
  limits: { readonly defaultSize: number; readonly maxSize: number },
): Paging {
  const pageNumber = readInteger(params, "PageNumber") ?? 1;
  const pageSize = readInteger(params, "PageSize") ?? limits.defaultSize;
  return {
    pageNumber: Math.max(1, pageNumber),
    pageSize: pageSize < 1 ? limits.defaultSize : Math.min(pageSize, limits.maxSize),
  };
}

/** The items of one page. */
export function pageOf<T>(items: readonly T[], paging: Paging): T[] {
  const start = (paging.pageNumber - 1) * paging.pageSize;
  return items.slice(start, start + paging.pageSize);
}

/** A parameter's value, or undefined when absent or empty (the SDK omits unset fields, callers may send ""). */
export function nonEmptyString(params: Params, name: string): string | undefined {
  const value = optionalString(params, name);
  return value === "" ? undefined : value;
}
