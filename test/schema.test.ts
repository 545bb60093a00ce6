/**
 * The JSON Schemas in `schemas/`: they are exactly what the generator makes from the shape the rules
 * read, a real validator (Ajv, draft-07, strict) accepts them, every YAML file of the corpus of real
 * plugins is valid against them (unless `validate` reports an error in it), and every golden case
 * of a structural error is invalid against them.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Ajv, type ValidateFunction } from "ajv";
import { load } from "js-yaml";
import type { YamlFile } from "../src/manifest/model.js";
import { validateProject } from "../src/manifest/validate.js";
import { findEntry, loadProject } from "../src/project/load.js";
import { renderSchema, schemaFileName, SCHEMA_DOCUMENTS, type SchemaDocument } from "../src/schema/generate.js";
import { CORPUS_DIR, REPO_ROOT } from "./helpers/repo.js";
import { runCliCaptured } from "./helpers/run-cli.js";

const DOCUMENTS = Object.keys(SCHEMA_DOCUMENTS) as SchemaDocument[];
const GOLDEN_DIR = join(REPO_ROOT, "test", "fixtures", "golden");

/**
 * Golden cases of an error that no JSON Schema of one document can see, and why. Every other case
 * that reports an error must have a YAML file the schemas reject (warnings are not schema errors:
 * the corpus has some, and the schemas must accept every plugin that works).
 */
const NOT_SCHEMA: Record<string, string> = {
  "endpoint-duplicate/same-path-and-method": "compares two endpoints",
  "file-reference/missing-group": "looks at the disk",
  "file-reference/missing-icon": "looks at the disk",
  "file-reference/missing-source": "looks at the disk",
  "file-reference/source-is-folder": "looks at the disk",
  "file-reference/source-not-written": "looks at the disk",
  "group-count/two-groups": "counts the groups of a plugin",
  "manifest-runner/typescript-for-dify": "depends on --target dify",
  "setting-default/not-an-option": "compares a default with the options",
  "setting-name/duplicate": "compares settings",
  "source-python/no-endpoint-class": "reads Python source",
  "source-python/two-endpoint-classes": "reads Python source",
  "source-typescript/not-exported": "reads TypeScript source",
  "source-typescript/syntax-error": "reads TypeScript source",
  "target-dify/typescript-only": "depends on --target dify",
  "yaml-structure/two-documents": "editors validate each document of a stream",
  "yaml-syntax/duplicate-key": "a YAML parser's error, before any schema",
  "yaml-syntax/tab-indentation": "a YAML parser's error, before any schema",
  "yaml-syntax/unclosed-bracket": "a YAML parser's error, before any schema",
  "yaml-syntax/unclosed-quote": "a YAML parser's error, before any schema",
  "yaml-unsafe/alias": "a YAML parser's feature, before any schema",
  "yaml-unsafe/custom-tag": "a YAML parser's feature, before any schema",
  "yaml-unsafe/merge-key": "a YAML parser's feature, before any schema",
  "yaml-unsafe/prototype-key": "a YAML parser's feature, before any schema",
};

function compile(): Record<SchemaDocument, ValidateFunction> {
  const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
  ajv.addVocabulary(["markdownDescription", "markdownEnumDescriptions"]);
  const compiled = {} as Record<SchemaDocument, ValidateFunction>;
  for (const document of DOCUMENTS) compiled[document] = ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, "schemas", schemaFileName(document)), "utf8")) as object);
  return compiled;
}

/** Each YAML file of a plugin with its role, loaded as an editor would: plain values, or undefined if it does not parse. */
async function yamlFiles(dir: string): Promise<Array<{ file: YamlFile; value: unknown; errors: number }>> {
  const project = await loadProject(await findEntry(dir), dir);
  const diagnostics = validateProject(project);
  const files = project.files.filter((f): f is YamlFile => "role" in f);
  return files.map((file) => {
    let value: unknown;
    try {
      value = load(file.text);
    } catch {
      value = undefined;
    }
    return { file, value, errors: diagnostics.filter((d) => d.file === file.display && d.severity === "error").length };
  });
}

const schemas = compile();

test("every golden case excused from the schema test exists", () => {
  for (const key of Object.keys(NOT_SCHEMA)) assert.ok(readdirSync(join(GOLDEN_DIR, key)).length > 0, key);
});

describe("JSON Schemas", () => {
  for (const document of DOCUMENTS) {
    test(`schemas/${schemaFileName(document)} is what the generator makes, and \`schema ${document}\` prints it`, async () => {
      const committed = readFileSync(join(REPO_ROOT, "schemas", schemaFileName(document)), "utf8");
      assert.equal(committed, renderSchema(document), "run `npm run schemas` and commit the result");
      const run = await runCliCaptured(["schema", document], { cwd: REPO_ROOT });
      assert.equal(run.code, 0);
      assert.equal(run.stdout, committed);
    });
  }

  test("the shipped package includes schemas/", () => {
    const files = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { files: string[] }).files;
    assert.ok(files.includes("schemas/"));
  });

  test("every YAML file of the corpus is valid, unless validate reports an error in it", async () => {
    let checked = 0;
    for (const name of readdirSync(CORPUS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
      for (const { file, value, errors } of await yamlFiles(join(CORPUS_DIR, name))) {
        const validate = schemas[file.role];
        const valid = validate(value);
        if (!valid && errors === 0) assert.fail(`${name}/${file.relative} (${file.role}): ${JSON.stringify(validate.errors, null, 1)}`);
        if (valid) checked++;
      }
    }
    assert.ok(checked >= 48, `${checked} files checked`);
  });

  test("the historical corpus plugin's `method: ANY` is invalid", async () => {
    const files = await yamlFiles(join(CORPUS_DIR, "_historical__official__wecom_bot__30f453a3"));
    const endpoint = files.find((f) => f.file.role === "endpoint");
    assert.ok(endpoint);
    assert.equal(schemas.endpoint(endpoint.value), false);
  });

  for (const rule of readdirSync(GOLDEN_DIR).sort()) {
    for (const name of readdirSync(join(GOLDEN_DIR, rule)).sort()) {
      const key = `${rule}/${name}`;
      if (NOT_SCHEMA[key]) continue;
      if (!/: error: /.test(readFileSync(join(GOLDEN_DIR, rule, name, "expected.txt"), "utf8"))) continue;
      test(`golden ${key}: some YAML file is invalid against its schema`, async () => {
        const files = await yamlFiles(join(GOLDEN_DIR, rule, name));
        const invalid = files.filter(({ file, value }) => !schemas[file.role](value));
        assert.ok(invalid.length > 0, `no file of ${key} is invalid`);
      });
    }
  }
});
