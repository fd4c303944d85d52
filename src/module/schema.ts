/**
 * The JSON Schema of the module's options, built from options.ts, and the README option table.
 *
 * The schema describes the canonical, coerced options (what `validateParams` hands on, and what an
 * args file with native JSON types and canonical names holds): strict types, enums, defaults.
 * Aliases, env fallbacks, no_log and mutability are annotations (`x-*` keywords registered with
 * ajv), because Ansible's folding and coercion rules are applied by params.ts before the schema.
 * Every `_ansible_*` key is accepted through `patternProperties`.
 */
import Ajv from "ajv";

import type { ModuleDefinition, OptionSpec, OptionType, SubOptionSpec } from "./options";
import { ECS_AMI_MODULE } from "./options";

/** A JSON Schema document or fragment, as plain data. */
export interface SchemaNode {
  readonly [keyword: string]: SchemaValue;
}
/** Any value inside a schema. */
export type SchemaValue = string | number | boolean | null | readonly SchemaValue[] | SchemaNode;

/** The annotation keywords this schema adds, registered with ajv so strict mode accepts them. */
export const ANNOTATION_KEYWORDS: readonly string[] = [
  "x-ansible-type",
  "x-elements",
  "x-aliases",
  "x-env",
  "x-no-log",
  "x-mutability",
  "x-version-added",
  "x-mutually-exclusive",
];

/** Where the generated schema lives, relative to the repository root. */
export const SCHEMA_PATH = "schema/ecs_ami.schema.json";
/** The README whose option table is generated, relative to the repository root. */
export const README_PATH = "README.md";
/** The marker after which the generated option table starts. */
export const OPTIONS_START = "<!-- options:start -->";
/** The marker before which the generated option table ends. */
export const OPTIONS_END = "<!-- options:end -->";

/**
 * An ajv instance in strict mode that knows the annotation keywords. `fast` skips checking the
 * schema against the meta-schema and code optimisation (for tests and tools that compile from source).
 * `standalone` keeps the generated source, so scripts/build.mjs can emit it with `ajv/dist/standalone`:
 * the bundle then validates with precompiled code and never loads ajv itself.
 */
export function createAjv(options: { readonly fast?: boolean; readonly standalone?: boolean } = {}): Ajv {
  const fast = options.fast === true;
  const ajv = new Ajv({
    strict: true,
    allErrors: false,
    allowUnionTypes: true,
    validateSchema: !fast,
    code: { optimize: !fast, source: options.standalone === true },
  });
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword });
  return ajv;
}

/** Where each module's generated schema lives, relative to the repository root. */
export function schemaPathOf(definition: ModuleDefinition): string {
  return `schema/${definition.name}.schema.json`;
}

/** Builds the schema of a module's options from its option table (ecs_ami's by default). */
export function buildSchema(definition: ModuleDefinition = ECS_AMI_MODULE): SchemaNode {
  const properties: Record<string, SchemaNode> = {};
  for (const spec of definition.options) properties[spec.name] = optionSchema(spec);
  const source = definition === ECS_AMI_MODULE ? "src/module/options.ts" : "its option table";
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `${definition.name} module options`,
    description: `Canonical, coerced options of the ${definition.name} Ansible module (generated from ${source} by npm run gen; do not edit).`,
    type: "object",
    properties,
    patternProperties: { "^_ansible_": {} },
    additionalProperties: false,
    "x-mutually-exclusive": definition.mutuallyExclusive,
  };
}

const JSON_TYPES: Readonly<Record<OptionType, string>> = {
  str: "string",
  path: "string",
  bool: "boolean",
  int: "integer",
  list: "array",
  dict: "object",
};

/** The allowed values of an option with choices; null too when it has no default (not given is null). */
function enumOf(spec: OptionSpec): (string | null)[] {
  const choices = [...(spec.choices ?? [])];
  return spec.default === undefined ? [...choices, null] : choices;
}

function optionSchema(spec: OptionSpec): SchemaNode {
  const type = JSON_TYPES[spec.type];
  return {
    description: spec.description,
    type: spec.default === undefined ? [type, "null"] : type,
    ...(spec.choices === undefined ? {} : { enum: enumOf(spec) }),
    ...(spec.default === undefined ? {} : { default: spec.default }),
    ...(spec.elements === undefined ? {} : { items: itemsSchema(spec) }),
    "x-ansible-type": spec.type,
    ...(spec.elements === undefined ? {} : { "x-elements": spec.elements }),
    "x-aliases": spec.aliases,
    "x-env": spec.env,
    "x-no-log": spec.noLog,
    "x-mutability": spec.mutability,
    "x-version-added": spec.versionAdded,
  };
}

function itemsSchema(spec: OptionSpec): SchemaNode {
  const elements = spec.elements ?? "str";
  if (spec.suboptions === undefined) return { type: JSON_TYPES[elements] };
  const properties: Record<string, SchemaNode> = {};
  for (const sub of spec.suboptions) properties[sub.name] = subOptionSchema(sub);
  const required = spec.suboptions.filter((sub) => sub.required).map((sub) => sub.name);
  return { type: "object", properties, required, additionalProperties: false };
}

function subOptionSchema(sub: SubOptionSpec): SchemaNode {
  const type = JSON_TYPES[sub.type];
  return {
    description: sub.description,
    // A required suboption given as null becomes the text "None" (Ansible's str(None)), never null.
    type: sub.required ? type : [type, "null"],
    "x-ansible-type": sub.type,
    "x-aliases": sub.aliases,
  };
}

/** The schema file's text: two-space JSON with a trailing newline (stable key order). */
export function renderSchemaJson(definition: ModuleDefinition = ECS_AMI_MODULE): string {
  return `${JSON.stringify(buildSchema(definition), null, 2)}\n`;
}

/** The README's option table, as markdown that prettier leaves unchanged (aligned columns). */
export function renderOptionsTable(definition: ModuleDefinition = ECS_AMI_MODULE): string {
  const header = ["Option", "Type", "Default", "Choices", "Aliases", "Env", "Description"];
  const rows = definition.options.flatMap((spec) => [
    optionRow(spec),
    ...(spec.suboptions ?? []).map((sub) => subOptionRow(spec, sub)),
  ]);
  const widths = header.map((_title, column) =>
    Math.max(3, ...[header, ...rows].map((cells) => (cells[column] ?? "").length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

function optionRow(spec: OptionSpec): string[] {
  const type = spec.elements === undefined ? spec.type : `list of ${spec.elements}`;
  const secret = spec.noLog ? " Secret: never printed (no_log)." : "";
  return [
    code(spec.name),
    type,
    spec.default === undefined ? "" : code(String(spec.default)),
    (spec.choices ?? []).map(code).join(", "),
    spec.aliases.map(code).join(", "),
    spec.env.map(code).join(", "),
    cell(`${spec.description}${secret}`),
  ];
}

function subOptionRow(parent: OptionSpec, sub: SubOptionSpec): string[] {
  const required = sub.required ? " Required." : "";
  return [
    code(`${parent.name}[].${sub.name}`),
    sub.type,
    "",
    "",
    sub.aliases.map(code).join(", "),
    "",
    cell(`${sub.description}${required}`),
  ];
}

function code(text: string): string {
  return `\`${text}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** The README markers around a module's generated option table (ecs_ami's are the original ones). */
export function optionsMarkersOf(definition: ModuleDefinition): { start: string; end: string } {
  if (definition === ECS_AMI_MODULE) return { start: OPTIONS_START, end: OPTIONS_END };
  return {
    start: `<!-- ${definition.name}-options:start -->`,
    end: `<!-- ${definition.name}-options:end -->`,
  };
}

/** Replaces the text between the options markers of the README; fails loudly if they are missing. */
export function replaceOptionsSection(
  readme: string,
  table: string,
  markers: { readonly start: string; readonly end: string } = { start: OPTIONS_START, end: OPTIONS_END },
): string {
  const start = readme.indexOf(markers.start);
  const end = readme.indexOf(markers.end);
  if (start < 0 || end < start) {
    throw new Error(`README has no ${markers.start} ... ${markers.end} section`);
  }
  return `${readme.slice(0, start + markers.start.length)}\n\n${table}\n\n${readme.slice(end)}`;
}
