import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { Mutability, OptionSpec } from "../../../src/module/options";
import { OPTIONS, findOption, optionNamesWith } from "../../../src/module/options";

/** One row of the seed document's HTML option table. */
interface SeedOption {
  readonly name: string;
  readonly required: boolean;
  readonly default: string;
  readonly choices: string[];
  readonly aliases: string[];
  readonly env: string[];
}

const SEED_PATH = join(__dirname, "../../../../shared/seed/ecs_ami.rst");
const SEED = readFileSync(SEED_PATH, "utf8");

function parseSeedOptions(text: string): SeedOption[] {
  const table = text.slice(text.indexOf("<table"), text.indexOf("</table>"));
  const rows = table.split("<tr>").slice(2);
  return rows.map((row) => {
    const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((match) => match[1] ?? "");
    const [name = "", required = "", fallback = "", choices = "", comments = ""] = cells;
    return {
      name: name.split("<br/>")[0]?.trim() ?? "",
      required: required.trim() === "yes",
      default: fallback.trim(),
      choices: [...choices.matchAll(/<li>([^<]*)<\/li>/g)].map((match) => match[1] ?? ""),
      aliases: (/aliases: ([^<]+)/.exec(comments)?.[1] ?? "")
        .split(",")
        .map((alias) => alias.trim())
        .filter((alias) => alias !== ""),
      env: [...comments.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] ?? ""),
    };
  });
}

function seedNoteEnvVars(text: string): string[] {
  const notes = text.slice(text.indexOf("Notes"));
  return [...notes.matchAll(/``([A-Z][A-Z0-9_]+)``/g)].map((match) => match[1] ?? "");
}

/** The seed writes a bool's default and choices as yes/no. */
function seedDefaultOf(spec: OptionSpec): string {
  if (spec.default === undefined) return "";
  if (typeof spec.default === "boolean") return spec.default ? "yes" : "no";
  return String(spec.default);
}

const SEED_OPTIONS = parseSeedOptions(SEED);

describe("OPTIONS keeps every option of seed/ecs_ami.rst", () => {
  test("the seed's table parses into its 15 options", () => {
    expect(SEED_OPTIONS.map((option) => option.name)).toHaveLength(15);
  });

  test.each(SEED_OPTIONS.map((option) => [option.name, option] as const))("%s", (name, seed) => {
    const spec = findOption(name);
    expect(spec).toBeDefined();
    if (spec === undefined) return;
    expect(spec.required).toBe(seed.required);
    expect(seedDefaultOf(spec)).toBe(seed.default);
    if (spec.type === "bool") expect(seed.choices).toEqual(expect.arrayContaining(["yes", "no"]));
    else expect(spec.choices ?? []).toEqual(seed.choices);
    // The seed's aliases come first, in the documented order; later additions follow them.
    expect(spec.aliases.slice(0, seed.aliases.length)).toEqual(seed.aliases);
    expect(spec.env.slice(0, seed.env.length)).toEqual(seed.env);
  });

  test("every env var of the seed's notes is a fallback of some option", () => {
    const documented = seedNoteEnvVars(SEED);
    expect(documented.length).toBeGreaterThanOrEqual(9);
    const all = OPTIONS.flatMap((spec) => spec.env);
    expect(all).toEqual(expect.arrayContaining(documented));
  });
});

describe("OPTIONS holds the additions of issue 3", () => {
  test.each<[string, Partial<OptionSpec>]>([
    ["acs_access_key", { noLog: false, aliases: ["ecs_access_key", "access_key", "alicloud_access_key"] }],
    [
      "acs_secret_access_key",
      { noLog: true, aliases: ["ecs_secret_key", "secret_key", "alicloud_secret_key"] },
    ],
    ["region", { aliases: ["acs_region", "ecs_region", "alicloud_region"] }],
    [
      "security_token",
      {
        noLog: true,
        aliases: ["acs_security_token", "alicloud_security_token"],
        env: [
          "ACS_SECURITY_TOKEN",
          "ECS_SECURITY_TOKEN",
          "ALICLOUD_SECURITY_TOKEN",
          "ALIBABA_CLOUD_SECURITY_TOKEN",
        ],
      },
    ],
    ["endpoint", { aliases: ["ecs_endpoint"], env: ["ACS_ENDPOINT", "ECS_ENDPOINT"] }],
    ["force", { type: "bool", default: false }],
    ["wait", { type: "bool", default: false }],
    ["wait_timeout", { type: "int", default: 300 }],
    ["status", { choices: ["present", "absent"], default: "present", aliases: ["state"] }],
    ["images_tags", { type: "list", elements: "dict", aliases: ["tags"] }],
    ["launch_permission", { type: "list", elements: "str" }],
    ["image_version", { type: "str", mutability: "create-only" }],
  ])("%s", (name, expected) => {
    expect(findOption(name)).toMatchObject(expected);
  });

  test("the env fallbacks keep the documented order, the later generation after", () => {
    expect(findOption("acs_access_key")?.env).toEqual([
      "ACS_ACCESS_KEY_ID",
      "ACS_ACCESS_KEY",
      "ECS_ACCESS_KEY",
      "ALICLOUD_ACCESS_KEY",
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
    ]);
    expect(findOption("acs_secret_access_key")?.env).toEqual([
      "ACS_SECRET_ACCESS_KEY",
      "ACS_SECRET_KEY",
      "ECS_SECRET_KEY",
      "ALICLOUD_SECRET_KEY",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ]);
    expect(findOption("region")?.env).toEqual([
      "ACS_REGION",
      "ACS_DEFAULT_REGION",
      "ECS_REGION",
      "ALICLOUD_REGION",
      "ALIBABA_CLOUD_REGION_ID",
    ]);
  });

  test("no alias is shared by two options or shadows an option", () => {
    const names = OPTIONS.flatMap((spec) => [spec.name, ...spec.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("optionNamesWith() lists options by mutability", () => {
  test.each<[Mutability, string[]]>([
    [
      "create-only",
      [
        "image_version",
        "instance_id",
        "snapshot_id",
        "disk_mapping",
        "architecture",
        "platform",
        "resource_group_id",
      ],
    ],
    [
      "updatable",
      ["image_name", "description", "images_tags", "launch_permission", "boot_mode", "image_family"],
    ],
  ])("%s", (mutability, expected) => {
    expect(optionNamesWith(mutability)).toEqual(expected);
  });
});
