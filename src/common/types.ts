/**
 * Types shared across the module's layers (module, reconcile, cloud). Our own camelCase domain
 * types: the Ansible spelling lives in src/module/, the API spelling only in src/cloud/ecs-api.ts.
 */

/** Every status a custom image can be in (DescribeImages documents these). */
export type ImageStatus =
  "Creating" | "Waiting" | "Available" | "UnAvailable" | "CreateFailed" | "Deprecated";

/** All statuses, for lookups that must see images in every state (the API default is Available only). */
export const ALL_IMAGE_STATUSES: readonly ImageStatus[] = [
  "Creating",
  "Waiting",
  "Available",
  "UnAvailable",
  "CreateFailed",
  "Deprecated",
];

/** A disk of an existing image. */
export interface DiskDeviceMapping {
  readonly device: string;
  readonly sizeGiB: number | undefined;
  readonly snapshotId: string | undefined;
  readonly type: "system" | "data" | undefined;
}

/** What the cloud says about one image, in our own terms. */
export interface ImageState {
  readonly imageId: string;
  readonly imageName: string;
  readonly imageVersion: string;
  readonly description: string;
  readonly status: ImageStatus;
  /** As the API reports it, e.g. "45%". */
  readonly progress: string;
  readonly sizeGiB: number | undefined;
  readonly creationTime: string;
  readonly architecture: string;
  readonly platform: string;
  readonly osName: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly diskDeviceMappings: readonly DiskDeviceMapping[];
  /** Accounts the image is shared with; undefined when not read (reading costs one more call). */
  readonly launchPermission: readonly string[] | undefined;
  readonly region: string;
  /**
   * True when instances use the image (DescribeImages `Usage: instance`), false when `Usage: none`;
   * absent when the API did not say. Added for `absent`: an image in use is refused unless `force`.
   */
  readonly inUse?: boolean;
  /** Boot mode (BIOS, UEFI, UEFI-Preferred); "" when the API did not say. */
  readonly bootMode?: string;
  /** Image family; "" when none. */
  readonly imageFamily?: string;
  /** Resource group id; "" when the API did not say. */
  readonly resourceGroupId?: string;
  /** DescribeImages `IsSelfShared`: true when shared with other accounts; absent when the API did not say. */
  readonly isShared?: boolean;
}

/** Attributes a create sets; undefined means "the cloud's default" (or "not managed" on an existing image). */
export interface ImageAttributes {
  readonly architecture: string | undefined;
  readonly platform: string | undefined;
  readonly bootMode: string | undefined;
  readonly imageFamily: string | undefined;
  readonly resourceGroupId: string | undefined;
}

/** One disk of a disk-mapping source, as the user asked for it. */
export interface DiskMappingSpec {
  readonly device: string;
  readonly sizeGiB: number | undefined;
  readonly snapshotId: string | undefined;
}

/** Where a new image comes from: exactly one source. */
export type ImageSource =
  | { readonly kind: "instance"; readonly instanceId: string }
  | { readonly kind: "snapshot"; readonly snapshotId: string }
  | { readonly kind: "disks"; readonly disks: readonly DiskMappingSpec[] };

/**
 * The user's intent for one image, validated and typed: the input of observe and plan.
 * An undefined attribute means "not managed" (leave as is); an empty string or empty map is a value.
 */
export interface DesiredImage {
  readonly state: "present" | "absent";
  readonly region: string;
  readonly imageId: string | undefined;
  readonly imageName: string | undefined;
  readonly imageVersion: string | undefined;
  readonly description: string | undefined;
  readonly tags: Readonly<Record<string, string>> | undefined;
  readonly launchPermission: readonly string[] | undefined;
  readonly source: ImageSource | undefined;
  readonly wait: boolean;
  readonly waitTimeoutSeconds: number;
  /** absent: delete even when in use by instances or shared (unshare first). */
  readonly force: boolean;
  /** present: remove tags not listed (reserved prefixes excepted). */
  readonly purgeTags?: boolean;
  /** present: unshare accounts not listed. */
  readonly purgeLaunchPermission?: boolean;
  /** absent: delete the image's snapshots after the image is gone. */
  readonly deleteSnapshots?: boolean;
  /** present: tag the image's snapshots with the image's tags. */
  readonly tagSnapshots?: boolean;
  /** Create attributes (architecture, platform, boot mode, family, resource group); absent means none given. */
  readonly attributes?: ImageAttributes;
}
