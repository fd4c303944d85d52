/**
 * The documented option table of ecs_ami: the single source of truth for validation (params.ts),
 * the JSON Schema and the README table (schema.ts), and the planner's mutability rules.
 * It keeps every option, alias, default, choice and env var of the original module's document
 * (seed/ecs_ami.rst) and adds the later `alicloud_*` generation's names after them.
 */

/** Ansible option types used by this module. */
export type OptionType = "str" | "bool" | "int" | "list" | "dict" | "path";

/** Whether an existing image can change the option (`control` options steer the run itself). */
export type Mutability = "create-only" | "updatable" | "control";

/** A default value, as Ansible's argument spec holds it. */
export type OptionDefault = string | number | boolean;

/** One suboption of a list-of-dicts option. */
export interface SubOptionSpec {
  readonly name: string;
  readonly type: OptionType;
  readonly aliases: readonly string[];
  readonly required: boolean;
  readonly description: string;
}

/** One option of the module, with everything Ansible's argument spec and the docs need. */
export interface OptionSpec {
  readonly name: string;
  readonly type: OptionType;
  /** Element type of a list option. */
  readonly elements: OptionType | undefined;
  /** @default undefined: no default (the value is null when absent). */
  readonly default: OptionDefault | undefined;
  readonly choices: readonly string[] | undefined;
  /** In documented order; when several are given the last one in this list wins (Ansible's loop). */
  readonly aliases: readonly string[];
  /** Environment variables read when the option is absent, in order of precedence. */
  readonly env: readonly string[];
  readonly noLog: boolean;
  readonly required: boolean;
  readonly mutability: Mutability;
  readonly description: string;
  /** Version of this project that added the option; "seed" for the original module's options. */
  readonly versionAdded: string;
  readonly suboptions: readonly SubOptionSpec[] | undefined;
}

/** The module's name when `_ansible_module_name` is not given. */
export const MODULE_NAME = "ecs_ami";

/** Options that cannot be combined: each one is a different source for a new image. */
export const MUTUALLY_EXCLUSIVE: readonly (readonly string[])[] = [
  ["instance_id", "snapshot_id", "disk_mapping"],
];

const SEED = "seed";
const ADDED = "0.1.0";

/** Builds one table row; only what differs from a plain optional string is given. */
export function option(
  name: string,
  fields: Partial<OptionSpec> & Pick<OptionSpec, "description" | "mutability">,
): OptionSpec {
  return {
    name,
    type: "str",
    elements: undefined,
    default: undefined,
    choices: undefined,
    aliases: [],
    env: [],
    noLog: false,
    required: false,
    versionAdded: SEED,
    suboptions: undefined,
    ...fields,
  };
}

const DISK_MAPPING_SUBOPTIONS: readonly SubOptionSpec[] = [
  {
    name: "device",
    type: "str",
    aliases: [],
    required: true,
    description: "Device name: /dev/xvda for the system disk, /dev/xvdb to /dev/xvdz for data disks.",
  },
  {
    name: "disk_size",
    type: "int",
    aliases: ["size"],
    required: false,
    description:
      "Disk size in GiB. Without a snapshot 5 to 2000 (basic disks); with one, at least the snapshot's size.",
  },
  {
    name: "snapshot_id",
    type: "str",
    aliases: ["snapshot"],
    required: false,
    description: "Snapshot the disk is made from; data disks without one are empty.",
  },
];

const IMAGES_TAGS_SUBOPTIONS: readonly SubOptionSpec[] = [
  {
    name: "tag_key",
    type: "str",
    aliases: [],
    required: false,
    description: "Tag key, 1 to 128 characters, not starting with aliyun or acs:.",
  },
  {
    name: "tag_value",
    type: "str",
    aliases: [],
    required: false,
    description: "Tag value, 0 to 128 characters.",
  },
];

/** Every option of the module, in argument-spec order (which fixes the order of Ansible's checks). */
export const OPTIONS: readonly OptionSpec[] = [
  option("acs_access_key", {
    aliases: ["ecs_access_key", "access_key", "alicloud_access_key"],
    env: [
      "ACS_ACCESS_KEY_ID",
      "ACS_ACCESS_KEY",
      "ECS_ACCESS_KEY",
      "ALICLOUD_ACCESS_KEY",
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
    ],
    mutability: "control",
    description:
      "Aliyun Cloud access key. If not set then the value of the `ACS_ACCESS_KEY_ID`, `ACS_ACCESS_KEY`, `ECS_ACCESS_KEY`, `ALICLOUD_ACCESS_KEY` or `ALIBABA_CLOUD_ACCESS_KEY_ID` environment variable is used.",
  }),
  option("acs_secret_access_key", {
    aliases: ["ecs_secret_key", "secret_key", "alicloud_secret_key"],
    env: [
      "ACS_SECRET_ACCESS_KEY",
      "ACS_SECRET_KEY",
      "ECS_SECRET_KEY",
      "ALICLOUD_SECRET_KEY",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ],
    noLog: true,
    mutability: "control",
    description:
      "Aliyun Cloud secret key. If not set then the value of the `ACS_SECRET_ACCESS_KEY`, `ACS_SECRET_KEY`, `ECS_SECRET_KEY`, `ALICLOUD_SECRET_KEY` or `ALIBABA_CLOUD_ACCESS_KEY_SECRET` environment variable is used.",
  }),
  option("security_token", {
    aliases: ["acs_security_token", "alicloud_security_token"],
    env: [
      "ACS_SECURITY_TOKEN",
      "ECS_SECURITY_TOKEN",
      "ALICLOUD_SECURITY_TOKEN",
      "ALIBABA_CLOUD_SECURITY_TOKEN",
    ],
    noLog: true,
    mutability: "control",
    versionAdded: ADDED,
    description:
      "STS security token for temporary credentials. If not set then the value of the `ACS_SECURITY_TOKEN`, `ECS_SECURITY_TOKEN`, `ALICLOUD_SECURITY_TOKEN` or `ALIBABA_CLOUD_SECURITY_TOKEN` environment variable is used.",
  }),
  option("region", {
    aliases: ["acs_region", "ecs_region", "alicloud_region"],
    env: ["ACS_REGION", "ACS_DEFAULT_REGION", "ECS_REGION", "ALICLOUD_REGION", "ALIBABA_CLOUD_REGION_ID"],
    mutability: "control",
    description:
      "The Aliyun Cloud region to use. If not specified then the value of the `ACS_REGION`, `ACS_DEFAULT_REGION`, `ECS_REGION`, `ALICLOUD_REGION` or `ALIBABA_CLOUD_REGION_ID` environment variable, if any, is used.",
  }),
  option("endpoint", {
    aliases: ["ecs_endpoint"],
    env: ["ACS_ENDPOINT", "ECS_ENDPOINT"],
    mutability: "control",
    versionAdded: ADDED,
    description:
      "ECS API endpoint, as `host:port` or a URL, for example a local emulator. HTTPS by default; plain HTTP only to a loopback host, where a bare `host:port` means HTTP (a local emulator). If not set then the value of the `ACS_ENDPOINT` or `ECS_ENDPOINT` environment variable is used, else the region's public endpoint.",
  }),
  option("status", {
    default: "present",
    choices: ["present", "absent"],
    aliases: ["state"],
    mutability: "control",
    description: "The state of the image for operating.",
  }),
  option("image_id", {
    mutability: "control",
    description:
      "ID of an image. Parameter is **required** while deleting user defined image (or give `image_name`). With `present`, the image to adopt; it is never created.",
  }),
  option("image_name", {
    aliases: ["name"],
    mutability: "updatable",
    description:
      "The name of the image, [2, 128] English or Chinese characters. It identifies the image: an existing image with exactly this name is adopted instead of creating a new one.",
  }),
  option("image_version", {
    aliases: ["version"],
    mutability: "create-only",
    description: "The version number of the image, with a length limit of 1 to 40 English characters.",
  }),
  option("description", {
    mutability: "updatable",
    description:
      "The description of the image, with a length limit of 2 to 256 characters (empty clears it).",
  }),
  option("instance_id", {
    aliases: ["instance"],
    mutability: "create-only",
    description: "instance id of the image to create.",
  }),
  option("snapshot_id", {
    aliases: ["snapshot"],
    mutability: "create-only",
    description: "The snapshot ID. A user-defined image is created from the specified snapshot.",
  }),
  option("disk_mapping", {
    type: "list",
    elements: "dict",
    mutability: "create-only",
    suboptions: DISK_MAPPING_SUBOPTIONS,
    description:
      "An optional list of device hashes/dictionaries with custom configurations (see example): `device`, `disk_size` (alias `size`), `snapshot_id` (alias `snapshot`).",
  }),
  option("images_tags", {
    type: "list",
    elements: "dict",
    aliases: ["tags"],
    mutability: "updatable",
    suboptions: IMAGES_TAGS_SUBOPTIONS,
    description:
      'A list of hash/dictionaries of image tags, \'[{tag_key:"value", tag_value:"value"}]\', tag_key must be not null when tag_value isn\'t null. At most 20 tags.',
  }),
  option("launch_permission", {
    type: "list",
    elements: "str",
    mutability: "updatable",
    description: "Users that should be able to launch the ami: account ids (digits), at most 50.",
  }),
  option("wait", {
    type: "bool",
    default: false,
    mutability: "control",
    description: "Wait for the image creation (or deletion) to finish.",
  }),
  option("wait_timeout", {
    type: "int",
    default: 300,
    mutability: "control",
    description: "how long before wait gives up, in seconds",
  }),
  option("force", {
    type: "bool",
    default: false,
    mutability: "control",
    versionAdded: ADDED,
    description:
      "With `absent`, delete the image even when instances use it or it is shared (it is unshared first).",
  }),
  option("purge_tags", {
    type: "bool",
    default: false,
    mutability: "control",
    versionAdded: ADDED,
    description:
      "With `present`, remove the image's tags that `images_tags` does not list, so that `images_tags` is the exact set; `images_tags: []` with purge removes every tag. Tags whose keys start with the reserved prefixes `aliyun` or `acs:` are never removed. Without it, listed tags are only added or updated.",
  }),
  option("purge_launch_permission", {
    type: "bool",
    default: false,
    mutability: "control",
    versionAdded: ADDED,
    description:
      "With `present`, make `launch_permission` the exact set of accounts: the others are unshared, at most 10 per call; `launch_permission: []` with purge unshares every account. Without it, listed accounts are only added.",
  }),
  option("delete_snapshots", {
    type: "bool",
    default: false,
    mutability: "control",
    versionAdded: ADDED,
    description:
      "With `absent`, after the image is deleted, delete the snapshots it was built on (read from its disk device mappings before the deletion). Deleted ids are returned in `snapshots_deleted`; a snapshot that cannot be deleted (used by a disk or by another image) is kept and reported in `snapshots_kept` with the reason.",
  }),
  option("tag_snapshots", {
    type: "bool",
    default: false,
    mutability: "control",
    versionAdded: ADDED,
    description:
      "With `present`, give the snapshots the image is built with the image's tags (`images_tags`), also on an existing image (one more read); with `purge_tags`, other tags are removed from them too (reserved `aliyun`/`acs:` keys are never touched). The snapshots are known once the image is Available, so this waits for the image to be built.",
  }),
  option("architecture", {
    choices: ["x86_64", "i386", "arm64"],
    mutability: "create-only",
    versionAdded: ADDED,
    description:
      "System architecture of a new image (the cloud's default is x86_64). It cannot be changed on an existing image: a different value is an error.",
  }),
  option("platform", {
    mutability: "create-only",
    versionAdded: ADDED,
    description:
      "Operating system distribution of a new image, for example `CentOS`, `Ubuntu` or `Others Linux` (the cloud's default). It cannot be changed on an existing image: a different value is an error.",
  }),
  option("boot_mode", {
    choices: ["BIOS", "UEFI", "UEFI-Preferred"],
    mutability: "updatable",
    versionAdded: ADDED,
    description: "Boot mode of the image; set at create and changed in place on an existing image.",
  }),
  option("image_family", {
    mutability: "updatable",
    versionAdded: ADDED,
    description:
      "Image family, 2 to 128 characters, starting with a letter, not with `aliyun` or `acs:`, without `http://` or `https://`; set at create and changed in place on an existing image.",
  }),
  option("resource_group_id", {
    mutability: "create-only",
    versionAdded: ADDED,
    description:
      "Resource group of a new image (the account's default group when not set). It cannot be changed on an existing image: a different value is an error.",
  }),
];

/** One Ansible module of the collection: its name, option table and cross-option rules. */
export interface ModuleDefinition {
  readonly name: string;
  readonly options: readonly OptionSpec[];
  readonly mutuallyExclusive: readonly (readonly string[])[];
}

/** The ecs_ami module. */
export const ECS_AMI_MODULE: ModuleDefinition = {
  name: MODULE_NAME,
  options: OPTIONS,
  mutuallyExclusive: MUTUALLY_EXCLUSIVE,
};

/** The credential, region and endpoint options every module of the collection shares, in table order. */
export const CONNECTION_OPTION_NAMES: readonly string[] = [
  "acs_access_key",
  "acs_secret_access_key",
  "security_token",
  "region",
  "endpoint",
];

/** Looks an option up by its canonical name. */
export function findOption(name: string): OptionSpec | undefined {
  return OPTIONS.find((spec) => spec.name === name);
}

/** Canonical names of the options with the given mutability, e.g. the create-only ones for the planner. */
export function optionNamesWith(mutability: Mutability): string[] {
  return OPTIONS.filter((spec) => spec.mutability === mutability).map((spec) => spec.name);
}
