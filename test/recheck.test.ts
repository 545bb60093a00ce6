import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { checkPaths, type CheckResult } from "../src/project/check.js";
import { recheckSources, SOURCE_TEXT_RULES } from "../src/project/recheck.js";
import { RULES } from "../src/manifest/rules/index.js";
import { endpointYaml, groupYaml, manifestYaml, writeFiles } from "./helpers/temp-plugin.js";

const source = (body: string): string => `import { Endpoint } from "endpoint-kit";\n\nexport default class E extends Endpoint {\n  _invoke(): Response {\n    return new Response(${body});\n  }\n}\n`;

let root: string;
const file = (name: string): string => path.join(root, name);
const fresh = (): Promise<CheckResult> => checkPaths([root], root, {});
const noImports = (): boolean => false;

before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), "ek-recheck-"));
  await writeFiles(root, {
    "manifest.yaml": manifestYaml({ name: "t", group: "group/g.yaml", language: "typescript" }),
    "_assets/icon.svg": "<svg/>",
    "group/g.yaml": groupYaml(["endpoints/a.yaml", "endpoints/b.yaml"]),
    ...Object.fromEntries(["a", "b"].flatMap((name) => [
      [`endpoints/${name}.yaml`, endpointYaml({ path: `/${name}`, source: `endpoints/${name}.ts`, language: "typescript" })],
      [`endpoints/${name}.ts`, source(`"${name}"`)],
    ])),
  });
});

after(() => rmSync(root, { recursive: true, force: true }));

test("an edited source is checked again and the result is what a whole check gives", async () => {
  const first = await fresh();
  assert.deepEqual(first.diagnostics, []);
  writeFileSync(file("endpoints/a.ts"), source('"a'));
  const broken = await recheckSources(first, [file("endpoints/a.ts")], noImports);
  assert.ok(broken);
  assert.ok(broken.diagnostics.length > 0, "the syntax error must be reported");
  assert.deepEqual(broken.diagnostics, (await fresh()).diagnostics);
  assert.equal(broken.sources.get("endpoints/a.ts"), source('"a'));
  writeFileSync(file("endpoints/a.ts"), source('"a2"'));
  const fixed = await recheckSources(broken, [file("endpoints/a.ts")], noImports);
  assert.deepEqual(fixed?.diagnostics, []);
  assert.equal(fixed?.projects[0]?.sources.find((s) => s.relative === "endpoints/a.ts")?.text, source('"a2"'));
});

test("an edit of anything but sources and the files they import asks for a whole check", async () => {
  const first = await fresh();
  assert.equal(await recheckSources(first, [file("endpoints/a.yaml")], noImports), undefined);
  assert.equal(await recheckSources(first, [file("lib/new.ts")], noImports), undefined);
  assert.ok(await recheckSources(first, [file("lib/util.ts")], (p) => p === file("lib/util.ts")));
});

test("a source that is gone asks for a whole check", async () => {
  const first = await fresh();
  rmSync(file("endpoints/b.ts"));
  assert.equal(await recheckSources(first, [file("endpoints/b.ts")], noImports), undefined);
  writeFileSync(file("endpoints/b.ts"), source('"b"'));
});

test("a recheck runs only the rules that read a source's text, on the edited source alone", async () => {
  const first = await fresh();
  const ran: Array<[string, string[]]> = [];
  const counted = RULES.map((rule) => ({ ...rule, check: (context: Parameters<typeof rule.check>[0]) => {
    ran.push([rule.id, context.project.sources.map((s) => s.relative)]);
    rule.check(context);
  } }));
  writeFileSync(file("endpoints/a.ts"), source('"a3"'));
  assert.ok(await recheckSources(first, [file("endpoints/a.ts")], noImports, counted));
  assert.deepEqual(ran.map(([id]) => id).sort(), [...SOURCE_TEXT_RULES].sort());
  for (const [, sources] of ran) assert.deepEqual(sources, ["endpoints/a.ts"]);
});

test("findings elsewhere are kept and the edited source's are replaced: the same as a whole check", async () => {
  const yaml = `path: "/b"\nmethod: GET\nextra:\n  typescript:\n    source: endpoints/b.ts\n`;
  writeFileSync(file("endpoints/b.yaml"), `${yaml}colour: red\n`);
  writeFileSync(file("endpoints/b.ts"), "export const nothing = 1;\n");
  try {
    const first = await fresh();
    assert.ok(first.diagnostics.some((d) => d.file === "endpoints/b.yaml"), "the unknown key is a finding");
    writeFileSync(file("endpoints/a.ts"), "export const none = 2;\n");
    const rechecked = await recheckSources(first, [file("endpoints/a.ts")], noImports);
    assert.ok(rechecked?.diagnostics.some((d) => d.file === "endpoints/a.ts"), "a.ts now exports no endpoint");
    assert.deepEqual(rechecked?.diagnostics, (await fresh()).diagnostics);
    writeFileSync(file("endpoints/a.ts"), source('"a"'));
    const fixed = await recheckSources(rechecked!, [file("endpoints/a.ts")], noImports);
    assert.deepEqual(fixed?.diagnostics, (await fresh()).diagnostics);
    assert.ok(!fixed?.diagnostics.some((d) => d.file === "endpoints/a.ts"));
  } finally {
    writeFileSync(file("endpoints/b.yaml"), yaml);
    writeFileSync(file("endpoints/b.ts"), source('"b"'));
    writeFileSync(file("endpoints/a.ts"), source('"a"'));
  }
});
