/**
 * The args file: read Ansible's JSON args text into plain values without losing precision.
 *
 * Ansible's Python side parses numbers with arbitrary precision, so `12345678901234567890` stays
 * exact there. `JSON.parse` would round it, so this file carries a small lossless JSON parser:
 * integers beyond Number.MAX_SAFE_INTEGER become `JsonBigInt`, and every float becomes `JsonFloat`
 * (keeping the source text when the double cannot represent it exactly), so Python's `str()` and
 * `int()` rules can be applied faithfully later.
 *
 * Duplicate keys: the last one wins, as in Python's `json.loads` (Ansible itself never writes them).
 */
import { readFileSync, statSync } from "node:fs";

/** An integer too large for a JS number, kept as its exact decimal text. */
export class JsonBigInt {
  constructor(readonly text: string) {}
}

/** A JSON number written as a float (`1.0`, `1e3`): Python sees a float, not an int. */
export class JsonFloat {
  /** `text` is Python's `str()` of the value, or the exact source text when the double would round it. */
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

/** One value of the args file. */
export type ArgValue = null | boolean | number | string | JsonBigInt | JsonFloat | ArgList | ArgObject;
/** A JSON array of the args file. */
export type ArgList = readonly ArgValue[];
/** A JSON object of the args file. */
export interface ArgObject {
  readonly [key: string]: ArgValue;
}

/** Why the args file could not be used. */
export interface ArgsError {
  readonly code: "unreadable" | "empty" | "invalid_json" | "not_object";
  readonly msg: string;
}

/** The outcome of reading the args file: the flat args object, or an error value. */
export type ArgsResult =
  { readonly ok: true; readonly args: ArgObject } | { readonly ok: false; readonly error: ArgsError };

/**
 * The largest args file read (16 MiB). Ansible writes a few kilobytes of options; a huge file is a mistake
 * or an attack, and refusing it before parsing keeps such a run fast and its memory small.
 */
export const MAX_ARGS_FILE_BYTES = 16 * 1024 * 1024;

/** Reads and parses the args file at `path` for the module `moduleName` (named in a usage hint); never throws. */
export function readArgsFile(path: string | undefined, moduleName: string): ArgsResult {
  if (path === undefined || path === "") {
    return fail("unreadable", `No args file given: run it as node ${moduleName}.js ARGS_FILE`);
  }
  let text: string;
  try {
    const bytes = statSync(path).size;
    if (bytes > MAX_ARGS_FILE_BYTES) {
      return fail(
        "unreadable",
        `The args file ${path} is ${bytes} bytes, over the limit of ${MAX_ARGS_FILE_BYTES} bytes for module options`,
      );
    }
    text = readFileSync(path, "utf8");
  } catch (error: unknown) {
    // Checked structurally: errors from node:fs may come from another realm (e.g. under jest).
    const code =
      typeof error === "object" && error !== null && "code" in error ? String(error.code) : "unknown error";
    return fail("unreadable", `Cannot read the args file ${path}: ${code}`);
  }
  return parseArgsText(text, `the args file ${path}`);
}

/** The text with its first letter in upper case, to start a message. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Parses args text: a flat object, or one wrapped in `{"ANSIBLE_MODULE_ARGS": {...}}`. */
export function parseArgsText(text: string, source = "the args file"): ArgsResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.trim() === "") {
    return fail("empty", `${capitalize(source)} is empty: expected a JSON object of module options`);
  }
  const parsed = parseLosslessJson(body);
  if (!parsed.ok) {
    return fail("invalid_json", `${capitalize(source)} is not valid JSON: ${parsed.msg}`);
  }
  const value = unwrap(parsed.value);
  if (!isArgObject(value)) {
    return fail(
      "not_object",
      `${capitalize(source)} must hold a JSON object of module options, got ${jsonKind(value)}`,
    );
  }
  return { ok: true, args: value };
}

/** True for a JSON object value (not an array, not a number wrapper). */
export function isArgObject(value: ArgValue | undefined): value is ArgObject {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof JsonBigInt) &&
    !(value instanceof JsonFloat)
  );
}

/** True for a JSON array value. */
export function isArgList(value: ArgValue | undefined): value is ArgList {
  return Array.isArray(value);
}

function unwrap(value: ArgValue): ArgValue {
  if (isArgObject(value) && "ANSIBLE_MODULE_ARGS" in value) {
    return value.ANSIBLE_MODULE_ARGS ?? null;
  }
  return value;
}

function jsonKind(value: ArgValue): string {
  if (value === null) return "null";
  if (isArgList(value)) return "an array";
  if (typeof value === "string") return "a string";
  if (typeof value === "boolean") return "a boolean";
  return "a number";
}

function fail(code: ArgsError["code"], msg: string): ArgsResult {
  return { ok: false, error: { code, msg } };
}

type ParseResult =
  { readonly ok: true; readonly value: ArgValue } | { readonly ok: false; readonly msg: string };

/** Thrown only inside the parser and caught by parseLosslessJson. */
class JsonSyntaxError extends Error {}

/** Parses JSON text, keeping big integers and inexact floats as their source text. */
export function parseLosslessJson(text: string, options: { readonly python?: boolean } = {}): ParseResult {
  const parser = new LosslessParser(text, options.python ?? false);
  try {
    const value = parser.parseDocument();
    return { ok: true, value };
  } catch (error: unknown) {
    if (error instanceof JsonSyntaxError) return { ok: false, msg: error.message };
    throw error;
  }
}

const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

const JSON_WORDS = [
  ["true", true],
  ["false", false],
  ["null", null],
] as const;
const PYTHON_WORDS = [
  ["True", true],
  ["False", false],
  ["None", null],
] as const;

/** A small recursive-descent JSON parser (RFC 8259) with lossless numbers. */
class LosslessParser {
  private pos = 0;

  /** `python`: also accept Python literals ('single quotes', True, False, None), as Ansible's safe_eval does. */
  constructor(
    private readonly text: string,
    private readonly python: boolean,
  ) {}

  parseDocument(): ArgValue {
    const value = this.parseValue(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.error("unexpected text after the JSON value");
    return value;
  }

  private parseValue(depth: number): ArgValue {
    if (depth > 512) this.error("nesting is too deep");
    this.skipSpace();
    const char = this.text[this.pos];
    if (char === "{") return this.parseObject(depth);
    if (char === "[") return this.parseArray(depth);
    if (char === '"' || (this.python && char === "'")) return this.parseString();
    if (char === "-" || (char !== undefined && char >= "0" && char <= "9")) return this.parseNumber();
    for (const [word, value] of this.python ? PYTHON_WORDS : JSON_WORDS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.error(char === undefined ? "unexpected end of input" : `unexpected character '${char}'`);
  }

  private parseObject(depth: number): ArgObject {
    const result: Record<string, ArgValue> = {};
    this.pos += 1;
    this.skipSpace();
    if (this.eat("}")) return result;
    for (;;) {
      this.skipSpace();
      const quote = this.text[this.pos];
      if (quote !== '"' && !(this.python && quote === "'"))
        this.error("expected a property name in double quotes");
      const key = this.parseString();
      this.skipSpace();
      if (!this.eat(":")) this.error("expected ':' after a property name");
      // Last duplicate wins, as in Python's json.loads; defineProperty keeps "__proto__" an ordinary key.
      Object.defineProperty(result, key, {
        value: this.parseValue(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      if (this.eat("}")) return result;
      if (!this.eat(",")) this.error("expected ',' or '}' in an object");
    }
  }

  private parseArray(depth: number): ArgList {
    const result: ArgValue[] = [];
    this.pos += 1;
    this.skipSpace();
    if (this.eat("]")) return result;
    for (;;) {
      result.push(this.parseValue(depth + 1));
      this.skipSpace();
      if (this.eat("]")) return result;
      if (!this.eat(",")) this.error("expected ',' or ']' in an array");
    }
  }

  private parseString(): string {
    const quote = this.text[this.pos];
    let result = "";
    this.pos += 1;
    for (;;) {
      const char = this.text[this.pos];
      if (char === undefined) return this.error("unterminated string");
      this.pos += 1;
      if (char === quote) return result;
      if (char < " ") this.error("control character in a string");
      result += char === "\\" ? this.parseEscape() : char;
    }
  }

  private parseEscape(): string {
    const char = this.text[this.pos];
    this.pos += 1;
    if (char === "u") {
      const hex = this.text.slice(this.pos, this.pos + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.error("invalid \\u escape");
      this.pos += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    if (this.python && char === "'") return char;
    const escaped = char === undefined ? undefined : ESCAPES[char];
    return escaped ?? this.error("invalid escape in a string");
  }

  private parseNumber(): ArgValue {
    NUMBER_PATTERN.lastIndex = this.pos;
    const match = NUMBER_PATTERN.exec(this.text);
    if (match === null) return this.error("invalid number");
    const source = match[0];
    this.pos += source.length;
    return toNumberValue(source);
  }

  private skipSpace(): void {
    while (/^[ \t\n\r]$/.test(this.text[this.pos] ?? "")) this.pos += 1;
  }

  private eat(char: string): boolean {
    if (this.text[this.pos] !== char) return false;
    this.pos += 1;
    return true;
  }

  private error(reason: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split("\n").length;
    const column = this.pos - before.lastIndexOf("\n");
    throw new JsonSyntaxError(`${reason} at line ${line} column ${column}`);
  }
}

/** Turns a JSON number token into an exact value: safe int, JsonBigInt, or JsonFloat. */
export function toNumberValue(source: string): number | JsonBigInt | JsonFloat {
  const isFloat = /[.eE]/.test(source);
  const value = Number(source);
  if (!isFloat) {
    return Number.isSafeInteger(value) ? value + 0 : new JsonBigInt(source);
  }
  const pythonText = pyFloatText(value);
  const exact = Number.isFinite(value) && sameDecimal(pythonText, source);
  return new JsonFloat(value, exact ? pythonText : source);
}

/** Python's `repr(float)`: shortest round-trip digits, `1.0`, `1e+16`, `1.5e-05`, `inf`, `nan`. */
export function pyFloatText(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const [mantissa = "0", exponentText = "0"] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace(/^-/, "").replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const expSign = exponent < 0 ? "-" : "+";
    return `${sign}${digits[0] ?? "0"}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole.slice(0, exponent + 1)}.${fraction === "" ? "0" : fraction}`;
}

/** True when two decimal texts denote the same number exactly (compares digits and scale). */
function sameDecimal(a: string, b: string): boolean {
  return normalizeDecimal(a) === normalizeDecimal(b);
}

function normalizeDecimal(text: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null) return text;
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match;
  const digits = `${whole}${fraction}`.replace(/^0+/, "");
  if (digits === "") return "0";
  const scale = Number(exponent) - fraction.length + (digits.length - digits.replace(/0+$/, "").length);
  return `${sign}${digits.replace(/0+$/, "")}e${scale}`;
}

/** Python's `type(value)` text as Ansible prints it, e.g. `<class 'str'>`. */
export function pyTypeName(value: ArgValue): string {
  return `<class '${pyTypeWord(value)}'>`;
}

function pyTypeWord(value: ArgValue): string {
  if (value === null) return "NoneType";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (value instanceof JsonBigInt) return "int";
  if (value instanceof JsonFloat) return "float";
  return isArgList(value) ? "list" : "dict";
}

/** Python's `str(value)`: `True`, `None`, `4`, `1.5`, `['a', 'b']`, `{'a': 1}`. */
export function pyStr(value: ArgValue): string {
  return typeof value === "string" ? value : pyRepr(value);
}

/** Python's `repr(value)` for the values JSON can carry. */
export function pyRepr(value: ArgValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return pyReprString(value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pyFloatText(value);
  if (value instanceof JsonBigInt || value instanceof JsonFloat) return value.text;
  if (isArgList(value)) return `[${value.map(pyRepr).join(", ")}]`;
  const entries = Object.entries(value).map(([key, item]) => `${pyReprString(key)}: ${pyRepr(item)}`);
  return `{${entries.join(", ")}}`;
}

function pyReprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let result = "";
  for (const char of text) {
    result += pyEscapeChar(char, quote);
  }
  return `${quote}${result}${quote}`;
}

function pyEscapeChar(char: string, quote: string): string {
  if (char === "\\" || char === quote) return `\\${char}`;
  if (char === "\n") return "\\n";
  if (char === "\r") return "\\r";
  if (char === "\t") return "\\t";
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return `\\x${code.toString(16).padStart(2, "0")}`;
  return char;
}
