/**
 * The regional endpoint of ECS when no endpoint option is given: the special cases of the official v7 client
 * (`@alicloud/ecs20140526` 7.11.6, copied because the module no longer loads that 3,453-model client; a unit
 * test compares every entry with the client itself), else `ecs.<region>.aliyuncs.com`.
 */

/** Regions whose endpoint is not `ecs.<region>.aliyuncs.com` (copied from the v7 client's `_endpointMap`). */
export const ECS_ENDPOINT_MAP: Readonly<Record<string, string>> = {
  "cn-hangzhou": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shanghai-finance-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shenzhen-finance-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-north-2-gov-1": "ecs.aliyuncs.com",
  "ap-northeast-2-pop": "ecs.aliyuncs.com",
  "cn-beijing-finance-pop": "ecs.aliyuncs.com",
  "cn-beijing-gov-1": "ecs.aliyuncs.com",
  "cn-beijing-nu16-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-edge-1": "ecs.cn-qingdao-nebula.aliyuncs.com",
  "cn-fujian": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-haidian-cm12-c01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-bj-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-finance": "ecs.aliyuncs.com",
  "cn-hangzhou-internal-prod-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-internal-test-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-internal-test-2": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-internal-test-3": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-test-306": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hongkong-finance-pop": "ecs.aliyuncs.com",
  "cn-huhehaote-nebula-1": "ecs.cn-qingdao-nebula.aliyuncs.com",
  "cn-shanghai-et15-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shanghai-et2-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shanghai-inner": "ecs.aliyuncs.com",
  "cn-shanghai-internal-test-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shenzhen-inner": "ecs.aliyuncs.com",
  "cn-shenzhen-st4-d01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shenzhen-su18-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-wuhan": "ecs.aliyuncs.com",
  "cn-yushanfang": "ecs.aliyuncs.com",
  "cn-zhangbei": "ecs.aliyuncs.com",
  "cn-zhangbei-na61-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-zhangjiakou-na62-a01": "ecs.cn-zhangjiakou.aliyuncs.com",
  "cn-zhengzhou-nebula-1": "ecs.cn-qingdao-nebula.aliyuncs.com",
  "eu-west-1-oxs": "ecs.cn-shenzhen-cloudstone.aliyuncs.com",
  "rus-west-1-pop": "ecs.aliyuncs.com",
};

/** The host the v7 client would use for a region ("regional" rule, public network, no suffix). */
export function ecsEndpointFor(region: string): string {
  return ECS_ENDPOINT_MAP[region] ?? `ecs.${region}.aliyuncs.com`;
}
