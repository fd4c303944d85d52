/**
 * Validation of the fixture file format (design.md, "The emulator's contract"). Errors name the bad
 * path, e.g. `regions.cn-hangzhou.instances[0].status must be a string`. The small readers at the end
 * are shared with importState, which validates its own format the same way.
 */
import type {
  FixtureCredential,
  FixtureImage,
  FixtureInstance,
  FixtureRegion,
  FixtureSnapshot,
  Fixtures,
} from "./contract";
import { IMAGE_STATUSES } from "./lifecycle";

const TOP_LEVEL_KEYS = [
  "credentials",
  "known_accounts",
  "image_create_seconds",
  "image_quota",
  "regions",
] as const;
const REGION_KEYS = ["instances", "snapshots", "images"] as const;
const DISK_TYPES = ["system", "data"] as const;
const SNAPSHOT_STATUSES = ["progressing", "accomplished", "failed"] as const;
/** Instance statuses of DescribeInstances (ecs-api.md §5). */
export const INSTANCE_STATUSES = ["Pending", "Running", "Starting", "Stopping", "Stopped"] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Validates a parsed JSON value as fixtures; throws an Error naming the first bad path. */
export function parseFixtures(value: unknown): Fixtures {
  const record = expectRecord(value, "fixtures");
  rejectUnknownKeys(record, TOP_LEVEL_KEYS, "fixtures");
  const fixtures: Mutable<Fixtures> = {};
  if (record["credentials"] !== undefined) {
    fixtures.credentials = expectArray(record["credentials"], "credentials").map((item, i) =>
      parseCredential(item, `credentials[${i}]`),
    );
  }
  if (record["known_accounts"] !== undefined) {
    fixtures.known_accounts = expectStringArray(record["known_accounts"], "known_accounts");
  }
  if (record["image_create_seconds"] !== undefined) {
    fixtures.image_create_seconds = expectNumber(record["image_create_seconds"], "image_create_seconds", 0);
  }
  if (record["image_quota"] !== undefined) {
    fixtures.image_quota = expectInteger(record["image_quota"], "image_quota", 0);
  }
  if (record["regions"] !== undefined) fixtures.regions = parseRegions(record["regions"]);
  return fixtures;
}

function parseCredential(value: unknown, path: string): FixtureCredential {
  const record = expectRecord(value, path);
  rejectUnknownKeys(record, ["access_key_id", "access_key_secret", "account_id"], path);
  return {
    access_key_id: expectString(record["access_key_id"], `${path}.access_key_id`),
    access_key_secret: expectString(record["access_key_secret"], `${path}.access_key_secret`),
    account_id: expectString(record["account_id"], `${path}.account_id`),
  };
}

function parseRegions(value: unknown): Readonly<Record<string, FixtureRegion>> {
  const record = expectRecord(value, "regions");
  const regions: Record<string, FixtureRegion> = {};
  for (const [regionId, regionValue] of Object.entries(record)) {
    regions[regionId] = parseRegion(regionValue, `regions.${regionId}`);
  }
  return regions;
}

function parseRegion(value: unknown, path: string): FixtureRegion {
  const record = expectRecord(value, path);
  rejectUnknownKeys(record, REGION_KEYS, path);
  const region: Mutable<FixtureRegion> = {};
  if (record["instances"] !== undefined) {
    region.instances = expectArray(record["instances"], `${path}.instances`).map((item, i) =>
      parseInstance(item, `${path}.instances[${i}]`),
    );
  }
  if (record["snapshots"] !== undefined) {
    region.snapshots = expectArray(record["snapshots"], `${path}.snapshots`).map((item, i) =>
      parseSnapshot(item, `${path}.snapshots[${i}]`),
    );
  }
  if (record["images"] !== undefined) {
    region.images = expectArray(record["images"], `${path}.images`).map((item, i) =>
      parseImage(item, `${path}.images[${i}]`),
    );
  }
  return region;
}

function parseInstance(value: unknown, path: string): FixtureInstance {
  const record = expectRecord(value, path);
  rejectUnknownKeys(record, ["id", "status", "disks", "lock_reason"], path);
  const instance: Mutable<FixtureInstance> = {
    id: expectString(record["id"], `${path}.id`),
    status: expectOneOf(
      expectString(record["status"], `${path}.status`),
      INSTANCE_STATUSES,
      `${path}.status`,
    ),
  };
  if (record["disks"] !== undefined) {
    instance.disks = expectArray(record["disks"], `${path}.disks`).map((disk, i) => {
      const diskPath = `${path}.disks[${i}]`;
      const diskRecord = expectRecord(disk, diskPath);
      rejectUnknownKeys(diskRecord, ["device", "type", "size"], diskPath);
      return {
        device: expectString(diskRecord["device"], `${diskPath}.device`),
        type: expectOneOf(diskRecord["type"], DISK_TYPES, `${diskPath}.type`),
        size: expectInteger(diskRecord["size"], `${diskPath}.size`, 1),
      };
    });
  }
  if (record["lock_reason"] !== undefined) {
    instance.lock_reason = expectString(record["lock_reason"], `${path}.lock_reason`);
  }
  return instance;
}

function parseSnapshot(value: unknown, path: string): FixtureSnapshot {
  const record = expectRecord(value, path);
  rejectUnknownKeys(record, ["id", "disk_type", "size", "status", "creation_time"], path);
  const snapshot: Mutable<FixtureSnapshot> = {
    id: expectString(record["id"], `${path}.id`),
    disk_type: expectOneOf(record["disk_type"], DISK_TYPES, `${path}.disk_type`),
    size: expectInteger(record["size"], `${path}.size`, 1),
    status: expectOneOf(record["status"], SNAPSHOT_STATUSES, `${path}.status`),
  };
  if (record["creation_time"] !== undefined) {
    snapshot.creation_time = expectTimestamp(record["creation_time"], `${path}.creation_time`);
  }
  return snapshot;
}

const IMAGE_KEYS = [
  "id",
  "name",
  "status",
  "description",
  "version",
  "in_use",
  "tags",
  "shared_with",
  "creation_time",
  "size",
] as const;

function parseImage(value: unknown, path: string): FixtureImage {
  const record = expectRecord(value, path);
  rejectUnknownKeys(record, IMAGE_KEYS, path);
  const image: Mutable<FixtureImage> = {
    id: expectString(record["id"], `${path}.id`),
    name: expectString(record["name"], `${path}.name`),
    status: expectOneOf(expectString(record["status"], `${path}.status`), IMAGE_STATUSES, `${path}.status`),
  };
  if (record["description"] !== undefined)
    image.description = expectString(record["description"], `${path}.description`);
  if (record["version"] !== undefined) image.version = expectString(record["version"], `${path}.version`);
  if (record["in_use"] !== undefined) image.in_use = expectBoolean(record["in_use"], `${path}.in_use`);
  if (record["tags"] !== undefined) image.tags = expectStringRecord(record["tags"], `${path}.tags`);
  if (record["shared_with"] !== undefined)
    image.shared_with = expectStringArray(record["shared_with"], `${path}.shared_with`);
  if (record["creation_time"] !== undefined)
    image.creation_time = expectTimestamp(record["creation_time"], `${path}.creation_time`);
  if (record["size"] !== undefined) image.size = expectInteger(record["size"], `${path}.size`, 1);
  return image;
}

// ---- Small readers: each names the path it checks ----

/** A plain JSON object, or an Error naming the path. */
export function expectRecord(value: unknown, path: string): Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${path} must be an object`);
  }
  return value as Readonly<Record<string, unknown>>;
}

/** Rejects keys outside `allowed`, naming the first unknown one. */
function rejectUnknownKeys(
  record: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
  path: string,
): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      throw new Error(`${path} has an unknown key "${key}" (allowed: ${allowed.join(", ")})`);
    }
  }
}

/** An array, or an Error naming the path. */
export function expectArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new Error(`${path} must be an array`);
  return value;
}

/** A string, or an Error naming the path. */
export function expectString(value: unknown, path: string): string {
  if (typeof value !== "string") throw new Error(`${path} must be a string`);
  return value;
}

/** A boolean, or an Error naming the path. */
export function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw new Error(`${path} must be a boolean`);
  return value;
}

/** A finite number not below `min`, or an Error naming the path. */
export function expectNumber(value: unknown, path: string, min: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new Error(`${path} must be a number of at least ${min}`);
  }
  return value;
}

/** An integer not below `min`, or an Error naming the path. */
export function expectInteger(value: unknown, path: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new Error(`${path} must be an integer of at least ${min}`);
  }
  return value;
}

/** An array of strings, or an Error naming the path of the first bad item. */
export function expectStringArray(value: unknown, path: string): string[] {
  return expectArray(value, path).map((item, i) => expectString(item, `${path}[${i}]`));
}

/** An object whose values are all strings. */
function expectStringRecord(value: unknown, path: string): Record<string, string> {
  const record = expectRecord(value, path);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(record)) result[key] = expectString(item, `${path}.${key}`);
  return result;
}

/** One of a closed set of strings. */
export function expectOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  const found = allowed.find((item) => item === value);
  if (found === undefined) throw new Error(`${path} must be one of ${allowed.join(", ")}`);
  return found;
}

/** An ISO 8601 timestamp string that Date can parse. */
function expectTimestamp(value: unknown, path: string): string {
  const text = expectString(value, path);
  if (Number.isNaN(Date.parse(text))) throw new Error(`${path} must be an ISO 8601 timestamp`);
  return text;
}
