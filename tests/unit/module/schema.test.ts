import { readFileSync } from "node:fs";
import { join } from "node:path";

import { ECS_AMI_INFO_MODULE } from "../../../src/module/info-options";
import {
  README_PATH,
  SCHEMA_PATH,
  buildSchema,
  createAjv,
  optionsMarkersOf,
  renderOptionsTable,
  renderSchemaJson,
  replaceOptionsSection,
  schemaPathOf,
} from "../../../src/module/schema";
import { INFO_SHIM_PATH, renderInfoShimDocs, replaceInfoShimDocs } from "../../../scripts/shim-docs";

const ROOT = join(__dirname, "../../..");

describe("the generated files are fresh (run npm run gen when this fails)", () => {
  test(`${SCHEMA_PATH} matches the option table`, () => {
    expect(readFileSync(join(ROOT, SCHEMA_PATH), "utf8")).toBe(renderSchemaJson());
  });

  test(`${README_PATH} option table matches the option table`, () => {
    const readme = readFileSync(join(ROOT, README_PATH), "utf8");
    expect(readme).toBe(replaceOptionsSection(readme, renderOptionsTable()));
  });

  test("the ecs_ami_info schema, README table and shim docs match its option table", () => {
    const info = ECS_AMI_INFO_MODULE;
    expect(readFileSync(join(ROOT, schemaPathOf(info)), "utf8")).toBe(renderSchemaJson(info));
    const readme = readFileSync(join(ROOT, README_PATH), "utf8");
    expect(readme).toBe(replaceOptionsSection(readme, renderOptionsTable(info), optionsMarkersOf(info)));
    const shim = readFileSync(join(ROOT, INFO_SHIM_PATH), "utf8");
    expect(shim).toBe(replaceInfoShimDocs(shim, renderInfoShimDocs()));
  });

  test("the ecs_ami_info schema accepts its defaults and refuses an unknown owner", () => {
    const validate = createAjv({ fast: true }).compile(buildSchema(ECS_AMI_INFO_MODULE));
    const base = { acs_access_key: null, acs_secret_access_key: null, security_token: null, region: "r" };
    const valid = { ...base, endpoint: null, image_ids: null, image_names: ["a"], tags: null, owner: "self" };
    expect(validate(valid)).toBe(true);
    expect(validate({ ...valid, owner: "me" })).toBe(false);
  });

  test("renderSchemaJson() is deterministic and ends with a newline", () => {
    expect(renderSchemaJson()).toBe(renderSchemaJson());
    expect(renderSchemaJson().endsWith("}\n")).toBe(true);
  });
});

describe("buildSchema() compiles in ajv's strict mode and describes the args", () => {
  const validate = createAjv().compile(buildSchema());

  test.each<[string, unknown, boolean]>([
    ["an empty object", {}, true],
    [
      "known and future _ansible_ keys",
      { _ansible_check_mode: true, _ansible_whatever_next: { a: 1 } },
      true,
    ],
    ["an unknown option", { bogus: 1 }, false],
    ["a wrong choice", { status: "gone" }, false],
    ["a loose type (coercion is params.ts's job)", { wait: "yes" }, false],
    ["a disk without a device", { disk_mapping: [{ disk_size: 5 }] }, false],
    [
      "a full valid set",
      {
        image_name: "x",
        wait: true,
        wait_timeout: 10,
        disk_mapping: [{ device: "/dev/xvda", disk_size: null, snapshot_id: "s" }],
      },
      true,
    ],
  ])("%s", (_name, value, valid) => {
    expect(validate(value)).toBe(valid);
  });

  test("buildSchema() carries the annotations", () => {
    const schema = JSON.parse(renderSchemaJson()) as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.acs_secret_access_key).toMatchObject({
      "x-no-log": true,
      "x-aliases": ["ecs_secret_key", "secret_key", "alicloud_secret_key"],
    });
    expect(schema.properties.image_version).toMatchObject({ "x-mutability": "create-only" });
    expect(schema.properties.region?.["x-env"]).toEqual([
      "ACS_REGION",
      "ACS_DEFAULT_REGION",
      "ECS_REGION",
      "ALICLOUD_REGION",
      "ALIBABA_CLOUD_REGION_ID",
    ]);
  });
});

describe("replaceOptionsSection() touches only the text between the markers", () => {
  test("replaceOptionsSection() keeps the rest of the README", () => {
    const readme = "# T\n\nintro\n\n<!-- options:start -->\nold\n<!-- options:end -->\n\nafter\n";
    expect(replaceOptionsSection(readme, "| a |")).toBe(
      "# T\n\nintro\n\n<!-- options:start -->\n\n| a |\n\n<!-- options:end -->\n\nafter\n",
    );
  });

  test("replaceOptionsSection() fails loudly without markers", () => {
    expect(() => replaceOptionsSection("# T\n", "x")).toThrow(
      "README has no <!-- options:start --> ... <!-- options:end --> section",
    );
  });
});
