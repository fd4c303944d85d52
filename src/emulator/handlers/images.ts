/**
 * Handlers of CreateImage, DescribeImages, DeleteImage and ModifyImageAttribute: read the flattened
 * params, call the store, shape the PascalCase response with every list wrapped (ecs-api.md §4, §5, §7).
 */
import type { HandlerContext } from "../core";
import * as errors from "../errors";
import { raise } from "../errors";
import { IMAGE_STATUSES, type ImageStatus } from "../lifecycle";
import {
  optionalString,
  pageOf,
  readBoolean,
  readCommaList,
  readDiskMappings,
  readPaging,
  readTags,
  requiredString,
  type Params,
} from "../request-params";
import {
  createImage,
  DEFAULT_PLATFORM,
  DEFAULT_RESOURCE_GROUP_ID,
  deleteImage,
  imageStatusOf,
  isListedNow,
  modifyImage,
  parseArchitecture,
  parseBootMode,
  parsePlatform,
  regionOf,
  validateDescription,
  validateImageFamily,
  validateImageName,
  validateImageVersion,
  validateTagPairs,
  MAX_TAGS_PER_RESOURCE,
  type ImageRecord,
  type ImageSourceRequest,
} from "../store";
import { formatApiTime, tagList } from "./shapes";

/** DescribeImages pages: default 10, at most 100. */
const DESCRIBE_IMAGES_PAGE = { defaultSize: 10, maxSize: 100 } as const;
/** Longest ClientToken accepted. */
const MAX_CLIENT_TOKEN_CHARS = 64;
/** ImageOwnerAlias values DescribeImages accepts. */
type OwnerAlias = "self" | "system" | "others" | "marketplace";
const OWNER_ALIASES: readonly OwnerAlias[] = ["self", "system", "others", "marketplace"];

/** CreateImage: validates attributes, applies the source priority, returns `{ImageId}`. */
export function createImageHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const { params } = context.call;
  const name = optionalString(params, "ImageName") ?? "";
  if (name !== "") validateImageName(name);
  const description = optionalString(params, "Description") ?? "";
  validateDescription(description);
  const version = optionalString(params, "ImageVersion") ?? "";
  if (version !== "") validateImageVersion(version);
  const imageFamily = optionalString(params, "ImageFamily") ?? "";
  if (imageFamily !== "") validateImageFamily(imageFamily);
  const imageId = createImage(
    context.store,
    {
      accountId: context.call.accountId,
      regionId: context.regionId,
      source: readImageSource(params),
      name,
      description,
      version,
      tags: readCreateTags(params),
      architecture: parseArchitecture(nonEmpty(params, "Architecture") ?? "x86_64"),
      platform: parsePlatform(nonEmpty(params, "Platform") ?? DEFAULT_PLATFORM),
      bootMode: optionalBootMode(params),
      imageFamily,
      resourceGroupId: nonEmpty(params, "ResourceGroupId") ?? DEFAULT_RESOURCE_GROUP_ID,
      clientToken: readClientToken(params),
      fingerprint: fingerprintOf(params),
    },
    context.nowMs,
  );
  return { ImageId: imageId };
}

/** ClientToken: at most 64 ASCII characters. */
function readClientToken(params: Params): string | undefined {
  const token = nonEmpty(params, "ClientToken");
  if (token !== undefined && (token.length > MAX_CLIENT_TOKEN_CHARS || !/^[\x20-\x7e]+$/.test(token))) {
    raise(errors.invalidParameter("ClientToken"));
  }
  return token;
}

function nonEmpty(params: Params, name: string): string | undefined {
  const value = optionalString(params, name);
  return value === "" ? undefined : value;
}

function optionalBootMode(params: Params): "BIOS" | "UEFI" | "UEFI-Preferred" | "" {
  const value = nonEmpty(params, "BootMode");
  return value === undefined ? "" : parseBootMode(value);
}

/** Source priority InstanceId > DiskDeviceMapping > SnapshotId; lower ones are ignored, none is MissingParameter. */
function readImageSource(params: Params): ImageSourceRequest {
  const instanceId = nonEmpty(params, "InstanceId");
  if (instanceId !== undefined) return { kind: "instance", instanceId };
  const disks = readDiskMappings(params);
  if (disks.length > 0) return { kind: "disks", disks };
  const snapshotId = nonEmpty(params, "SnapshotId");
  if (snapshotId !== undefined) return { kind: "snapshot", snapshotId };
  return raise(errors.missingParameterImageSource());
}

/** Tag.N of CreateImage: at most 20 (QuotaExceed.Tags, 403, per the CreateImage table), then key/value rules. */
function readCreateTags(params: Params): Map<string, string> {
  const tags = readTags(params);
  if (tags.length > MAX_TAGS_PER_RESOURCE) raise(errors.quotaExceedTags());
  return validateTagPairs(tags);
}

/** Canonical text of every parameter but ClientToken: equal fingerprints mean "the same request". */
function fingerprintOf(params: Params): string {
  const entries = Object.entries(params)
    .filter(([key]) => key !== "ClientToken")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/** DescribeImages: default Status filter Available, fuzzy name, owner alias, IDs, tags, paging, newest first. */
export function describeImagesHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const { params, accountId } = context.call;
  const filter = readImageFilter(params);
  const paging = readPaging(params, DESCRIBE_IMAGES_PAGE);
  const region = regionOf(context.store, context.regionId);
  // Filter first, then order only the matches: a region may hold thousands of images.
  const viewer = { accountId, nowMs: context.nowMs };
  const found: ImageRecord[] = [];
  for (const image of region.images.values()) {
    if (matchesImageFilter(image, filter, viewer) && isListedNow(context.store, image, context.nowMs)) {
      found.push(image);
    }
  }
  const matching = newestFirst(found);
  return {
    RegionId: context.regionId,
    TotalCount: matching.length,
    PageNumber: paging.pageNumber,
    PageSize: paging.pageSize,
    Images: {
      Image: pageOf(matching, paging).map((image) => toApiImage(image, { accountId, nowMs: context.nowMs })),
    },
  };
}

/** The filters of one DescribeImages call. */
interface ImageFilter {
  readonly statuses: ReadonlySet<ImageStatus>;
  readonly imageIds: readonly string[] | undefined;
  readonly nameContains: string | undefined;
  readonly ownerAlias: OwnerAlias | undefined;
  readonly tags: readonly { readonly key: string; readonly value: string | undefined }[];
  readonly snapshotId: string | undefined;
  readonly imageFamily: string | undefined;
  readonly usage: string | undefined;
  readonly osType: string | undefined;
  readonly architecture: string | undefined;
}

function readImageFilter(params: Params): ImageFilter {
  return {
    statuses: readStatusFilter(params),
    imageIds: readCommaList(params, "ImageId"),
    nameContains: nonEmpty(params, "ImageName"),
    ownerAlias: readOwnerAlias(params),
    tags: readTags(params).flatMap((tag) =>
      tag.key === undefined || tag.key === "" ? [] : [{ key: tag.key, value: tag.value }],
    ),
    snapshotId: nonEmpty(params, "SnapshotId"),
    imageFamily: nonEmpty(params, "ImageFamily"),
    usage: nonEmpty(params, "Usage"),
    osType: nonEmpty(params, "OSType")?.toLowerCase(),
    architecture: nonEmpty(params, "Architecture"),
  };
}

/**
 * Status: absent means Available only, even with ImageId (ecs-api.md: the safe reading of an
 * undocumented case). Comma-separated values; `ALL` alone means every status; unknown values are
 * InvalidParameter.
 */
function readStatusFilter(params: Params): ReadonlySet<ImageStatus> {
  const values = readCommaList(params, "Status");
  if (values === undefined) return new Set(["Available"]);
  if (values.some((value) => value.toUpperCase() === "ALL")) {
    if (values.length > 1) raise(errors.invalidParameter("Status"));
    return new Set(IMAGE_STATUSES);
  }
  return new Set(
    values.map(
      (value) =>
        IMAGE_STATUSES.find((status) => status === value) ?? raise(errors.invalidParameter("Status")),
    ),
  );
}

function readOwnerAlias(params: Params): OwnerAlias | undefined {
  const value = nonEmpty(params, "ImageOwnerAlias");
  if (value === undefined) return undefined;
  return (
    OWNER_ALIASES.find((alias) => alias === value) ?? raise(errors.invalidImageOwnerAliasValueNotSupported())
  );
}

/** Newest first, in place (callers pass a fresh array); images created in the same millisecond keep reverse insertion order (the sort is stable). */
function newestFirst(images: ImageRecord[]): ImageRecord[] {
  return images.reverse().sort((a, b) => b.creationTimeMs - a.creationTimeMs);
}

/**
 * Whether the caller sees the image under the alias: `self` = own images, `others` = images other
 * accounts share with the caller, `system`/`marketplace` = none (the emulator has no public images),
 * no alias = self + others.
 */
function isVisible(image: ImageRecord, alias: OwnerAlias | undefined, accountId: string): boolean {
  const own = image.ownerAccountId === accountId;
  const sharedToCaller = !own && image.sharedWith.has(accountId);
  if (alias === undefined) return own || sharedToCaller;
  if (alias === "self") return own;
  if (alias === "others") return sharedToCaller;
  return false;
}

function matchesImageFilter(
  image: ImageRecord,
  filter: ImageFilter,
  viewer: { accountId: string; nowMs: number },
): boolean {
  // The cheap, selective tests first (name, id); the status (computed from the clock) after them.
  if (filter.nameContains !== undefined && !image.name.includes(filter.nameContains)) return false;
  if (filter.imageIds !== undefined && !filter.imageIds.includes(image.id)) return false;
  if (!isVisible(image, filter.ownerAlias, viewer.accountId)) return false;
  if (!filter.statuses.has(imageStatusOf(image, viewer.nowMs).status)) return false;
  if (filter.snapshotId !== undefined && !image.disks.some((disk) => disk.snapshotId === filter.snapshotId))
    return false;
  if (filter.imageFamily !== undefined && image.imageFamily !== filter.imageFamily) return false;
  if (filter.usage !== undefined && filter.usage !== (image.inUse ? "instance" : "none")) return false;
  if (filter.osType !== undefined && filter.osType !== osTypeOf(image)) return false;
  if (filter.architecture !== undefined && filter.architecture !== image.architecture) return false;
  return filter.tags.every(
    (tag) => image.tags.has(tag.key) && (tag.value === undefined || image.tags.get(tag.key) === tag.value),
  );
}

/** `windows` for Windows platforms, else `linux`. */
function osTypeOf(image: ImageRecord): "windows" | "linux" {
  return image.platform.toLowerCase().startsWith("windows") ? "windows" : "linux";
}

/** The DescribeImages shape of one image (PascalCase, lists wrapped, DiskDeviceMapping.Size a string). */
function toApiImage(
  image: ImageRecord,
  viewer: { readonly accountId: string; readonly nowMs: number },
): Record<string, unknown> {
  const { status, progress } = imageStatusOf(image, viewer.nowMs);
  return {
    ImageId: image.id,
    ImageName: image.name,
    ImageVersion: image.version,
    ImageFamily: image.imageFamily,
    Description: image.description,
    Status: status,
    Progress: progress,
    Size: image.sizeGiB,
    CreationTime: formatApiTime(image.creationTimeMs),
    Architecture: image.architecture,
    Platform: image.platform,
    OSName: image.platform,
    OSNameEn: image.platform,
    OSType: osTypeOf(image),
    ImageOwnerAlias: image.ownerAccountId === viewer.accountId ? "self" : "others",
    ImageOwnerId: accountIdValue(image.ownerAccountId),
    IsSelfShared: image.sharedWith.size > 0 ? "true" : "false",
    IsPublic: false,
    IsCopied: false,
    IsSubscribed: false,
    IsSupportCloudinit: true,
    IsSupportIoOptimized: true,
    Usage: image.inUse ? "instance" : "none",
    BootMode: image.bootMode,
    ResourceGroupId: image.resourceGroupId,
    ProductCode: "",
    LoginAsNonRootSupported: false,
    Tags: { Tag: tagList(image.tags) },
    DiskDeviceMappings: { DiskDeviceMapping: toApiDiskMappings(image, progress) },
    Features: { ImdsSupport: "v1", NvmeSupport: "unsupported" },
  };
}

/** The `DiskDeviceMapping` list of an image: Size is a string, Progress follows the image. */
function toApiDiskMappings(image: ImageRecord, progress: string): Record<string, unknown>[] {
  return image.disks.map((disk) => ({
    Device: disk.device,
    Size: String(disk.sizeGiB),
    SnapshotId: disk.snapshotId ?? "",
    Type: disk.type,
    Format: "",
    ImportOSSBucket: "",
    ImportOSSObject: "",
    Progress: progress,
    RemainTime: 0,
    Encrypted: false,
  }));
}

/** `ImageOwnerId` is a long in the SDK: a number when exact, the text otherwise. */
function accountIdValue(accountId: string): number | string {
  const value = Number(accountId);
  return Number.isSafeInteger(value) ? value : accountId;
}

/** DeleteImage: `Force` overrides instance use only. */
export function deleteImageHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const { params, accountId } = context.call;
  const imageId = requiredString(params, "ImageId");
  deleteImage(
    context.store,
    { accountId, regionId: context.regionId, imageId },
    readBoolean(params, "Force", false),
    context.nowMs,
  );
  return {};
}

/** ModifyImageAttribute: omitted fields stay; the same name and description rules as CreateImage. */
export function modifyImageAttributeHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const { params, accountId } = context.call;
  const imageId = requiredString(params, "ImageId");
  const name = nonEmpty(params, "ImageName");
  if (name !== undefined) validateImageName(name);
  const description = optionalString(params, "Description");
  if (description !== undefined) validateDescription(description);
  const imageFamily = nonEmpty(params, "ImageFamily");
  if (imageFamily !== undefined) validateImageFamily(imageFamily);
  const bootMode = nonEmpty(params, "BootMode");
  modifyImage(
    context.store,
    { accountId, regionId: context.regionId, imageId },
    {
      name,
      description,
      status: readNewStatus(params),
      imageFamily,
      bootMode: bootMode === undefined ? undefined : parseBootMode(bootMode),
    },
    context.nowMs,
  );
  return {};
}

/** Status may only be set to Deprecated or Available. */
function readNewStatus(params: Params): "Available" | "Deprecated" | undefined {
  const value = nonEmpty(params, "Status");
  if (value === undefined) return undefined;
  if (value === "Available" || value === "Deprecated") return value;
  return raise(errors.invalidParameter("Status"));
}
