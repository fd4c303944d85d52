/**
 * The snapshot steps of a plan: deleting the snapshots of a deleted image (each failure kept as a reason,
 * never a crash) and tagging the snapshots of an image with its tags.
 */
import { isNotFound } from "../cloud/classify";
import type { EcsApi } from "../cloud/ecs-api";
import { CloudError } from "../cloud/errors";
import type { ImageState } from "../common/types";

/** A snapshot that was not deleted, and why. */
export interface KeptSnapshot {
  readonly snapshotId: string;
  readonly reason: string;
}

/** What deleting an image's snapshots did. */
export interface SnapshotCleanup {
  readonly deleted: readonly string[];
  readonly kept: readonly KeptSnapshot[];
}

/** Why the cloud refused to delete a snapshot, in words, by error code. */
const KEPT_REASONS: Readonly<Record<string, string>> = {
  SnapshotCreatedImage: "in use by another image",
  SnapshotCreatedDisk: "in use by a disk",
};

/** The reason a snapshot is kept after a refused DeleteSnapshot. */
function keptReason(error: CloudError): string {
  const known = KEPT_REASONS[error.code];
  return known === undefined ? `${error.code}: ${error.message}` : `${known} (${error.code})`;
}

/**
 * Deletes each snapshot in turn; one the cloud refuses is kept with the reason, one already gone counts as deleted.
 * @throws anything that is not a CloudError (a bug)
 */
export async function deleteSnapshots(
  api: EcsApi,
  region: string,
  snapshotIds: readonly string[],
): Promise<SnapshotCleanup> {
  const deleted: string[] = [];
  const kept: KeptSnapshot[] = [];
  for (const snapshotId of snapshotIds) {
    try {
      await api.deleteSnapshot(region, snapshotId);
      deleted.push(snapshotId);
    } catch (error: unknown) {
      if (!(error instanceof CloudError)) throw error;
      if (isNotFound(error)) deleted.push(snapshotId);
      else kept.push({ snapshotId, reason: keptReason(error) });
    }
  }
  return { deleted, kept };
}

/** The snapshots an image is built on (from its disk device mappings), each once, in disk order. */
export function snapshotIdsOf(image: ImageState): string[] {
  const ids = image.diskDeviceMappings.map((disk) => disk.snapshotId);
  return [...new Set(ids.filter((id): id is string => id !== undefined && id !== ""))];
}

/** What tagging snapshots needs of the apply run. */
interface TagSnapshotsState {
  readonly imageId: string | undefined;
  lastSeen: ImageState | undefined;
}

/**
 * Tags the given snapshots, or else those of the image (as the last wait saw it, else read once), with the given tags.
 * @throws CloudError when the read or the tag call fails
 */
export async function tagSnapshots(
  state: TagSnapshotsState,
  region: string,
  step: { readonly tags: Readonly<Record<string, string>>; readonly snapshotIds?: readonly string[] },
  options: { readonly api: EcsApi },
): Promise<void> {
  const tags = step.tags;
  if (step.snapshotIds !== undefined) {
    if (step.snapshotIds.length > 0 && Object.keys(tags).length > 0)
      await options.api.tagSnapshots(region, step.snapshotIds, tags);
    return;
  }
  if (state.imageId === undefined) throw new Error("No image id is known for this step (plan bug)");
  state.lastSeen ??= await options.api.findImageById(region, state.imageId);
  const snapshotIds = state.lastSeen === undefined ? [] : snapshotIdsOf(state.lastSeen);
  if (snapshotIds.length === 0 || Object.keys(tags).length === 0) return;
  await options.api.tagSnapshots(region, snapshotIds, tags);
}
