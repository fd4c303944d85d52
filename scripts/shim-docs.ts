/**
 * The Python shim's DOCUMENTATION, EXAMPLES and RETURN, generated (npm run gen) so that they never
 * drift from the module: DOCUMENTATION from the option table (src/module/options.ts), EXAMPLES from the
 * example playbooks (examples/playbooks/*.yml, which the tests run), RETURN from the table below, which
 * follows src/module/run.ts and src/module/result.ts (the keys the bundle prints) plus the shim's own
 * failure keys.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

import { INFO_OPTIONS } from "../src/module/info-options";
import { OPTIONS, type OptionSpec, type SubOptionSpec } from "../src/module/options";

/** The shim, relative to the repository root. */
export const SHIM_PATH = "ansible/ansible_collections/alicloud_ecs/ecs/plugins/modules/ecs_ami.py";
/** The example playbooks that become EXAMPLES, relative to the repository root. */
export const EXAMPLE_PLAYBOOKS_DIR = "examples/playbooks";
/** The line that opens the generated part of the shim. */
export const SHIM_DOCS_START =
  "# BEGIN GENERATED DOCUMENTATION: npm run gen writes this part from src/module/options.ts; do not edit";
/** The line that closes the generated part of the shim. */
export const SHIM_DOCS_END = "# END GENERATED DOCUMENTATION";

/** The collection version that added the module (options of the seed module carry no version_added). */
const COLLECTION_VERSION = "0.1.0";
const FQCN = "alicloud_ecs.ecs.ecs_ami";

/** Data that renders to YAML: scalars, lists and mappings (mapping keys keep their order). */
export type YamlValue = string | number | boolean | readonly YamlValue[] | YamlMapping;
/** A YAML mapping. */
export interface YamlMapping {
  readonly [key: string]: YamlValue;
}

/** One example playbook: its file name and text. */
export interface ExamplePlaybook {
  readonly name: string;
  readonly text: string;
}

/** One key of RETURN (Ansible's return-value documentation format). */
interface ReturnKey {
  readonly description: string;
  readonly returned: string;
  readonly type: "str" | "bool" | "int" | "list" | "dict" | "complex";
  readonly elements?: "str" | "dict";
  readonly sample?: YamlValue;
  readonly contains?: Readonly<Record<string, ReturnKey>>;
}

const RESERVED_PLAIN = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;
const SAFE_PLAIN = /^[A-Za-z_/][A-Za-z0-9_ .,/()'+-]*$/;

/** A scalar as YAML: plain when that cannot be misread, else a JSON string (valid YAML). */
function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  const plain = SAFE_PLAIN.test(value) && !RESERVED_PLAIN.test(value) && !value.endsWith(" ");
  return plain ? value : JSON.stringify(value);
}

function isYamlList(value: YamlValue): value is readonly YamlValue[] {
  return Array.isArray(value);
}

function isEmpty(value: YamlValue): boolean {
  return typeof value === "object" && Object.keys(value).length === 0;
}

/** Block-style YAML lines for a value nested at `indent` spaces. */
function yamlLines(value: YamlValue, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (typeof value !== "object") return [`${pad}${yamlScalar(value)}`];
  if (isYamlList(value)) return value.flatMap((item) => yamlEntry(`${pad}-`, item, indent + 2));
  return Object.entries(value).flatMap(([key, item]) => yamlEntry(`${pad}${key}:`, item, indent + 2));
}

/** One `key:` or `-` entry with its value inline (scalars, empty collections) or as a nested block. */
function yamlEntry(head: string, value: YamlValue, indent: number): string[] {
  if (typeof value !== "object") return [`${head} ${yamlScalar(value)}`];
  if (isEmpty(value)) return [`${head} ${isYamlList(value) ? "[]" : "{}"}`];
  return [head, ...yamlLines(value, indent)];
}

/** Renders a mapping as a block-style YAML document (no leading `---`). */
export function renderYaml(value: YamlMapping): string {
  return `${yamlLines(value, 0).join("\n")}\n`;
}

/** Markdown-ish option text to Ansible doc markup: `code` -> C(code), **bold** -> B(bold). */
export function toDocMarkup(text: string): string {
  return text.replace(/\*\*([^*]+)\*\*/g, "B($1)").replace(/`([^`]+)`/g, "C($1)");
}

function subOptionDoc(sub: SubOptionSpec): YamlMapping {
  return {
    description: [toDocMarkup(sub.description)],
    type: sub.type,
    ...(sub.required ? { required: true } : {}),
    ...(sub.aliases.length > 0 ? { aliases: sub.aliases } : {}),
  };
}

/** The sentence an option's docs add to its description for a secret. */
function extraSentences(spec: OptionSpec): string[] {
  return spec.noLog ? ["This value is secret: the module masks it in every output, as C(no_log) does."] : [];
}

function optionDoc(spec: OptionSpec): YamlMapping {
  return {
    description: [toDocMarkup(spec.description), ...extraSentences(spec)],
    type: spec.type,
    ...(spec.required ? { required: true } : {}),
    ...(spec.elements === undefined ? {} : { elements: spec.elements }),
    ...(spec.default === undefined ? {} : { default: spec.default }),
    ...(spec.choices === undefined ? {} : { choices: spec.choices }),
    ...(spec.aliases.length > 0 ? { aliases: spec.aliases } : {}),
    ...(spec.versionAdded === "seed" ? {} : { version_added: spec.versionAdded }),
    ...(spec.suboptions === undefined
      ? {}
      : { suboptions: Object.fromEntries(spec.suboptions.map((sub) => [sub.name, subOptionDoc(sub)])) }),
  };
}

/** DOCUMENTATION as data: the module's description, requirements, notes and every option. */
export function documentationData(): YamlMapping {
  return {
    module: "ecs_ami",
    short_description: "Create, adopt, update, share, tag or delete Alibaba Cloud ECS custom images",
    version_added: COLLECTION_VERSION,
    description: [
      "Manages one ECS custom image idempotently: creates it from an instance, a snapshot or a disk mapping, adopts an existing one by C(image_id) or exact C(image_name), brings its name, description, tags and sharing in line, or deletes it.",
      "The module's logic is a Node.js program; this module is a thin shim that runs it with the task's arguments unchanged and returns its result. Validation, check mode, diff mode and masking of secrets all happen in that program.",
    ],
    author: ["ecs_ami maintainers (@ecs-ami)"],
    requirements: [
      "Node.js 20 or later on the target, on C(PATH) or named by the C(ECS_AMI_NODE) environment variable.",
      "Python 3.8 or later on the target (standard library only).",
    ],
    notes: [
      "If parameters are not set within the module, the environment variables named in each option's description are used, in that order of precedence.",
      "The shim reads two environment variables of its own on the target (set them with the C(environment) keyword if needed): C(ECS_AMI_NODE), the node executable to use instead of the first C(node) on C(PATH); C(ECS_AMI_BUNDLE), a bundle file (C(dist/ecs_ami.js)) to run instead of the one embedded in the collection.",
      "A missing or too old node, or a bundle that prints no JSON, fails the task with a message that says what to do.",
      "A task without C(image_name) or C(image_id) creates a new image on every run and says so in a warning.",
    ],
    attributes: {
      check_mode: {
        support: "full",
        description: "Makes the same decisions as a real run and sends no write to the cloud.",
      },
      diff_mode: {
        support: "full",
        description: "Returns C(diff.before) and C(diff.after): the image's managed attributes.",
      },
    },
    options: Object.fromEntries(OPTIONS.map((spec) => [spec.name, optionDoc(spec)])),
  };
}

const ERROR_CONTAINS: Readonly<Record<string, ReturnKey>> = {
  code: { description: "The ECS error code.", returned: "always", type: "str", sample: "Forbidden.RAM" },
  message: { description: "The ECS error message.", returned: "always", type: "str" },
  request_id: { description: "The request ID of the failed call, or null.", returned: "always", type: "str" },
  http_status: { description: "The HTTP status of the answer, or null.", returned: "always", type: "int" },
  action: { description: "The ECS API action that failed.", returned: "always", type: "str" },
  attempts: { description: "How many times the call was tried.", returned: "always", type: "int" },
};

const DISK_CONTAINS: Readonly<Record<string, ReturnKey>> = {
  device: { description: "Device name.", returned: "always", type: "str", sample: "/dev/xvda" },
  size: { description: "Size in GiB, or null.", returned: "always", type: "int", sample: 40 },
  snapshot_id: { description: "The disk's snapshot, or null.", returned: "always", type: "str" },
  type: { description: "C(system) or C(data), or null.", returned: "always", type: "str" },
};

/** Every key of the image facts (src/module/result.ts ImageFacts). */
const IMAGE_CONTAINS: Readonly<Record<string, ReturnKey>> = {
  image_id: { description: "Image ID.", returned: "always", type: "str", sample: "m-bp1demobase00000001" },
  image_name: { description: "Image name.", returned: "always", type: "str", sample: "image_test" },
  image_version: { description: "Image version.", returned: "always", type: "str", sample: "4" },
  description: { description: "Image description.", returned: "always", type: "str" },
  status: {
    description: "Image status, e.g. C(Creating), C(Available), C(CreateFailed).",
    returned: "always",
    type: "str",
    sample: "Available",
  },
  progress: { description: "Build progress.", returned: "always", type: "str", sample: "100%" },
  size: { description: "Image size in GiB, or null.", returned: "always", type: "int", sample: 40 },
  creation_time: { description: "When the image was created (UTC).", returned: "always", type: "str" },
  architecture: { description: "Architecture.", returned: "always", type: "str", sample: "x86_64" },
  platform: { description: "OS platform.", returned: "always", type: "str" },
  os_name: { description: "OS name.", returned: "always", type: "str" },
  boot_mode: { description: "Boot mode (BIOS, UEFI, UEFI-Preferred).", returned: "always", type: "str" },
  image_family: { description: "Image family; empty when none.", returned: "always", type: "str" },
  resource_group_id: { description: "Resource group of the image.", returned: "always", type: "str" },
  tags: { description: "The image's tags, key to value.", returned: "always", type: "dict" },
  disk_device_mappings: {
    description: "The image's disks.",
    returned: "always",
    type: "list",
    elements: "dict",
    contains: DISK_CONTAINS,
  },
  launch_permission: {
    description:
      "Accounts the image is shared with; [] when it is not shared (no extra call), read in one call when it is.",
    returned: "always",
    type: "list",
    elements: "str",
  },
  region: { description: "The image's region.", returned: "always", type: "str", sample: "cn-hangzhou" },
};

/** Every key a result can carry, with when it is there. */
const RETURN_KEYS: Readonly<Record<string, ReturnKey>> = {
  changed: {
    description: "Whether the run changed (or, in check mode, would change) the image.",
    returned: "always",
    type: "bool",
  },
  failed: { description: "Whether the task failed.", returned: "always", type: "bool" },
  msg: {
    description: "What the run did or why it failed, in one sentence.",
    returned: "always",
    type: "str",
    sample: "Created image m-bp1l36xlc5jsz2ntzo1b in region cn-hangzhou",
  },
  image_id: {
    description: "The ID of the image the task is about.",
    returned:
      "when an image was found, created or deleted, also on failures after the image was known or created; not when check mode would create one",
    type: "str",
    sample: "m-bp1demobase00000001",
  },
  image: {
    description: "The image's facts after the run (in check mode, as they were).",
    returned: "when the image exists after the run (not after a deletion)",
    type: "complex",
    contains: IMAGE_CONTAINS,
  },
  warnings: {
    description: "Warnings, e.g. that a task without C(image_name) is not idempotent.",
    returned: "when there are any",
    type: "list",
    elements: "str",
  },
  diff: {
    description:
      "C(before) and C(after) views of the managed attributes (C(state), C(image_id), C(image_name), C(image_version), C(description), C(tags), C(launch_permission), C(boot_mode), C(image_family)); an absent image is C({state: absent}). The same in check mode.",
    returned: "in diff mode, on success",
    type: "dict",
  },
  snapshots_deleted: {
    description: "The snapshots of the deleted image that were deleted (C(delete_snapshots)).",
    returned: "with C(delete_snapshots) when an image was deleted",
    type: "list",
    elements: "str",
    sample: ["s-bp1demosystem000001"],
  },
  snapshots_kept: {
    description:
      "The snapshots of the deleted image that could not be deleted, each with C(snapshot_id) and C(reason) (used by a disk or another image).",
    returned: "with C(delete_snapshots) when an image was deleted",
    type: "list",
    elements: "dict",
  },
  error: {
    description: "The cloud error behind a failure.",
    returned: "on failure, when the ECS API answered with an error",
    type: "dict",
    contains: ERROR_CONTAINS,
  },
  completed_steps: {
    description: "The steps done before a step failed (e.g. C(create), C(tag)); C(changed) is then true.",
    returned: "on failure after at least one write",
    type: "list",
    elements: "str",
    sample: ["create"],
  },
  failed_step: {
    description: "The step that failed.",
    returned: "on failure after at least one write",
    type: "str",
    sample: "share",
  },
  status: {
    description: "The last image status seen.",
    returned: "on failure while waiting (timeout, C(CreateFailed), cancelled)",
    type: "str",
    sample: "Creating",
  },
  polls: {
    description: "How many times the image was read while waiting.",
    returned: "on failure while waiting (timeout or failure status)",
    type: "int",
  },
  elapsed_seconds: {
    description: "How long the wait lasted.",
    returned: "on failure while waiting (timeout or failure status)",
    type: "int",
  },
  rc: {
    description: "Exit code of node.",
    returned: "when node printed no JSON result (a failure of the shim)",
    type: "int",
  },
  module_stdout: {
    description: "What node printed on stdout.",
    returned: "when node printed no JSON result (a failure of the shim)",
    type: "str",
  },
  module_stderr: {
    description: "What node printed on stderr.",
    returned: "when node printed no JSON result (a failure of the shim)",
    type: "str",
  },
};

function returnKeyData(key: ReturnKey): YamlMapping {
  return {
    description: key.description,
    returned: key.returned,
    type: key.type,
    ...(key.elements === undefined ? {} : { elements: key.elements }),
    ...(key.sample === undefined ? {} : { sample: key.sample }),
    ...(key.contains === undefined ? {} : { contains: returnData(key.contains) }),
  };
}

function returnData(keys: Readonly<Record<string, ReturnKey>>): YamlMapping {
  return Object.fromEntries(Object.entries(keys).map(([name, key]) => [name, returnKeyData(key)]));
}

/** EXAMPLES: the example playbooks as they are (they run against the emulator), one after another. */
export function renderExamples(playbooks: readonly ExamplePlaybook[]): string {
  const header = [
    `# The seed module's five examples, with ${FQCN}. They run as they are against the local emulator:`,
    "# start it (npm run emulator), export ACS_ENDPOINT=<its endpoint>, then run ansible-playbook.",
  ];
  const bodies = [...playbooks]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((playbook) => `# ${EXAMPLE_PLAYBOOKS_DIR}/${playbook.name}\n${playbook.text.trim()}\n`);
  return `${header.join("\n")}\n\n${bodies.join("\n")}`;
}

/** Reads the example playbooks (sorted by name) from a repository root. */
export function readExamplePlaybooks(root: string): ExamplePlaybook[] {
  const dir = join(root, EXAMPLE_PLAYBOOKS_DIR);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".yml"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
}

/** One Python assignment of a raw triple-quoted string; fails on text that such a string cannot hold. */
function pythonRawString(name: string, text: string): string {
  if (text.includes('"""') || text.endsWith("\\")) {
    throw new Error(`${name} cannot be written as a raw Python string`);
  }
  return `${name} = r"""\n${text}"""`;
}

/** A shim's generated section: its start marker, then DOCUMENTATION, EXAMPLES and RETURN, then the end marker. */
function renderDocsSection(
  startMarker: string,
  parts: { documentation: string; examples: string; returns: string },
): string {
  return [
    startMarker,
    pythonRawString("DOCUMENTATION", parts.documentation),
    "",
    pythonRawString("EXAMPLES", parts.examples),
    "",
    pythonRawString("RETURN", parts.returns),
    SHIM_DOCS_END,
  ].join("\n");
}

/** Replaces a shim's generated section (from startMarker to the end marker); fails loudly without its markers. */
function replaceDocsSection(
  source: string,
  docs: string,
  where: { startMarker: string; path: string },
): string {
  const start = source.indexOf(where.startMarker);
  const endMarker = source.indexOf(SHIM_DOCS_END);
  if (start < 0 || endMarker < start) {
    throw new Error(`${where.path} has no "${where.startMarker}" ... "${SHIM_DOCS_END}" section`);
  }
  return `${source.slice(0, start)}${docs}${source.slice(endMarker + SHIM_DOCS_END.length)}`;
}

/** The generated part of the shim, markers included. */
export function renderShimDocs(playbooks: readonly ExamplePlaybook[]): string {
  return renderDocsSection(SHIM_DOCS_START, {
    documentation: renderYaml(documentationData()),
    examples: renderExamples(playbooks),
    returns: renderYaml(returnData(RETURN_KEYS)),
  });
}

/** Replaces the generated part of the shim's source; fails loudly when its markers are missing. */
export function replaceShimDocs(source: string, docs: string): string {
  return replaceDocsSection(source, docs, { startMarker: SHIM_DOCS_START, path: SHIM_PATH });
}

// ---- ecs_ami_info: the same machinery over its own option table ----

/** The info module's shim, relative to the repository root. */
export const INFO_SHIM_PATH = "ansible/ansible_collections/alicloud_ecs/ecs/plugins/modules/ecs_ami_info.py";
/** The line that opens the generated part of the info shim. */
export const INFO_SHIM_DOCS_START =
  "# BEGIN GENERATED DOCUMENTATION: npm run gen writes this part from src/module/info-options.ts; do not edit";
const INFO_FQCN = "alicloud_ecs.ecs.ecs_ami_info";
const INFO_VERSION_ADDED = "0.1.0";

/** DOCUMENTATION of ecs_ami_info as data. */
export function infoDocumentationData(): YamlMapping {
  return {
    module: "ecs_ami_info",
    short_description: "List Alibaba Cloud ECS images with the same facts as ecs_ami",
    version_added: INFO_VERSION_ADDED,
    description: [
      "Lists ECS images by ids, exact names and tags, your own custom images by default (in every status), and returns each with the same facts as the C(image) of M(alicloud_ecs.ecs.ecs_ami).",
      "Read-only: C(changed) is always false. A thin shim runs the module's Node.js program with the task's arguments unchanged.",
    ],
    author: ["ecs_ami maintainers (@ecs-ami)"],
    requirements: [
      "Node.js 20 or later on the target, on C(PATH) or named by the C(ECS_AMI_NODE) environment variable.",
      "Python 3.8 or later on the target (standard library only).",
    ],
    notes: [
      "If parameters are not set within the module, the environment variables named in each option's description are used, in that order of precedence.",
      "C(ECS_AMI_INFO_BUNDLE) on the target names a bundle file (C(dist/ecs_ami_info.js)) to run instead of the one embedded in the collection.",
    ],
    attributes: {
      check_mode: { support: "full", description: "The module only reads; check mode changes nothing." },
      diff_mode: { support: "none", description: "Nothing changes, so there is no diff." },
    },
    options: Object.fromEntries(INFO_OPTIONS.map((spec) => [spec.name, optionDoc(spec)])),
  };
}

const INFO_RETURN_KEYS: Readonly<Record<string, ReturnKey>> = {
  changed: { description: "Always false: the module only reads.", returned: "always", type: "bool" },
  failed: RETURN_KEYS.failed ?? { description: "", returned: "always", type: "bool" },
  msg: {
    description: "How many images were found, or why the task failed.",
    returned: "always",
    type: "str",
    sample: "Found 2 image(s) in region cn-hangzhou",
  },
  images: {
    description: "The images found, oldest first, each with the facts ecs_ami returns as C(image).",
    returned: "on success",
    type: "list",
    elements: "dict",
    contains: IMAGE_CONTAINS,
  },
  warnings: RETURN_KEYS.warnings ?? { description: "", returned: "when there are any", type: "list" },
  error: RETURN_KEYS.error ?? { description: "", returned: "on failure", type: "dict" },
};

/** EXAMPLES of ecs_ami_info. */
const INFO_EXAMPLES = `- name: Find my images by exact name and tag
  ${INFO_FQCN}:
    region: cn-hangzhou
    image_names:
      - web-base-1
    tags:
      team: platform
  register: found

- name: Read two images by id
  ${INFO_FQCN}:
    region: cn-hangzhou
    image_ids:
      - m-bp1demobase00000001
      - m-bp1demobase00000002
`;

/** The generated part of the info shim, markers included. */
export function renderInfoShimDocs(): string {
  return renderDocsSection(INFO_SHIM_DOCS_START, {
    documentation: renderYaml(infoDocumentationData()),
    examples: INFO_EXAMPLES,
    returns: renderYaml(returnData(INFO_RETURN_KEYS)),
  });
}

/** Replaces the generated part of the info shim's source; fails loudly when its markers are missing. */
export function replaceInfoShimDocs(source: string, docs: string): string {
  return replaceDocsSection(source, docs, { startMarker: INFO_SHIM_DOCS_START, path: INFO_SHIM_PATH });
}
