/**
 * Argument validation with Ansible 2.14's semantics and wording (ansible-protocol.md §4).
 *
 * Why the coercion is hand-written rather than left to ajv's `coerceTypes`: Ansible's rules are
 * Python's (`str(True)` is "True", `int(" 1_000 ")` is 1000, floats are refused for int, lists
 * come from `split(",")`, dicts from JSON, Python literals or k=v), the checks run in a fixed
 * order, and each failure has an exact message that playbooks and users grep for. ajv knows none
 * of that. ajv is used where it fits: the generated schema is the final typed gate on the
 * canonical, coerced params, and what passes it is the typed `Params`.
 */
import type { ErrorObject } from "ajv";

import type { ArgList, ArgObject, ArgValue } from "./args";
import { JsonBigInt, JsonFloat, isArgList, isArgObject, parseLosslessJson, pyStr, pyTypeName } from "./args";
import type { ModuleDefinition, OptionDefault, OptionSpec, OptionType } from "./options";
import { ECS_AMI_MODULE } from "./options";
import type { JsonValue } from "./result";
import { schemaValidator, type SchemaValidator } from "./schema-validator";

// Params and its parts are type aliases, not interfaces, so that they are assignable to JsonObject
// (the echoed invocation.module_args) without a cast.

/** One disk of `disk_mapping`, validated. */
export type DiskMappingParam = {
  readonly device: string;
  readonly disk_size: number | null;
  readonly snapshot_id: string | null;
};

/** One tag of `images_tags`, validated. */
export type ImageTagParam = {
  readonly tag_key: string | null;
  readonly tag_value: string | null;
};

/** The validated module options, canonical snake_case names; null when not given and no default. */
export type Params = {
  readonly acs_access_key: string | null;
  readonly acs_secret_access_key: string | null;
  readonly security_token: string | null;
  readonly region: string | null;
  readonly endpoint: string | null;
  readonly status: "present" | "absent";
  readonly image_id: string | null;
  readonly image_name: string | null;
  readonly image_version: string | null;
  readonly description: string | null;
  readonly instance_id: string | null;
  readonly snapshot_id: string | null;
  readonly disk_mapping: readonly DiskMappingParam[] | null;
  readonly images_tags: readonly ImageTagParam[] | null;
  readonly launch_permission: readonly string[] | null;
  readonly wait: boolean;
  readonly wait_timeout: number;
  readonly force: boolean;
  readonly purge_tags: boolean;
  readonly purge_launch_permission: boolean;
  readonly delete_snapshots: boolean;
  readonly tag_snapshots: boolean;
  readonly architecture: "x86_64" | "i386" | "arm64" | null;
  readonly platform: string | null;
  readonly boot_mode: "BIOS" | "UEFI" | "UEFI-Preferred" | null;
  readonly image_family: string | null;
  readonly resource_group_id: string | null;
};

/** The `_ansible_*` control keys this module honours. */
export interface ControlFlags {
  readonly checkMode: boolean;
  readonly diff: boolean;
  readonly noLog: boolean;
  readonly verbosity: number;
  /** `_ansible_module_name` (short name or FQCN), else "ecs_ami". */
  readonly moduleName: string;
}

/** Which of Ansible's checks failed. */
export type ParamsErrorCode =
  | "aliases"
  | "unsupported"
  | "mutually_exclusive"
  | "required"
  | "type"
  | "elements"
  | "choices"
  | "sub_type"
  | "schema";

/** A validation failure: Ansible's first error, plus what the failure result still needs. */
export interface ParamsError {
  readonly code: ParamsErrorCode;
  readonly msg: string;
  readonly warnings: readonly string[];
  readonly noLogValues: readonly string[];
  /** The canonical options as far as validation got, to echo (masked) in `invocation`. */
  readonly moduleArgs: Readonly<Record<string, JsonValue>>;
  readonly control: ControlFlags;
}

/** The outcome of validating the options of a module whose typed params are `P`. */
export type ParamsResultOf<P> =
  | {
      readonly ok: true;
      readonly params: P;
      readonly control: ControlFlags;
      readonly warnings: readonly string[];
      readonly noLogValues: readonly string[];
    }
  | { readonly ok: false; readonly error: ParamsError };

/** The outcome of validating ecs_ami's options. */
export type ParamsResult = ParamsResultOf<Params>;

/** A module to validate for: its definition and the schema gate its typed params come from. */
export interface ValidationTarget {
  readonly definition: ModuleDefinition;
  readonly validator: () => SchemaValidator;
}

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** One entry of an argument spec, top level or suboption (the checks treat both alike). */
interface SpecEntry {
  readonly name: string;
  readonly type: OptionType;
  readonly elements: OptionType | undefined;
  readonly default: OptionDefault | undefined;
  readonly choices: readonly string[] | undefined;
  readonly aliases: readonly string[];
  readonly env: readonly string[];
  readonly noLog: boolean;
  readonly required: boolean;
  readonly suboptions: readonly SpecEntry[] | undefined;
}

type Mutable = Record<string, ArgValue>;

interface Failure {
  readonly code: ParamsErrorCode;
  readonly msg: string;
}

/** What one validation run accumulates, in Ansible's order. */
interface Run {
  readonly errors: Failure[];
  readonly warnings: string[];
  readonly noLogValues: Set<string>;
  /** Unsupported keys (dotted for suboptions) and the supported names shown for the last one. */
  readonly unsupported: { key: string; supported: string }[];
  readonly moduleName: string;
  readonly topLevel: readonly SpecEntry[];
  readonly mutuallyExclusive: readonly (readonly string[])[];
}

const ANSIBLE_PREFIX = "_ansible_";

/** Validates ecs_ami's args object like AnsibleModule 2.14 and returns typed params or the first error. */
export function validateParams(args: ArgObject, env: Env): ParamsResult {
  return validateModuleParams<Params>(args, env, { definition: ECS_AMI_MODULE, validator: schemaValidator });
}

/**
 * Validates the args object of any module of the collection like AnsibleModule 2.14; the module's generated
 * schema is the final typed gate, so what passes is its typed params `P`.
 */
export function validateModuleParams<P>(
  args: ArgObject,
  env: Env,
  target: ValidationTarget,
): ParamsResultOf<P> {
  const control = readControl(args, target.definition.name);
  // fromEntries defines own properties, so a "__proto__" key stays an (unsupported) option name.
  const params: Mutable = Object.fromEntries(
    Object.entries(args).filter(([key]) => !key.startsWith(ANSIBLE_PREFIX)),
  );
  const run: Run = {
    errors: [],
    warnings: [],
    noLogValues: new Set(),
    unsupported: [],
    moduleName: control.moduleName,
    topLevel: target.definition.options.map(toSpecEntry),
    mutuallyExclusive: target.definition.mutuallyExclusive,
  };
  validateTopLevel(params, env, run);
  const canonical = canonicalArgs(params, run.topLevel);
  const gate = run.errors[0] ?? gateWithSchema<P>(canonical, target.validator(), passedSchema<P>);
  const noLogValues = [...run.noLogValues];
  if ("msg" in gate) {
    const moduleArgs = toJsonRecord(canonical);
    return { ok: false, error: { ...gate, warnings: run.warnings, noLogValues, moduleArgs, control } };
  }
  return { ok: true, params: gate.params, control, warnings: run.warnings, noLogValues };
}

function readControl(args: ArgObject, defaultName: string): ControlFlags {
  const name = args._ansible_module_name;
  const verbosity = args._ansible_verbosity;
  return {
    checkMode: isTruthyFlag(args._ansible_check_mode),
    diff: isTruthyFlag(args._ansible_diff),
    noLog: isTruthyFlag(args._ansible_no_log),
    verbosity: typeof verbosity === "number" ? verbosity : 0,
    moduleName: typeof name === "string" && name !== "" ? name : defaultName,
  };
}

function isTruthyFlag(value: ArgValue | undefined): boolean {
  if (value === undefined) return false;
  const converted = toBool(value);
  return converted.ok && converted.value === true;
}

function toSpecEntry(spec: OptionSpec): SpecEntry {
  const suboptions = spec.suboptions?.map((sub): SpecEntry => ({
    ...sub,
    elements: undefined,
    default: undefined,
    choices: undefined,
    env: [],
    noLog: false,
    suboptions: undefined,
  }));
  return { ...spec, suboptions };
}

/** ArgumentSpecValidator.validate: the top-level steps, then suboptions, then unsupported keys. */
function validateTopLevel(params: Mutable, env: Env, run: Run): void {
  const topLevel = run.topLevel;
  setFallbacks(topLevel, params, env, run);
  handleAliases(topLevel, params, "", run);
  collectNoLogValues(topLevel, params, run);
  gatherUnsupported(topLevel, params, [], run);
  checkMutuallyExclusive(params, run);
  checkLevel(topLevel, params, [], run);
  validateSubOptions(params, run);
  reportUnsupported(run);
}

/** Steps 7-12 for one level: defaults, required, types, choices, remaining defaults. */
function checkLevel(
  specs: readonly SpecEntry[],
  params: Mutable,
  context: readonly string[],
  run: Run,
): void {
  setDefaults(specs, params, false);
  checkRequired(specs, params, context, run);
  validateTypes(specs, params, context, run);
  validateChoices(specs, params, context, run);
  setDefaults(specs, params, true);
}

/** env_fallback: only for an absent key; the first variable that is set wins, even when empty. */
function setFallbacks(specs: readonly SpecEntry[], params: Mutable, env: Env, run: Run): void {
  for (const spec of specs) {
    if (Object.hasOwn(params, spec.name)) continue;
    const name = spec.env.find((variable) => env[variable] !== undefined);
    const value = name === undefined ? undefined : env[name];
    if (value === undefined) continue;
    if (spec.noLog && value !== "") run.noLogValues.add(value);
    params[spec.name] = value;
  }
}

/** _handle_aliases: each alias present is copied onto its option, so the alias wins. */
function handleAliases(specs: readonly SpecEntry[], params: Mutable, prefix: string, run: Run): void {
  for (const spec of specs) {
    for (const alias of spec.aliases) {
      const value = params[alias];
      if (value === undefined) continue;
      if (Object.hasOwn(params, spec.name)) {
        run.warnings.push(`Both option ${prefix}${spec.name} and its alias ${prefix}${alias} are set.`);
      }
      params[spec.name] = value;
    }
  }
}

/** _list_no_log_values: every non-empty string (or number text) inside a no_log option's value. */
function collectNoLogValues(specs: readonly SpecEntry[], params: Mutable, run: Run): void {
  for (const spec of specs) {
    const value = params[spec.name];
    if (spec.noLog && value !== undefined) addNoLogStrings(value, run.noLogValues);
  }
}

function addNoLogStrings(value: ArgValue, into: Set<string>): void {
  if (value === null || typeof value === "boolean") return;
  if (isArgList(value)) {
    value.forEach((item) => {
      addNoLogStrings(item, into);
    });
  } else if (isArgObject(value)) {
    Object.values(value).forEach((item) => {
      addNoLogStrings(item, into);
    });
  } else {
    const text = pyStr(value);
    if (text !== "") into.add(text);
  }
}

function gatherUnsupported(
  specs: readonly SpecEntry[],
  params: Mutable,
  context: readonly string[],
  run: Run,
): void {
  const names = specs.map((spec) => spec.name).sort(pythonOrder);
  const aliases = specs.flatMap((spec) => spec.aliases).sort(pythonOrder);
  const legal = new Set([...names, ...aliases]);
  const supported = aliases.length > 0 ? `${names.join(", ")} (${aliases.join(", ")})` : names.join(", ");
  for (const key of Object.keys(params)) {
    if (!legal.has(key)) run.unsupported.push({ key: [...context, key].join("."), supported });
  }
}

function reportUnsupported(run: Run): void {
  if (run.unsupported.length === 0) return;
  const keys = run.unsupported.map((entry) => entry.key).sort(pythonOrder);
  const last = run.unsupported[run.unsupported.length - 1];
  const supported = last?.supported ?? "";
  run.errors.push({
    code: "unsupported",
    msg: `Unsupported parameters for (${run.moduleName}) module: ${keys.join(", ")}. Supported parameters include: ${supported}.`,
  });
}

/** Python sorts strings by code point; so does this (localeCompare would not). */
function pythonOrder(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** check_mutually_exclusive: key presence counts, even with a null value. */
function checkMutuallyExclusive(params: Mutable, run: Run): void {
  const groups = run.mutuallyExclusive.filter(
    (group) => group.filter((name) => Object.hasOwn(params, name)).length > 1,
  );
  if (groups.length > 0) {
    const text = groups.map((group) => group.join("|")).join(", ");
    run.errors.push({ code: "mutually_exclusive", msg: `parameters are mutually exclusive: ${text}` });
  }
}

/** _set_defaults: first only non-null defaults, at the end every missing key becomes null. */
function setDefaults(specs: readonly SpecEntry[], params: Mutable, includeNull: boolean): void {
  for (const spec of specs) {
    if (Object.hasOwn(params, spec.name)) continue;
    if (spec.default !== undefined) params[spec.name] = spec.default;
    else if (includeNull) params[spec.name] = null;
  }
}

/** check_required_arguments: the key must be present (a null value is enough). */
function checkRequired(
  specs: readonly SpecEntry[],
  params: Mutable,
  context: readonly string[],
  run: Run,
): void {
  const missing = specs
    .filter((spec) => spec.required && !Object.hasOwn(params, spec.name))
    .map((spec) => spec.name);
  if (missing.length > 0) {
    const msg = `missing required arguments: ${missing.sort(pythonOrder).join(", ")}`;
    run.errors.push({ code: "required", msg: withContext(msg, context) });
  }
}

function withContext(msg: string, context: readonly string[]): string {
  return context.length > 0 ? `${msg} found in ${context.join(" -> ")}` : msg;
}

/** _validate_argument_types, with its own message forms for options, suboptions and elements. */
function validateTypes(
  specs: readonly SpecEntry[],
  params: Mutable,
  context: readonly string[],
  run: Run,
): void {
  for (const spec of specs) {
    const value = params[spec.name];
    if (value === undefined) continue;
    if (value === null && !spec.required && spec.default === undefined) continue;
    const converted = convert(spec.type, value);
    if (!converted.ok) {
      const where = context.length > 0 ? ` found in '${context.join(" -> ")}'.` : "";
      const msg = `argument '${spec.name}' is of type ${pyTypeName(value)}${where} and we were unable to convert to ${spec.type}: ${converted.reason}`;
      run.errors.push({ code: context.length > 0 ? "sub_type" : "type", msg });
      continue;
    }
    params[spec.name] = converted.value;
    if (spec.elements !== undefined && isArgList(converted.value)) {
      params[spec.name] = convertElements(spec, converted.value, context, run);
    }
  }
}

function convertElements(spec: SpecEntry, items: ArgList, context: readonly string[], run: Run): ArgList {
  const wanted = spec.elements ?? "str";
  const result: ArgValue[] = [];
  for (const item of items) {
    const converted = convert(wanted, item);
    if (converted.ok) {
      result.push(converted.value);
      continue;
    }
    const where = context.length > 0 ? ` found in '${context.join(" -> ")}'` : "";
    const msg = `Elements value for option '${spec.name}'${where} is of type ${pyTypeName(item)} and we were unable to convert to ${wanted}: ${converted.reason}`;
    run.errors.push({ code: "elements", msg });
  }
  return result;
}

/** _validate_argument_values: choices, with PyYAML's True/False mapped back when unambiguous. */
function validateChoices(
  specs: readonly SpecEntry[],
  params: Mutable,
  context: readonly string[],
  run: Run,
): void {
  for (const spec of specs) {
    const value = params[spec.name];
    if (spec.choices === undefined || value === undefined || value === null) continue;
    const choice = matchChoice(spec.choices, value);
    if (choice !== undefined) {
      params[spec.name] = choice;
      continue;
    }
    const msg = `value of ${spec.name} must be one of: ${spec.choices.join(", ")}, got: ${pyStr(value)}`;
    run.errors.push({ code: "choices", msg: withContext(msg, context) });
  }
}

function matchChoice(choices: readonly string[], value: ArgValue): string | undefined {
  if (typeof value === "string" && choices.includes(value)) return value;
  const words = value === "True" ? BOOLEAN_TRUE_WORDS : value === "False" ? BOOLEAN_FALSE_WORDS : [];
  const overlap = choices.filter((choice) => words.includes(choice));
  return overlap.length === 1 ? overlap[0] : undefined;
}

/** _validate_sub_spec for the list-of-dicts options: each element is checked like a small module. */
function validateSubOptions(params: Mutable, run: Run): void {
  for (const spec of run.topLevel) {
    const value = params[spec.name];
    if (spec.suboptions === undefined || value === undefined || value === null) continue;
    const elements = isArgList(value) ? value : [value];
    const checked = elements.map((element, index) => validateElement(spec, element, index, run));
    params[spec.name] = checked;
  }
}

function validateElement(spec: SpecEntry, element: ArgValue, index: number, run: Run): ArgValue {
  const subSpecs = spec.suboptions ?? [];
  if (!isArgObject(element)) {
    run.errors.push({
      code: "sub_type",
      msg: `value of '${spec.name}' must be of type dict or list of dicts`,
    });
    return element;
  }
  const sub: Mutable = { ...element };
  const prefix = spec.type === "list" ? `${spec.name}[${index}].` : `${spec.name}.`;
  handleAliases(subSpecs, sub, prefix, run);
  collectNoLogValues(subSpecs, sub, run);
  gatherUnsupported(subSpecs, sub, [spec.name], run);
  checkLevel(subSpecs, sub, [spec.name], run);
  return sub;
}

type Converted =
  { readonly ok: true; readonly value: ArgValue } | { readonly ok: false; readonly reason: string };

/** Ansible's type checkers (module_utils/common/validation.py check_type_*). */
function convert(type: OptionType, value: ArgValue): Converted {
  switch (type) {
    case "str":
    case "path":
      // path also expands ~ and $VARS in Ansible; no option of this module is a path yet.
      return { ok: true, value: pyStr(value) };
    case "int":
      return toInt(value);
    case "bool":
      return toBool(value);
    case "list":
      return toList(value);
    case "dict":
      return toDict(value);
  }
}

const INT_TEXT = /^[+-]?\d+(?:_\d+)*$/;

/** check_type_int: ints and bools pass, strings go through Python's int(), floats are refused. */
function toInt(value: ArgValue): Converted {
  if (typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value))) {
    return { ok: true, value };
  }
  const text =
    value instanceof JsonBigInt ? value.text : typeof value === "string" ? value.trim() : undefined;
  if (text !== undefined && INT_TEXT.test(text)) {
    const parsed = Number(text.replace(/_/g, ""));
    if (Number.isSafeInteger(parsed)) return { ok: true, value: parsed + 0 };
    return {
      ok: false,
      reason: `${text} is out of range (the largest supported int is ${Number.MAX_SAFE_INTEGER})`,
    };
  }
  return { ok: false, reason: `${pyTypeName(value)} cannot be converted to an int` };
}

const BOOLEAN_TRUE_WORDS: readonly string[] = ["y", "yes", "on", "1", "true", "t"];
const BOOLEAN_FALSE_WORDS: readonly string[] = ["n", "no", "off", "0", "false", "f"];
/** Python prints a frozenset in a random order; this is one fixed order of the same members. */
const VALID_BOOLEANS = [
  ...BOOLEAN_TRUE_WORDS.map((word) => `'${word}'`),
  "1",
  ...BOOLEAN_FALSE_WORDS.map((word) => `'${word}'`),
  "0",
].join(", ");

/** check_type_bool: the word lists, plus the numbers 1, 0, 1.0, 0.0. */
function toBool(value: ArgValue): Converted {
  if (typeof value === "boolean") return { ok: true, value };
  const number = typeof value === "number" ? value : value instanceof JsonFloat ? value.value : undefined;
  if (typeof value === "string" || number !== undefined || value instanceof JsonBigInt) {
    const word = typeof value === "string" ? value.toLowerCase().trim() : undefined;
    if (number === 1 || (word !== undefined && BOOLEAN_TRUE_WORDS.includes(word)))
      return { ok: true, value: true };
    if (number === 0 || (word !== undefined && BOOLEAN_FALSE_WORDS.includes(word)))
      return { ok: true, value: false };
    return {
      ok: false,
      reason: `The value '${pyStr(value)}' is not a valid boolean.  Valid booleans include: ${VALID_BOOLEANS}`,
    };
  }
  return { ok: false, reason: `${pyTypeName(value)} cannot be converted to a bool` };
}

/** check_type_list: a string is split on commas with no trimming; a scalar becomes [str(v)]. */
function toList(value: ArgValue): Converted {
  if (isArgList(value)) return { ok: true, value };
  if (typeof value === "string") return { ok: true, value: value.split(",") };
  const isNumber = typeof value === "number" || value instanceof JsonFloat || value instanceof JsonBigInt;
  if (isNumber || typeof value === "boolean") return { ok: true, value: [pyStr(value)] };
  return { ok: false, reason: `${pyTypeName(value)} cannot be converted to a list` };
}

/** check_type_dict: JSON or a Python literal for "{...}", else k=v pairs, values staying strings. */
function toDict(value: ArgValue): Converted {
  if (isArgObject(value)) return { ok: true, value };
  if (typeof value !== "string")
    return { ok: false, reason: `${pyTypeName(value)} cannot be converted to a dict` };
  if (value.startsWith("{")) {
    for (const python of [false, true]) {
      const parsed = parseLosslessJson(value, { python });
      if (parsed.ok && isArgObject(parsed.value)) return { ok: true, value: parsed.value };
    }
    return { ok: false, reason: "unable to evaluate string as dictionary" };
  }
  if (value.includes("=")) return keyValueDict(value);
  return { ok: false, reason: "dictionary requested, could not parse JSON or key=value" };
}

/** The k=v parser of check_type_dict: comma or space separated, quotes and backslashes honoured. */
function keyValueDict(text: string): Converted {
  const fields = splitKeyValueFields(text.trim());
  const entries: [string, string][] = [];
  for (const [index, field] of fields.entries()) {
    const at = field.indexOf("=");
    if (at < 0) {
      return {
        ok: false,
        reason: `dictionary update sequence element #${index} has length 1; 2 is required`,
      };
    }
    entries.push([field.slice(0, at), field.slice(at + 1)]);
  }
  return { ok: true, value: Object.fromEntries(entries) };
}

function splitKeyValueFields(text: string): string[] {
  const fields: string[] = [];
  let buffer = "";
  let quote: string | undefined;
  let escaped = false;
  for (const char of text) {
    if (escaped) {
      buffer += char;
      escaped = false;
    } else if (char === "\\") {
      escaped = true;
    } else if (quote === undefined && (char === "'" || char === '"')) {
      quote = char;
    } else if (quote !== undefined && char === quote) {
      quote = undefined;
    } else if (quote === undefined && (char === "," || char === " ")) {
      if (buffer !== "") fields.push(buffer);
      buffer = "";
    } else {
      buffer += char;
    }
  }
  if (buffer !== "") fields.push(buffer);
  return fields;
}

/** The canonical options only (aliases dropped), in table order, as the typed gate sees them. */
function canonicalArgs(params: Mutable, topLevel: readonly SpecEntry[]): Mutable {
  const result: Mutable = {};
  for (const spec of topLevel) {
    const value = params[spec.name];
    result[spec.name] = value === undefined ? null : canonicalValue(spec, value);
  }
  return result;
}

function canonicalValue(spec: SpecEntry, value: ArgValue): ArgValue {
  // Python's bool is an int, so an int option keeps True; our typed Params hold its numeric value.
  if (spec.type === "int" && typeof value === "boolean") return value ? 1 : 0;
  if (spec.suboptions === undefined || !isArgList(value)) return value;
  return value.map((element) =>
    isArgObject(element) ? canonicalElement(spec.suboptions ?? [], element) : element,
  );
}

function canonicalElement(specs: readonly SpecEntry[], element: ArgObject): ArgObject {
  const result: Mutable = {};
  for (const spec of specs) {
    const value = element[spec.name];
    result[spec.name] = value === undefined ? null : canonicalValue(spec, value);
  }
  return result;
}

/**
 * What passed the module's generated schema is its typed params: the schema is generated from the same option
 * table as the params type, and the options tests check the two agree.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- P names the schema's type
function passedSchema<P>(value: Mutable): value is Mutable & P {
  return typeof value === "object";
}

/** The final typed gate: the coerced params must match the generated schema; then they are typed params. */
function gateWithSchema<P>(
  canonical: Mutable,
  validate: SchemaValidator,
  isParams: (value: Mutable) => value is Mutable & P,
): Failure | { readonly params: P } {
  if (validate(canonical) && isParams(canonical)) return { params: canonical };
  const error = validate.errors?.[0];
  return {
    code: "schema",
    msg: error === undefined ? "Options do not match the schema" : describeAjvError(error),
  };
}

/** Maps an ajv error's JSON pointer to an option path, e.g. /disk_mapping/0/disk_size. */
export function describeAjvError(error: ErrorObject): string {
  const parts = error.instancePath.split("/").slice(1).map(decodePointer);
  const path = parts.reduce(
    (text, part) => (/^\d+$/.test(part) ? `${text}[${part}]` : text === "" ? part : `${text}.${part}`),
    "",
  );
  return `Option ${path === "" ? "(top level)" : path} ${error.message ?? "is invalid"}`;
}

function decodePointer(part: string): string {
  return part.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Turns args values into plain JSON (big integers as their decimal text), for echoing. */
export function toJsonValue(value: ArgValue): JsonValue {
  if (value instanceof JsonBigInt) return value.text;
  if (value instanceof JsonFloat) return value.value;
  if (isArgList(value)) return value.map(toJsonValue);
  if (isArgObject(value)) return toJsonRecord(value);
  return value;
}

function toJsonRecord(value: ArgObject): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonValue(item)]));
}
