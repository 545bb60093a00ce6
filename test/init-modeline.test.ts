/**
 * The schema modeline `init` writes atop each YAML file: it points at a schema that exists (in the
 * installed package when the plugin depends on endpoint-kit, at the published URL otherwise), the
 * file is valid against that schema, and the comment changes nothing for the rules.
 */
import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm, symlink } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, test } from "node:test";
import { Ajv } from "ajv";
import { load } from "js-yaml";
import { MODELINE_PREFIX } from "../src/scaffold/modeline.js";
import { REPO_ROOT } from "./helpers/repo.js";
import { runCliCaptured } from "./helpers/run-cli.js";

const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
const temp = await mkdtemp(join(tmpdir(), "ek-modeline-"));
after(() => rm(temp, { recursive: true, force: true }));

const YAML_FILES = { "manifest.yaml": "manifest", "group/hello.yaml": "group", "endpoints/hello.yaml": "endpoint" } as const;

function modelineOf(text: string): string {
  const first = text.split("\n")[0] ?? "";
  assert.ok(first.startsWith(MODELINE_PREFIX), `first line: ${first}`);
  return first.slice(MODELINE_PREFIX.length);
}

function validator(schemaText: string): (value: unknown) => boolean {
  const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false });
  ajv.addVocabulary(["markdownDescription", "markdownEnumDescriptions"]);
  return ajv.compile(JSON.parse(schemaText) as object);
}

test("a Python plugin (no package.json) links the published schemas, which the package ships", async () => {
  const made = await runCliCaptured(["init", "py", "--yes", "--name", "hello"], { cwd: temp });
  assert.equal(made.code, 0, made.stderr);
  const files = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { files: string[] }).files;
  assert.ok(files.includes("schemas/"));
  for (const [file, document] of Object.entries(YAML_FILES)) {
    const text = await readFile(join(temp, "py", file), "utf8");
    const url = modelineOf(text);
    assert.equal(url, `https://unpkg.com/endpoint-kit@${version}/schemas/${document}.schema.json`);
    const shipped = readFileSync(join(REPO_ROOT, "schemas", `${document}.schema.json`), "utf8");
    assert.ok(validator(shipped)(load(text)), `${file} is valid against ${document}.schema.json`);
  }
  // The modeline is a comment: the plugin still validates clean.
  const checked = await runCliCaptured(["validate", "--no-color", "py"], { cwd: temp });
  assert.equal(checked.code, 0, checked.stdout);
  assert.match(checked.stdout, /no problems|0 errors/i);
});

test("a TypeScript plugin (endpoint-kit in devDependencies) links node_modules/endpoint-kit/schemas, also for init endpoint", async () => {
  const made = await runCliCaptured(["init", "ts", "--yes", "--name", "hello", "--language", "typescript"], { cwd: temp });
  assert.equal(made.code, 0, made.stderr);
  const root = join(temp, "ts");
  // What `npm install` makes: the package in node_modules/endpoint-kit.
  await mkdir(join(root, "node_modules"));
  await symlink(REPO_ROOT, join(root, "node_modules", "endpoint-kit"), "dir");
  const added = await runCliCaptured(["init", "endpoint", "items", "--path", "/items/<int:id>", "--dir", "ts"], { cwd: temp });
  assert.equal(added.code, 0, added.stderr);
  for (const [file, document] of [...Object.entries(YAML_FILES), ["endpoints/items.yaml", "endpoint"]]) {
    const text = await readFile(join(root, file!), "utf8");
    const location = modelineOf(text);
    assert.match(location, /^\.\.?\/.*node_modules\/endpoint-kit\/schemas\//, file);
    const schemaText = await readFile(resolve(dirname(join(root, file!)), location), "utf8");
    assert.equal(schemaText, readFileSync(join(REPO_ROOT, "schemas", `${document}.schema.json`), "utf8"));
    assert.ok(validator(schemaText)(load(text)), `${file} is valid against its schema`);
  }
});
