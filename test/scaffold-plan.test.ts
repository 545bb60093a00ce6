import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import type { PluginAnswers } from "../src/scaffold/answers.js";
import { planScaffold, renderSettingsExample, type TemplateFile } from "../src/scaffold/plan.js";
import { readTemplateDir } from "../src/scaffold/templates.js";
import { pluginValues } from "../src/scaffold/values.js";

const templates = fileURLToPath(new URL("../../templates/", import.meta.url));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const encode = (s: string) => new TextEncoder().encode(s);

function answers(overrides: Partial<PluginAnswers> = {}): PluginAnswers {
  return {
    name: "demo",
    author: "me",
    description: "Demo endpoints",
    language: "python",
    endpoint: { name: "hello", path: "/hello/<name>", method: "GET" },
    settings: [{ name: "api_key", type: "secret-input", required: false }],
    createdAt: "2025-01-02T03:04:05Z",
    ...overrides,
  };
}

async function plan(overrides: Partial<PluginAnswers> = {}) {
  const a = answers(overrides);
  const files = await readTemplateDir(`${templates}${a.language}`);
  return planScaffold(files, { templateName: `templates/${a.language}`, values: pluginValues(a), settings: a.settings });
}

test("a Python plugin: the files Dify needs, _gitignore renamed", async () => {
  const planned = await plan();
  assert.deepEqual(planned.map((f) => f.path).sort(), [
    ".difyignore",
    ".github/workflows/plugin.yml",
    ".gitignore",
    "README.md",
    "_assets/icon.svg",
    "endpoints/hello.py",
    "endpoints/hello.yaml",
    "group/demo.yaml",
    "main.py",
    "manifest.yaml",
    "requirements.txt",
    "settings.local.example.yaml",
  ]);
  const byPath = new Map(planned.map((f) => [f.path, text(f.bytes)]));
  const manifest = load(byPath.get("manifest.yaml") ?? "") as Record<string, unknown>;
  assert.equal(manifest.created_at, "2025-01-02T03:04:05Z");
  assert.deepEqual(manifest.meta, { version: "0.0.1", arch: ["amd64", "arm64"], runner: { language: "python", version: "3.12", entrypoint: "main" } });
  assert.deepEqual(manifest.plugins, { endpoints: ["group/demo.yaml"] });
  assert.deepEqual(manifest.resource, { memory: 268435456, permission: { endpoint: { enabled: true } } });
  assert.deepEqual(load(byPath.get("group/demo.yaml") ?? ""), {
    settings: [{ name: "api_key", type: "secret-input", required: false, label: { en_US: "Api Key" } }],
    endpoints: ["endpoints/hello.yaml"],
  });
  assert.deepEqual(load(byPath.get("endpoints/hello.yaml") ?? ""), { path: "/hello/<name>", method: "GET", extra: { python: { source: "endpoints/hello.py" } } });
  assert.match(byPath.get("endpoints/hello.py") ?? "", /^class HelloEndpoint\(Endpoint\):$/m);
  assert.match(byPath.get(".gitignore") ?? "", /^settings\.local\.yaml$/m);
  assert.match(byPath.get(".gitignore") ?? "", /^\.endpoint-kit\/$/m);
  assert.match(byPath.get("README.md") ?? "", /^curl -i 'http:\/\/127\.0\.0\.1:5002\/hello\/world'$/m);
  assert.deepEqual(load(byPath.get("settings.local.example.yaml") ?? ""), { api_key: "" });
});

test("a TypeScript plugin: package.json, tsconfig and a test that knows the example request", async () => {
  const planned = await plan({ language: "typescript", endpoint: { name: "items", path: "/items/<int:id>", method: "POST" }, settings: [] });
  const byPath = new Map(planned.map((f) => [f.path, text(f.bytes)]));
  assert.ok(!byPath.has("main.py"));
  const pkg = JSON.parse(byPath.get("package.json") ?? "") as { type: string; scripts: Record<string, string>; devDependencies: Record<string, string> };
  assert.equal(pkg.type, "module");
  assert.deepEqual(Object.keys(pkg.scripts), ["dev", "validate", "test"]);
  assert.equal(pkg.devDependencies["endpoint-kit"], "^0.1.0");
  const tsconfig = JSON.parse(byPath.get("tsconfig.json") ?? "") as { compilerOptions: { strict: boolean; moduleResolution: string } };
  assert.equal(tsconfig.compilerOptions.strict, true);
  assert.equal(tsconfig.compilerOptions.moduleResolution, "bundler");
  assert.deepEqual(load(byPath.get("endpoints/items.yaml") ?? ""), { path: "/items/<int:id>", method: "POST", extra: { typescript: { source: "endpoints/items.ts" } } });
  assert.match(byPath.get("endpoints/items.ts") ?? "", /^export default class ItemsEndpoint extends Endpoint \{$/m);
  assert.match(byPath.get("test/items.test.mjs") ?? "", /JSON\.parse\("\{\\"id\\":1\}"\)/);
  assert.match(byPath.get("test/items.test.mjs") ?? "", /plugin\.request\("\/items\/1", \{ method: "POST" \}\)/);
  assert.match(byPath.get("test/items.test.mjs") ?? "", /import \{ loadPlugin \} from "endpoint-kit";/);
  assert.equal((load(byPath.get("manifest.yaml") ?? "") as { meta: { runner: { language: string } } }).meta.runner.language, "typescript");
  assert.deepEqual(load(byPath.get("group/demo.yaml") ?? ""), { settings: [], endpoints: ["endpoints/items.yaml"] });
});

test("answers with quotes and braces are written literally and keep the files valid", async () => {
  const description = 'Says "hi" to {{plugin_name}} \\ ${HOME}';
  const planned = await plan({ description, language: "typescript", endpoint: { name: "hello", path: '/a/<any(x, "y"):k>', method: "GET" } });
  const byPath = new Map(planned.map((f) => [f.path, text(f.bytes)]));
  assert.equal((load(byPath.get("manifest.yaml") ?? "") as { description: { en_US: string } }).description.en_US, description);
  assert.equal((JSON.parse(byPath.get("package.json") ?? "") as { description: string }).description, description);
  assert.equal((load(byPath.get("endpoints/hello.yaml") ?? "") as { path: string }).path, '/a/<any(x, "y"):k>');
  assert.ok((byPath.get("README.md") ?? "").includes(description));
});

test("only: the files of one endpoint", async () => {
  const a = answers({ endpoint: { name: "items", path: "/items/<int:id>", method: "GET" } });
  const files = await readTemplateDir(`${templates}python`);
  const planned = planScaffold(files, { templateName: "templates/python", values: pluginValues(a), settings: [], only: "endpoint_name" });
  assert.deepEqual(planned.map((f) => f.path), ["endpoints/items.py", "endpoints/items.yaml"]);
});

test("a broken user template: unknown variables and paths that leave the folder", () => {
  const values = pluginValues(answers());
  const opts = { templateName: "mine", values, settings: [] };
  const cases: Array<[TemplateFile[], RegExp]> = [
    [[{ path: "README.md", bytes: encode("line\n  {{plugin_name}} {{nope}}\n") }], /mine\/README\.md:2:19: unknown template variable \{\{nope\}\}$/],
    [[{ path: "{{nope}}.txt", bytes: encode("") }], /unknown template variable \{\{nope\}\} in the file name/],
    [[{ path: "../x.txt", bytes: encode("") }], /leaves the plugin folder/],
    [[{ path: "a/_gitignore", bytes: encode("") }, { path: "a/.gitignore", bytes: encode("") }], /two template files become a\/\.gitignore/],
  ];
  for (const [files, expected] of cases) assert.throws(() => planScaffold(files, opts), expected);
});

test("binary template files are copied as they are", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0x7b, 0x7b, 0x78, 0x7d, 0x7d]);
  const planned = planScaffold([{ path: "_assets/icon.png", bytes: png }], { templateName: "mine", values: pluginValues(answers()), settings: [] });
  assert.deepEqual(planned[0], { path: "_assets/icon.png", bytes: png });
});

test("example settings: a value of the right shape per type", () => {
  assert.equal(
    renderSettingsExample([
      { name: "api_key", type: "secret-input", required: true },
      { name: "retry", type: "boolean", required: false },
      { name: "app", type: "app-selector", required: true },
    ]).replace(/^#.*\n/gm, ""),
    "api_key: ''\nretry: false\napp:\n  app_id: ''\n",
  );
  assert.match(renderSettingsExample([]), /^\{\}$/m);
});
