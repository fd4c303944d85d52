/**
 * PURE: decides what to do from the user's intent and what exists (style.md §4). No I/O, no clock. Check
 * mode stops after this, so a dry run and a real run cannot disagree.
 */
import { clientTokenFor } from "../cloud/client-token";
import type { CreateImageInput } from "../cloud/ecs-api";
import type { DesiredImage, ImageAttributes, ImageSource, ImageState, ImageStatus } from "../common/types";
import {
  MAX_SHARE_ACCOUNTS_PER_CALL,
  MAX_SHARED_ACCOUNTS_PER_IMAGE,
  MAX_TAGS_PER_IMAGE,
} from "../cloud/limits";
import { applyShareDiff, diffShares, toBatches, type ShareDiff } from "./diff-shares";
import { applyTagDiff, diffTags, isReservedTagKey, type TagDiff } from "./diff-tags";
import { optionNamesWith } from "../module/options";
import { snapshotIdsOf } from "./snapshots";
import type { Observed, SourceObservation } from "./observe";

/** Attributes ModifyImageAttribute can change in place. */
export interface AttributeChanges {
  readonly imageName?: string;
  readonly description?: string;
  readonly bootMode?: string;
  readonly imageFamily?: string;
}

/** One step of a plan: one API call or one wait. */
export type Step =
  | { readonly kind: "create"; readonly input: CreateImageInput }
  | { readonly kind: "waitAvailable"; readonly timeoutMs: number }
  | { readonly kind: "setAttributes"; readonly changes: AttributeChanges }
  | { readonly kind: "tag"; readonly tags: Readonly<Record<string, string>> }
  | { readonly kind: "untag"; readonly keys: readonly string[] }
  | { readonly kind: "share"; readonly accounts: readonly string[] }
  | { readonly kind: "unshare"; readonly accounts: readonly string[] }
  | { readonly kind: "delete"; readonly force: boolean }
  | { readonly kind: "waitDeleted"; readonly timeoutMs: number }
  | { readonly kind: "waitBuilt"; readonly timeoutMs: number }
  | { readonly kind: "deleteSnapshots"; readonly snapshotIds: readonly string[] }
  | {
      readonly kind: "tagSnapshots";
      readonly tags: Readonly<Record<string, string>>;
      /** The snapshots to tag; undefined: the image's, as known once it is Available. */
      readonly snapshotIds?: readonly string[];
    }
  | {
      readonly kind: "untagSnapshots";
      readonly snapshotIds: readonly string[];
      readonly keys: readonly string[];
    };

/** The kind of a step. */
export type StepKind = Step["kind"];

/** Step kinds that only wait (they never make `changed` true). */
export const WAIT_STEP_KINDS: ReadonlySet<StepKind> = new Set(["waitAvailable", "waitDeleted", "waitBuilt"]);

/** What a plan does, in one word (for messages). */
export type PlanAction = "create" | "update" | "delete" | "none";

/** Why a plan refuses to act. */
export type PlanErrorCode =
  | "ImageNotFound"
  | "ImageBuilding"
  | "MissingSource"
  | "MissingIdentity"
  | "CreateOnlyAttributeChanged"
  | "ImageCreateFailed"
  | "ImageInUse"
  | "ImageShared"
  | "TooManyTags"
  | "TooManySharedAccounts"
  | "SourceNotFound"
  | "SourceNotReady"
  | "SourceInvalid";

/** A refusal, decided before any write. */
export interface PlanError {
  readonly code: PlanErrorCode;
  readonly message: string;
}

/** The managed attributes of an image, for diff mode (`before` / `after`); undefined means "no image". */
export interface ImageView {
  readonly imageId: string | undefined;
  readonly imageName: string;
  readonly imageVersion: string;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly launchPermission: readonly string[] | undefined;
  readonly bootMode?: string;
  readonly imageFamily?: string;
}

/** The decision. */
export interface Plan {
  readonly action: PlanAction;
  readonly changed: boolean;
  readonly steps: readonly Step[];
  readonly before: ImageView | undefined;
  readonly after: ImageView | undefined;
  readonly warnings: readonly string[];
  readonly error: PlanError | undefined;
  /** The existing image acted on; undefined before a create. */
  readonly imageId: string | undefined;
  readonly region: string;
  /** A sentence saying what was decided (reconcile completes it with the new image id). */
  readonly msg: string;
}

/** Statuses of an image that is still being built. */
export const PENDING_IMAGE_STATUSES: ReadonlySet<ImageStatus> = new Set(["Creating", "Waiting"]);
/** Statuses after which a build will never become Available. */
export const FAILED_IMAGE_STATUSES: ReadonlySet<ImageStatus> = new Set(["CreateFailed"]);

/** Instance statuses CreateImage accepts. */
export const IMAGEABLE_INSTANCE_STATUSES: ReadonlySet<string> = new Set(["Running", "Stopped"]);
/** Snapshots created before this cannot be imaged (reference/ecs-api.md §5). */
export const OLDEST_IMAGEABLE_SNAPSHOT_TIME = "2013-07-16T00:00:00Z";

/** The names of the options a source can come from, for messages. */
const SOURCE_OPTIONS = "instance_id, snapshot_id or disk_mapping";

/** The diff view of an existing image. */
export function viewOf(image: ImageState): ImageView {
  return {
    imageId: image.imageId,
    imageName: image.imageName,
    imageVersion: image.imageVersion,
    description: image.description,
    tags: image.tags,
    launchPermission: image.launchPermission,
    bootMode: image.bootMode ?? "",
    imageFamily: image.imageFamily ?? "",
  };
}

/** True when a step writes (anything but a wait). */
export function isWriteStep(step: Step): boolean {
  return !WAIT_STEP_KINDS.has(step.kind);
}

/** A plan that refuses, with no steps. */
function refuse(base: PlanBase, code: PlanErrorCode, message: string): Plan {
  return {
    ...base,
    action: "none",
    changed: false,
    steps: [],
    after: base.before,
    error: { code, message },
    msg: message,
  };
}

/** The fields every plan shares. */
interface PlanBase {
  readonly before: ImageView | undefined;
  readonly warnings: readonly string[];
  readonly imageId: string | undefined;
  readonly region: string;
}

/** A plan from its steps: `changed` is true exactly when a step writes. */
function withSteps(
  base: PlanBase,
  fields: { action: PlanAction; steps: readonly Step[]; after: ImageView | undefined; msg: string },
): Plan {
  const changed = fields.steps.some(isWriteStep);
  return { ...base, ...fields, action: changed ? fields.action : "none", changed, error: undefined };
}

/** "Image m-1" or "Image named web" (how messages name the image the user meant). */
function imageLabel(desired: DesiredImage): string {
  if (desired.imageId !== undefined) return `Image ${desired.imageId}`;
  if (desired.imageName !== undefined) return `Image named ${desired.imageName}`;
  return "Image";
}

/** The wait_timeout in milliseconds. */
function timeoutMsOf(desired: DesiredImage): number {
  return Math.max(0, desired.waitTimeoutSeconds) * 1000;
}

/** Share steps for account batches. */
function shareSteps(batches: readonly (readonly string[])[], kind: "share" | "unshare"): Step[] {
  return batches.map((accounts) => ({ kind, accounts }));
}

/** Warnings about an existing image the plan adopts: duplicates of its name, an odd status. */
function adoptWarnings(desired: DesiredImage, observed: Observed, image: ImageState): string[] {
  const warnings: string[] = [];
  if (observed.duplicates.length > 0) {
    warnings.push(
      `Found ${observed.duplicates.length + 1} images named ${image.imageName} in region ${desired.region}: using the oldest, ${image.imageId}, and ignoring ${observed.duplicates.join(", ")}`,
    );
  }
  if (
    image.status !== "Available" &&
    !PENDING_IMAGE_STATUSES.has(image.status) &&
    !FAILED_IMAGE_STATUSES.has(image.status)
  ) {
    warnings.push(`Image ${image.imageId} in region ${desired.region} is in status ${image.status}`);
  }
  return warnings;
}

/** Inputs of the plan that are not the user's intent nor the cloud's state. */
export interface PlanOptions {
  /** A per-run value mixed into the ClientToken of a create without image_name (see clientTokenFor). */
  readonly runNonce?: string;
}

/**
 * Decides what to do. Pure: the same inputs always give the same plan, in check mode and for real.
 * @throws never: refusals are returned as `plan.error`
 */
export function planImage(desired: DesiredImage, observed: Observed, options: PlanOptions = {}): Plan {
  if (desired.state === "absent") return planAbsent(desired, observed);
  if (observed.image !== undefined) return planUpdate(desired, observed, observed.image);
  const base: PlanBase = { before: undefined, warnings: [], imageId: undefined, region: desired.region };
  if (desired.imageId !== undefined) {
    return refuse(base, "ImageNotFound", `Image ${desired.imageId} not found in region ${desired.region}`);
  }
  return planCreate(desired, observed.source, options);
}

/** The create input for a desired image and its source. */
export function toCreateInput(
  desired: DesiredImage,
  source: ImageSource,
  options: PlanOptions = {},
): CreateImageInput {
  const request = {
    region: desired.region,
    imageName: desired.imageName,
    imageVersion: desired.imageVersion,
    description: desired.description,
    tags: desired.tags,
    source,
  };
  const nonce = desired.imageName === undefined ? options.runNonce : undefined;
  const attributes = setAttributesOf(desired);
  const withAttributes = attributes === undefined ? request : { ...request, attributes };
  return { ...withAttributes, clientToken: clientTokenFor({ ...withAttributes, nonce }) };
}

/** The create attributes the user set; undefined when none (so the ClientToken of older requests is unchanged). */
function setAttributesOf(desired: DesiredImage): ImageAttributes | undefined {
  const attributes = desired.attributes;
  if (attributes === undefined) return undefined;
  return Object.values(attributes).some((value) => value !== undefined) ? attributes : undefined;
}

/** Checks the resulting tag and share counts against the cloud's limits; returns a refusal or undefined. */
function checkLimits(
  label: string,
  region: string,
  after: { tags: number; accounts: number },
): PlanError | undefined {
  if (after.tags > MAX_TAGS_PER_IMAGE) {
    return {
      code: "TooManyTags",
      message: `${label} in region ${region} would carry ${after.tags} tags, more than the limit of ${MAX_TAGS_PER_IMAGE}`,
    };
  }
  if (after.accounts > MAX_SHARED_ACCOUNTS_PER_IMAGE) {
    return {
      code: "TooManySharedAccounts",
      message: `${label} in region ${region} would be shared with ${after.accounts} accounts, more than the limit of ${MAX_SHARED_ACCOUNTS_PER_IMAGE}`,
    };
  }
  return undefined;
}

/** The warning when sharing forces a wait although the user said wait: no. */
function shareWaitWarning(label: string, region: string): string {
  return `${label} in region ${region} must be Available before it can be shared, so this run waits for it although wait is false`;
}

/** The warning when tag_snapshots forces a wait although the user said wait: no. */
function tagSnapshotsWaitWarning(label: string, region: string): string {
  return `${label} in region ${region} must be Available before its snapshots are known, so this run waits for it (tag_snapshots) although wait is false`;
}

/** Pre-flight check of an instance source: it must exist, be Running or Stopped, and not be locked. */
function checkInstance(
  instanceId: string,
  instance: InstanceInfoLike | undefined,
  region: string,
): PlanError | undefined {
  if (instance === undefined) {
    return {
      code: "SourceNotFound",
      message: `Instance ${instanceId} (instance_id) not found in region ${region}`,
    };
  }
  if (!IMAGEABLE_INSTANCE_STATUSES.has(instance.status)) {
    return {
      code: "SourceNotReady",
      message: `Instance ${instanceId} in region ${region} is ${instance.status}: an image can be made only from a Running or Stopped instance`,
    };
  }
  if (instance.lockReasons.includes("security")) {
    return {
      code: "SourceNotReady",
      message: `Instance ${instanceId} in region ${region} is locked for security and cannot be imaged`,
    };
  }
  return undefined;
}

/** The fields of an instance the pre-flight check reads. */
interface InstanceInfoLike {
  readonly status: string;
  readonly lockReasons: readonly string[];
}

/** Pre-flight check of a snapshot source: it must exist, be finished, be of a system disk, and not be too old. */
function checkSnapshot(
  snapshotId: string,
  snapshot: SnapshotInfoLike | undefined,
  region: string,
): PlanError | undefined {
  const where = `Snapshot ${snapshotId} in region ${region}`;
  if (snapshot === undefined)
    return {
      code: "SourceNotFound",
      message: `Snapshot ${snapshotId} (snapshot_id) not found in region ${region}`,
    };
  if (snapshot.status !== "accomplished") {
    return {
      code: "SourceNotReady",
      message: `${where} is ${snapshot.status}: wait until it is accomplished`,
    };
  }
  if (snapshot.diskType === "data") {
    return {
      code: "SourceInvalid",
      message: `${where} is of a data disk: an image needs a system disk snapshot (or use disk_mapping)`,
    };
  }
  if (snapshot.creationTime !== "" && snapshot.creationTime < OLDEST_IMAGEABLE_SNAPSHOT_TIME) {
    return {
      code: "SourceInvalid",
      message: `${where} was created on ${snapshot.creationTime}, before 2013-07-16, and cannot be imaged`,
    };
  }
  return undefined;
}

/** The fields of a snapshot the pre-flight check reads. */
interface SnapshotInfoLike {
  readonly status: string;
  readonly diskType: "system" | "data" | undefined;
  readonly creationTime: string;
}

/** Pre-flight check of the observed source of a create. */
function checkSource(source: SourceObservation, region: string): PlanError | undefined {
  switch (source.kind) {
    case "instance":
      return checkInstance(source.instanceId, source.instance, region);
    case "snapshot":
      return checkSnapshot(source.snapshotId, source.snapshot, region);
  }
}

/** The diff view of an image about to be created (its id is not known yet). */
function createView(desired: DesiredImage, accounts: readonly string[] | undefined): ImageView {
  return {
    imageId: undefined,
    imageName: desired.imageName ?? "",
    imageVersion: desired.imageVersion ?? "",
    description: desired.description ?? "",
    tags: desired.tags ?? {},
    launchPermission: accounts,
    bootMode: desired.attributes?.bootMode ?? "",
    imageFamily: desired.attributes?.imageFamily ?? "",
  };
}

/** Plans a new image: create (tags in the call), then wait and share as asked. */
function planCreate(
  desired: DesiredImage,
  source: SourceObservation | undefined,
  options: PlanOptions,
): Plan {
  const label = imageLabel(desired);
  const warnings: string[] = [];
  const base: PlanBase = { before: undefined, warnings, imageId: undefined, region: desired.region };
  if (desired.source === undefined) {
    const what = desired.imageName === undefined ? "No image to create" : `${label} not found`;
    return refuse(
      base,
      "MissingSource",
      `${what} in region ${desired.region} and no source to create it from: set one of ${SOURCE_OPTIONS}`,
    );
  }
  if (desired.imageName === undefined) {
    warnings.push(
      `Without image_name a new image is created on every run, so this task is not idempotent; set image_name to make it so`,
    );
  }
  const sourceError = source === undefined ? undefined : checkSource(source, desired.region);
  if (sourceError !== undefined) return refuse(base, sourceError.code, sourceError.message);
  const accounts = [...new Set(desired.launchPermission ?? [])];
  const limit = checkLimits(label, desired.region, {
    tags: Object.keys(desired.tags ?? {}).length,
    accounts: accounts.length,
  });
  if (limit !== undefined) return refuse(base, limit.code, limit.message);
  const steps: Step[] = [{ kind: "create", input: toCreateInput(desired, desired.source, options) }];
  const tagSnapshots = desired.tagSnapshots === true && Object.keys(desired.tags ?? {}).length > 0;
  if (accounts.length > 0 && !desired.wait) warnings.push(shareWaitWarning(label, desired.region));
  else if (tagSnapshots && !desired.wait) warnings.push(tagSnapshotsWaitWarning(label, desired.region));
  if (desired.wait || accounts.length > 0 || tagSnapshots)
    steps.push({ kind: "waitAvailable", timeoutMs: timeoutMsOf(desired) });
  if (tagSnapshots) steps.push({ kind: "tagSnapshots", tags: desired.tags ?? {} });
  steps.push(...shareSteps(toBatches(accounts, MAX_SHARE_ACCOUNTS_PER_CALL), "share"));
  const after = createView(desired, desired.launchPermission === undefined ? undefined : accounts);
  const msg = `${label === "Image" ? "New image" : label} will be created in region ${desired.region}`;
  return withSteps(base, { action: "create", steps, after, msg });
}

/** Name and description changes: the name only when the image was adopted by id. */
function attributeChanges(desired: DesiredImage, observed: Observed, image: ImageState): AttributeChanges {
  const { imageName, description } = desired;
  const bootMode = desired.attributes?.bootMode;
  const imageFamily = desired.attributes?.imageFamily;
  const rename = observed.lookup === "id" && imageName !== undefined && imageName !== image.imageName;
  const redescribe = description !== undefined && description !== image.description;
  const reboot = bootMode !== undefined && bootMode !== (image.bootMode ?? "");
  const refamily = imageFamily !== undefined && imageFamily !== (image.imageFamily ?? "");
  return {
    ...(rename ? { imageName } : {}),
    ...(redescribe ? { description } : {}),
    ...(reboot ? { bootMode } : {}),
    ...(refamily ? { imageFamily } : {}),
  };
}

/** How to read a create-only option's wanted and current value (options with no image attribute are absent). */
interface CreateOnlyAccessor {
  readonly wanted: (desired: DesiredImage) => string | undefined;
  readonly current: (image: ImageState) => string;
}

/** The create-only options that are image attributes, by option name (sources are not compared). */
const CREATE_ONLY_ATTRIBUTES: Readonly<Record<string, CreateOnlyAccessor>> = {
  image_version: { wanted: (d) => d.imageVersion, current: (i) => i.imageVersion },
  architecture: { wanted: (d) => d.attributes?.architecture, current: (i) => i.architecture },
  platform: { wanted: (d) => d.attributes?.platform, current: (i) => i.platform },
  resource_group_id: {
    wanted: (d) => d.attributes?.resourceGroupId,
    current: (i) => i.resourceGroupId ?? "",
  },
};

/** The first create-only option (by the option table's mutability markers) whose wanted value differs. */
function changedCreateOnly(desired: DesiredImage, image: ImageState): PlanError | undefined {
  for (const name of optionNamesWith("create-only")) {
    const accessor = CREATE_ONLY_ATTRIBUTES[name];
    const wanted = accessor?.wanted(desired);
    if (accessor === undefined || wanted === undefined) continue;
    const current = accessor.current(image);
    if (wanted === current) continue;
    return {
      code: "CreateOnlyAttributeChanged",
      message: `Image ${image.imageId} in region ${desired.region} has ${name} ${current === "" ? "(none)" : current}, which cannot be changed to ${wanted}: ${name} is set only when an image is created, so delete the image or use a new image_name`,
    };
  }
  return undefined;
}

/** A refusal for attributes that only a create can set, or for a build that failed; undefined if none. */
function checkImmutable(desired: DesiredImage, image: ImageState): PlanError | undefined {
  const createOnly = changedCreateOnly(desired, image);
  if (createOnly !== undefined) return createOnly;
  if (desired.wait && FAILED_IMAGE_STATUSES.has(image.status)) {
    return {
      code: "ImageCreateFailed",
      message: `Image ${image.imageId} in region ${desired.region} is in status ${image.status} and will never be Available: delete it and run again`,
    };
  }
  return undefined;
}

/** Tag and share diffs of an existing image and the sets they lead to. */
interface MembershipDiffs {
  readonly tagDiff: TagDiff;
  readonly shareDiff: ShareDiff;
  readonly tags: Readonly<Record<string, string>>;
  readonly accounts: readonly string[] | undefined;
}

/** The tag and share diffs of an existing image, with the purge switches, and the sets they lead to. */
function membershipDiffs(desired: DesiredImage, image: ImageState): MembershipDiffs {
  const tagDiff = diffTags(image.tags, desired.tags ?? image.tags, {
    purge: desired.purgeTags === true && desired.tags !== undefined,
  });
  const currentAccounts = image.launchPermission ?? [];
  const shareDiff = diffShares(currentAccounts, desired.launchPermission ?? currentAccounts, {
    purge: desired.purgeLaunchPermission === true && desired.launchPermission !== undefined,
  });
  const accounts =
    desired.launchPermission === undefined
      ? image.launchPermission
      : applyShareDiff(currentAccounts, shareDiff);
  return { tagDiff, shareDiff, tags: applyTagDiff(image.tags, tagDiff), accounts };
}

/** The write steps of an update before any wait, in order: attributes, tags (set, unset), unshare. */
function updateWrites(changes: AttributeChanges, diffs: MembershipDiffs): Step[] {
  const { tagDiff, shareDiff } = diffs;
  const steps: Step[] = [];
  if (Object.keys(changes).length > 0) steps.push({ kind: "setAttributes", changes });
  if (Object.keys(tagDiff.toSet).length > 0) steps.push({ kind: "tag", tags: tagDiff.toSet });
  if (tagDiff.toUnset.length > 0) steps.push({ kind: "untag", keys: tagDiff.toUnset });
  steps.push(...shareSteps(shareDiff.remove, "unshare"));
  return steps;
}

/** The tags the snapshots of an image should carry: the image's, without the keys the cloud owns. */
function snapshotTagsOf(imageTags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(imageTags).filter(([key]) => !isReservedTagKey(key)));
}

/**
 * With tag_snapshots, the writes that give the image's snapshots its tags (after this run): one TagResources for
 * the snapshots missing or differing in some, and with purge_tags one UntagResources per set of extra keys. When
 * the snapshots' tags were not read (the image is not Available yet), they are tagged after the wait if the
 * image's tags change.
 */
function snapshotTagSteps(
  desired: DesiredImage,
  observed: Observed,
  image: ImageState,
  diffs: MembershipDiffs,
): Step[] {
  if (desired.tagSnapshots !== true) return [];
  const wanted = snapshotTagsOf(diffs.tags);
  const current = observed.snapshotTags;
  if (current === undefined) {
    const tagging = Object.keys(diffs.tagDiff.toSet).length > 0 && Object.keys(wanted).length > 0;
    return tagging ? [{ kind: "tagSnapshots", tags: wanted }] : [];
  }
  const purge = desired.purgeTags === true && desired.tags !== undefined;
  const toTag: string[] = [];
  const toSet: Record<string, string> = {};
  const untags = new Map<string, { keys: string[]; snapshotIds: string[] }>();
  for (const snapshotId of snapshotIdsOf(image)) {
    const tags = current[snapshotId];
    if (tags === undefined) continue;
    const diff = diffTags(tags, wanted, { purge });
    if (Object.keys(diff.toSet).length > 0) {
      toTag.push(snapshotId);
      Object.assign(toSet, diff.toSet);
    }
    if (diff.toUnset.length === 0) continue;
    const keys = [...diff.toUnset].sort();
    const group = untags.get(JSON.stringify(keys)) ?? { keys, snapshotIds: [] };
    group.snapshotIds.push(snapshotId);
    untags.set(JSON.stringify(keys), group);
  }
  const steps: Step[] = [];
  if (toTag.length > 0) steps.push({ kind: "tagSnapshots", tags: toSet, snapshotIds: toTag });
  for (const group of untags.values()) steps.push({ kind: "untagSnapshots", ...group });
  return steps;
}

/** Plans an existing image: send only what differs (and remove what is not listed with purge), wait if asked. */
function planUpdate(desired: DesiredImage, observed: Observed, image: ImageState): Plan {
  const label = `Image ${image.imageId}`;
  const warnings = adoptWarnings(desired, observed, image);
  const base: PlanBase = { before: viewOf(image), warnings, imageId: image.imageId, region: desired.region };
  const immutable = checkImmutable(desired, image);
  if (immutable !== undefined) return refuse(base, immutable.code, immutable.message);
  const changes = attributeChanges(desired, observed, image);
  const diffs = membershipDiffs(desired, image);
  const limit = checkLimits(label, desired.region, {
    tags: Object.keys(diffs.tags).length,
    accounts: diffs.accounts?.length ?? 0,
  });
  if (limit !== undefined) return refuse(base, limit.code, limit.message);
  const steps = updateWrites(changes, diffs);
  const pending = PENDING_IMAGE_STATUSES.has(image.status);
  const sharing = diffs.shareDiff.add.length > 0;
  if (pending && sharing && !desired.wait) warnings.push(shareWaitWarning(label, desired.region));
  if (pending && (desired.wait || sharing))
    steps.push({ kind: "waitAvailable", timeoutMs: timeoutMsOf(desired) });
  steps.push(...shareSteps(diffs.shareDiff.add, "share"));
  steps.push(...snapshotTagSteps(desired, observed, image, diffs));
  const after: ImageView = {
    ...viewOf(image),
    ...changes,
    tags: diffs.tags,
    launchPermission: diffs.accounts,
  };
  const msg = steps.some(isWriteStep)
    ? `${label} in region ${desired.region} will be updated`
    : `${label} in region ${desired.region} is up to date`;
  return withSteps(base, { action: "update", steps, after, msg });
}

/** A refusal to delete an image that is in use or shared, unless force; undefined when deletion may go on. */
function checkDeletable(desired: DesiredImage, image: ImageState): PlanError | undefined {
  if (desired.force) return undefined;
  const where = `Image ${image.imageId} in region ${desired.region}`;
  if (image.inUse === true) {
    return {
      code: "ImageInUse",
      message: `${where} is in use by instances (ImageUsingByInstance): set force to delete it anyway`,
    };
  }
  const shared = image.launchPermission ?? [];
  if (shared.length > 0) {
    return {
      code: "ImageShared",
      message: `${where} is shared with ${shared.length} account(s) (ImageUseShared): set force to unshare and delete it`,
    };
  }
  return undefined;
}

/** Plans deletion: missing is a no-op; in use or shared is refused unless force (then unshare, delete with Force). */
function planAbsent(desired: DesiredImage, observed: Observed): Plan {
  const image = observed.image;
  const region = desired.region;
  if (image === undefined) {
    const base: PlanBase = { before: undefined, warnings: [], imageId: undefined, region };
    if (observed.lookup === "none") {
      return refuse(
        base,
        "MissingIdentity",
        `Nothing to delete in region ${region}: set image_id or image_name`,
      );
    }
    return withSteps(base, {
      action: "none",
      steps: [],
      after: undefined,
      msg: `${imageLabel(desired)} not found in region ${region}, nothing to delete`,
    });
  }
  const base: PlanBase = {
    before: viewOf(image),
    warnings: adoptWarnings(desired, observed, image),
    imageId: image.imageId,
    region,
  };
  const refusal = checkDeletable(desired, image);
  if (refusal !== undefined) return refuse(base, refusal.code, refusal.message);
  const building = PENDING_IMAGE_STATUSES.has(image.status);
  if (building && !desired.wait) {
    return refuse(
      base,
      "ImageBuilding",
      `Image ${image.imageId} in region ${region} is still being built (${image.status}) and cannot be deleted yet: set wait to wait for the build to end and then delete it, or run again later`,
    );
  }
  const steps: Step[] = [
    // The cloud refuses to delete an image under construction (ImageIsCreating): with wait, let the build end.
    ...(building ? [{ kind: "waitBuilt", timeoutMs: timeoutMsOf(desired) } as const] : []),
    ...shareSteps(toBatches(image.launchPermission ?? [], MAX_SHARE_ACCOUNTS_PER_CALL), "unshare"),
    { kind: "delete", force: desired.force },
  ];
  const snapshotIds = desired.deleteSnapshots === true ? snapshotIdsOf(image) : [];
  if (desired.wait || snapshotIds.length > 0)
    steps.push({ kind: "waitDeleted", timeoutMs: timeoutMsOf(desired) });
  if (snapshotIds.length > 0) steps.push({ kind: "deleteSnapshots", snapshotIds });
  return withSteps(base, {
    action: "delete",
    steps,
    after: undefined,
    msg: `Image ${image.imageId} in region ${region} will be deleted`,
  });
}
