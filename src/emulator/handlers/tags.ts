/** Handlers of TagResources, UntagResources and ListTagResources (ecs-api.md §5), for images and snapshots. */
import type { HandlerContext } from "../core";
import * as errors from "../errors";
import { raise } from "../errors";
import { optionalString, readBoolean, readIndexedList, readTags, type Params } from "../request-params";
import {
  listResourceTags,
  MAX_TAGS_PER_RESOURCE,
  tagResources,
  untagResources,
  validateTagPairs,
  type TaggableType,
  type TagTarget,
} from "../store";

/** At most this many ResourceId.N per call. */
const MAX_RESOURCE_IDS_PER_CALL = 50;
/** ListTagResources page size ([inferred] in the reference: 50). */
const LIST_TAGS_PAGE_SIZE = 50;

/** ResourceType (mandatory, `image` or `snapshot`). */
function readResourceType(params: Params): TaggableType {
  const value = optionalString(params, "ResourceType");
  if (value === undefined || value === "") return raise(errors.missingParameterTagAction("ResourceType"));
  if (value === "image" || value === "snapshot") return value;
  return raise(errors.invalidResourceTypeNotFound());
}

/** ResourceId.N: 1-50, unless `optional` (ListTagResources may filter by tags instead). */
function readTarget(context: HandlerContext, optional: boolean): TagTarget {
  const { params, accountId } = context.call;
  const resourceType = readResourceType(params);
  const resourceIds = readIndexedList(params, "ResourceId");
  if (resourceIds.length === 0 && !optional) raise(errors.missingParameterTagAction("ResourceIds"));
  if (resourceIds.length > MAX_RESOURCE_IDS_PER_CALL) raise(errors.numberExceedResourceIds());
  return { accountId, regionId: context.regionId, resourceType, resourceIds };
}

/** TagResources: Tag.N 1-20 per call, unique keys, valid keys and values, at most 20 per resource after the call. */
export function tagResourcesHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const target = readTarget(context, false);
  const tags = readTags(context.call.params);
  if (tags.length === 0) raise(errors.missingParameterTagAction("Tags"));
  if (tags.length > MAX_TAGS_PER_RESOURCE) raise(errors.numberExceedTags());
  tagResources(context.store, target, validateTagPairs(tags));
  return {};
}

/** UntagResources: TagKey.N (up to 20), or All=true when no key is given; neither removes nothing. */
export function untagResourcesHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const target = readTarget(context, false);
  const keys = readIndexedList(context.call.params, "TagKey");
  if (keys.length > MAX_TAGS_PER_RESOURCE) raise(errors.numberExceedTags());
  const all = readBoolean(context.call.params, "All", false);
  untagResources(context.store, target, keys.length === 0 && all ? "all" : keys);
  return {};
}

/**
 * ListTagResources: by ResourceId.N and/or Tag.N (one is needed, else MissingParameter.ResourceIds);
 * 50 entries per page, NextToken is the offset of the next page, empty on the last.
 */
export function listTagResourcesHandler(context: HandlerContext): Readonly<Record<string, unknown>> {
  const { params } = context.call;
  const target = readTarget(context, true);
  const filter = readTags(params).map((tag) => {
    if (tag.key === undefined || tag.key === "") return raise(errors.invalidParameter("Tag.N.Key"));
    return { key: tag.key, value: tag.value };
  });
  if (target.resourceIds.length === 0 && filter.length === 0)
    raise(errors.missingParameterTagAction("ResourceIds"));
  const all = listResourceTags(context.store, target, filter);
  const start = readNextToken(params);
  const page = all.slice(start, start + LIST_TAGS_PAGE_SIZE);
  const next = start + LIST_TAGS_PAGE_SIZE < all.length ? String(start + LIST_TAGS_PAGE_SIZE) : "";
  return {
    NextToken: next,
    TagResources: {
      TagResource: page.map((tag) => ({
        ResourceId: tag.resourceId,
        ResourceType: tag.resourceType,
        TagKey: tag.tagKey,
        TagValue: tag.tagValue,
      })),
    },
  };
}

/** NextToken: empty or absent is the first page; anything but an offset is InvalidParameter. */
function readNextToken(params: Params): number {
  const token = optionalString(params, "NextToken");
  if (token === undefined || token === "") return 0;
  if (!/^\d{1,9}$/.test(token)) raise(errors.invalidParameter("NextToken"));
  return Number(token);
}
