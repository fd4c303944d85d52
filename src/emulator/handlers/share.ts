/** Handlers of ModifyImageSharePermission and DescribeImageSharePermission (ecs-api.md §5). */
import type { HandlerContext } from "../core";
import { pageOf, readIndexedList, readPaging, requiredString } from "../request-params";
import { modifySharePermission, ownImage, regionOf } from "../store";
import { formatApiTime } from "./shapes";

/** DescribeImageSharePermission pages: default 10, at most 100 (the current doc; an old page said 50). */
const SHARE_PAGE = { defaultSize: 10, maxSize: 100 } as const;

/** ModifyImageSharePermission: AddAccount.N / RemoveAccount.N; only the first 10 of each are processed. */
export function modifyImageSharePermissionHandler(
  context: HandlerContext,
): Readonly<Record<string, unknown>> {
  const { params, accountId } = context.call;
  const imageId = requiredString(params, "ImageId");
  modifySharePermission(
    context.store,
    { accountId, regionId: context.regionId, imageId },
    { add: readIndexedList(params, "AddAccount"), remove: readIndexedList(params, "RemoveAccount") },
    context.nowMs,
  );
  return {};
}

/** DescribeImageSharePermission: the accounts an image is shared with, paged, oldest share first. */
export function describeImageSharePermissionHandler(
  context: HandlerContext,
): Readonly<Record<string, unknown>> {
  const { params, accountId } = context.call;
  const imageId = requiredString(params, "ImageId");
  const paging = readPaging(params, SHARE_PAGE);
  const image = ownImage(regionOf(context.store, context.regionId), imageId, accountId);
  const accounts = [...image.sharedWith].map(([AliyunId, sharedAtMs]) => ({
    AliyunId,
    SharedTime: formatApiTime(sharedAtMs),
  }));
  return {
    ImageId: image.id,
    RegionId: context.regionId,
    TotalCount: accounts.length,
    PageNumber: paging.pageNumber,
    PageSize: paging.pageSize,
    ShareGroups: { ShareGroup: [] },
    Accounts: { Account: pageOf(accounts, paging) },
  };
}
