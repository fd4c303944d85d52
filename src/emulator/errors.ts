/**
 * One factory per ECS error code the emulator answers, with the exact Code, Message and HTTP status of
 * the real service. Source of every entry: ../shared/reference/ecs-api.md §5 (per-action error tables
 * and "Common errors"). Where the reference documents the code but not its message text, the message
 * is marked [inferred]: it follows the wording style of the documented messages. Tests import these
 * same factories, so the table is the single source of truth.
 */
import type { EcsError } from "./contract";

/** An ECS error travelling from the store to the dispatcher, which turns it back into a value. */
export class EcsFailureError extends Error {
  /** The ECS error to answer. */
  readonly ecsError: EcsError;

  constructor(ecsError: EcsError) {
    super(`${ecsError.code}: ${ecsError.message}`);
    this.name = "EcsFailureError";
    this.ecsError = ecsError;
  }
}

/** Throws an ECS error up to the dispatcher. */
export function raise(error: EcsError): never {
  throw new EcsFailureError(error);
}

function ecsError(httpStatus: number, code: string, message: string): EcsError {
  return { httpStatus, code, message };
}

// ---- Common errors (ecs-api.md §5 "Common errors") ----

/** MissingParameter (400): a mandatory parameter is absent. Message pattern documented. */
export function missingParameter(name: string): EcsError {
  return ecsError(
    400,
    "MissingParameter",
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

/** MissingParameter (400) of CreateImage when no source is given (exact documented text). */
export function missingParameterImageSource(): EcsError {
  return ecsError(
    400,
    "MissingParameter",
    "The input parameter SnapshotId or InstanceId or DiskDeviceMapping that is mandatory for processing this request is not supplied.",
  );
}

/** InvalidParameter (400): a value of the wrong type or outside its set. Message [inferred]. */
export function invalidParameter(name: string): EcsError {
  return ecsError(400, "InvalidParameter", `The specified parameter "${name}" is not valid.`);
}

/** InvalidAction.NotFound (404 chosen; the reference says 400/404): unknown action. */
export function invalidActionNotFound(): EcsError {
  return ecsError(
    404,
    "InvalidAction.NotFound",
    "Specified api is not found, please check your url and method.",
  );
}

/** InvalidRegionId.NotFound (404): the region does not exist. Message [inferred]. */
export function invalidRegionIdNotFound(): EcsError {
  return ecsError(404, "InvalidRegionId.NotFound", "The specified RegionId does not exist.");
}

// ---- CreateImage / ModifyImageAttribute attribute rules (ecs-api.md §5 CreateImage) ----

/** InvalidImageName.Malformed (400). Message [inferred]. */
export function invalidImageNameMalformed(): EcsError {
  return ecsError(400, "InvalidImageName.Malformed", "Specified image name is not valid.");
}

/** InvalidImageName.Duplicated (400), message as documented (current spelling, not the old "bean"). */
export function invalidImageNameDuplicated(): EcsError {
  return ecsError(400, "InvalidImageName.Duplicated", "The specified Image name has already been used.");
}

/** InvalidDescription.Malformed (400). Message [inferred]. */
export function invalidDescriptionMalformed(): EcsError {
  return ecsError(400, "InvalidDescription.Malformed", "Specified description is not valid.");
}

/** InvalidImageVersion.Malformed (400). Message [inferred]. */
export function invalidImageVersionMalformed(): EcsError {
  return ecsError(400, "InvalidImageVersion.Malformed", "Specified image version is not valid.");
}

/** InvalidArchitecture.Malformed (400). Message [inferred]. */
export function invalidArchitectureMalformed(): EcsError {
  return ecsError(400, "InvalidArchitecture.Malformed", "Specified architecture is not valid.");
}

/** InvalidPlatform.Malformed (400). Message [inferred]. */
export function invalidPlatformMalformed(): EcsError {
  return ecsError(400, "InvalidPlatform.Malformed", "Specified platform is not valid.");
}

/** InvalidBootMode.NotSupport (400). Message [inferred]. */
export function invalidBootModeNotSupport(): EcsError {
  return ecsError(400, "InvalidBootMode.NotSupport", "The specified BootMode is not supported.");
}

/** InvalidImageFamily.Malformed (400). Message [inferred]. */
export function invalidImageFamilyMalformed(): EcsError {
  return ecsError(400, "InvalidImageFamily.Malformed", "Specified image family is not valid.");
}

/** IdempotenceParamNotMatch (400): ClientToken reused with other parameters. Message [inferred]. */
export function idempotenceParamNotMatch(): EcsError {
  return ecsError(
    400,
    "IdempotenceParamNotMatch",
    "Request uses a client token in a previous request but is not identical to that request.",
  );
}

/** QuotaExceed.Image (403): the custom image quota is used up (documented message). */
export function quotaExceedImage(): EcsError {
  return ecsError(403, "QuotaExceed.Image", "The Image Quota exceeds.");
}

// ---- CreateImage sources ----

/** InvalidInstanceId.NotFound (404, current doc), documented message. */
export function invalidInstanceIdNotFound(): EcsError {
  return ecsError(404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.");
}

/** IncorrectInstanceStatus (400), documented message. */
export function incorrectInstanceStatus(): EcsError {
  return ecsError(
    400,
    "IncorrectInstanceStatus",
    "The current status of the instance does not support this operation.",
  );
}

/** InstanceLockedForSecurity (400). Message [inferred]. */
export function instanceLockedForSecurity(): EcsError {
  return ecsError(
    400,
    "InstanceLockedForSecurity",
    "The specified operation is denied as your instance is locked for security reasons.",
  );
}

/** InvalidSnapshotId.NotFound (404), documented message. */
export function invalidSnapshotIdNotFound(): EcsError {
  return ecsError(404, "InvalidSnapshotId.NotFound", "The specified SnapshotId does not exist.");
}

/** InvalidSnapshotId.NotReady (403): the snapshot is not accomplished. Message [inferred]. */
export function invalidSnapshotIdNotReady(): EcsError {
  return ecsError(403, "InvalidSnapshotId.NotReady", "The specified snapshot has not completed yet.");
}

/** InvalidSnapshot.TooOld (403): created on or before 2013-07-15. Message [inferred]. */
export function invalidSnapshotTooOld(): EcsError {
  return ecsError(
    403,
    "InvalidSnapshot.TooOld",
    "The specified snapshot is created before 2013-07-16, so it cannot be used to create images.",
  );
}

/** OperationDenied (403): a data-disk snapshot used alone (documented message). */
export function operationDeniedSnapshotNotSystem(): EcsError {
  return ecsError(403, "OperationDenied", "The specified snapshot is not from system disk.");
}

/** OperationDenied (400): the disk mapping has no system disk. Message completed [inferred]. */
export function operationDeniedNoSystemDisk(): EcsError {
  return ecsError(
    400,
    "OperationDenied",
    "The specified DiskDeviceMapping does not contain system disk snapshot.",
  );
}

/** OperationDenied (400): the disk mapping has two or more system disks. Message completed [inferred]. */
export function operationDeniedTwoSystemDisks(): EcsError {
  return ecsError(
    400,
    "OperationDenied",
    "The specified DiskDeviceMapping contains two or more system disk snapshots.",
  );
}

/** InvalidDevice.Malformed (400): a device name out of the allowed set. Message [inferred]. */
export function invalidDeviceMalformed(): EcsError {
  return ecsError(400, "InvalidDevice.Malformed", "The specified device is not valid.");
}

/** InvalidDevice.InUse (400): the same device twice in one mapping. Message [inferred]. */
export function invalidDeviceInUse(): EcsError {
  return ecsError(400, "InvalidDevice.InUse", "The specified device has been used by another disk.");
}

/** InvalidSize.ValueNotSupported (400): disk size out of range or below the snapshot. Message [inferred]. */
export function invalidSizeValueNotSupported(): EcsError {
  return ecsError(400, "InvalidSize.ValueNotSupported", "The specified disk size is not supported.");
}

// ---- Tags (CreateImage and TagResources tables) ----

/** Duplicate.TagKey (400). Message [inferred]. */
export function duplicateTagKey(): EcsError {
  return ecsError(400, "Duplicate.TagKey", "The Tag.N.Key contains duplicate key.");
}

/** InvalidTagKey.Malformed (400). Message [inferred]. */
export function invalidTagKeyMalformed(): EcsError {
  return ecsError(400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.");
}

/** InvalidTagValue.Malformed (400). Message [inferred]. */
export function invalidTagValueMalformed(): EcsError {
  return ecsError(400, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.");
}

/** QuotaExceed.Tags (403): CreateImage with more than 20 tags. Message [inferred]. */
export function quotaExceedTags(): EcsError {
  return ecsError(403, "QuotaExceed.Tags", "The maximum number of tags is exceeded, the limit is 20.");
}

/** NumberExceed.Tags (400): more than 20 Tag.N in one TagResources call. Message [inferred]. */
export function numberExceedTags(): EcsError {
  return ecsError(400, "NumberExceed.Tags", "The maximum number of Tags is 20.");
}

/** NumberExceed.ResourceIds (400): more than 50 ResourceId.N. Message [inferred]. */
export function numberExceedResourceIds(): EcsError {
  return ecsError(400, "NumberExceed.ResourceIds", "The maximum number of ResourceIds is 50.");
}

/** OperationDenied.QuotaExceed (400): a resource would hold more than 20 tags (documented message). */
export function operationDeniedQuotaExceed(): EcsError {
  return ecsError(
    400,
    "OperationDenied.QuotaExceed",
    "The quota of tags on resource is beyond permitted range.",
  );
}

/** MissingParameter.<Name> (404) of the tag actions. Message [inferred]. */
export function missingParameterTagAction(
  name: "ResourceIds" | "ResourceType" | "Tags" | "RegionId",
): EcsError {
  return ecsError(
    404,
    `MissingParameter.${name}`,
    `The parameter ${name} that is mandatory for processing this request is not supplied.`,
  );
}

/** InvalidResourceId.NotFound (404), documented message. */
export function invalidResourceIdNotFound(): EcsError {
  return ecsError(
    404,
    "InvalidResourceId.NotFound",
    "The specified ResourceIds are not found in our records.",
  );
}

/** InvalidResourceType.NotFound (404). Message [inferred]. */
export function invalidResourceTypeNotFound(): EcsError {
  return ecsError(
    404,
    "InvalidResourceType.NotFound",
    "The ResourceType provided does not exist in our records.",
  );
}

// ---- Images: describe, delete, modify, share ----

/** InvalidImageOwnerAlias.ValueNotSupported (400). Message [inferred]. */
export function invalidImageOwnerAliasValueNotSupported(): EcsError {
  return ecsError(
    400,
    "InvalidImageOwnerAlias.ValueNotSupported",
    "The specified ImageOwnerAlias is not supported.",
  );
}

/** InvalidImageId.NotFound (404, current docs). Message [inferred]. */
export function invalidImageIdNotFound(): EcsError {
  return ecsError(404, "InvalidImageId.NotFound", "The specified ImageId does not exist.");
}

/** ImageUsingByInstance (403), documented message. */
export function imageUsingByInstance(): EcsError {
  return ecsError(403, "ImageUsingByInstance", "The specified image has been used to create instances.");
}

/** ImageUseShared (403), documented message. */
export function imageUseShared(): EcsError {
  return ecsError(403, "ImageUseShared", "The specified image has been shared to others.");
}

/** ImageIsCreating (403, older docs): deleting an image still being built. Message [inferred]. */
export function imageIsCreating(): EcsError {
  return ecsError(403, "ImageIsCreating", "The specified image is being created, please try again later.");
}

/** IncorrectImageStatus (400), documented message (older docs). */
export function incorrectImageStatus(): EcsError {
  return ecsError(400, "IncorrectImageStatus", "The image is not available.");
}

/** OperationDenied.InvalidImageStatus (403): the image is deprecated. Message [inferred]. */
export function operationDeniedInvalidImageStatus(): EcsError {
  return ecsError(
    403,
    "OperationDenied.InvalidImageStatus",
    "The operation is not allowed because the image is deprecated.",
  );
}

/** QuotaExceed.ShareImageUser (403): more than 50 accounts on one image. Message [inferred]. */
export function quotaExceedShareImageUser(): EcsError {
  return ecsError(
    403,
    "QuotaExceed.ShareImageUser",
    "The number of users the image is shared with exceeds the quota of 50.",
  );
}

/** InvalidAccount.NotFound (404), documented message. */
export function invalidAccountNotFound(): EcsError {
  return ecsError(
    404,
    "InvalidAccount.NotFound",
    "The specified parameter AddAccount.n or RemoveAccount.n does not exist.",
  );
}

/** InvalidAccount.Forbbiden (404, sic): sharing with yourself (documented spelling and message). */
export function invalidAccountForbbiden(): EcsError {
  return ecsError(404, "InvalidAccount.Forbbiden", "The specified Account does not yourself.");
}

// ---- Snapshots ----

/** SnapshotCreatedImage (403): the snapshot backs an existing image (documented message). */
export function snapshotCreatedImage(): EcsError {
  return ecsError(403, "SnapshotCreatedImage", "The snapshot has been used to create a user defined image.");
}
