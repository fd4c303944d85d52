import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  JsonBigInt,
  JsonFloat,
  parseArgsText,
  parseLosslessJson,
  pyFloatText,
  pyRepr,
  readArgsFile,
} from "../../../src/module/args";

describe("parseArgsText() turns every bad file into an error value", () => {
  test.each<[string, string, string, RegExp]>([
    ["empty", "", "empty", /args file is empty/],
    ["only spaces", "  \n ", "empty", /args file is empty/],
    ["an array", "[1, 2]", "not_object", /must hold a JSON object of module options, got an array/],
    ["a string", '"x"', "not_object", /got a string/],
    ["a number", "42", "not_object", /got a number/],
    ["null", "null", "not_object", /got null/],
    ["a wrapper around an array", '{"ANSIBLE_MODULE_ARGS": []}', "not_object", /got an array/],
    [
      "invalid JSON",
      '{"a": }',
      "invalid_json",
      /not valid JSON: unexpected character '}' at line 1 column 7/,
    ],
    ["trailing text", '{"a": 1} x', "invalid_json", /unexpected text after the JSON value/],
    ["unterminated", '{"a": "b', "invalid_json", /unterminated string/],
    ["single quotes", "{'a': 1}", "invalid_json", /property name in double quotes/],
    ["old-style k=v", "name='foo bar' n=4", "invalid_json", /not valid JSON/],
  ])("%s", (_name, text, code, msg) => {
    const result = parseArgsText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.msg).toMatch(msg);
    }
  });
});

describe("parseArgsText() reads Ansible's flat object and the wrapper", () => {
  test.each<[string, string, Record<string, unknown>]>([
    [
      "flat",
      '{"image_name": "x", "_ansible_check_mode": false}',
      { image_name: "x", _ansible_check_mode: false },
    ],
    ["wrapped", '{"ANSIBLE_MODULE_ARGS": {"image_name": "x"}}', { image_name: "x" }],
    ["duplicate keys: last wins like Python", '{"a": 1, "a": 2}', { a: 2 }],
    ["escapes", '{"a": "\\u00e9\\n\\"\\/"}', { a: 'é\n"/' }],
    ["a byte order mark", '\uFEFF{"a": true}', { a: true }],
    ["__proto__ is an ordinary key", '{"__proto__": 1}', { ["__proto__"]: 1 }],
  ])("%s", (_name, text, expected) => {
    const result = parseArgsText(text);
    expect(result.ok && { ...result.args }).toEqual(expected);
  });
});

describe("parseLosslessJson() never rounds a number", () => {
  test.each<[string, unknown]>([
    ["12345678901234567890", new JsonBigInt("12345678901234567890")],
    ["-99999999999999999999", new JsonBigInt("-99999999999999999999")],
    ["9007199254740991", 9007199254740991],
    ["-0", 0],
    ["1.0", new JsonFloat(1, "1.0")],
    ["1.50", new JsonFloat(1.5, "1.5")],
    ["1e3", new JsonFloat(1000, "1000.0")],
    ["0.1000000000000000055511151231257827", new JsonFloat(0.1, "0.1000000000000000055511151231257827")],
    ["1e400", new JsonFloat(Infinity, "1e400")],
  ])("%s", (text, expected) => {
    const result = parseLosslessJson(text);
    expect(result.ok && result.value).toEqual(expected);
  });

  test.each<[number, string]>([
    [1, "1.0"],
    [1.5, "1.5"],
    [1e16, "1e+16"],
    [1.5e-5, "1.5e-05"],
    [0.0001, "0.0001"],
    [123456789.125, "123456789.125"],
    [-2.5, "-2.5"],
    [1e22, "1e+22"],
  ])("pyFloatText(%p) is %p", (value, expected) => {
    expect(pyFloatText(value)).toBe(expected);
  });

  test("pyRepr() prints values as Python's repr", () => {
    expect(pyRepr(["a", "it's", 'say "hi"', 1, true, null, { k: new JsonFloat(2, "2.0") }])).toBe(
      "['a', \"it's\", 'say \"hi\"', 1, True, None, {'k': 2.0}]",
    );
  });
});

describe("readArgsFile() reads the file named on the command line", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "args-test-"));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("readArgsFile() parses a file", () => {
    const path = join(dir, "args");
    writeFileSync(path, '{"wait_timeout": 12345678901234567890}');
    const result = readArgsFile(path, "ecs_ami");
    expect(result.ok && result.args.wait_timeout).toEqual(new JsonBigInt("12345678901234567890"));
  });

  test("readArgsFile() reports a missing file as a value", () => {
    const result = readArgsFile(join(dir, "missing"), "ecs_ami");
    expect(!result.ok && result.error).toEqual({
      code: "unreadable",
      msg: `Cannot read the args file ${join(dir, "missing")}: ENOENT`,
    });
  });

  test.each(["ecs_ami", "ecs_ami_info"])(
    "readArgsFile() reports a missing argument as a value (%s)",
    (name) => {
      expect(readArgsFile(undefined, name)).toEqual({
        ok: false,
        error: { code: "unreadable", msg: `No args file given: run it as node ${name}.js ARGS_FILE` },
      });
    },
  );
});
