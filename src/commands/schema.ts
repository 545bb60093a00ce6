/**
 * `endpoint-kit schema <manifest|group|endpoint>`: prints the JSON Schema of one plugin document,
 * the same text as `schemas/<document>.schema.json` in the package.
 */
import { EXIT } from "../errors.js";
import { renderSchema, type SchemaDocument } from "../schema/generate.js";
import type { Io } from "../terminal/io.js";

export function runSchema(document: SchemaDocument, io: Io): Promise<number> {
  io.stdout.write(renderSchema(document));
  return Promise.resolve(EXIT.ok);
}
