/**
 * The cloud's own limits (reference/ecs-api.md §5), checked on validated params before any write,
 * so that a bad name, tag or account never leaves an orphan image behind. Pure: no I/O.
 *
 * Decisions where the API documents disagree or leave a choice:
 * - image_name may contain `.` (ModifyImageAttribute and the error text allow it; the cloud has the
 *   last word on create). The `aliyun` and `acs:` prefixes are refused (newer docs).
 * - description may be empty (the seed documents 0 to 256; empty means no description); otherwise
 *   2 to 256 characters.
 * - disk_size: the disk category is not an option, so without a snapshot the widest documented range
 *   (5 to 32768 GiB) is allowed and the cloud checks the category's own bounds; with a snapshot,
 *   1 to 32768 (the cloud checks that it is at least the snapshot's size).
 * - Lengths count characters (code points), as the API does, not UTF-16 units.
 */
import { parseEndpoint as parseCloudEndpoint } from "../cloud/endpoint";
import { CloudConfigError } from "../cloud/errors";
import { findOption } from "./options";
import type { DiskMappingParam, ImageTagParam, Params } from "./params";

/** A violated cloud limit: the option and a message naming the offending value. */
export interface LimitError {
  readonly code: "limit";
  readonly option: string;
  readonly msg: string;
}

/** Tags one image can carry. */
export const MAX_TAGS = 20;
/** Longest tag key or value, in characters. */
export const MAX_TAG_TEXT = 128;
/** Accounts one image can be shared with (more needs a ticket). */
export const MAX_SHARE_ACCOUNTS = 50;
/** Data disks of one image, besides its system disk. */
export const MAX_DATA_DISKS = 16;
/** Largest disk of any category, in GiB. */
export const MAX_DISK_SIZE_GIB = 32768;
/** Smallest disk made without a snapshot (basic disks), in GiB. */
export const MIN_EMPTY_DISK_SIZE_GIB = 5;
/** The system disk's device name. */
export const SYSTEM_DEVICE = "/dev/xvda";

const HTTP_PREFIX = /^https?:\/\//;
const HTTP_ANYWHERE = /https?:\/\//;
const RESERVED_KEY_PREFIX = /^(?:aliyun|acs:)/;
const NAME_START = /^(?:[A-Za-z]|\p{Script=Han})/u;
const NAME_CHARS = /^(?:[A-Za-z0-9.:_-]|\p{Script=Han})*$/u;
const DATA_DEVICE = /^\/dev\/xvd[b-z]$/;
const ACCOUNT_ID = /^\d+$/;

/** Returns the first violated limit, or undefined when the params are within the cloud's limits. */
export function checkLimits(params: Params): LimitError | undefined {
  return listLimitErrors(params)[0];
}

/** The options every module of the collection has: credentials, region, endpoint. */
export type ConnectionParams = Pick<
  Params,
  "acs_access_key" | "acs_secret_access_key" | "security_token" | "region" | "endpoint"
>;

/** The first missing or malformed connection setting (region, credentials, endpoint), for any module. */
export function checkConnection(params: ConnectionParams): LimitError | undefined {
  return [
    ...checkRegion(params.region),
    ...checkRequiredSetting("acs_access_key", params.acs_access_key),
    ...checkRequiredSetting("acs_secret_access_key", params.acs_secret_access_key),
    ...checkEndpoint(params.endpoint),
  ][0];
}

/** Every violated limit, in option order. */
export function listLimitErrors(params: Params): LimitError[] {
  return [
    ...checkRegion(params.region),
    ...checkRequiredSetting("acs_access_key", params.acs_access_key),
    ...checkRequiredSetting("acs_secret_access_key", params.acs_secret_access_key),
    ...checkIdentity(params),
    ...checkImageName(params.image_name),
    ...checkImageVersion(params.image_version),
    ...checkDescription(params.description),
    ...checkDiskMapping(params.disk_mapping),
    ...checkTags(params.images_tags),
    ...checkLaunchPermission(params.launch_permission),
    ...checkWaitTimeout(params.wait_timeout),
    ...checkEndpoint(params.endpoint),
  ];
}

function limit(option: string, msg: string): LimitError {
  return { code: "limit", option, msg };
}

function length(text: string): number {
  return Array.from(text).length;
}

/** Every call needs a region; it may come from the option, an alias or the environment. */
function checkRegion(region: string | null): LimitError[] {
  return checkRequiredSetting("region", region);
}

/** A setting every call needs (region, credentials): missing or empty is refused, naming every source. */
function checkRequiredSetting(name: string, value: string | null): LimitError[] {
  if (value !== null && value.trim() !== "") return [];
  const spec = findOption(name);
  const aliases = spec?.aliases.join(", ") ?? "";
  const env = spec?.env.join(", ") ?? "";
  const state = value === null ? "not set" : "empty";
  return [
    limit(name, `${name} is ${state}: give the ${name} option (aliases ${aliases}) or set one of ${env}`),
  ];
}

function checkIdentity(params: Params): LimitError[] {
  if (params.status !== "absent" || params.image_id !== null || params.image_name !== null) return [];
  return [limit("status", "status absent needs image_id or image_name to find the image to delete")];
}

function checkImageName(name: string | null): LimitError[] {
  if (name === null) return [];
  const shown = `image_name '${name}'`;
  if (length(name) < 2 || length(name) > 128) {
    return [limit("image_name", `${shown} must be 2 to 128 characters long, got ${length(name)}`)];
  }
  if (HTTP_PREFIX.test(name))
    return [limit("image_name", `${shown} must not start with http:// or https://`)];
  if (RESERVED_KEY_PREFIX.test(name))
    return [limit("image_name", `${shown} must not start with aliyun or acs:`)];
  if (!NAME_START.test(name)) {
    return [limit("image_name", `${shown} must start with a letter or a Chinese character`)];
  }
  if (!NAME_CHARS.test(name)) {
    const allowed = "letters, Chinese characters, digits, '.', ':', '_' and '-'";
    return [limit("image_name", `${shown} may contain only ${allowed}`)];
  }
  return [];
}

function checkImageVersion(version: string | null): LimitError[] {
  if (version === null || (length(version) >= 1 && length(version) <= 40)) return [];
  return [
    limit(
      "image_version",
      `image_version '${version}' must be 1 to 40 characters long, got ${length(version)}`,
    ),
  ];
}

function checkDescription(description: string | null): LimitError[] {
  if (description === null || description === "") return [];
  const shown = `description '${description}'`;
  if (length(description) < 2 || length(description) > 256) {
    return [
      limit(
        "description",
        `${shown} must be 2 to 256 characters long (or empty), got ${length(description)}`,
      ),
    ];
  }
  if (HTTP_PREFIX.test(description)) {
    return [limit("description", `${shown} must not start with http:// or https://`)];
  }
  return [];
}

function checkTags(tags: readonly ImageTagParam[] | null): LimitError[] {
  if (tags === null) return [];
  if (tags.length > MAX_TAGS) {
    return [
      limit("images_tags", `images_tags has ${tags.length} tags but an image can carry at most ${MAX_TAGS}`),
    ];
  }
  const errors = tags.flatMap((tag, index) => checkTag(tag, index));
  const keys = tags.map((tag) => tag.tag_key).filter((key): key is string => key !== null);
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
  if (duplicate !== undefined) {
    errors.push(limit("images_tags", `images_tags has the tag_key '${duplicate}' more than once`));
  }
  return errors;
}

function checkTag(tag: ImageTagParam, index: number): LimitError[] {
  const where = `images_tags[${index}]`;
  if (tag.tag_key === null) {
    const value = tag.tag_value === null ? "" : ` for tag_value '${tag.tag_value}'`;
    return [limit("images_tags", `${where} needs a tag_key${value}`)];
  }
  const key = tag.tag_key;
  if (key === "") return [limit("images_tags", `${where} tag_key must not be empty`)];
  if (length(key) > MAX_TAG_TEXT) {
    return [limit("images_tags", `${where} tag_key '${key}' is longer than ${MAX_TAG_TEXT} characters`)];
  }
  if (RESERVED_KEY_PREFIX.test(key)) {
    return [limit("images_tags", `${where} tag_key '${key}' must not start with aliyun or acs:`)];
  }
  if (HTTP_ANYWHERE.test(key)) {
    return [limit("images_tags", `${where} tag_key '${key}' must not contain http:// or https://`)];
  }
  return checkTagValue(tag.tag_value, where);
}

function checkTagValue(value: string | null, where: string): LimitError[] {
  if (value === null) return [];
  const shown = `${where} tag_value '${value}'`;
  if (length(value) > MAX_TAG_TEXT) {
    return [limit("images_tags", `${shown} is longer than ${MAX_TAG_TEXT} characters`)];
  }
  if (value.startsWith("acs:")) return [limit("images_tags", `${shown} must not start with acs:`)];
  if (HTTP_ANYWHERE.test(value)) {
    return [limit("images_tags", `${shown} must not contain http:// or https://`)];
  }
  return [];
}

function checkLaunchPermission(accounts: readonly string[] | null): LimitError[] {
  if (accounts === null) return [];
  const bad = accounts.find((account) => !ACCOUNT_ID.test(account));
  if (bad !== undefined) {
    return [
      limit("launch_permission", `launch_permission value '${bad}' is not an account id (digits only)`),
    ];
  }
  const distinct = new Set(accounts).size;
  if (distinct > MAX_SHARE_ACCOUNTS) {
    const msg = `launch_permission has ${distinct} accounts but an image can be shared with at most ${MAX_SHARE_ACCOUNTS}`;
    return [limit("launch_permission", msg)];
  }
  return [];
}

function checkDiskMapping(disks: readonly DiskMappingParam[] | null): LimitError[] {
  if (disks === null) return [];
  const deviceErrors = disks.flatMap((disk, index) => checkDisk(disk, index));
  if (deviceErrors.length > 0) return deviceErrors;
  const devices = disks.map((disk) => disk.device);
  const duplicate = devices.find((device, index) => devices.indexOf(device) !== index);
  if (duplicate !== undefined) {
    return [limit("disk_mapping", `disk_mapping has the device '${duplicate}' more than once`)];
  }
  const system = disks.find((disk) => disk.device === SYSTEM_DEVICE);
  if (system === undefined) {
    return [
      limit("disk_mapping", `disk_mapping has no system disk: one entry needs device ${SYSTEM_DEVICE}`),
    ];
  }
  if (system.snapshot_id === null) {
    return [limit("disk_mapping", `disk_mapping system disk ${SYSTEM_DEVICE} needs a snapshot_id`)];
  }
  const dataDisks = disks.length - 1;
  if (dataDisks > MAX_DATA_DISKS) {
    return [
      limit(
        "disk_mapping",
        `disk_mapping has ${dataDisks} data disks but an image can have at most ${MAX_DATA_DISKS}`,
      ),
    ];
  }
  return [];
}

function checkDisk(disk: DiskMappingParam, index: number): LimitError[] {
  const where = `disk_mapping[${index}]`;
  if (disk.device !== SYSTEM_DEVICE && !DATA_DEVICE.test(disk.device)) {
    const msg = `${where} device '${disk.device}' is not ${SYSTEM_DEVICE} (system disk) or /dev/xvdb to /dev/xvdz (data disks)`;
    return [limit("disk_mapping", msg)];
  }
  const size = disk.disk_size;
  if (size === null) return [];
  const min = disk.snapshot_id === null ? MIN_EMPTY_DISK_SIZE_GIB : 1;
  if (size < min || size > MAX_DISK_SIZE_GIB) {
    const source = disk.snapshot_id === null ? "without a snapshot" : "with a snapshot";
    return [
      limit(
        "disk_mapping",
        `${where} disk_size ${size} is out of range: ${min} to ${MAX_DISK_SIZE_GIB} GiB ${source}`,
      ),
    ];
  }
  return [];
}

function checkWaitTimeout(seconds: number): LimitError[] {
  if (seconds > 0) return [];
  return [limit("wait_timeout", `wait_timeout must be a positive number of seconds, got ${seconds}`)];
}

/** The endpoint's rules live in src/cloud/endpoint.ts; here they are only checked before any call. */
function checkEndpoint(endpoint: string | null): LimitError[] {
  if (endpoint === null) return [];
  try {
    parseCloudEndpoint(endpoint);
    return [];
  } catch (error: unknown) {
    if (error instanceof CloudConfigError) return [limit("endpoint", error.message)];
    throw error;
  }
}
