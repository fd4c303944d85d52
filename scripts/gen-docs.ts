// Writes the files generated from the option table: the JSON Schema, the README option table, and the
// Python shim's DOCUMENTATION, EXAMPLES and RETURN.
import { readFileSync, writeFileSync } from "node:fs";

import { ECS_AMI_INFO_MODULE } from "../src/module/info-options";
import {
  README_PATH,
  SCHEMA_PATH,
  optionsMarkersOf,
  renderOptionsTable,
  renderSchemaJson,
  replaceOptionsSection,
  schemaPathOf,
} from "../src/module/schema";
import {
  INFO_SHIM_PATH,
  SHIM_PATH,
  readExamplePlaybooks,
  renderInfoShimDocs,
  renderShimDocs,
  replaceInfoShimDocs,
  replaceShimDocs,
} from "./shim-docs";

/** Regenerates the generated files; run from the repository root (npm run gen does). */
function main(): void {
  writeFileSync(SCHEMA_PATH, renderSchemaJson());
  const readme = readFileSync(README_PATH, "utf8");
  writeFileSync(README_PATH, replaceOptionsSection(readme, renderOptionsTable()));
  const shim = readFileSync(SHIM_PATH, "utf8");
  writeFileSync(SHIM_PATH, replaceShimDocs(shim, renderShimDocs(readExamplePlaybooks("."))));
  writeFileSync(schemaPathOf(ECS_AMI_INFO_MODULE), renderSchemaJson(ECS_AMI_INFO_MODULE));
  const withInfo = readFileSync(README_PATH, "utf8");
  const table = renderOptionsTable(ECS_AMI_INFO_MODULE);
  writeFileSync(README_PATH, replaceOptionsSection(withInfo, table, optionsMarkersOf(ECS_AMI_INFO_MODULE)));
  const infoShim = readFileSync(INFO_SHIM_PATH, "utf8");
  writeFileSync(INFO_SHIM_PATH, replaceInfoShimDocs(infoShim, renderInfoShimDocs()));
}

main();
