/** Handlers of DescribeSnapshots and DeleteSnapshot (ecs-api.md §5). */
import type { HandlerContext } from "../core";
import * as errors from "../errors";
import { raise } from "../errors";
import {
  nonEmptyString,
  pageOf,
  readBoolean,
  readJsonStringArray,
  readPaging,
  requiredString,
  type Params,
} from "../request-params";
import {
  deleteSnapshot,
  imagesUsingSnapshot,
  regionOf,
  type RegionState,
  type SnapshotRecord,
} from "../store";
import { formatApiTime, tagList } from "./shapes";

/** Paging of DescribeSnapshots: default 10, at most 100. */
const SNAPSHOTS_PAGE = { defaultSize: 10, maxSize: 100 } as const;
const MAX_IDS_PER_CALL = 100;
const SNAPSHOT_STATUS_FILTERS = ["progressing", "accomplished", "failed", "all"] as const;
const USAGES = ["image", "disk", "image_disk", "none"] as const;

/** The filters of one DescribeSnapshots call. */
interface SnapshotFilter {
  readonly ids: readonly string[] | undefined;
  readonly status: (typeof SNAPSHOT_STATUS_FILTERS)[number];
  readonly diskType: "system" | "data" | undefined;
  readonly usage: (typeof USAGES)[number] | undefined;
  readonly instanceId: string | undefined;
}

function readSnapshotFilter(params: Params): SnapshotFilter {
  const ids = readJsonStringArray(params, "SnapshotIds");
  if (ids !== undefined && ids.length > MAX_IDS_PER_CALL) raise(errors.invalidParameter("SnapshotIds"));
  const status = nonEmptyString(params, "Status") ?? "all";
  const diskType = nonEmptyString(params, "SourceDiskType")?.toLowerCase();
  const usage = nonEmptyString(params, "Usage");
  return {
    ids,
    status:
      SNAPSHOT_STATUS_FILTERS.find((item) => item === status) ?? raise(errors.invalidParameter("Status")),
    diskType:
      diskType === undefined
        ? undefined
        : diskType === "system" || diskType === "data"
          ? diskType
          : raise(errors.invalidParameter("SourceDiskType")),
    usage:
      usage === undefined
        ? undefined
        : (USAGES.find((item) => item === usage) ?? raise(errors.invalidParameter("Usage"))),
    instanceId: nonEmptyString(params, "InstanceId"),
  };
}

/** `image` when an existing image references the snapshot, else `none`. */
function usageOf(region: RegionState, snapshot: SnapshotRecord): "image" | "none" {
  return imagesUsingSnapshot(region, snapshot.id).length > 0 ? "image" : "none";
}

function matchesSnapshotFilter(
  region: RegionState,
  snapshot: SnapshotRecord,
  filter: SnapshotFilter,
): boolean {
  if (filter.ids !== undefined && !filter.ids.includes(snapshot.id)) return false;
  if (filter.status !== "all" && snapshot.status !== filter.status) return false;
  if (filter.diskType !== undefined && snapshot.diskType !== filter.diskType) return false;
  if (filter.instanceId !== undefined && snapshot.instanceId !== filter.instanceId) return false;
  return filter.usage === undefined || usageOf(region, snapshot) === filter.usage;
}

/** DescribeSnapshots: SnapshotIds (JSON array), Status (default all), SourceDiskType, Usage, InstanceId, paging. */
export function describeSnapshotsHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const { params } = context.call;
  const filter = readSnapshotFilter(params);
  const paging = readPaging(params, SNAPSHOTS_PAGE);
  const region = regionOf(context.store, context.regionId);
  const matching = [...region.snapshots.values()].filter((snapshot) =>
    matchesSnapshotFilter(region, snapshot, filter),
  );
  return {
    TotalCount: matching.length,
    PageNumber: paging.pageNumber,
    PageSize: paging.pageSize,
    NextToken: "",
    Snapshots: { Snapshot: pageOf(matching, paging).map((snapshot) => toApiSnapshot(region, snapshot)) },
  };
}

function toApiSnapshot(region: RegionState, snapshot: SnapshotRecord): Record<string, unknown> {
  return {
    SnapshotId: snapshot.id,
    SnapshotName: "",
    Status: snapshot.status,
    Progress: snapshot.status === "accomplished" ? "100%" : "0%",
    SourceDiskId: snapshot.sourceDiskId,
    SourceDiskSize: String(snapshot.sizeGiB),
    SourceDiskType: snapshot.diskType,
    InstanceId: snapshot.instanceId,
    CreationTime: formatApiTime(snapshot.creationTimeMs),
    Available: snapshot.status === "accomplished",
    Usage: usageOf(region, snapshot),
    Category: "standard",
    SnapshotType: "user",
    Encrypted: false,
    RetentionDays: 0,
    RegionId: snapshot.regionId,
    Tags: { Tag: tagList(snapshot.tags) },
  };
}

/** DeleteSnapshot: no RegionId needed; `Force` is accepted but cannot free a snapshot an image still uses. */
export function deleteSnapshotHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const { params } = context.call;
  const snapshotId = requiredString(params, "SnapshotId");
  readBoolean(params, "Force", false);
  deleteSnapshot(context.store, snapshotId);
  return {};
}
