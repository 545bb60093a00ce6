/**
 * `npm run schemas`: writes `schemas/<document>.schema.json` from the documents' shape. Run it after
 * changing `src/manifest/shape.ts` or `src/manifest/patterns.ts`; a test fails until the files match.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderSchema, schemaFileName, SCHEMA_DOCUMENTS, type SchemaDocument } from "../src/schema/generate.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
for (const document of Object.keys(SCHEMA_DOCUMENTS) as SchemaDocument[]) {
  const file = join(root, "schemas", schemaFileName(document));
  writeFileSync(file, renderSchema(document));
  process.stdout.write(`wrote ${file}\n`);
}
