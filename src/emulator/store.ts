/**
 * The emulator's state and the ECS rules that guard it, with no HTTP. State lives per region
 * (instances with disks, snapshots, images with tags and share accounts); the image quota and image
 * names are per account and region (names unique among images that still exist, in any status).
 * Every rule raises the ECS error the real service documents (errors.ts), before any change is made.
 */
import type { FixtureCredential, FixtureImage, FixtureInstance, FixtureSnapshot, Fixtures } from "./contract";
import * as errors from "./errors";
import { raise } from "./errors";
import { INSTANCE_STATUSES } from "./fixtures";
import { createIdGenerator, type IdGenerator } from "./ids";
import {
  advancePhase,
  completePhase,
  doomPhase,
  observePhase,
  startBuild,
  type ObservedPhase,
  type Phase,
  type SettledImageStatus,
} from "./lifecycle";

/** Disk roles in ECS. */
export type DiskType = "system" | "data";
/** Instance statuses (DescribeInstances). */
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];
/** Snapshot statuses (DescribeSnapshots). */
export type SnapshotStatus = "progressing" | "accomplished" | "failed";

/** A disk attached to an instance. */
export interface DiskRecord {
  readonly diskId: string;
  readonly device: string;
  readonly type: DiskType;
  readonly sizeGiB: number;
}

/** An instance, as far as imaging needs it. */
export interface InstanceRecord {
  readonly id: string;
  readonly regionId: string;
  readonly status: InstanceStatus;
  readonly disks: readonly DiskRecord[];
  readonly lockReason: string | undefined;
  readonly creationTimeMs: number;
}

/** A snapshot; tags are mutable through TagResources. */
export interface SnapshotRecord {
  readonly id: string;
  readonly regionId: string;
  readonly diskType: DiskType;
  readonly sizeGiB: number;
  readonly status: SnapshotStatus;
  readonly creationTimeMs: number;
  readonly sourceDiskId: string;
  readonly instanceId: string;
  readonly tags: Map<string, string>;
}

/** One disk of an image. */
export interface DiskMapping {
  readonly device: string;
  readonly type: DiskType;
  readonly sizeGiB: number;
  readonly snapshotId: string | undefined;
}

/** A custom image. Mutable fields are the ones ModifyImageAttribute and the lifecycle change. */
export interface ImageRecord {
  readonly id: string;
  readonly regionId: string;
  readonly ownerAccountId: string;
  name: string;
  description: string;
  readonly version: string;
  phase: Phase;
  readonly creationTimeMs: number;
  readonly sizeGiB: number;
  readonly architecture: Architecture;
  readonly platform: string;
  bootMode: BootMode;
  imageFamily: string;
  readonly resourceGroupId: string;
  readonly inUse: boolean;
  readonly tags: Map<string, string>;
  /** Account -> time shared (ms). */
  readonly sharedWith: Map<string, number>;
  readonly disks: readonly DiskMapping[];
}

/** Everything in one region. */
export interface RegionState {
  readonly instances: Map<string, InstanceRecord>;
  readonly snapshots: Map<string, SnapshotRecord>;
  readonly images: Map<string, ImageRecord>;
}

/** A CreateImage already answered for a ClientToken. */
export interface ClientTokenRecord {
  readonly fingerprint: string;
  readonly imageId: string;
}

/** The whole state of the cloud side. */
export interface Store {
  readonly regions: Map<string, RegionState>;
  readonly credentials: readonly FixtureCredential[];
  readonly knownAccounts: ReadonlySet<string>;
  readonly imageCreateSeconds: number;
  readonly imageQuota: number;
  /** `account|token` -> the answered call. */
  readonly clientTokens: Map<string, ClientTokenRecord>;
  failingNames: Set<string>;
  ids: IdGenerator;
  /** Fault `invisible_for_seconds`: how long a new image stays out of DescribeImages (absent: 0). */
  invisibleForMs?: number;
  /** Image id -> time (ms) from which DescribeImages lists it; only images made under that fault. */
  hiddenUntilMs?: Map<string, number>;
}

/** Image architectures CreateImage accepts. */
export type Architecture = "i386" | "x86_64" | "arm64";
/** Boot modes CreateImage and ModifyImageAttribute accept; "" when unset. */
export type BootMode = "BIOS" | "UEFI" | "UEFI-Preferred" | "";

/** Default seconds an image takes to build. */
const DEFAULT_IMAGE_CREATE_SECONDS = 2;
/** Default custom-image quota per account and region ([inferred] in ecs-api.md §5 Quotas). */
const DEFAULT_IMAGE_QUOTA = 100;
/** Owner of fixture images when the fixtures name no credential. */
const FALLBACK_ACCOUNT_ID = "1000000000000001";
/** The default resource group reported on images. */
export const DEFAULT_RESOURCE_GROUP_ID = "rg-acfmemulatordefault";
const DEFAULT_FIXTURE_TIME_MS = Date.parse("2025-01-01T00:00:00Z");
const DEFAULT_FIXTURE_IMAGE_SIZE_GIB = 40;

/**
 * Regions of the real cloud (ECS DescribeRegions, as of 2025). A call naming one that is not in the
 * fixtures gets an empty region on demand; any other RegionId is InvalidRegionId.NotFound, so a typo
 * fails here as it would on the real service.
 */
const REAL_REGION_IDS: readonly string[] = [
  "cn-qingdao",
  "cn-beijing",
  "cn-zhangjiakou",
  "cn-huhehaote",
  "cn-wulanchabu",
  "cn-hangzhou",
  "cn-shanghai",
  "cn-nanjing",
  "cn-fuzhou",
  "cn-shenzhen",
  "cn-heyuan",
  "cn-guangzhou",
  "cn-chengdu",
  "cn-wuhan-lr",
  "cn-hongkong",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ap-south-1",
  "us-east-1",
  "us-west-1",
  "eu-west-1",
  "eu-central-1",
  "me-east-1",
  "me-central-1",
  "na-south-1",
];

/** Builds a fresh store from fixtures; `seed` makes generated IDs deterministic. */
export function createStore(fixtures: Fixtures, seed: number): Store {
  const store: Store = {
    regions: new Map(),
    credentials: fixtures.credentials ?? [],
    knownAccounts: new Set(fixtures.known_accounts ?? []),
    imageCreateSeconds: fixtures.image_create_seconds ?? DEFAULT_IMAGE_CREATE_SECONDS,
    imageQuota: fixtures.image_quota ?? DEFAULT_IMAGE_QUOTA,
    clientTokens: new Map(),
    failingNames: new Set(),
    ids: createIdGenerator(seed),
  };
  const owner = defaultOwner(store);
  for (const [regionId, fixtureRegion] of Object.entries(fixtures.regions ?? {})) {
    const region = emptyRegion();
    store.regions.set(regionId, region);
    for (const instance of fixtureRegion.instances ?? []) {
      region.instances.set(instance.id, instanceFromFixture(instance, regionId));
    }
    for (const snapshot of fixtureRegion.snapshots ?? []) {
      region.snapshots.set(snapshot.id, snapshotFromFixture(snapshot, regionId));
    }
    for (const image of fixtureRegion.images ?? []) {
      region.images.set(image.id, imageFromFixture(image, { regionId, owner }));
    }
  }
  return store;
}

/** A region with nothing in it. */
function emptyRegion(): RegionState {
  return { instances: new Map(), snapshots: new Map(), images: new Map() };
}

/** The account that owns fixture images: the first credential's. */
function defaultOwner(store: Store): string {
  return store.credentials[0]?.account_id ?? FALLBACK_ACCOUNT_ID;
}

function instanceFromFixture(fixture: FixtureInstance, regionId: string): InstanceRecord {
  const status = INSTANCE_STATUSES.find((item) => item === fixture.status) ?? "Running";
  const disks = (fixture.disks ?? []).map((disk, i) => ({
    diskId: diskIdFor(fixture.id, i),
    device: disk.device,
    type: disk.type,
    sizeGiB: disk.size,
  }));
  return {
    id: fixture.id,
    regionId,
    status,
    disks,
    lockReason: fixture.lock_reason,
    creationTimeMs: DEFAULT_FIXTURE_TIME_MS,
  };
}

/** A stable disk ID for the i-th disk of an instance. */
function diskIdFor(instanceId: string, index: number): string {
  return `d-${instanceId.replace(/^i-/, "")}${index}`;
}

function snapshotFromFixture(fixture: FixtureSnapshot, regionId: string): SnapshotRecord {
  return {
    id: fixture.id,
    regionId,
    diskType: fixture.disk_type,
    sizeGiB: fixture.size,
    status: fixture.status,
    creationTimeMs:
      fixture.creation_time === undefined ? DEFAULT_FIXTURE_TIME_MS : Date.parse(fixture.creation_time),
    sourceDiskId: `d-${fixture.id.replace(/^s-/, "")}`,
    instanceId: "",
    tags: new Map(),
  };
}

function imageFromFixture(fixture: FixtureImage, context: { regionId: string; owner: string }): ImageRecord {
  const creationTimeMs =
    fixture.creation_time === undefined ? DEFAULT_FIXTURE_TIME_MS : Date.parse(fixture.creation_time);
  const sizeGiB = fixture.size ?? DEFAULT_FIXTURE_IMAGE_SIZE_GIB;
  return {
    id: fixture.id,
    regionId: context.regionId,
    ownerAccountId: context.owner,
    name: fixture.name,
    description: fixture.description ?? "",
    version: fixture.version ?? "",
    phase: fixturePhase(fixture.status, creationTimeMs),
    creationTimeMs,
    sizeGiB,
    architecture: "x86_64",
    platform: DEFAULT_PLATFORM,
    bootMode: "",
    imageFamily: "",
    resourceGroupId: DEFAULT_RESOURCE_GROUP_ID,
    inUse: fixture.in_use ?? false,
    tags: new Map(Object.entries(fixture.tags ?? {})),
    sharedWith: new Map((fixture.shared_with ?? []).map((account) => [account, creationTimeMs])),
    disks: [{ device: SYSTEM_DEVICE, type: "system", sizeGiB, snapshotId: undefined }],
  };
}

/** A fixture image in Creating/Waiting never finishes on its own (it has no build clock). */
function fixturePhase(status: string, creationTimeMs: number): Phase {
  if (status === "Creating" || status === "Waiting") {
    return {
      kind: "building",
      build: { startedAtMs: creationTimeMs, endsAtMs: Number.MAX_SAFE_INTEGER, failAtMs: undefined },
    };
  }
  const settled: SettledImageStatus =
    status === "CreateFailed" || status === "Deprecated" || status === "UnAvailable" ? status : "Available";
  return { kind: "settled", status: settled, progress: settled === "CreateFailed" ? "0%" : "100%" };
}

// ---- Lookups ----

/** The region's state: fixture regions and real region IDs exist, anything else is NotFound. */
export function regionOf(store: Store, regionId: string): RegionState {
  const existing = store.regions.get(regionId);
  if (existing !== undefined) return existing;
  if (!REAL_REGION_IDS.includes(regionId)) raise(errors.invalidRegionIdNotFound());
  const created = emptyRegion();
  store.regions.set(regionId, created);
  return created;
}

/** Status and progress of an image now (lazily from the clock). */
export function imageStatusOf(image: ImageRecord, nowMs: number): ObservedPhase {
  return observePhase(image.phase, nowMs);
}

/** Settles every finished build, so the stored phase matches what readers see. */
export function settleImages(store: Store, nowMs: number): void {
  for (const region of store.regions.values()) {
    for (const image of region.images.values()) {
      if (image.phase.kind !== "settled") image.phase = advancePhase(image.phase, nowMs);
    }
  }
}

/** An image the caller owns; another account's image is NotFound to it. */
export function ownImage(region: RegionState, imageId: string, accountId: string): ImageRecord {
  const image = region.images.get(imageId);
  if (image?.ownerAccountId !== accountId) return raise(errors.invalidImageIdNotFound());
  return image;
}

/** Images of an account in a region, in any status. */
function imagesOwnedBy(region: RegionState, accountId: string): ImageRecord[] {
  return [...region.images.values()].filter((image) => image.ownerAccountId === accountId);
}

/** Rejects a name already held by another existing image of the account in the region. */
function assertNameFree(region: RegionState, accountId: string, name: string, exceptImageId?: string): void {
  const taken = imagesOwnedBy(region, accountId).some(
    (image) => image.name === name && image.id !== exceptImageId,
  );
  if (taken) raise(errors.invalidImageNameDuplicated());
}

/** Whether an account exists for sharing: a known account or the account of a credential. */
function accountExists(store: Store, accountId: string): boolean {
  return (
    store.knownAccounts.has(accountId) || store.credentials.some((item) => item.account_id === accountId)
  );
}

// ---- Lifecycle operations ----

/** Finishes every Creating image now; returns how many were finished. */
export function completeAllCreating(store: Store, nowMs: number): number {
  let count = 0;
  for (const region of store.regions.values()) {
    for (const image of region.images.values()) {
      image.phase = advancePhase(image.phase, nowMs);
      if (image.phase.kind === "building") {
        image.phase = completePhase(image.phase, nowMs);
        count += 1;
      }
    }
  }
  return count;
}

/** Replaces the failing-name set; builds already running under such a name fail within a second. */
export function setFailingNames(store: Store, names: readonly string[], nowMs: number): void {
  store.failingNames = new Set(names);
  for (const region of store.regions.values()) {
    for (const image of region.images.values()) {
      if (store.failingNames.has(image.name)) image.phase = doomPhase(image.phase, nowMs);
    }
  }
}

/** Sets the fault `invisible_for_seconds` for images created from now on (0 clears it). */
export function setInvisibleFor(store: Store, seconds: number): void {
  store.invisibleForMs = Math.max(0, seconds * 1000);
}

/** Under the invisibility fault, keeps a new image out of DescribeImages for a while. */
function hideNewImage(store: Store, imageId: string, nowMs: number): void {
  const hideMs = store.invisibleForMs ?? 0;
  if (hideMs <= 0) return;
  store.hiddenUntilMs ??= new Map();
  store.hiddenUntilMs.set(imageId, nowMs + hideMs);
}

/** Whether DescribeImages lists the image now (false for a new image still under `invisible_for_seconds`). */
export function isListedNow(store: Store, image: ImageRecord, nowMs: number): boolean {
  const until = store.hiddenUntilMs?.get(image.id);
  return until === undefined || nowMs >= until;
}

/** A build phase for a new image named `name`. */
function newBuildPhase(store: Store, name: string, nowMs: number): Phase {
  return startBuild(nowMs, store.imageCreateSeconds * 1000, store.failingNames.has(name));
}

/** The system disk device name of the xvd family. */
export const SYSTEM_DEVICE = "/dev/xvda";
/** Platform when none is given (ecs-api.md §5 CreateImage). */
export const DEFAULT_PLATFORM = "Others Linux";

// ---- Attribute rules (ecs-api.md §5 CreateImage, ModifyImageAttribute, TagResources) ----

const HTTP_PREFIX = /^https?:\/\//i;
/** Letters, digits, Chinese characters, `.`, `:`, `_`, `-`; starts with a letter or Chinese character. */
const IMAGE_NAME_PATTERN = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5.:_-]*$/;
/** Image families follow the name rules. */
const IMAGE_FAMILY_PATTERN = IMAGE_NAME_PATTERN;
const RESERVED_NAME_PREFIXES = ["aliyun", "acs:"] as const;
/** Tag limits (ecs-api.md §5 TagResources): keys 1-128, values 0-128, 20 per call and per resource. */
const MAX_TAG_KEY_CHARS = 128;
const MAX_TAG_VALUE_CHARS = 128;
/** At most 20 tags per resource, and 20 Tag.N per call. */
export const MAX_TAGS_PER_RESOURCE = 20;
/** Architectures CreateImage accepts. */
export const ARCHITECTURES: readonly Architecture[] = ["i386", "x86_64", "arm64"];
/** Boot modes CreateImage and ModifyImageAttribute accept. */
export const BOOT_MODES: readonly Exclude<BootMode, "">[] = ["BIOS", "UEFI", "UEFI-Preferred"];
/** Platform values of the CreateImage documentation ([inferred] as a closed list). */
const PLATFORMS: readonly string[] = [
  "CentOS",
  "Ubuntu",
  "SUSE",
  "OpenSUSE",
  "RedHat",
  "Debian",
  "CoreOS",
  "Aliyun",
  "Alibaba Cloud Linux",
  "Anolis",
  "AlmaLinux",
  "Rocky Linux",
  "Fedora",
  "FreeBSD",
  "Kylin",
  "UOS",
  "CentOS Stream",
  "Customized Linux",
  "Others Linux",
  "Windows Server 2003",
  "Windows Server 2008",
  "Windows Server 2012",
  "Windows Server 2016",
  "Windows Server 2019",
  "Windows Server 2022",
  "Windows 7",
  "Windows 10",
];

/** Length in characters (code points), as ECS counts them; not UTF-16 units. */
function charCount(text: string): number {
  return Array.from(text).length;
}

function hasReservedPrefix(value: string): boolean {
  const lower = value.toLowerCase();
  return RESERVED_NAME_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** ImageName: 2-128 chars, pattern above ('.' allowed, as the error text and ModifyImageAttribute say), no reserved prefix. */
export function validateImageName(name: string): void {
  const length = charCount(name);
  const ok =
    length >= 2 &&
    length <= 128 &&
    IMAGE_NAME_PATTERN.test(name) &&
    !HTTP_PREFIX.test(name) &&
    !hasReservedPrefix(name);
  if (!ok) raise(errors.invalidImageNameMalformed());
}

/**
 * Description: 2-256 chars, not starting with http(s)://. The empty string is accepted and means "no
 * description" (the oldest doc allowed 0-256; the SDK sends "" only when a caller clears it).
 */
export function validateDescription(description: string): void {
  const length = charCount(description);
  if (length === 0) return;
  if (length < 2 || length > 256 || HTTP_PREFIX.test(description))
    raise(errors.invalidDescriptionMalformed());
}

/** ImageVersion: 1-40 characters (not a number range, whatever the old module thought). */
export function validateImageVersion(version: string): void {
  const length = charCount(version);
  if (length < 1 || length > 40) raise(errors.invalidImageVersionMalformed());
}

/** ImageFamily: 2-128 chars, same character rules as names. */
export function validateImageFamily(family: string): void {
  const length = charCount(family);
  if (length < 2 || length > 128 || !IMAGE_FAMILY_PATTERN.test(family) || hasReservedPrefix(family)) {
    raise(errors.invalidImageFamilyMalformed());
  }
}

/** Architecture: one of i386, x86_64, arm64. */
export function parseArchitecture(value: string): Architecture {
  const found = ARCHITECTURES.find((item) => item === value);
  return found ?? raise(errors.invalidArchitectureMalformed());
}

/** BootMode: one of BIOS, UEFI, UEFI-Preferred. */
export function parseBootMode(value: string): Exclude<BootMode, ""> {
  const found = BOOT_MODES.find((item) => item === value);
  return found ?? raise(errors.invalidBootModeNotSupport());
}

/** Platform: one of the documented values (case-insensitive), returned in its documented spelling. */
export function parsePlatform(value: string): string {
  const found = PLATFORMS.find((item) => item.toLowerCase() === value.toLowerCase());
  return found ?? raise(errors.invalidPlatformMalformed());
}

/** A tag key: 1-128 chars, no `aliyun`/`acs:` prefix, no http(s)://. */
function validateTagKey(key: string | undefined): string {
  if (key === undefined || key === "" || charCount(key) > MAX_TAG_KEY_CHARS)
    raise(errors.invalidTagKeyMalformed());
  if (hasReservedPrefix(key) || /https?:\/\//i.test(key)) raise(errors.invalidTagKeyMalformed());
  return key;
}

/** A tag value: 0-128 chars, no `acs:` prefix, no http(s)://; absent means "". */
function validateTagValue(value: string | undefined): string {
  const text = value ?? "";
  if (
    charCount(text) > MAX_TAG_VALUE_CHARS ||
    text.toLowerCase().startsWith("acs:") ||
    /https?:\/\//i.test(text)
  ) {
    raise(errors.invalidTagValueMalformed());
  }
  return text;
}

/** Validates a list of key/value pairs from one call: valid keys and values, no duplicate key. */
export function validateTagPairs(
  tags: readonly { readonly key: string | undefined; readonly value: string | undefined }[],
): Map<string, string> {
  const result = new Map<string, string>();
  for (const tag of tags) {
    const key = validateTagKey(tag.key);
    const value = validateTagValue(tag.value);
    if (result.has(key)) raise(errors.duplicateTagKey());
    result.set(key, value);
  }
  return result;
}

// ---- CreateImage (ecs-api.md §5 CreateImage) ----

/** One requested disk of a DiskDeviceMapping source, after reading the flattened params. */
export interface RequestedDisk {
  readonly device: string | undefined;
  readonly size: string | undefined;
  readonly snapshotId: string | undefined;
  readonly diskType: string | undefined;
}

/** Where a new image comes from, after applying the source priority. */
export type ImageSourceRequest =
  | { readonly kind: "instance"; readonly instanceId: string }
  | { readonly kind: "disks"; readonly disks: readonly RequestedDisk[] }
  | { readonly kind: "snapshot"; readonly snapshotId: string };

/** A validated CreateImage call. */
export interface CreateImageRequest {
  readonly accountId: string;
  readonly regionId: string;
  readonly source: ImageSourceRequest;
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly tags: ReadonlyMap<string, string>;
  readonly architecture: Architecture;
  readonly platform: string;
  readonly bootMode: BootMode;
  readonly imageFamily: string;
  readonly resourceGroupId: string;
  readonly clientToken: string | undefined;
  /** Canonical text of every parameter but ClientToken, to compare retried calls. */
  readonly fingerprint: string;
}

/** Snapshots older than this cannot be imaged (created on or before 2013-07-15). */
const OLDEST_IMAGEABLE_SNAPSHOT_MS = Date.parse("2013-07-16T00:00:00Z");
const DISK_SIZE_MIN_GIB = 5;
const DISK_SIZE_MAX_GIB = 32768;
const DEFAULT_EMPTY_DISK_GIB = 20;
const MAX_DATA_DISKS = 16;
const DATA_DEVICE_PATTERN = /^\/dev\/x?vd[b-z]$/;
const SYSTEM_DEVICE_PATTERN = /^\/dev\/x?vda$/;

/** Creates an image (or returns the one a matching ClientToken already made); returns its ID. */
export function createImage(store: Store, request: CreateImageRequest, nowMs: number): string {
  const region = regionOf(store, request.regionId);
  const tokenKey =
    request.clientToken === undefined ? undefined : `${request.accountId}|${request.clientToken}`;
  const previous = tokenKey === undefined ? undefined : store.clientTokens.get(tokenKey);
  if (previous !== undefined) {
    if (previous.fingerprint !== request.fingerprint) raise(errors.idempotenceParamNotMatch());
    return previous.imageId;
  }
  if (request.name !== "") assertNameFree(region, request.accountId, request.name);
  if (imagesOwnedBy(region, request.accountId).length >= store.imageQuota) raise(errors.quotaExceedImage());
  const disks = resolveSource(store, region, request, nowMs);
  const image = buildImageRecord(store, request, disks, nowMs);
  region.images.set(image.id, image);
  hideNewImage(store, image.id, nowMs);
  if (tokenKey !== undefined)
    store.clientTokens.set(tokenKey, { fingerprint: request.fingerprint, imageId: image.id });
  return image.id;
}

function buildImageRecord(
  store: Store,
  request: CreateImageRequest,
  disks: readonly DiskMapping[],
  nowMs: number,
): ImageRecord {
  const systemDisk = disks.find((disk) => disk.type === "system");
  return {
    id: store.ids.next("image", request.regionId),
    regionId: request.regionId,
    ownerAccountId: request.accountId,
    name: request.name,
    description: request.description,
    version: request.version,
    phase: newBuildPhase(store, request.name, nowMs),
    creationTimeMs: nowMs,
    sizeGiB: systemDisk?.sizeGiB ?? DEFAULT_FIXTURE_IMAGE_SIZE_GIB,
    architecture: request.architecture,
    platform: request.platform,
    bootMode: request.bootMode,
    imageFamily: request.imageFamily,
    resourceGroupId: request.resourceGroupId,
    inUse: false,
    tags: new Map(request.tags),
    sharedWith: new Map(),
    disks,
  };
}

/** Checks the source and returns the new image's disks (snapshotting an instance's disks). */
function resolveSource(
  store: Store,
  region: RegionState,
  request: CreateImageRequest,
  nowMs: number,
): DiskMapping[] {
  const { source } = request;
  switch (source.kind) {
    case "instance":
      return snapshotInstance(store, region, { instanceId: source.instanceId, nowMs });
    case "snapshot":
      return [systemDiskFromSnapshot(region, source.snapshotId)];
    case "disks":
      return resolveDiskMappings(region, source.disks);
  }
}

/** From an instance: Running or Stopped, not locked; one new snapshot per disk. */
function snapshotInstance(
  store: Store,
  region: RegionState,
  source: { instanceId: string; nowMs: number },
): DiskMapping[] {
  const { instanceId, nowMs } = source;
  const instance = region.instances.get(instanceId) ?? raise(errors.invalidInstanceIdNotFound());
  if (instance.lockReason === "security") raise(errors.instanceLockedForSecurity());
  if (instance.status !== "Running" && instance.status !== "Stopped") raise(errors.incorrectInstanceStatus());
  return instance.disks.map((disk) => {
    const snapshot: SnapshotRecord = {
      id: store.ids.next("snapshot", instance.regionId),
      regionId: instance.regionId,
      diskType: disk.type,
      sizeGiB: disk.sizeGiB,
      status: "accomplished",
      creationTimeMs: nowMs,
      sourceDiskId: disk.diskId,
      instanceId: instance.id,
      tags: new Map(),
    };
    region.snapshots.set(snapshot.id, snapshot);
    return { device: disk.device, type: disk.type, sizeGiB: disk.sizeGiB, snapshotId: snapshot.id };
  });
}

/** A snapshot usable for an image: exists, accomplished, not too old. */
function usableSnapshot(region: RegionState, snapshotId: string): SnapshotRecord {
  const snapshot = region.snapshots.get(snapshotId) ?? raise(errors.invalidSnapshotIdNotFound());
  if (snapshot.status !== "accomplished") raise(errors.invalidSnapshotIdNotReady());
  if (snapshot.creationTimeMs < OLDEST_IMAGEABLE_SNAPSHOT_MS) raise(errors.invalidSnapshotTooOld());
  return snapshot;
}

/** From a snapshot alone: it must be of a system disk; one mapping /dev/xvda. */
function systemDiskFromSnapshot(region: RegionState, snapshotId: string): DiskMapping {
  const snapshot = usableSnapshot(region, snapshotId);
  if (snapshot.diskType !== "system") raise(errors.operationDeniedSnapshotNotSystem());
  return { device: SYSTEM_DEVICE, type: "system", sizeGiB: snapshot.sizeGiB, snapshotId: snapshot.id };
}

/** A requested disk once its snapshot, type and size are known. */
interface TypedDisk {
  readonly device: string | undefined;
  readonly type: DiskType;
  readonly sizeGiB: number;
  readonly snapshotId: string | undefined;
}

/** From DiskDeviceMapping: exactly one system disk with a snapshot, at most 16 data disks, valid devices and sizes. */
function resolveDiskMappings(region: RegionState, requested: readonly RequestedDisk[]): DiskMapping[] {
  const typed = requested.map((disk, index) => typeRequestedDisk(region, disk, index));
  const systemDisks = typed.filter((disk) => disk.type === "system");
  const [systemDisk] = systemDisks;
  if (systemDisk?.snapshotId === undefined) raise(errors.operationDeniedNoSystemDisk());
  if (systemDisks.length > 1) raise(errors.operationDeniedTwoSystemDisks());
  // The limit has no documented code of its own: InvalidParameter naming the list [inferred].
  if (typed.length - 1 > MAX_DATA_DISKS) raise(errors.invalidParameter("DiskDeviceMapping"));
  return assignDevices(typed);
}

function typeRequestedDisk(region: RegionState, disk: RequestedDisk, index: number): TypedDisk {
  const snapshot =
    disk.snapshotId === undefined || disk.snapshotId === ""
      ? undefined
      : usableSnapshot(region, disk.snapshotId);
  const type = requestedDiskType(disk, index) ?? snapshot?.diskType ?? defaultDiskType(disk.device, index);
  return {
    device: disk.device === "" ? undefined : disk.device,
    type,
    sizeGiB: requestedSize(disk.size, snapshot),
    snapshotId: snapshot?.id,
  };
}

function requestedDiskType(disk: RequestedDisk, index: number): DiskType | undefined {
  if (disk.diskType === undefined || disk.diskType === "") return undefined;
  if (disk.diskType === "system" || disk.diskType === "data") return disk.diskType;
  return raise(errors.invalidParameter(`DiskDeviceMapping.${index + 1}.DiskType`));
}

/** Without a type or snapshot: /dev/xvda (or the first entry without a device) is the system disk. */
function defaultDiskType(device: string | undefined, index: number): DiskType {
  if (device === undefined || device === "") return index === 0 ? "system" : "data";
  return SYSTEM_DEVICE_PATTERN.test(device) ? "system" : "data";
}

/**
 * Size in GiB: with a snapshot, at least its size (default: its size); without, 5-32768 (default 20).
 * Which disk category applies is unknown here, so the widest documented range is used [inferred].
 */
function requestedSize(size: string | undefined, snapshot: SnapshotRecord | undefined): number {
  const fallback = snapshot?.sizeGiB ?? DEFAULT_EMPTY_DISK_GIB;
  if (size === undefined || size === "") return fallback;
  if (!/^\d{1,9}$/.test(size.trim())) raise(errors.invalidSizeValueNotSupported());
  const value = Number(size.trim());
  const min = snapshot?.sizeGiB ?? DISK_SIZE_MIN_GIB;
  if (value < min || value > DISK_SIZE_MAX_GIB) raise(errors.invalidSizeValueNotSupported());
  return value;
}

/** Checks given devices (system /dev/xvda, data /dev/xvdb-z, no duplicates) and fills in missing ones. */
function assignDevices(disks: readonly TypedDisk[]): DiskMapping[] {
  const used = new Set<string>();
  for (const disk of disks) {
    if (disk.device === undefined) continue;
    const pattern = disk.type === "system" ? SYSTEM_DEVICE_PATTERN : DATA_DEVICE_PATTERN;
    if (!pattern.test(disk.device)) raise(errors.invalidDeviceMalformed());
    if (used.has(disk.device)) raise(errors.invalidDeviceInUse());
    used.add(disk.device);
  }
  return disks.map((disk) => {
    const device = disk.device ?? (disk.type === "system" ? SYSTEM_DEVICE : nextFreeDataDevice(used));
    used.add(device);
    return { device, type: disk.type, sizeGiB: disk.sizeGiB, snapshotId: disk.snapshotId };
  });
}

function nextFreeDataDevice(used: ReadonlySet<string>): string {
  for (let code = "b".charCodeAt(0); code <= "z".charCodeAt(0); code += 1) {
    const device = `/dev/xvd${String.fromCharCode(code)}`;
    if (!used.has(device)) return device;
  }
  return raise(errors.invalidDeviceMalformed());
}

// ---- DeleteImage, ModifyImageAttribute ----

/**
 * Deletes an image. Checks, in order: exists (InvalidImageId.NotFound: the error table wins over the
 * "request is ignored" sentence), not Creating (ImageIsCreating, older docs), not in use unless Force
 * (ImageUsingByInstance), not shared (ImageUseShared: Force is documented only for instance use, so it
 * does not override sharing). Its snapshots stay.
 */
export function deleteImage(store: Store, target: ImageTarget, force: boolean, nowMs: number): void {
  const region = regionOf(store, target.regionId);
  const image = ownImage(region, target.imageId, target.accountId);
  const { status } = imageStatusOf(image, nowMs);
  if (status === "Creating" || status === "Waiting") raise(errors.imageIsCreating());
  if (image.inUse && !force) raise(errors.imageUsingByInstance());
  if (image.sharedWith.size > 0) raise(errors.imageUseShared());
  region.images.delete(image.id);
}

/** Which image a call is about, and who asks. */
export interface ImageTarget {
  readonly accountId: string;
  readonly regionId: string;
  readonly imageId: string;
}

/** The changes of a ModifyImageAttribute call; undefined leaves a field unchanged. */
export interface ImageChanges {
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly status: "Available" | "Deprecated" | undefined;
  readonly imageFamily: string | undefined;
  readonly bootMode: Exclude<BootMode, ""> | undefined;
}

/**
 * Applies ModifyImageAttribute changes, all or nothing. A status change needs a finished image
 * (IncorrectImageStatus otherwise); deprecating a shared image is refused with ImageUseShared (the
 * docs say it must be unshared first but name no code) [inferred].
 */
export function modifyImage(store: Store, target: ImageTarget, changes: ImageChanges, nowMs: number): void {
  const region = regionOf(store, target.regionId);
  const image = ownImage(region, target.imageId, target.accountId);
  if (changes.name !== undefined) assertNameFree(region, target.accountId, changes.name, image.id);
  if (changes.status !== undefined) {
    const { status } = imageStatusOf(image, nowMs);
    if (status !== "Available" && status !== "Deprecated") raise(errors.incorrectImageStatus());
    if (changes.status === "Deprecated" && image.sharedWith.size > 0) raise(errors.imageUseShared());
  }
  if (changes.name !== undefined) image.name = changes.name;
  if (changes.description !== undefined) image.description = changes.description;
  if (changes.status !== undefined)
    image.phase = { kind: "settled", status: changes.status, progress: "100%" };
  if (changes.imageFamily !== undefined) image.imageFamily = changes.imageFamily;
  if (changes.bootMode !== undefined) image.bootMode = changes.bootMode;
}

// ---- ModifyImageSharePermission ----

/** At most this many accounts per image (ecs-api.md §5 ModifyImageSharePermission). */
const MAX_SHARE_ACCOUNTS_PER_IMAGE = 50;
/** Only this many AddAccount.N / RemoveAccount.N per call are processed; the rest are ignored. */
export const MAX_SHARE_ACCOUNTS_PER_CALL = 10;

/** Adds and removes share accounts, all or nothing. Only the first 10 of each list count, as on the real service. */
export function modifySharePermission(
  store: Store,
  target: ImageTarget,
  accounts: { readonly add: readonly string[]; readonly remove: readonly string[] },
  nowMs: number,
): void {
  const region = regionOf(store, target.regionId);
  const image = ownImage(region, target.imageId, target.accountId);
  const add = accounts.add.slice(0, MAX_SHARE_ACCOUNTS_PER_CALL);
  const remove = accounts.remove.slice(0, MAX_SHARE_ACCOUNTS_PER_CALL);
  assertShareableStatus(image, add.length > 0, nowMs);
  for (const account of [...add, ...remove]) {
    if (account === target.accountId) raise(errors.invalidAccountForbbiden());
    if (!accountExists(store, account)) raise(errors.invalidAccountNotFound());
  }
  const after = new Set(image.sharedWith.keys());
  for (const account of remove) after.delete(account);
  for (const account of add) after.add(account);
  if (after.size > MAX_SHARE_ACCOUNTS_PER_IMAGE) raise(errors.quotaExceedShareImageUser());
  for (const account of remove) image.sharedWith.delete(account);
  for (const account of add) if (!image.sharedWith.has(account)) image.sharedWith.set(account, nowMs);
}

/** Sharing needs an Available image; a Deprecated one may only lose accounts. */
function assertShareableStatus(image: ImageRecord, adding: boolean, nowMs: number): void {
  const { status } = imageStatusOf(image, nowMs);
  if (status === "Available") return;
  if (status === "Deprecated") {
    if (adding) raise(errors.operationDeniedInvalidImageStatus());
    return;
  }
  raise(errors.incorrectImageStatus());
}

// ---- DeleteSnapshot ----

/**
 * Deletes a snapshot, wherever it is (DeleteSnapshot has no RegionId). One that backs an existing
 * image is refused with SnapshotCreatedImage even with Force (Force only overrides disks created from
 * the snapshot, which the emulator does not model).
 */
export function deleteSnapshot(store: Store, snapshotId: string): void {
  const region = [...store.regions.values()].find((candidate) => candidate.snapshots.has(snapshotId));
  if (region === undefined) return raise(errors.invalidSnapshotIdNotFound());
  if (imagesUsingSnapshot(region, snapshotId).length > 0) raise(errors.snapshotCreatedImage());
  region.snapshots.delete(snapshotId);
}

/** Existing images whose disks reference the snapshot. */
export function imagesUsingSnapshot(region: RegionState, snapshotId: string): ImageRecord[] {
  return [...region.images.values()].filter((image) =>
    image.disks.some((disk) => disk.snapshotId === snapshotId),
  );
}

// ---- Tags on images and snapshots (ecs-api.md §5 TagResources / UntagResources / ListTagResources) ----

/** Resource types the tag actions accept here (lower case, as the SDK sends them). */
export type TaggableType = "image" | "snapshot";

/** A set of resources of one type in one region, for one caller. */
export interface TagTarget {
  readonly accountId: string;
  readonly regionId: string;
  readonly resourceType: TaggableType;
  readonly resourceIds: readonly string[];
}

/** One tag of one resource, as ListTagResources reports it. */
export interface ResourceTag {
  readonly resourceId: string;
  readonly resourceType: TaggableType;
  readonly tagKey: string;
  readonly tagValue: string;
}

/** The tag map of a resource the caller may tag, or undefined. */
function tagsOf(
  region: RegionState,
  type: TaggableType,
  resourceId: string,
  accountId: string,
): Map<string, string> | undefined {
  if (type === "snapshot") return region.snapshots.get(resourceId)?.tags;
  const image = region.images.get(resourceId);
  return image?.ownerAccountId === accountId ? image.tags : undefined;
}

/** Tag maps of every target resource; any missing one is InvalidResourceId.NotFound. */
function targetTagMaps(store: Store, target: TagTarget): Map<string, string>[] {
  const region = regionOf(store, target.regionId);
  return target.resourceIds.map(
    (id) =>
      tagsOf(region, target.resourceType, id, target.accountId) ?? raise(errors.invalidResourceIdNotFound()),
  );
}

/** Sets tags (overwriting existing keys), all or nothing; a resource may hold at most 20 tags. */
export function tagResources(store: Store, target: TagTarget, tags: ReadonlyMap<string, string>): void {
  const maps = targetTagMaps(store, target);
  for (const map of maps) {
    const keys = new Set([...map.keys(), ...tags.keys()]);
    if (keys.size > MAX_TAGS_PER_RESOURCE) raise(errors.operationDeniedQuotaExceed());
  }
  for (const map of maps) for (const [key, value] of tags) map.set(key, value);
}

/** Removes the given keys (absent keys are ignored), or every tag when `keys` is "all". */
export function untagResources(store: Store, target: TagTarget, keys: readonly string[] | "all"): void {
  for (const map of targetTagMaps(store, target)) {
    if (keys === "all") map.clear();
    else for (const key of keys) map.delete(key);
  }
}

/**
 * Tags of the named resources (unknown IDs are skipped, not an error [inferred]), or of every
 * resource of the type carrying all the filter tags when no ID is given.
 */
export function listResourceTags(
  store: Store,
  target: TagTarget,
  filter: readonly { readonly key: string; readonly value: string | undefined }[],
): ResourceTag[] {
  const region = regionOf(store, target.regionId);
  const ids =
    target.resourceIds.length > 0 ? target.resourceIds : allResourceIds(region, target.resourceType);
  const result: ResourceTag[] = [];
  for (const resourceId of ids) {
    const tags = tagsOf(region, target.resourceType, resourceId, target.accountId);
    if (
      tags === undefined ||
      !filter.every((f) => tags.has(f.key) && (f.value === undefined || tags.get(f.key) === f.value))
    ) {
      continue;
    }
    for (const [tagKey, tagValue] of tags)
      result.push({ resourceId, resourceType: target.resourceType, tagKey, tagValue });
  }
  return result;
}

function allResourceIds(region: RegionState, type: TaggableType): string[] {
  return type === "image" ? [...region.images.keys()] : [...region.snapshots.keys()];
}
