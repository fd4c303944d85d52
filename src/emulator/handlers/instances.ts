/** Handler of DescribeInstances (ecs-api.md §5): what the module needs to check an instance source. */
import type { HandlerContext } from "../core";
import * as errors from "../errors";
import { raise } from "../errors";
import { INSTANCE_STATUSES } from "../fixtures";
import { nonEmptyString, pageOf, readJsonStringArray, readPaging } from "../request-params";
import { regionOf, type InstanceRecord } from "../store";
import { formatApiTime } from "./shapes";

/** Paging of DescribeInstances: default 10, at most 100. */
const INSTANCES_PAGE = { defaultSize: 10, maxSize: 100 } as const;
/** At most this many IDs in InstanceIds. */
const MAX_IDS_PER_CALL = 100;

/** DescribeInstances: InstanceIds (JSON array), Status, PageNumber/PageSize; unknown IDs give an empty list. */
export function describeInstancesHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const { params } = context.call;
  const ids = readJsonStringArray(params, "InstanceIds");
  if (ids !== undefined && ids.length > MAX_IDS_PER_CALL) raise(errors.invalidParameter("InstanceIds"));
  const status = nonEmptyString(params, "Status");
  if (status !== undefined && !INSTANCE_STATUSES.some((item) => item === status))
    raise(errors.invalidParameter("Status"));
  const paging = readPaging(params, INSTANCES_PAGE);
  const matching = [...regionOf(context.store, context.regionId).instances.values()].filter(
    (instance) =>
      (ids === undefined || ids.includes(instance.id)) &&
      (status === undefined || instance.status === status),
  );
  return {
    TotalCount: matching.length,
    PageNumber: paging.pageNumber,
    PageSize: paging.pageSize,
    NextToken: "",
    Instances: { Instance: pageOf(matching, paging).map(toApiInstance) },
  };
}

function toApiInstance(instance: InstanceRecord): Record<string, unknown> {
  return {
    InstanceId: instance.id,
    InstanceName: instance.id,
    Status: instance.status,
    RegionId: instance.regionId,
    ZoneId: `${instance.regionId}-a`,
    ImageId: "",
    OSType: "linux",
    InstanceType: "ecs.g7.large",
    CreationTime: formatApiTime(instance.creationTimeMs),
    OperationLocks: {
      LockReason: instance.lockReason === undefined ? [] : [{ LockReason: instance.lockReason, LockMsg: "" }],
    },
    Tags: { Tag: [] },
  };
}
