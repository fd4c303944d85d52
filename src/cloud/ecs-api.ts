/**
 * The ECS calls the module makes, in our own types (`EcsApi`), and the adapter over the official SDK
 * (`createEcsApi`). This is the only file that imports the SDK; `toApi*` / `fromApi*` convert at the edge.
 *
 * Why not the `@alicloud/ecs20140526` client class: it loads all 3,453 model files (8 MB bundled, most of the
 * module's start-up time). Its per-action methods only copy the request model's fields into the query under
 * their wire names and hand fixed `Params` to openapi-core's `callApi`, so this file does exactly that with the
 * generic openapi-core client and deep imports of the dozen models it uses. The SDK versions are pinned
 * exactly in package.json, and tests/unit/cloud/sdk-parity.test.ts checks that every action sends the same
 * request as the SDK's own client.
 */
import OpenApiClient, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import * as $dara from "@darabonba/typescript";
import {
  CreateImageRequest,
  CreateImageRequestDiskDeviceMapping,
  CreateImageRequestTag,
} from "@alicloud/ecs20140526/dist/models/CreateImageRequest";
import { CreateImageResponse } from "@alicloud/ecs20140526/dist/models/CreateImageResponse";
import { DeleteImageRequest } from "@alicloud/ecs20140526/dist/models/DeleteImageRequest";
import { DeleteImageResponse } from "@alicloud/ecs20140526/dist/models/DeleteImageResponse";
import { DeleteSnapshotRequest } from "@alicloud/ecs20140526/dist/models/DeleteSnapshotRequest";
import { DeleteSnapshotResponse } from "@alicloud/ecs20140526/dist/models/DeleteSnapshotResponse";
import { DescribeImageSharePermissionRequest } from "@alicloud/ecs20140526/dist/models/DescribeImageSharePermissionRequest";
import { DescribeImageSharePermissionResponse } from "@alicloud/ecs20140526/dist/models/DescribeImageSharePermissionResponse";
import {
  DescribeImagesRequest,
  DescribeImagesRequestTag,
} from "@alicloud/ecs20140526/dist/models/DescribeImagesRequest";
import { DescribeImagesResponse } from "@alicloud/ecs20140526/dist/models/DescribeImagesResponse";
import type {
  DescribeImagesResponseBodyImagesImage,
  DescribeImagesResponseBodyImagesImageDiskDeviceMappingsDiskDeviceMapping,
} from "@alicloud/ecs20140526/dist/models/DescribeImagesResponseBody";
import { DescribeInstancesRequest } from "@alicloud/ecs20140526/dist/models/DescribeInstancesRequest";
import { DescribeInstancesResponse } from "@alicloud/ecs20140526/dist/models/DescribeInstancesResponse";
import type { DescribeInstancesResponseBodyInstancesInstance } from "@alicloud/ecs20140526/dist/models/DescribeInstancesResponseBody";
import { DescribeSnapshotsRequest } from "@alicloud/ecs20140526/dist/models/DescribeSnapshotsRequest";
import { DescribeSnapshotsResponse } from "@alicloud/ecs20140526/dist/models/DescribeSnapshotsResponse";
import type { DescribeSnapshotsResponseBodySnapshotsSnapshot } from "@alicloud/ecs20140526/dist/models/DescribeSnapshotsResponseBody";
import { ModifyImageAttributeRequest } from "@alicloud/ecs20140526/dist/models/ModifyImageAttributeRequest";
import { ModifyImageAttributeResponse } from "@alicloud/ecs20140526/dist/models/ModifyImageAttributeResponse";
import { ModifyImageSharePermissionRequest } from "@alicloud/ecs20140526/dist/models/ModifyImageSharePermissionRequest";
import { ModifyImageSharePermissionResponse } from "@alicloud/ecs20140526/dist/models/ModifyImageSharePermissionResponse";
import {
  TagResourcesRequest,
  TagResourcesRequestTag,
} from "@alicloud/ecs20140526/dist/models/TagResourcesRequest";
import { TagResourcesResponse } from "@alicloud/ecs20140526/dist/models/TagResourcesResponse";
import { UntagResourcesRequest } from "@alicloud/ecs20140526/dist/models/UntagResourcesRequest";
import { UntagResourcesResponse } from "@alicloud/ecs20140526/dist/models/UntagResourcesResponse";
import type { Clock } from "../common/clock";
import { SYSTEM_CLOCK } from "../common/clock";
import { mapWithConcurrency } from "../common/concurrency";
import type {
  DiskDeviceMapping,
  ImageAttributes,
  ImageSource,
  ImageState,
  ImageStatus,
} from "../common/types";
import { ALL_IMAGE_STATUSES } from "../common/types";
import { isRetriable, isThrottling } from "./classify";
import { ecsEndpointFor } from "./ecs-endpoints";
import { parseEndpoint } from "./endpoint";
import type { ApiAction } from "./errors";
import { CloudConfigError, CloudError, normalizeError } from "./errors";
import { MAX_PAGE_SIZE, MAX_SHARE_ACCOUNTS_PER_CALL } from "./limits";
import { DEFAULT_MAX_ATTEMPTS, retry } from "./retry";

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
  /** Architecture, platform, boot mode, family and resource group; undefined fields are not sent. */
  readonly attributes?: ImageAttributes;
}

/** What ModifyImageAttribute can change in place. */
export interface ImageAttributeChanges {
  readonly imageName?: string;
  readonly description?: string;
  readonly bootMode?: string;
  readonly imageFamily?: string;
}

/** Owners DescribeImages filters by (ImageOwnerAlias). */
export type ImageOwner = "self" | "others" | "system" | "marketplace";

/** A filtered image listing (the info module): every given filter must match. */
export interface ImageListFilter {
  readonly region: string;
  readonly owner: ImageOwner;
  /** At most 100 ids. */
  readonly imageIds?: readonly string[];
  /** Exact name: the API's fuzzy matches with another name are left out. */
  readonly imageName?: string;
  readonly tags?: Readonly<Record<string, string>>;
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
  /** Images matching every filter, all pages; own images in every status (the API default is Available only). */
  listImages(filter: ImageListFilter): Promise<ImageState[]>;
  /** Own images whose name is exactly `imageName`, in every status (server-side fuzzy filter, exact here). */
  findImagesByName(region: string, imageName: string): Promise<ImageState[]>;
  /** CreateImage with tags and ClientToken; returns the new image id. */
  createImage(input: CreateImageInput): Promise<string>;
  /** ModifyImageAttribute with only the given fields. */
  modifyImageAttribute(ref: ImageRef, changes: ImageAttributeChanges): Promise<void>;
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
  /** TagResources (ResourceType snapshot): adds or overwrites tags on snapshots. */
  tagSnapshots(
    region: string,
    snapshotIds: readonly string[],
    tags: Readonly<Record<string, string>>,
  ): Promise<void>;
  /** UntagResources (ResourceType snapshot) for the given keys on snapshots. */
  untagSnapshots(region: string, snapshotIds: readonly string[], keys: readonly string[]): Promise<void>;
  /** DescribeSnapshots for at most 100 ids, one call: the tags of each snapshot found, by id. */
  describeSnapshotTags(
    region: string,
    snapshotIds: readonly string[],
  ): Promise<Record<string, Record<string, string>>>;
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
export function toApiCreateImageRequest(input: CreateImageInput): CreateImageRequest {
  const tags = Object.entries(input.tags ?? {}).map(
    ([key, value]) => new CreateImageRequestTag({ key, value }),
  );
  return new CreateImageRequest({
    regionId: input.region,
    clientToken: input.clientToken,
    ...(input.imageName === undefined ? {} : { imageName: input.imageName }),
    ...(input.imageVersion === undefined ? {} : { imageVersion: input.imageVersion }),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(tags.length === 0 ? {} : { tag: tags }),
    ...toApiAttributes(input.attributes),
    ...toApiSource(input.source),
  });
}

/** The image attribute fields of CreateImage that are set. */
function toApiAttributes(attributes: ImageAttributes | undefined): Partial<CreateImageRequest> {
  if (attributes === undefined) return {};
  const fields: Partial<CreateImageRequest> = {};
  if (attributes.architecture !== undefined) fields.architecture = attributes.architecture;
  if (attributes.platform !== undefined) fields.platform = attributes.platform;
  if (attributes.bootMode !== undefined) fields.bootMode = attributes.bootMode;
  if (attributes.imageFamily !== undefined) fields.imageFamily = attributes.imageFamily;
  if (attributes.resourceGroupId !== undefined) fields.resourceGroupId = attributes.resourceGroupId;
  return fields;
}

/** The source fields of CreateImage. */
function toApiSource(source: ImageSource): Partial<CreateImageRequest> {
  switch (source.kind) {
    case "instance":
      return { instanceId: source.instanceId };
    case "snapshot":
      return { snapshotId: source.snapshotId };
    case "disks":
      return {
        diskDeviceMapping: source.disks.map(
          (disk) =>
            new CreateImageRequestDiskDeviceMapping({
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
): DescribeImagesRequest {
  return new DescribeImagesRequest({
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
  disk: DescribeImagesResponseBodyImagesImageDiskDeviceMappingsDiskDeviceMapping,
): DiskDeviceMapping {
  return {
    device: disk.device ?? "",
    sizeGiB: toSizeGiB(disk.size),
    snapshotId: disk.snapshotId === undefined || disk.snapshotId === "" ? undefined : disk.snapshotId,
    type: disk.type === "system" || disk.type === "data" ? disk.type : undefined,
  };
}

/** A DescribeImages image, in our terms (tags from the same response; launch permission not read). */
export function fromApiImage(image: DescribeImagesResponseBodyImagesImage, region: string): ImageState {
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
    launchPermission: image.isSelfShared === "false" ? [] : undefined,
    region,
    ...(image.usage === "instance" ? { inUse: true } : image.usage === "none" ? { inUse: false } : {}),
    ...fromApiExtraAttributes(image),
  };
}

/** Boot mode, family, resource group and the shared flag of a DescribeImages image. */
function fromApiExtraAttributes(
  image: DescribeImagesResponseBodyImagesImage,
): Pick<ImageState, "bootMode" | "imageFamily" | "resourceGroupId" | "isShared"> {
  const shared = image.isSelfShared;
  return {
    bootMode: image.bootMode ?? "",
    imageFamily: image.imageFamily ?? "",
    resourceGroupId: image.resourceGroupId ?? "",
    ...(shared === "true" ? { isShared: true } : shared === "false" ? { isShared: false } : {}),
  };
}

/** A DescribeInstances instance, in our terms. */
function fromApiInstance(instance: DescribeInstancesResponseBodyInstancesInstance): InstanceInfo {
  return {
    instanceId: instance.instanceId ?? "",
    status: instance.status ?? "",
    lockReasons: (instance.operationLocks?.lockReason ?? [])
      .map((lock) => lock.lockReason ?? "")
      .filter((r) => r !== ""),
  };
}

/** A DescribeSnapshots snapshot, in our terms. */
function fromApiSnapshot(snapshot: DescribeSnapshotsResponseBodySnapshotsSnapshot): SnapshotInfo {
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

/** The ECS API version every action is sent with. */
export const ECS_API_VERSION = "2014-05-26";

/** What the generated request models of the v7 SDK carry: field name to wire name, on the class. */
interface ModelClass {
  names(): Record<string, string>;
}

/** Sends one ECS action: what each `<action>WithOptions` method of the v7 Ecs client does, for any action. */
export interface EcsRpc {
  /** `prepareBody` may trim the parsed JSON body before it is cast into the response model. */
  send<R extends $dara.Model>(
    action: ApiAction,
    request: $dara.Model,
    response: R,
    prepareBody?: (body: unknown) => unknown,
  ): Promise<R>;
}

/**
 * The query the v7 Ecs client builds for a request model: every set field under its wire name (all ECS
 * parameters of the actions we call travel in the query; nested models and lists are flattened by openapi-core).
 */
export function toApiQuery(request: $dara.Model): Record<string, string> {
  const names = (request.constructor as unknown as ModelClass).names();
  const query: Record<string, unknown> = {};
  for (const [field, wireName] of Object.entries(names)) {
    const value: unknown = request[field];
    if (!$dara.isNull(value)) query[wireName] = value;
  }
  return OpenApiUtil.query(query);
}

/** The fixed call parameters of every ECS action, as the v7 Ecs client passes them to `callApi`. */
export function toApiParams(action: ApiAction): $OpenApiUtil.Params {
  return new $OpenApiUtil.Params({
    action,
    version: ECS_API_VERSION,
    protocol: "HTTPS",
    pathname: "/",
    method: "POST",
    authType: "AK",
    style: "RPC",
    reqBodyType: "formData",
    bodyType: "json",
  });
}

/**
 * The generic openapi-core client, sending ECS actions like the v7 Ecs client does. That client resolved the
 * regional endpoint in its constructor (the generic one has no endpoint map), so it is resolved here the same way.
 */
function createEcsRpc(config: $OpenApiUtil.Config, region: string): EcsRpc {
  config.endpoint ??= ecsEndpointFor(region);
  const client = new OpenApiClient(config);
  return {
    async send<R extends $dara.Model>(
      action: ApiAction,
      request: $dara.Model,
      response: R,
      prepareBody?: (body: unknown) => unknown,
    ): Promise<R> {
      request.validate();
      const openApiRequest = new $OpenApiUtil.OpenApiRequest({ query: toApiQuery(request) });
      const runtime = new $dara.RuntimeOptions({});
      const raw = await client.callApi(toApiParams(action), openApiRequest, runtime);
      const prepared = prepareBody === undefined ? raw : { ...raw, body: prepareBody(raw.body) };
      return $dara.cast(prepared, response);
    },
  };
}

/** Runs one SDK call with normalised errors and the retry policy. */
type Caller = <T>(action: ApiAction, fn: () => Promise<T>) => Promise<T>;

/**
 * Attempts per call on throttling when the caller sets no maxAttempts. Throttling means "come back later",
 * not failure: with 30% of calls throttled, 5 attempts lose about 1 call in 400 (one run in 50 of a busy
 * play), 10 attempts about 1 in 170,000. Other transient errors keep DEFAULT_MAX_ATTEMPTS.
 */
export const THROTTLING_MAX_ATTEMPTS = 10;

/** Retriable, and for errors other than throttling, still under DEFAULT_MAX_ATTEMPTS attempts. */
function isRetriableAttempt(error: unknown): boolean {
  if (!isRetriable(error)) return false;
  if (error instanceof CloudError && isThrottling(error)) return true;
  return error instanceof CloudError && error.attempts < DEFAULT_MAX_ATTEMPTS;
}

/** Builds the caller: every error normalised, retriable ones retried with backoff. */
function makeCaller(options: EcsApiOptions): Caller {
  const policy = {
    isRetriable: options.maxAttempts === undefined ? isRetriableAttempt : isRetriable,
    clock: options.clock ?? SYSTEM_CLOCK,
    random: options.random ?? Math.random,
    maxAttempts: options.maxAttempts ?? THROTTLING_MAX_ATTEMPTS,
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

/** How many further DescribeImages pages a lookup by name fetches at once (kept small: calls share rate limits). */
export const LOOKUP_PAGE_CONCURRENCY = 6;

/** One page of a lookup by name: its exact matches, how many images it held, and the server's total. */
interface NamePage {
  readonly matches: DescribeImagesResponseBodyImagesImage[];
  readonly pageLength: number;
  readonly totalCount: number | undefined;
}

/** The `Images.Image` list of a parsed DescribeImages body, or undefined when it has none. */
function rawImageList(body: unknown): unknown[] | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const images = (body as Record<string, unknown>).Images;
  if (typeof images !== "object" || images === null) return undefined;
  const list = (images as Record<string, unknown>).Image;
  return Array.isArray(list) ? list : undefined;
}

/**
 * Keeps only the images named exactly `imageName` in a parsed DescribeImages body, counting the page first.
 * Why: a page holds up to 100 fuzzy matches, and casting each into the SDK's nested models costs more than
 * the call itself; only exact matches are ever used.
 */
function keepImagesNamed(imageName: string, counted: { pageLength: number }): (body: unknown) => unknown {
  return (body) => {
    const list = rawImageList(body);
    if (list === undefined) return body;
    counted.pageLength = list.length;
    const kept = list.filter(
      (image) =>
        typeof image === "object" &&
        image !== null &&
        (image as Record<string, unknown>).ImageName === imageName,
    );
    const record = body as Record<string, unknown>;
    return { ...record, Images: { ...(record.Images as Record<string, unknown>), Image: kept } };
  };
}

/** One DescribeImages page of a lookup by name. */
async function describeImagesPage(
  client: EcsRpc,
  call: Caller,
  filter: { readonly region: string; readonly imageName: string; readonly pageNumber: number },
): Promise<NamePage> {
  const request = toApiDescribeImagesRequest(filter.region, filter);
  const counted = { pageLength: 0 };
  const response = await call("DescribeImages", () =>
    client.send(
      "DescribeImages",
      request,
      new DescribeImagesResponse({}),
      keepImagesNamed(filter.imageName, counted),
    ),
  );
  const matches = (response.body?.images?.image ?? []).filter(
    (image) => image.imageName === filter.imageName,
  );
  return { matches, pageLength: counted.pageLength, totalCount: response.body?.totalCount };
}

/** Pages `from`..`to` (inclusive), at most LOOKUP_PAGE_CONCURRENCY in flight, in page order. */
function describeImagesPages(
  client: EcsRpc,
  call: Caller,
  filter: { readonly region: string; readonly imageName: string },
  range: { readonly from: number; readonly to: number },
): Promise<NamePage[]> {
  const numbers = Array.from({ length: range.to - range.from + 1 }, (_, i) => range.from + i);
  return mapWithConcurrency(numbers, LOOKUP_PAGE_CONCURRENCY, (pageNumber) =>
    describeImagesPage(client, call, { ...filter, pageNumber }),
  );
}

/** Pages one by one until a short page (for a server that gives no total). */
async function describeImagesPagesInTurn(
  client: EcsRpc,
  call: Caller,
  filter: { readonly region: string; readonly imageName: string },
  first: NamePage,
): Promise<NamePage[]> {
  const pages = [first];
  let seen = first.pageLength;
  for (let pageNumber = 2; pageNumber <= MAX_PAGES; pageNumber += 1) {
    if (isLastPage(pages.at(-1)?.pageLength ?? 0, seen, undefined)) break;
    const page = await describeImagesPage(client, call, { ...filter, pageNumber });
    pages.push(page);
    seen += page.pageLength;
  }
  return pages;
}

/**
 * Collects every exact-name match, paging only through the server's fuzzy matches. The first page gives the
 * total, so the remaining pages (as many calls as one by one) are fetched a few at a time: a lookup among
 * many similar names then costs little more time than among few.
 */
async function findImagesByName(
  client: EcsRpc,
  call: Caller,
  region: string,
  imageName: string,
): Promise<ImageState[]> {
  const filter = { region, imageName };
  const first = await describeImagesPage(client, call, { ...filter, pageNumber: 1 });
  let pages = [first];
  if (first.totalCount === undefined) {
    pages = await describeImagesPagesInTurn(client, call, filter, first);
  } else {
    const lastPage = Math.min(MAX_PAGES, Math.ceil(first.totalCount / MAX_PAGE_SIZE));
    if (first.pageLength === MAX_PAGE_SIZE && lastPage > 1) {
      pages.push(...(await describeImagesPages(client, call, filter, { from: 2, to: lastPage })));
    }
  }
  return pages.flatMap((page) => page.matches).map((image) => fromApiImage(image, region));
}

/** The DescribeImages request of one page of a filtered listing. */
export function toApiListImagesRequest(filter: ImageListFilter, pageNumber: number): DescribeImagesRequest {
  const tags = Object.entries(filter.tags ?? {}).map(
    ([key, value]) => new DescribeImagesRequestTag({ key, value }),
  );
  return new DescribeImagesRequest({
    regionId: filter.region,
    imageOwnerAlias: filter.owner,
    ...(filter.owner === "self" ? { status: ALL_IMAGE_STATUSES.join(",") } : {}),
    pageSize: MAX_PAGE_SIZE,
    pageNumber,
    ...(filter.imageIds === undefined ? {} : { imageId: filter.imageIds.join(",") }),
    ...(filter.imageName === undefined ? {} : { imageName: filter.imageName }),
    ...(tags.length === 0 ? {} : { tag: tags }),
  });
}

/** Every image of a filtered listing, all pages, exact names only when a name is given. */
async function listImages(client: EcsRpc, call: Caller, filter: ImageListFilter): Promise<ImageState[]> {
  const images: ImageState[] = [];
  let seen = 0;
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const request = toApiListImagesRequest(filter, pageNumber);
    const response = await call("DescribeImages", () =>
      client.send("DescribeImages", request, new DescribeImagesResponse({})),
    );
    const page = response.body?.images?.image ?? [];
    const kept = page.filter(
      (image) => filter.imageName === undefined || image.imageName === filter.imageName,
    );
    images.push(...kept.map((image) => fromApiImage(image, filter.region)));
    seen += page.length;
    if (isLastPage(page.length, seen, response.body?.totalCount)) break;
  }
  return images;
}

/** Every account of DescribeImageSharePermission, all pages. */
async function describeLaunchPermission(client: EcsRpc, call: Caller, ref: ImageRef): Promise<string[]> {
  const accounts: string[] = [];
  let seen = 0;
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const request = new DescribeImageSharePermissionRequest({
      regionId: ref.region,
      imageId: ref.imageId,
      pageSize: MAX_PAGE_SIZE,
      pageNumber,
    });
    const response = await call("DescribeImageSharePermission", () =>
      client.send("DescribeImageSharePermission", request, new DescribeImageSharePermissionResponse({})),
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
  client: EcsRpc,
  call: Caller,
): Pick<EcsApi, "findImageById" | "findImagesByName" | "describeLaunchPermission" | "listImages"> {
  return {
    listImages: (filter) => listImages(client, call, filter),
    async findImageById(region, imageId) {
      const request = toApiDescribeImagesRequest(region, { imageId });
      const response = await call("DescribeImages", () =>
        client.send("DescribeImages", request, new DescribeImagesResponse({})),
      );
      const image = (response.body?.images?.image ?? []).find((candidate) => candidate.imageId === imageId);
      return image === undefined ? undefined : fromApiImage(image, region);
    },
    findImagesByName: (region, imageName) => findImagesByName(client, call, region, imageName),
    describeLaunchPermission: (ref) => describeLaunchPermission(client, call, ref),
  };
}

/** The image write calls of the adapter (attributes and sharing). */
function imageWrites(
  client: EcsRpc,
  call: Caller,
): Pick<EcsApi, "createImage" | "modifyImageAttribute" | "deleteImage"> {
  return {
    async createImage(input) {
      // CreateImage is retried on transient errors only because the ClientToken makes it idempotent.
      if (input.clientToken === "")
        throw new RangeError("CreateImage needs a ClientToken to be retried safely");
      const request = toApiCreateImageRequest(input);
      const response = await call("CreateImage", () =>
        client.send("CreateImage", request, new CreateImageResponse({})),
      );
      return response.body?.imageId ?? "";
    },
    async modifyImageAttribute(ref, changes) {
      const request = new ModifyImageAttributeRequest({
        regionId: ref.region,
        imageId: ref.imageId,
        ...changes,
      });
      await call("ModifyImageAttribute", () =>
        client.send("ModifyImageAttribute", request, new ModifyImageAttributeResponse({})),
      );
    },
    async deleteImage(ref, options) {
      const request = new DeleteImageRequest({
        regionId: ref.region,
        imageId: ref.imageId,
        ...(options.force ? { force: true } : {}),
      });
      await call("DeleteImage", () => client.send("DeleteImage", request, new DeleteImageResponse({})));
    },
  };
}

/** Share calls of the adapter (one ModifyImageSharePermission per batch of at most 10). */
function shareWrites(
  client: EcsRpc,
  call: Caller,
): Pick<EcsApi, "addLaunchPermission" | "removeLaunchPermission"> {
  return {
    async addLaunchPermission(ref, accounts) {
      checkShareBatch(accounts);
      const request = new ModifyImageSharePermissionRequest({
        regionId: ref.region,
        imageId: ref.imageId,
        addAccount: [...accounts],
      });
      await call("ModifyImageSharePermission", () =>
        client.send("ModifyImageSharePermission", request, new ModifyImageSharePermissionResponse({})),
      );
    },
    async removeLaunchPermission(ref, accounts) {
      checkShareBatch(accounts);
      const request = new ModifyImageSharePermissionRequest({
        regionId: ref.region,
        imageId: ref.imageId,
        removeAccount: [...accounts],
      });
      await call("ModifyImageSharePermission", () =>
        client.send("ModifyImageSharePermission", request, new ModifyImageSharePermissionResponse({})),
      );
    },
  };
}

/** Tag calls of the adapter. */
function tagWrites(
  client: EcsRpc,
  call: Caller,
): Pick<EcsApi, "tagImage" | "untagImage" | "tagSnapshots" | "untagSnapshots"> {
  return {
    async untagSnapshots(region, snapshotIds, keys) {
      const request = new UntagResourcesRequest({
        regionId: region,
        resourceType: "snapshot",
        resourceId: [...snapshotIds],
        tagKey: [...keys],
      });
      await call("UntagResources", () =>
        client.send("UntagResources", request, new UntagResourcesResponse({})),
      );
    },
    async tagSnapshots(region, snapshotIds, tags) {
      const tag = Object.entries(tags).map(([key, value]) => new TagResourcesRequestTag({ key, value }));
      const request = new TagResourcesRequest({
        regionId: region,
        resourceType: "snapshot",
        resourceId: [...snapshotIds],
        tag,
      });
      await call("TagResources", () => client.send("TagResources", request, new TagResourcesResponse({})));
    },
    async tagImage(ref, tags) {
      const tag = Object.entries(tags).map(([key, value]) => new TagResourcesRequestTag({ key, value }));
      const request = new TagResourcesRequest({
        regionId: ref.region,
        resourceType: "image",
        resourceId: [ref.imageId],
        tag,
      });
      await call("TagResources", () => client.send("TagResources", request, new TagResourcesResponse({})));
    },
    async untagImage(ref, keys) {
      const request = new UntagResourcesRequest({
        regionId: ref.region,
        resourceType: "image",
        resourceId: [ref.imageId],
        tagKey: [...keys],
      });
      await call("UntagResources", () =>
        client.send("UntagResources", request, new UntagResourcesResponse({})),
      );
    },
  };
}

/** Source and snapshot calls of the adapter. */
function sourceCalls(
  client: EcsRpc,
  call: Caller,
): Pick<EcsApi, "describeInstance" | "describeSnapshot" | "deleteSnapshot" | "describeSnapshotTags"> {
  return {
    async describeSnapshotTags(region, snapshotIds) {
      if (snapshotIds.length > MAX_PAGE_SIZE)
        throw new RangeError(`At most ${MAX_PAGE_SIZE} snapshot ids per call, got ${snapshotIds.length}`);
      const request = new DescribeSnapshotsRequest({
        regionId: region,
        snapshotIds: JSON.stringify(snapshotIds),
        pageSize: MAX_PAGE_SIZE,
      });
      const response = await call("DescribeSnapshots", () =>
        client.send("DescribeSnapshots", request, new DescribeSnapshotsResponse({})),
      );
      const found: Record<string, Record<string, string>> = {};
      for (const snapshot of response.body?.snapshots?.snapshot ?? []) {
        if (snapshot.snapshotId === undefined || !snapshotIds.includes(snapshot.snapshotId)) continue;
        const tags: Record<string, string> = {};
        for (const tag of snapshot.tags?.tag ?? []) {
          if (tag.tagKey !== undefined) tags[tag.tagKey] = tag.tagValue ?? "";
        }
        found[snapshot.snapshotId] = tags;
      }
      return found;
    },
    async describeInstance(region, instanceId) {
      const request = new DescribeInstancesRequest({
        regionId: region,
        instanceIds: JSON.stringify([instanceId]),
      });
      const response = await call("DescribeInstances", () =>
        client.send("DescribeInstances", request, new DescribeInstancesResponse({})),
      );
      const instance = (response.body?.instances?.instance ?? []).find(
        (candidate) => candidate.instanceId === instanceId,
      );
      return instance === undefined ? undefined : fromApiInstance(instance);
    },
    async describeSnapshot(region, snapshotId) {
      const request = new DescribeSnapshotsRequest({
        regionId: region,
        snapshotIds: JSON.stringify([snapshotId]),
      });
      const response = await call("DescribeSnapshots", () =>
        client.send("DescribeSnapshots", request, new DescribeSnapshotsResponse({})),
      );
      const snapshot = (response.body?.snapshots?.snapshot ?? []).find(
        (candidate) => candidate.snapshotId === snapshotId,
      );
      return snapshot === undefined ? undefined : fromApiSnapshot(snapshot);
    },
    async deleteSnapshot(_region, snapshotId) {
      const request = new DeleteSnapshotRequest({ snapshotId, force: true });
      await call("DeleteSnapshot", () =>
        client.send("DeleteSnapshot", request, new DeleteSnapshotResponse({})),
      );
    },
  };
}

/**
 * The adapter over `@alicloud/ecs20140526` v7: every call normalised to CloudError and retried when retriable.
 * @throws CloudConfigError for an empty region, or a malformed or insecure endpoint (before any call)
 */
export function createEcsApi(config: CloudConfig, options: EcsApiOptions = {}): EcsApi {
  if (config.region.trim() === "") throw new CloudConfigError("region", "Region must not be empty");
  const client = createEcsRpc(
    toApiConfig(config, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    config.region,
  );
  const call = makeCaller(options);
  return {
    ...imageReads(client, call),
    ...imageWrites(client, call),
    ...shareWrites(client, call),
    ...tagWrites(client, call),
    ...sourceCalls(client, call),
  };
}
