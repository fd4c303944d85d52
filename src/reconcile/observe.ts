/**
 * Read-only: what exists now (style.md §4). Finds the image by id, or by exact name among the account's own
 * images in every status; reads its share accounts only when the image is shared. Absence is a value, never a throw.
 */
import type { EcsApi, InstanceInfo, SnapshotInfo } from "../cloud/ecs-api";
import type { DesiredImage, ImageState } from "../common/types";
import { snapshotIdsOf } from "./snapshots";

/** How the image was looked up: by the user's image_id, by exact image_name, or not at all. */
export type Lookup = "id" | "name" | "none";

/** The source of a create as the cloud shows it (read only when a create is coming): for pre-flight checks. */
export type SourceObservation =
  | { readonly kind: "instance"; readonly instanceId: string; readonly instance: InstanceInfo | undefined }
  | { readonly kind: "snapshot"; readonly snapshotId: string; readonly snapshot: SnapshotInfo | undefined };

/** What observe saw. */
export interface Observed {
  readonly image: ImageState | undefined;
  readonly lookup: Lookup;
  /** Ids of other own images with the same exact name (names should be unique per region; warn if not). */
  readonly duplicates: readonly string[];
  /** The create source, read only when the image is missing and a create is coming; absent otherwise. */
  readonly source?: SourceObservation;
  /**
   * With tag_snapshots, the tags of the image's snapshots by id (one DescribeSnapshots call), read only when the
   * image is Available and has snapshots; absent otherwise.
   */
  readonly snapshotTags?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The lookup a desired image implies: id wins over name; neither means "create a new one". */
export function lookupFor(desired: DesiredImage): Lookup {
  if (desired.imageId !== undefined) return "id";
  if (desired.imageName !== undefined) return "name";
  return "none";
}

/** Orders images oldest first (then by id), so the choice among duplicates is stable. */
function byAge(a: ImageState, b: ImageState): number {
  if (a.creationTime !== b.creationTime) return a.creationTime < b.creationTime ? -1 : 1;
  return a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0;
}

/**
 * Completes an image's share accounts so that its facts always carry the list: an image DescribeImages reports
 * as not shared (`IsSelfShared: false`) already has `[]`; a shared one (or one the API said nothing about) costs
 * one DescribeImageSharePermission call.
 */
export async function withLaunchPermission(api: EcsApi, image: ImageState): Promise<ImageState> {
  if (image.launchPermission !== undefined) return image;
  const accounts = await api.describeLaunchPermission({ region: image.region, imageId: image.imageId });
  return { ...image, launchPermission: accounts };
}

/**
 * Reads one image by id, with its share accounts (see withLaunchPermission); undefined when it does not exist.
 * @throws CloudError when a read fails
 */
export async function readImage(
  api: EcsApi,
  ref: { readonly region: string; readonly imageId: string },
): Promise<ImageState | undefined> {
  const image = await api.findImageById(ref.region, ref.imageId);
  return image === undefined ? undefined : withLaunchPermission(api, image);
}

/**
 * Reads the source of a coming create (one call) so that the plan can refuse before any write, in check mode too.
 * @throws CloudError when the read fails
 */
export async function observeSource(
  desired: DesiredImage,
  api: EcsApi,
): Promise<SourceObservation | undefined> {
  const source = desired.source;
  if (desired.state !== "present" || desired.imageId !== undefined || source === undefined) return undefined;
  switch (source.kind) {
    case "instance":
      return { ...source, instance: await api.describeInstance(desired.region, source.instanceId) };
    case "snapshot":
      return { ...source, snapshot: await api.describeSnapshot(desired.region, source.snapshotId) };
    case "disks":
      return undefined;
  }
}

/** Finds the image: by id, or by exact name (oldest first), with its share accounts. */
async function findImage(desired: DesiredImage, api: EcsApi): Promise<Observed> {
  const lookup = lookupFor(desired);
  if (desired.imageId !== undefined) {
    const image = await readImage(api, { region: desired.region, imageId: desired.imageId });
    return { image, lookup, duplicates: [] };
  }
  if (desired.imageName === undefined) return { image: undefined, lookup, duplicates: [] };
  const matches = [...(await api.findImagesByName(desired.region, desired.imageName))].sort(byAge);
  const [first, ...rest] = matches;
  if (first === undefined) return { image: undefined, lookup, duplicates: [] };
  const image = await withLaunchPermission(api, first);
  return { image, lookup, duplicates: rest.map((other) => other.imageId) };
}

/**
 * Adds the tags of the image's snapshots when tag_snapshots will compare them (one call; none otherwise).
 * @throws CloudError when the read fails
 */
async function withSnapshotTags(
  desired: DesiredImage,
  api: EcsApi,
  found: Observed,
  image: ImageState,
): Promise<Observed> {
  if (desired.state !== "present" || desired.tagSnapshots !== true || image.status !== "Available")
    return found;
  const snapshotIds = snapshotIdsOf(image);
  if (snapshotIds.length === 0) return found;
  return { ...found, snapshotTags: await api.describeSnapshotTags(desired.region, snapshotIds) };
}

/**
 * Observes the image the user means: one DescribeImages call (plus one share read when the image is shared), and when
 * the image is missing and will be created, one read of the source instance or snapshot; with tag_snapshots, one read of the image's snapshots' tags.
 * @throws CloudError when a read fails; never for "not found"
 */
export async function observeImage(desired: DesiredImage, api: EcsApi): Promise<Observed> {
  const found = await findImage(desired, api);
  if (found.image !== undefined) return withSnapshotTags(desired, api, found, found.image);
  const source = await observeSource(desired, api);
  return source === undefined ? found : { ...found, source };
}
