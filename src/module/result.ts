/**
 * The module's JSON result: success and failure objects, image facts, and no_log masking done
 * exactly as AnsibleModule's `remove_values` (ansible-protocol.md §3), because for a WANT_JSON
 * module nobody else masks anything. Builders RETURN the object; main.ts prints it.
 */
import type { DiskDeviceMapping, ImageState } from "../common/types";
import { pyFloatText } from "./args";
import type { Params, ParamsError } from "./params";

/** Any JSON value of the result. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
/** A JSON object of the result. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** What replaces a string or number equal to (or, for numbers, containing) a no_log value. */
export const NO_LOG_PLACEHOLDER = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER";
/** What replaces each occurrence of a no_log value inside a longer string. */
export const NO_LOG_MASK = "********";

/** One disk of the `image` facts. */
export type DiskFacts = {
  readonly device: string;
  readonly size: number | null;
  readonly snapshot_id: string | null;
  readonly type: string | null;
};

/** The `image` key of the result: the image's facts in Ansible's snake_case. */
export type ImageFacts = {
  readonly image_id: string;
  readonly image_name: string;
  readonly image_version: string;
  readonly description: string;
  readonly status: string;
  readonly progress: string;
  readonly size: number | null;
  readonly creation_time: string;
  readonly architecture: string;
  readonly platform: string;
  readonly os_name: string;
  readonly boot_mode: string;
  readonly image_family: string;
  readonly resource_group_id: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly disk_device_mappings: readonly DiskFacts[];
  /** [] for an image that is not shared; null only when the share list could not be read (a failure). */
  readonly launch_permission: readonly string[] | null;
  readonly region: string;
};

/** What every result carries besides its own fields. */
export interface ResultContext {
  /** The validated canonical options, echoed (masked) as `invocation.module_args`. */
  readonly moduleArgs: JsonObject;
  readonly warnings: readonly string[];
  /** Secrets to mask everywhere in the result. */
  readonly noLogValues: readonly string[];
}

/** Fields of a successful result: `changed` and `msg`, plus e.g. `image_id`, `image`, `diff`. */
export type ExitFields = { readonly changed: boolean; readonly msg: string } & JsonObject;

/**
 * Builds the success result (masked), ready to print. It says `failed: false` explicitly (Ansible
 * would infer it) so that every result, printed or registered, carries the same keys.
 */
export function exitJson(fields: ExitFields, context: ResultContext): JsonObject {
  return finish({ ...fields, failed: false }, context);
}

/** Builds a failure result (masked): `failed: true`, `changed` false unless `extra` says so. */
export function failJson(msg: string, extra: JsonObject, context: ResultContext): JsonObject {
  const changed = extra.changed === true;
  return finish({ ...extra, failed: true, changed, msg }, context);
}

/** The failure result for a validation error: Ansible's message, no API call made. */
export function failParams(error: ParamsError): JsonObject {
  const context = { moduleArgs: error.moduleArgs, warnings: error.warnings, noLogValues: error.noLogValues };
  return failJson(error.msg, {}, context);
}

/** The canonical params as `invocation.module_args` holds them (before masking). */
export function moduleArgsOf(params: Params): JsonObject {
  return { ...params };
}

function finish(fields: Record<string, JsonValue>, context: ResultContext): JsonObject {
  const { changed = false, failed = false, msg = "", ...rest } = fields;
  const result: Record<string, JsonValue> = { changed, failed, msg, ...rest };
  if (context.warnings.length > 0) result.warnings = [...context.warnings];
  result.invocation = { module_args: context.moduleArgs };
  // Masking is the last step and covers everything: msg, errors, facts, the echoed arguments.
  return removeValues(result, context.noLogValues) as JsonObject;
}

/** Ansible's remove_values: equal strings -> placeholder, contained -> ********, numbers too. */
export function removeValues(value: JsonValue, noLogValues: readonly string[]): JsonValue {
  const secrets = noLogValues.filter((secret) => secret !== "");
  if (secrets.length === 0) return value;
  return maskValue(value, secrets);
}

function maskValue(value: JsonValue, secrets: readonly string[]): JsonValue {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "string") return maskString(value, secrets);
  if (typeof value === "number") return maskNumber(value, secrets);
  if (isJsonList(value)) return value.map((item) => maskValue(item, secrets));
  // Dict keys are left as they are, as in Ansible (fromEntries keeps even a "__proto__" key).
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, secrets)]));
}

function isJsonList(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}

function maskString(value: string, secrets: readonly string[]): string {
  if (secrets.includes(value)) return NO_LOG_PLACEHOLDER;
  return secrets.reduce((text, secret) => text.split(secret).join(NO_LOG_MASK), value);
}

function maskNumber(value: number, secrets: readonly string[]): number | string {
  const text = Number.isInteger(value) ? String(value) : pyFloatText(value);
  return secrets.some((secret) => text.includes(secret)) ? NO_LOG_PLACEHOLDER : value;
}

/** The `image` facts of the result, from our domain state. */
export function imageFacts(image: ImageState): ImageFacts {
  return {
    image_id: image.imageId,
    image_name: image.imageName,
    image_version: image.imageVersion,
    description: image.description,
    status: image.status,
    progress: image.progress,
    size: image.sizeGiB ?? null,
    creation_time: image.creationTime,
    architecture: image.architecture,
    platform: image.platform,
    os_name: image.osName,
    boot_mode: image.bootMode ?? "",
    image_family: image.imageFamily ?? "",
    resource_group_id: image.resourceGroupId ?? "",
    tags: { ...image.tags },
    disk_device_mappings: image.diskDeviceMappings.map(diskFacts),
    launch_permission: image.launchPermission === undefined ? null : [...image.launchPermission],
    region: image.region,
  };
}

function diskFacts(disk: DiskDeviceMapping): DiskFacts {
  return {
    device: disk.device,
    size: disk.sizeGiB ?? null,
    snapshot_id: disk.snapshotId ?? null,
    type: disk.type ?? null,
  };
}
