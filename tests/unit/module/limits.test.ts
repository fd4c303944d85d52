import { checkLimits } from "../../../src/module/limits";
import type { Params } from "../../../src/module/params";
import { validateParams } from "../../../src/module/params";

/** Valid params from args, as the module would have them. */
function paramsFrom(args: Record<string, unknown>): Params {
  const env = {
    ACS_REGION: "cn-hangzhou",
    ACS_ACCESS_KEY_ID: "LTAI5tTestKey",
    ACS_SECRET_ACCESS_KEY: "test-secret",
  };
  const result = validateParams(
    JSON.parse(JSON.stringify(args)) as Parameters<typeof validateParams>[0],
    env,
  );
  if (!result.ok) throw new Error(result.error.msg);
  return result.params;
}

function tags(count: number): { tag_key: string; tag_value: string }[] {
  return Array.from({ length: count }, (_, index) => ({
    tag_key: `k${index + 1}`,
    tag_value: `v${index + 1}`,
  }));
}

function accounts(count: number): string[] {
  return Array.from({ length: count }, (_, index) => String(1200000000000001 + index));
}

function disks(count: number): { device: string; snapshot_id?: string }[] {
  const letters = "bcdefghijklmnopqrstuvwxyz";
  return [
    { device: "/dev/xvda", snapshot_id: "s-1" },
    ...Array.from({ length: count }, (_, index) => ({ device: `/dev/xvd${letters[index] ?? "?"}` })),
  ];
}

describe("checkLimits() refuses what the cloud would refuse, naming the option and value", () => {
  test.each<[string, Record<string, unknown>, string]>([
    [
      "no region anywhere",
      { region: null },
      "region is not set: give the region option (aliases acs_region, ecs_region, alicloud_region) or set one of ACS_REGION, ACS_DEFAULT_REGION, ECS_REGION, ALICLOUD_REGION, ALIBABA_CLOUD_REGION_ID",
    ],
    [
      "an empty region",
      { region: "" },
      "region is empty: give the region option (aliases acs_region, ecs_region, alicloud_region) or set one of ACS_REGION, ACS_DEFAULT_REGION, ECS_REGION, ALICLOUD_REGION, ALIBABA_CLOUD_REGION_ID",
    ],
    [
      "no access key anywhere",
      { acs_access_key: null },
      "acs_access_key is not set: give the acs_access_key option (aliases ecs_access_key, access_key, alicloud_access_key) or set one of ACS_ACCESS_KEY_ID, ACS_ACCESS_KEY, ECS_ACCESS_KEY, ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID",
    ],
    [
      "an empty secret",
      { acs_secret_access_key: "" },
      "acs_secret_access_key is empty: give the acs_secret_access_key option (aliases ecs_secret_key, secret_key, alicloud_secret_key) or set one of ACS_SECRET_ACCESS_KEY, ACS_SECRET_KEY, ECS_SECRET_KEY, ALICLOUD_SECRET_KEY, ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ],
    [
      "a name of one character",
      { image_name: "a" },
      "image_name 'a' must be 2 to 128 characters long, got 1",
    ],
    [
      "a name too long",
      { image_name: `a${"b".repeat(128)}` },
      `image_name 'a${"b".repeat(128)}' must be 2 to 128 characters long, got 129`,
    ],
    [
      "a name that is a URL",
      { image_name: "http://x" },
      "image_name 'http://x' must not start with http:// or https://",
    ],
    [
      "a reserved name prefix",
      { image_name: "aliyun-base" },
      "image_name 'aliyun-base' must not start with aliyun or acs:",
    ],
    [
      "a name starting with a digit",
      { image_name: "1base" },
      "image_name '1base' must start with a letter or a Chinese character",
    ],
    [
      "a name with a space",
      { image_name: "web base" },
      "image_name 'web base' may contain only letters, Chinese characters, digits, '.', ':', '_' and '-'",
    ],
    ["an empty version", { image_version: "" }, "image_version '' must be 1 to 40 characters long, got 0"],
    [
      "a version too long",
      { image_version: "v".repeat(41) },
      `image_version '${"v".repeat(41)}' must be 1 to 40 characters long, got 41`,
    ],
    [
      "a description of one character",
      { description: "d" },
      "description 'd' must be 2 to 256 characters long (or empty), got 1",
    ],
    [
      "a description that is a URL",
      { description: "https://x.y" },
      "description 'https://x.y' must not start with http:// or https://",
    ],
    ["21 tags", { images_tags: tags(21) }, "images_tags has 21 tags but an image can carry at most 20"],
    [
      "a tag value without a key",
      { images_tags: [{ tag_value: "v" }] },
      "images_tags[0] needs a tag_key for tag_value 'v'",
    ],
    ["an empty tag key", { images_tags: [{ tag_key: "" }] }, "images_tags[0] tag_key must not be empty"],
    [
      "a long tag key",
      { images_tags: [{ tag_key: "k".repeat(129) }] },
      `images_tags[0] tag_key '${"k".repeat(129)}' is longer than 128 characters`,
    ],
    [
      "a reserved tag key",
      { images_tags: [{ tag_key: "acs:x" }] },
      "images_tags[0] tag_key 'acs:x' must not start with aliyun or acs:",
    ],
    [
      "a tag key with a URL",
      { images_tags: [{ tag_key: "see http://x" }] },
      "images_tags[0] tag_key 'see http://x' must not contain http:// or https://",
    ],
    [
      "a long tag value",
      { images_tags: [{ tag_key: "k", tag_value: "v".repeat(129) }] },
      `images_tags[0] tag_value '${"v".repeat(129)}' is longer than 128 characters`,
    ],
    [
      "a tag value with a URL",
      { images_tags: [{ tag_key: "k", tag_value: "https://x" }] },
      "images_tags[0] tag_value 'https://x' must not contain http:// or https://",
    ],
    [
      "a duplicate tag key",
      { images_tags: [{ tag_key: "env" }, { tag_key: "env" }] },
      "images_tags has the tag_key 'env' more than once",
    ],
    [
      "a malformed account",
      { launch_permission: ["not-an-account"] },
      "launch_permission value 'not-an-account' is not an account id (digits only)",
    ],
    [
      "an empty account",
      { launch_permission: "" },
      "launch_permission value '' is not an account id (digits only)",
    ],
    [
      "51 accounts",
      { launch_permission: accounts(51) },
      "launch_permission has 51 accounts but an image can be shared with at most 50",
    ],
    [
      "no system disk",
      { disk_mapping: [{ device: "/dev/xvdb" }] },
      "disk_mapping has no system disk: one entry needs device /dev/xvda",
    ],
    [
      "an empty disk mapping",
      { disk_mapping: [] },
      "disk_mapping has no system disk: one entry needs device /dev/xvda",
    ],
    [
      "two system disks",
      { disk_mapping: [{ device: "/dev/xvda", snapshot_id: "s" }, { device: "/dev/xvda" }] },
      "disk_mapping has the device '/dev/xvda' more than once",
    ],
    [
      "a bad device",
      { disk_mapping: [{ device: "/dev/sdb" }] },
      "disk_mapping[0] device '/dev/sdb' is not /dev/xvda (system disk) or /dev/xvdb to /dev/xvdz (data disks)",
    ],
    [
      "a system disk without a snapshot",
      { disk_mapping: [{ device: "/dev/xvda", disk_size: 40 }] },
      "disk_mapping system disk /dev/xvda needs a snapshot_id",
    ],
    [
      "17 data disks",
      { disk_mapping: disks(17) },
      "disk_mapping has 17 data disks but an image can have at most 16",
    ],
    [
      "an empty disk too small",
      {
        disk_mapping: [
          { device: "/dev/xvda", snapshot_id: "s" },
          { device: "/dev/xvdb", disk_size: 4 },
        ],
      },
      "disk_mapping[1] disk_size 4 is out of range: 5 to 32768 GiB without a snapshot",
    ],
    [
      "a disk too large",
      { disk_mapping: [{ device: "/dev/xvda", snapshot_id: "s", disk_size: 32769 }] },
      "disk_mapping[0] disk_size 32769 is out of range: 1 to 32768 GiB with a snapshot",
    ],
    ["wait_timeout zero", { wait_timeout: 0 }, "wait_timeout must be a positive number of seconds, got 0"],
    [
      "wait_timeout negative",
      { wait_timeout: "-5" },
      "wait_timeout must be a positive number of seconds, got -5",
    ],
    [
      "absent without an image",
      { status: "absent" },
      "status absent needs image_id or image_name to find the image to delete",
    ],
    [
      "an endpoint with plain http to a remote host",
      { endpoint: "http://ecs.example.com" },
      "Endpoint http://ecs.example.com uses plain HTTP to a host that is not loopback; use https:// or a loopback address (127.0.0.1, ::1, localhost)",
    ],
    [
      "an endpoint of another scheme",
      { endpoint: "ftp://x" },
      "Endpoint ftp://x has scheme ftp; use https:// (or http:// to a loopback host)",
    ],
  ])("%s", (_name, args, expected) => {
    expect(checkLimits(paramsFrom(args))?.msg).toBe(expected);
  });
});

describe("checkLimits() accepts what the cloud accepts", () => {
  test.each<[string, Record<string, unknown>]>([
    ["defaults only", {}],
    ["a Chinese name with allowed characters", { image_name: "镜像-web_1.0:a" }],
    ["an empty description", { description: "" }],
    ["20 tags", { images_tags: tags(20) }],
    ["a tag with an empty value", { images_tags: [{ tag_key: "k", tag_value: "" }] }],
    ["50 accounts, repeated ones counted once", { launch_permission: [...accounts(50), ...accounts(3)] }],
    ["16 data disks", { disk_mapping: disks(16) }],
    ["absent by name", { status: "absent", image_name: "web" }],
    ["an emulator endpoint", { endpoint: "127.0.0.1:8080" }],
    ["a loopback URL", { endpoint: "http://localhost:9000" }],
    ["an https URL", { endpoint: "https://ecs.cn-hangzhou.aliyuncs.com" }],
  ])("%s", (_name, args) => {
    expect(checkLimits(paramsFrom(args))).toBeUndefined();
  });
});
