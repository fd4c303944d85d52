/**
 * The ECS calls the module makes, in our own types (`EcsApi`), and the adapter over the official SDK
 * (`createEcsApi`). This is the only file that imports the SDK; `toApi*` / `fromApi*` convert at the edge.
 */
import Ecs, * as $Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import type { Clock } from "../common/clock";
import { SYSTEM_CLOCK } from "../common/clock";
import type { DiskDeviceMapping, ImageSource, ImageState, ImageStatus } from "../common/types";
import { ALL_IMAGE_STATUSES } from "../common/types";
import { isRetriable } from "./classify";
import { parseEndpoint } from "./endpoint";
import type { ApiAction } from "./errors";
import { CloudConfigError, normalizeError } from "./errors";
import { MAX_PAGE_SIZE, MAX_SHARE_ACCOUNTS_PER_CALL } from "./limits";
import { retry } from "./retry";

/** Both the read and the connect timeout of one HTTP request (both must be set: see reference §4). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** A guard against a server that never ends its paging. */
const MAX_PAGES = 1_000;

/** How to reach the cloud. */
export interface CloudConfig {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string | undefined;
  readonly region: string;
  /** `host:port` or `http(s)://host[:port]`; undefined for the SDK's regional endpoint over HTTPS. */
  readonly endpoint?: string | undefined;
}

/** A create request, in our terms. */
export interface CreateImageInput {
  readonly region: string;
  readonly imageName: string | undefined;
  readonly imageVersion: string | undefined;
  readonly description: string | undefined;
  readonly tags: Readonly<Record<string, string>> | undefined;
  readonly source: ImageSource;
  readonly clientToken: string;
}

/** Which image a call acts on. */
export interface ImageRef {
  readonly region: string;
  readonly imageId: string;
}

/** An instance, as much as the module needs (source checks). */
export interface InstanceInfo {
  readonly instanceId: string;
  readonly status: string;
  readonly lockReasons: readonly string[];
}

/** A snapshot, as much as the module needs (source checks, clean-up). */
export interface SnapshotInfo {
  readonly snapshotId: string;
  readonly status: string;
  readonly diskType: "system" | "data" | undefined;
  readonly sizeGiB: number | undefined;
  readonly creationTime: string;
}

/** The ECS calls the module makes. Every method throws `CloudError` (normalised, attempts recorded). */
export interface EcsApi {
  /** DescribeImages by id among own images in every status; undefined when absent. */
  findImageById(region: string, imageId: string): Promise<ImageState | undefined>;
  /** Own images whose name is exactly `imageName`, in every status (server-side fuzzy filter, exact here). */
  findImagesByName(region: string, imageName: string): Promise<ImageState[]>;
  /** CreateImage with tags and ClientToken; returns the new image id. */
  createImage(input: CreateImageInput): Promise<string>;
  /** ModifyImageAttribute with only the given fields. */
  modifyImageAttribute(
    ref: ImageRef,
    changes: { readonly imageName?: string; readonly description?: string },
  ): Promise<void>;
  /** ModifyImageSharePermission AddAccount (at most 10 accounts). */
  addLaunchPermission(ref: ImageRef, accounts: readonly string[]): Promise<void>;
  /** ModifyImageSharePermission RemoveAccount (at most 10 accounts). */
  removeLaunchPermission(ref: ImageRef, accounts: readonly string[]): Promise<void>;
  /** DescribeImageSharePermission, every page: the account ids the image is shared with. */
  describeLaunchPermission(ref: ImageRef): Promise<string[]>;
  /** TagResources (ResourceType image): adds or overwrites tags. */
  tagImage(ref: ImageRef, tags: Readonly<Record<string, string>>): Promise<void>;
  /** UntagResources (ResourceType image) for the given keys. */
  untagImage(ref: ImageRef, keys: readonly string[]): Promise<void>;
  /** DeleteImage, with Force when asked. */
  deleteImage(ref: ImageRef, options: { readonly force: boolean }): Promise<void>;
  /** DescribeInstances for one id; undefined when absent. */
  describeInstance(region: string, instanceId: string): Promise<InstanceInfo | undefined>;
  /** DescribeSnapshots for one id; undefined when absent. */
  describeSnapshot(region: string, snapshotId: string): Promise<SnapshotInfo | undefined>;
  /** DeleteSnapshot (Force: also when disks were made from it). */
  deleteSnapshot(region: string, snapshotId: string): Promise<void>;
}

/** Retry and timing knobs of the adapter. */
export interface EcsApiOptions {
  readonly clock?: Clock;
  /** @default Math.random (read, never replaced) */
  readonly random?: () => number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** @default DEFAULT_REQUEST_TIMEOUT_MS */
  readonly requestTimeoutMs?: number;
}

/**
 * Builds the SDK Config: static credentials, endpoint and protocol, both timeouts.
 * @throws CloudConfigError for a malformed or insecure endpoint
 */
export function toApiConfig(config: CloudConfig, timeoutMs: number): $OpenApiUtil.Config {
  const endpoint = config.endpoint === undefined ? undefined : parseEndpoint(config.endpoint);
  return new $OpenApiUtil.Config({
    accessKeyId: config.accessKeyId,
    accessKeySecret: config.accessKeySecret,
    ...(config.securityToken === undefined || config.securityToken === ""
      ? {}
      : { securityToken: config.securityToken }),
    regionId: config.region,
    ...(endpoint === undefined ? {} : { endpoint: endpoint.host }),
    protocol: endpoint?.protocol ?? "HTTPS",
    readTimeout: timeoutMs,
    connectTimeout: timeoutMs,
  });
}

/** Our create request as the SDK's model: the one source, tags in the call, ClientToken. */
export function toApiCreateImageRequest(input: CreateImageInput): $Ecs.CreateImageRequest {
  const tags = Object.entries(input.tags ?? {}).map(
    ([key, value]) => new $Ecs.CreateImageRequestTag({ key, value }),
  );
  return new $Ecs.CreateImageRequest({
    regionId: input.region,
    clientToken: input.clientToken,
    ...(input.imageName === undefined ? {} : { imageName: input.imageName }),
    ...(input.imageVersion === undefined ? {} : { imageVersion: input.imageVersion }),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(tags.length === 0 ? {} : { tag: tags }),
    ...toApiSource(input.source),
  });
}

/** The source fields of CreateImage. */
function toApiSource(source: ImageSource): Partial<$Ecs.CreateImageRequest> {
  switch (source.kind) {
    case "instance":
      return { instanceId: source.instanceId };
    case "snapshot":
      return { snapshotId: source.snapshotId };
    case "disks":
      return {
        diskDeviceMapping: source.disks.map(
          (disk) =>
            new $Ecs.CreateImageRequestDiskDeviceMapping({
              device: disk.device,
              diskType: disk.device === "/dev/xvda" ? "system" : "data",
              ...(disk.sizeGiB === undefined ? {} : { size: disk.sizeGiB }),
              ...(disk.snapshotId === undefined ? {} : { snapshotId: disk.snapshotId }),
            }),
        ),
      };
  }
}

/** A DescribeImages request for own images in every status (the API default is Available only). */
export function toApiDescribeImagesRequest(
  region: string,
  filter: { readonly imageId?: string; readonly imageName?: string; readonly pageNumber?: number },
): $Ecs.DescribeImagesRequest {
  return new $Ecs.DescribeImagesRequest({
    regionId: region,
    imageOwnerAlias: "self",
    status: ALL_IMAGE_STATUSES.join(","),
    pageSize: MAX_PAGE_SIZE,
    pageNumber: filter.pageNumber ?? 1,
    ...(filter.imageId === undefined ? {} : { imageId: filter.imageId }),
    ...(filter.imageName === undefined ? {} : { imageName: filter.imageName }),
  });
}

/** Parses a size that the API sends as a string or a number; undefined when absent or not a number. */
function toSizeGiB(value: string | number | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const size = typeof value === "number" ? value : Number(value);
  return Number.isFinite(size) ? size : undefined;
}

/** Narrows the API's status text to our closed set (an unknown word reads as UnAvailable). */
function toImageStatus(value: string | undefined): ImageStatus {
  const found = ALL_IMAGE_STATUSES.find((status) => status === value);
  return found ?? "UnAvailable";
}

/** One disk of a DescribeImages image, in our terms. */
function fromApiDiskMapping(
  disk: $Ecs.DescribeImagesResponseBodyImagesImageDiskDeviceMappingsDiskDeviceMapping,
): DiskDeviceMapping {
  return {
    device: disk.device ?? "",
    sizeGiB: toSizeGiB(disk.size),
    snapshotId: disk.snapshotId === undefined || disk.snapshotId === "" ? undefined : disk.snapshotId,
    type: disk.type === "system" || disk.type === "data" ? disk.type : undefined,
  };
}

/** A DescribeImages image, in our terms (tags from the same response; launch permission not read). */
export function fromApiImage(image: $Ecs.DescribeImagesResponseBodyImagesImage, region: string): ImageState {
  const tags: Record<string, string> = {};
  for (const tag of image.tags?.tag ?? []) {
    if (tag.tagKey !== undefined) tags[tag.tagKey] = tag.tagValue ?? "";
  }
  return {
    imageId: image.imageId ?? "",
    imageName: image.imageName ?? "",
    imageVersion: image.imageVersion ?? "",
    description: image.description ?? "",
    status: toImageStatus(image.status),
    progress: image.progress ?? "",
    sizeGiB: toSizeGiB(image.size),
    creationTime: image.creationTime ?? "",
    architecture: image.architecture ?? "",
    platform: image.platform ?? "",
    osName: image.OSNameEn ?? image.OSName ?? "",
    tags,
    diskDeviceMappings: (image.diskDeviceMappings?.diskDeviceMapping ?? []).map(fromApiDiskMapping),
    launchPermission: undefined,
    region,
    ...(image.usage === "instance" ? { inUse: true } : image.usage === "none" ? { inUse: false } : {}),
  };
}

/** A DescribeInstances instance, in our terms. */
function fromApiInstance(instance: $Ecs.DescribeInstancesResponseBodyInstancesInstance): InstanceInfo {
  return {
    instanceId: instance.instanceId ?? "",
    status: instance.status ?? "",
    lockReasons: (instance.operationLocks?.lockReason ?? [])
      .map((lock) => lock.lockReason ?? "")
      .filter((r) => r !== ""),
  };
}

/** A DescribeSnapshots snapshot, in our terms. */
function fromApiSnapshot(snapshot: $Ecs.DescribeSnapshotsResponseBodySnapshotsSnapshot): SnapshotInfo {
  const diskType = snapshot.sourceDiskType?.toLowerCase();
  return {
    snapshotId: snapshot.snapshotId ?? "",
    status: snapshot.status ?? "",
    diskType: diskType === "system" || diskType === "data" ? diskType : undefined,
    sizeGiB: toSizeGiB(snapshot.sourceDiskSize),
    creationTime: snapshot.creationTime ?? "",
  };
}

/**
 * Throws when a share batch is larger than one call takes (the API would silently drop the rest).
 * @throws RangeError
 */
function checkShareBatch(accounts: readonly string[]): void {
  if (accounts.length === 0 || accounts.length > MAX_SHARE_ACCOUNTS_PER_CALL) {
    throw new RangeError(
      `A share call takes 1 to ${MAX_SHARE_ACCOUNTS_PER_CALL} accounts, got ${accounts.length}`,
    );
  }
}

/** Runs one SDK call with normalised errors and the retry policy. */
type Caller = <T>(action: ApiAction, fn: () => Promise<T>) => Promise<T>;

/** Builds the caller: every error normalised, retriable ones retried with backoff. */
function makeCaller(options: EcsApiOptions): Caller {
  const policy = {
    isRetriable,
    clock: options.clock ?? SYSTEM_CLOCK,
    random: options.random ?? Math.random,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.baseDelayMs === undefined ? {} : { baseDelayMs: options.baseDelayMs }),
    ...(options.maxDelayMs === undefined ? {} : { maxDelayMs: options.maxDelayMs }),
  };
  return function call<T>(action: ApiAction, fn: () => Promise<T>): Promise<T> {
    return retry(async () => {
      try {
        return await fn();
      } catch (error: unknown) {
        throw normalizeError(error, action);
      }
    }, policy);
  };
}

/** True when paging is over: a short page, or as many items seen as the total (when the server gives one). */
function isLastPage(pageLength: number, seen: number, totalCount: number | undefined): boolean {
  return pageLength < MAX_PAGE_SIZE || (totalCount !== undefined && seen >= totalCount);
}

/** Collects every exact-name match, paging only through the server's fuzzy matches. */
async function findImagesByName(
  client: Ecs,
  call: Caller,
  region: string,
  imageName: string,
): Promise<ImageState[]> {
  const found: ImageState[] = [];
  let seen = 0;
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const request = toApiDescribeImagesRequest(region, { imageName, pageNumber });
    const response = await call("DescribeImages", () => client.describeImages(request));
    const page = response.body?.images?.image ?? [];
    seen += page.length;
    for (const image of page) if (image.imageName === imageName) found.push(fromApiImage(image, region));
    if (isLastPage(page.length, seen, response.body?.totalCount)) break;
  }
  return found;
}

/** Every account of DescribeImageSharePermission, all pages. */
async function describeLaunchPermission(client: Ecs, call: Caller, ref: ImageRef): Promise<string[]> {
  const accounts: string[] = [];
  let seen = 0;
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const request = new $Ecs.DescribeImageSharePermissionRequest({
      regionId: ref.region,
      imageId: ref.imageId,
      pageSize: MAX_PAGE_SIZE,
      pageNumber,
    });
    const response = await call("DescribeImageSharePermission", () =>
      client.describeImageSharePermission(request),
    );
    const page = response.body?.accounts?.account ?? [];
    for (const account of page) if (account.aliyunId !== undefined) accounts.push(account.aliyunId);
    seen += page.length;
    if (isLastPage(page.length, seen, response.body?.totalCount)) break;
  }
  return accounts;
}

/** The image read calls of the adapter. */
function imageReads(
  client: Ecs,
  call: Caller,
): Pick<EcsApi, "findImageById" | "findImagesByName" | "describeLaunchPermission"> {
  return {
    async findImageById(region, imageId) {
      const request = toApiDescribeImagesRequest(region, { imageId });
      const response = await call("DescribeImages", () => client.describeImages(request));
      const image = (response.body?.images?.image ?? []).find((candidate) => candidate.imageId === imageId);
      return image === undefined ? undefined : fromApiImage(image, region);
    },
    findImagesByName: (region, imageName) => findImagesByName(client, call, region, imageName),
    describeLaunchPermission: (ref) => describeLaunchPermission(client, call, ref),
  };
}

/** The image write calls of the adapter (attributes and sharing). */
function imageWrites(
  client: Ecs,
  call: Caller,
): Pick<EcsApi, "createImage" | "modifyImageAttribute" | "deleteImage"> {
  return {
    async createImage(input) {
      // CreateImage is retried on transient errors only because the ClientToken makes it idempotent.
      if (input.clientToken === "")
        throw new RangeError("CreateImage needs a ClientToken to be retried safely");
      const request = toApiCreateImageRequest(input);
      const response = await call("CreateImage", () => client.createImage(request));
      return response.body?.imageId ?? "";
    },
    async modifyImageAttribute(ref, changes) {
      const request = new $Ecs.ModifyImageAttributeRequest({
        regionId: ref.region,
        imageId: ref.imageId,
        ...changes,
      });
      await call("ModifyImageAttribute", () => client.modifyImageAttribute(request));
    },
    async deleteImage(ref, options) {
      const request = new $Ecs.DeleteImageRequest({
        regionId: ref.region,
        imageId: ref.imageId,
        ...(options.force ? { force: true } : {}),
      });
      await call("DeleteImage", () => client.deleteImage(request));
    },
  };
}

/** Share calls of the adapter (one ModifyImageSharePermission per batch of at most 10). */
function shareWrites(
  client: Ecs,
  call: Caller,
): Pick<EcsApi, "addLaunchPermission" | "removeLaunchPermission"> {
  return {
    async addLaunchPermission(ref, accounts) {
      checkShareBatch(accounts);
      const request = new $Ecs.ModifyImageSharePermissionRequest({
        regionId: ref.region,
        imageId: ref.imageId,
        addAccount: [...accounts],
      });
      await call("ModifyImageSharePermission", () => client.modifyImageSharePermission(request));
    },
    async removeLaunchPermission(ref, accounts) {
      checkShareBatch(accounts);
      const request = new $Ecs.ModifyImageSharePermissionRequest({
        regionId: ref.region,
        imageId: ref.imageId,
        removeAccount: [...accounts],
      });
      await call("ModifyImageSharePermission", () => client.modifyImageSharePermission(request));
    },
  };
}

/** Tag calls of the adapter. */
function tagWrites(client: Ecs, call: Caller): Pick<EcsApi, "tagImage" | "untagImage"> {
  return {
    async tagImage(ref, tags) {
      const tag = Object.entries(tags).map(([key, value]) => new $Ecs.TagResourcesRequestTag({ key, value }));
      const request = new $Ecs.TagResourcesRequest({
        regionId: ref.region,
        resourceType: "image",
        resourceId: [ref.imageId],
        tag,
      });
      await call("TagResources", () => client.tagResources(request));
    },
    async untagImage(ref, keys) {
      const request = new $Ecs.UntagResourcesRequest({
        regionId: ref.region,
        resourceType: "image",
        resourceId: [ref.imageId],
        tagKey: [...keys],
      });
      await call("UntagResources", () => client.untagResources(request));
    },
  };
}

/** Source and snapshot calls of the adapter. */
function sourceCalls(
  client: Ecs,
  call: Caller,
): Pick<EcsApi, "describeInstance" | "describeSnapshot" | "deleteSnapshot"> {
  return {
    async describeInstance(region, instanceId) {
      const request = new $Ecs.DescribeInstancesRequest({
        regionId: region,
        instanceIds: JSON.stringify([instanceId]),
      });
      const response = await call("DescribeInstances", () => client.describeInstances(request));
      const instance = (response.body?.instances?.instance ?? []).find(
        (candidate) => candidate.instanceId === instanceId,
      );
      return instance === undefined ? undefined : fromApiInstance(instance);
    },
    async describeSnapshot(region, snapshotId) {
      const request = new $Ecs.DescribeSnapshotsRequest({
        regionId: region,
        snapshotIds: JSON.stringify([snapshotId]),
      });
      const response = await call("DescribeSnapshots", () => client.describeSnapshots(request));
      const snapshot = (response.body?.snapshots?.snapshot ?? []).find(
        (candidate) => candidate.snapshotId === snapshotId,
      );
      return snapshot === undefined ? undefined : fromApiSnapshot(snapshot);
    },
    async deleteSnapshot(_region, snapshotId) {
      const request = new $Ecs.DeleteSnapshotRequest({ snapshotId, force: true });
      await call("DeleteSnapshot", () => client.deleteSnapshot(request));
    },
  };
}

/**
 * The adapter over `@alicloud/ecs20140526` v7: every call normalised to CloudError and retried when retriable.
 * @throws CloudConfigError for an empty region, or a malformed or insecure endpoint (before any call)
 */
export function createEcsApi(config: CloudConfig, options: EcsApiOptions = {}): EcsApi {
  if (config.region.trim() === "") throw new CloudConfigError("region", "Region must not be empty");
  const client = new Ecs(toApiConfig(config, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS));
  const call = makeCaller(options);
  return {
    ...imageReads(client, call),
    ...imageWrites(client, call),
    ...shareWrites(client, call),
    ...tagWrites(client, call),
    ...sourceCalls(client, call),
  };
}
