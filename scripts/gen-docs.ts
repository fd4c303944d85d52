// Writes the files generated from the option table: the JSON Schema and the README option table.
import { readFileSync, writeFileSync } from "node:fs";

import {
  README_PATH,
  SCHEMA_PATH,
  renderOptionsTable,
  renderSchemaJson,
  replaceOptionsSection,
} from "../src/module/schema";

/** Regenerates both files; run from the repository root (npm run gen does). */
function main(): void {
  writeFileSync(SCHEMA_PATH, renderSchemaJson());
  const readme = readFileSync(README_PATH, "utf8");
  writeFileSync(README_PATH, replaceOptionsSection(readme, renderOptionsTable()));
}

main();
