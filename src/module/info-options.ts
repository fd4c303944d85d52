/**
 * The option table of ecs_ami_info, the read-only companion of ecs_ami: the same credential, region and endpoint
 * options (taken from ecs_ami's table, so both stay in step), plus the filters of the image lookup.
 */
import type { ModuleDefinition, OptionSpec } from "./options";
import { CONNECTION_OPTION_NAMES, option, OPTIONS } from "./options";

/** The info module's name when `_ansible_module_name` is not given. */
export const INFO_MODULE_NAME = "ecs_ami_info";

/** Image owners DescribeImages filters by (ImageOwnerAlias). */
export const IMAGE_OWNERS = ["self", "others", "system", "marketplace"] as const;

const INFO_ADDED = "0.1.0";

/** A filter option of the info module. */
function filterOption(
  name: string,
  fields: Partial<OptionSpec> & Pick<OptionSpec, "description">,
): OptionSpec {
  return option(name, { mutability: "control", versionAdded: INFO_ADDED, ...fields });
}

/** The options of ecs_ami_info, in argument-spec order. */
export const INFO_OPTIONS: readonly OptionSpec[] = [
  ...OPTIONS.filter((spec) => CONNECTION_OPTION_NAMES.includes(spec.name)).map((spec) => ({
    ...spec,
    versionAdded: INFO_ADDED,
  })),
  filterOption("image_ids", {
    type: "list",
    elements: "str",
    description: "Only the images with these ids.",
  }),
  filterOption("image_names", {
    type: "list",
    elements: "str",
    description:
      "Only the images named exactly one of these names (the API's name filter is fuzzy; other names are left out).",
  }),
  filterOption("tags", {
    type: "dict",
    description: "Only the images that carry every one of these tags (key to value).",
  }),
  filterOption("owner", {
    default: "self",
    choices: [...IMAGE_OWNERS],
    description:
      "Whose images: `self` (your own custom images), `others` (shared with you), `system` or `marketplace`.",
  }),
];

/** The ecs_ami_info module. */
export const ECS_AMI_INFO_MODULE: ModuleDefinition = {
  name: INFO_MODULE_NAME,
  options: INFO_OPTIONS,
  mutuallyExclusive: [],
};
