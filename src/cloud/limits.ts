/** The cloud's documented limits (reference/ecs-api.md §5), one source of truth for the adapter and the planner. */

/** Most accounts one ModifyImageSharePermission call takes; the API silently ignores the rest. */
export const MAX_SHARE_ACCOUNTS_PER_CALL = 10;
/** Most accounts one image can be shared with (QuotaExceed.ShareImageUser beyond). */
export const MAX_SHARED_ACCOUNTS_PER_IMAGE = 50;
/** Most tags one image can carry. */
export const MAX_TAGS_PER_IMAGE = 20;
/** Largest DescribeImages / DescribeImageSharePermission page. */
export const MAX_PAGE_SIZE = 100;
