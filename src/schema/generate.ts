/**
 * The JSON Schemas (draft-07, what yaml-language-server reads best) of the plugin documents,
 * generated from `src/manifest/shape.ts`, the shape the rules read. Pure: `endpoint-kit schema`
 * prints one, `scripts/write-schemas.ts` writes them to `schemas/`, and a test checks the committed
 * files are exactly what this produces.
 */
import { SHAPES, type Field, type Fragment, type ObjectName, type ObjectShape } from "../manifest/shape.js";

/** The documents a schema is published for, and the object at the root of each. */
export const SCHEMA_DOCUMENTS = { manifest: "manifest", group: "group", endpoint: "endpoint" } as const satisfies Record<string, ObjectName>;
export type SchemaDocument = keyof typeof SCHEMA_DOCUMENTS;

const TITLES: Record<SchemaDocument, string> = {
  manifest: "Dify plugin manifest (manifest.yaml)",
  group: "Dify endpoint group",
  endpoint: "Dify endpoint",
};

/** The file name of a document's schema in `schemas/`. */
export function schemaFileName(document: SchemaDocument): string {
  return `${document}.schema.json`;
}

export function isSchemaDocument(name: string): name is SchemaDocument {
  return Object.hasOwn(SCHEMA_DOCUMENTS, name);
}

/** The schema of one document, as a plain JSON value. */
export function generateSchema(document: SchemaDocument): Record<string, unknown> {
  const root = SCHEMA_DOCUMENTS[document];
  const reached = new Set<ObjectName>();
  const body = objectSchema(SHAPES[root], reached);
  const definitions: Record<string, unknown> = {};
  // Definitions reached from definitions are added as they are found, in a stable order.
  for (let added = true; added;) {
    added = false;
    for (const name of [...reached].sort()) {
      if (name === root || Object.hasOwn(definitions, name)) continue;
      definitions[name] = objectSchema(SHAPES[name], reached);
      added = true;
    }
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: TITLES[document],
    ...body,
    ...(Object.keys(definitions).length > 0 ? { definitions: sortKeys(definitions) } : {}),
  };
}

/** The schema as written to `schemas/` and printed by `endpoint-kit schema`. */
export function renderSchema(document: SchemaDocument): string {
  return `${JSON.stringify(generateSchema(document), null, 2)}\n`;
}

function objectSchema(shape: ObjectShape, reached: Set<ObjectName>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(shape.fields) as Array<[string, Field]>) {
    properties[key] = fieldSchema(field, reached);
    if (field.required) required.push(key);
  }
  const also = resolve(shape.also ?? {}, reached) as Record<string, unknown>;
  const alsoRequired = Array.isArray(also.required) ? (also.required as string[]) : [];
  const allRequired = [...required, ...alsoRequired.filter((k) => !required.includes(k))];
  return {
    type: "object",
    description: shape.doc,
    properties,
    ...(allRequired.length > 0 ? { required: allRequired } : {}),
    ...Object.fromEntries(Object.entries(also).filter(([k]) => k !== "required")),
  };
}

function fieldSchema(field: Field, reached: Set<ObjectName>): Record<string, unknown> {
  const docs = { description: field.doc, ...(field.markdown ? { markdownDescription: field.markdown } : {}) };
  const value = resolve(field.value, reached) as Record<string, unknown>;
  // draft-07 ignores keywords beside `$ref`: wrap it so the field's own description shows on hover.
  return "$ref" in value ? { ...docs, allOf: [value] } : { ...docs, ...value };
}

/** Replaces `{ $object: name }` by a `$ref` into `definitions`, recording what was reached. */
function resolve(fragment: unknown, reached: Set<ObjectName>): unknown {
  if (Array.isArray(fragment)) return fragment.map((item) => resolve(item, reached));
  if (fragment === null || typeof fragment !== "object") return fragment;
  const record = fragment as Fragment;
  if (typeof record.$object === "string") {
    const name = record.$object as ObjectName;
    reached.add(name);
    return { $ref: `#/definitions/${name}` };
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolve(v, reached)]));
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
}
