/**
 * From the validated Ansible params (snake_case) to the domain's DesiredImage (camelCase), the
 * input of observe and plan. Options not given become undefined ("not managed"); an empty list
 * of tags or accounts stays a value (manage it as empty).
 */
import type { DesiredImage, DiskMappingSpec, ImageSource } from "../common/types";
import type { DiskMappingParam, ImageTagParam, Params } from "./params";

/** Converts validated params (checked by checkLimits first) and the resolved region to a DesiredImage. */
export function toDesiredImage(params: Params, region: string): DesiredImage {
  return {
    state: params.status,
    region,
    imageId: params.image_id ?? undefined,
    imageName: params.image_name ?? undefined,
    imageVersion: params.image_version ?? undefined,
    description: params.description ?? undefined,
    tags: params.images_tags === null ? undefined : toTagMap(params.images_tags),
    launchPermission: params.launch_permission === null ? undefined : distinct(params.launch_permission),
    source: toSource(params),
    wait: params.wait,
    waitTimeoutSeconds: params.wait_timeout,
    force: params.force,
    purgeTags: params.purge_tags,
    purgeLaunchPermission: params.purge_launch_permission,
    deleteSnapshots: params.delete_snapshots,
    tagSnapshots: params.tag_snapshots,
    attributes: {
      architecture: params.architecture ?? undefined,
      platform: params.platform ?? undefined,
      bootMode: params.boot_mode ?? undefined,
      imageFamily: params.image_family ?? undefined,
      resourceGroupId: params.resource_group_id ?? undefined,
    },
  };
}

/** The images_tags list as a map; an entry without a tag_key is skipped (checkLimits refuses it). */
function toTagMap(tags: readonly ImageTagParam[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const tag of tags) {
    if (tag.tag_key !== null) result[tag.tag_key] = tag.tag_value ?? "";
  }
  return result;
}

function distinct(accounts: readonly string[]): string[] {
  return [...new Set(accounts)];
}

/** The one source of a new image (params.ts makes the three mutually exclusive). */
function toSource(params: Params): ImageSource | undefined {
  if (params.instance_id !== null) return { kind: "instance", instanceId: params.instance_id };
  if (params.snapshot_id !== null) return { kind: "snapshot", snapshotId: params.snapshot_id };
  if (params.disk_mapping !== null) return { kind: "disks", disks: params.disk_mapping.map(toDiskSpec) };
  return undefined;
}

function toDiskSpec(disk: DiskMappingParam): DiskMappingSpec {
  return {
    device: disk.device,
    sizeGiB: disk.disk_size ?? undefined,
    snapshotId: disk.snapshot_id ?? undefined,
  };
}
