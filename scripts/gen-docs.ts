// Writes the files generated from the option table: the JSON Schema, the README option table, and the
// Python shim's DOCUMENTATION, EXAMPLES and RETURN.
import { readFileSync, writeFileSync } from "node:fs";

import {
  README_PATH,
  SCHEMA_PATH,
  renderOptionsTable,
  renderSchemaJson,
  replaceOptionsSection,
} from "../src/module/schema";
import { SHIM_PATH, readExamplePlaybooks, renderShimDocs, replaceShimDocs } from "./shim-docs";

/** Regenerates the generated files; run from the repository root (npm run gen does). */
function main(): void {
  writeFileSync(SCHEMA_PATH, renderSchemaJson());
  const readme = readFileSync(README_PATH, "utf8");
  writeFileSync(README_PATH, replaceOptionsSection(readme, renderOptionsTable()));
  const shim = readFileSync(SHIM_PATH, "utf8");
  writeFileSync(SHIM_PATH, replaceShimDocs(shim, renderShimDocs(readExamplePlaybooks("."))));
}

main();
