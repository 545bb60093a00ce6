/**
 * `validate --fix` beyond the golden pairs: the docs-mistakes example becomes a plugin that
 * validates clean, comments and layout survive, a TypeScript stub compiles, and the writer never
 * writes through a link or outside the plugin.
 */
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { load } from "js-yaml";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { createWriter, UnsafeWriteError } from "../src/fix/writer.js";
import { REPO_ROOT } from "./helpers/repo.js";
import { runCliCaptured } from "./helpers/run-cli.js";
import { createTempPlugin, manifestYaml, MINIMAL_PLUGIN } from "./helpers/temp-plugin.js";

const temp = await mkdtemp(join(tmpdir(), "ek-fix-"));
after(() => rm(temp, { recursive: true, force: true }));

const commentLines = (text: string): string[] => text.split("\n").map((line) => line.trim()).filter((line) => line.startsWith("#"));

test("examples/docs-mistakes is fixed into a plugin that validates clean, keeping its comments", async () => {
  const dir = join(temp, "docs-mistakes");
  await cp(join(REPO_ROOT, "examples", "docs-mistakes"), dir, { recursive: true });
  const before = new Map<string, string>();
  for (const file of ["manifest.yaml", "group/neko.yaml", "endpoints/duck.yaml"]) before.set(file, await readFile(join(dir, file), "utf8"));
  const checked = await runCliCaptured(["validate", "--no-color", "."], { cwd: dir });
  assert.equal(checked.code, 1, "the example starts with errors");

  const dry = await runCliCaptured(["validate", "--fix-dry-run", "."], { cwd: dir });
  assert.equal(dry.code, 1);
  assert.match(dry.stdout, /^--- a\/group\/neko\.yaml\n\+\+\+ b\/group\/neko\.yaml\n@@ /m);
  assert.match(dry.stderr, /^would fix endpoints\/duck\.yaml:2:9: use `GET` \[endpoint-method\]$/m);

  const fixed = await runCliCaptured(["validate", "--fix", "--no-color", "."], { cwd: dir });
  assert.equal(fixed.code, 0, fixed.stdout);
  for (const rule of ["endpoint-method", "endpoint-path", "group-settings", "unknown-key", "i18n"]) assert.match(fixed.stdout, new RegExp(`^fixed .*\\[${rule}\\]$`, "m"));
  assert.match(fixed.stdout, /^no problems in \d+ files$/m);
  const clean = await runCliCaptured(["validate", "--no-color", "."], { cwd: dir });
  assert.equal(clean.code, 0);
  assert.match(clean.stdout, /^no problems/m);
  for (const [file, text] of before) assert.deepEqual(commentLines(await readFile(join(dir, file), "utf8")), commentLines(text), `${file} keeps its comments`);
  // The handler the example had is kept: no stub over it.
  assert.match(await readFile(join(dir, "endpoints/duck.py"), "utf8"), /class Duck\(Endpoint\)/);
  assert.doesNotMatch(await readFile(join(dir, "endpoints/duck.py"), "utf8"), /validate --fix/);
});

test("the map form of settings becomes a list at any indentation, keeping comments and quoting", async () => {
  const group = [
    "# settings as the docs write them",
    "settings:",
    "    # the key Dify uses",
    "    'api_key':  # keep me",
    "        type: secret-input  # inline",
    "        required: true",
    "        label:",
    "            en_US: 'API key'",
    "        # a comment inside",
    "        help:",
    "            en_US: |",
    "                Paste the key.",
    "                Two lines.",
    "    mode:",
    "        type: select",
    "        label: { en_US: Mode }",
    "        options:",
    "            - value: a",
    "              label: { en_US: A }",
    "endpoints:",
    "    - endpoints/hello.yaml",
    "",
  ].join("\n");
  const plugin = await createTempPlugin({ "group/hello.yaml": group });
  try {
    const run = await runCliCaptured(["validate", "--fix", "--no-color", "."], { cwd: plugin.dir });
    assert.equal(run.code, 0, run.stdout);
    const text = await readFile(join(plugin.dir, "group/hello.yaml"), "utf8");
    assert.deepEqual(commentLines(text), commentLines(group));
    assert.match(text, /^ {4}- name: 'api_key' {2}# keep me$/m);
    assert.match(text, /^ {6}type: secret-input {2}# inline$/m);
    assert.deepEqual((load(text) as { settings: unknown }).settings, [
      { name: "api_key", type: "secret-input", required: true, label: { en_US: "API key" }, help: { en_US: "Paste the key.\nTwo lines.\n" } },
      { name: "mode", type: "select", label: { en_US: "Mode" }, options: [{ value: "a", label: { en_US: "A" } }] },
    ]);
  } finally {
    await plugin.remove();
  }
});

test("a missing TypeScript source gets a stub that compiles and validates; quoting of renamed keys is kept", async () => {
  const plugin = await createTempPlugin({
    "manifest.yaml": manifestYaml({ language: "typescript" }),
    "endpoints/hello.yaml": 'path: "/hello"\nmethod: "GET"\nextra:\n  typescript:\n    "sorce": "endpoints/webhook.ts"\n',
    "endpoints/hello.py": null,
  });
  try {
    const run = await runCliCaptured(["validate", "--fix", "--no-color", "."], { cwd: plugin.dir });
    assert.equal(run.code, 0, run.stdout);
    assert.match(await readFile(join(plugin.dir, "endpoints/hello.yaml"), "utf8"), /^ {4}"source": "endpoints\/webhook\.ts"$/m);
    assert.match(await readFile(join(plugin.dir, "endpoints/webhook.ts"), "utf8"), /export default class Webhook extends Endpoint/);
  } finally {
    await plugin.remove();
  }
});

test("a fix never writes through a symbolic link: exit 3, the link's target unchanged", async () => {
  const plugin = await createTempPlugin({ "endpoints/real.yaml": 'path: "/hello"\nmethod: get\nextra:\n  python:\n    source: "endpoints/hello.py"\n' });
  try {
    await rm(join(plugin.dir, "endpoints/hello.yaml"));
    await symlink("real.yaml", join(plugin.dir, "endpoints/hello.yaml"));
    const run = await runCliCaptured(["validate", "--fix", "--no-color", "."], { cwd: plugin.dir });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /symbolic link/);
    assert.match(await readFile(join(plugin.dir, "endpoints/real.yaml"), "utf8"), /^method: get$/m);
  } finally {
    await plugin.remove();
  }
});

test("the writer refuses paths outside the plugin and links on the way, and keeps a byte-order mark", async () => {
  const root = join(temp, "writer");
  await mkdir(join(root, "inside"), { recursive: true });
  await mkdir(join(temp, "outside"));
  await symlink(join(temp, "outside"), join(root, "linked"));
  const writer = createWriter(root);
  for (const path of ["../escape.txt", "/etc/x", "linked/file.txt", "inside/../../escape.txt", "a\\b"]) {
    await assert.rejects(writer.write(path, "x"), UnsafeWriteError, path);
  }
  assert.deepEqual(await readdir(join(temp, "outside")), []);
  await writeFile(join(root, "inside/bom.yaml"), "\uFEFFa: 1\n");
  await writer.write("inside/bom.yaml", "a: 2\n");
  assert.equal(await readFile(join(root, "inside/bom.yaml"), "utf8"), "\uFEFFa: 2\n");
  await writer.write("new/deep/file.py", "pass\n");
  assert.equal(await readFile(join(root, "new/deep/file.py"), "utf8"), "pass\n");
});

test("MINIMAL_PLUGIN needs no fix", async () => {
  const plugin = await createTempPlugin();
  try {
    const dry = await runCliCaptured(["validate", "--fix-dry-run", "."], { cwd: plugin.dir });
    assert.equal(dry.code, 0);
    assert.equal(dry.stdout, "");
    assert.ok(Object.keys(MINIMAL_PLUGIN).length > 0);
  } finally {
    await plugin.remove();
  }
});

test("dev's diagnostics end with a hint to run --fix when a rule can fix one of them", async () => {
  const { createDevPrinter } = await import("../src/terminal/dev-output.js");
  const { Readable, Writable } = await import("node:stream");
  const printed = (diagnostics: Diagnostic[]): string => {
    let text = "";
    const sink = new Writable({ write(chunk: Buffer, _encoding, callback) { text += chunk.toString(); callback(); } });
    createDevPrinter({ cwd: temp, env: {}, stdout: sink, stderr: sink, stdin: Readable.from([]) }, false, false).diagnostics(diagnostics, new Map());
    return text;
  };
  const base: Diagnostic = { file: "endpoints/a.yaml", line: 2, column: 9, severity: "error", rule: "endpoint-method", message: "method \"get\" must be upper case" };
  assert.doesNotMatch(printed([base]), /validate --fix/);
  const fix = { title: "use `GET`", root: temp, relative: "endpoints/a.yaml", edits: [{ start: 0, end: 3, text: "GET" }] };
  assert.match(printed([base, { ...base, line: 3, fix }]), /^hint: 1 of these can be fixed by `endpoint-kit validate --fix`/m);
});

test("on the corpus of real plugins, fixes only ever remove problems and keep every YAML file parseable", async () => {
  const { planFixes } = await import("../src/fix/fix-plugin.js");
  const { findEntry } = await import("../src/project/load.js");
  const { parseYamlMapping } = await import("../src/manifest/yaml.js");
  const { CORPUS_DIR } = await import("./helpers/repo.js");
  const fixedRules: string[] = [];
  for (const name of (await readdir(CORPUS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)) {
    const dir = join(CORPUS_DIR, name);
    const before = await runCliCaptured(["validate", "--format", "json", "."], { cwd: dir });
    const count = (JSON.parse(before.stdout) as { summary: { errors: number; warnings: number } }).summary;
    const result = await planFixes(await findEntry(dir), dir, {});
    for (const file of result.files) {
      if (/\.ya?ml$/.test(file.relative)) assert.ok(parseYamlMapping(file.after).ok, `${name}/${file.relative} still parses`);
    }
    const errors = result.remaining.filter((d) => d.severity === "error").length;
    assert.ok(errors <= count.errors && result.remaining.length - errors <= count.warnings, `${name}: fixes add no problem`);
    fixedRules.push(...result.applied.map((d) => `${name}:${d.rule}:${d.fix?.title}`));
  }
  // The one webhook plugin's `helper` becomes `help`; `zh_Hant` is a language of its own, never "fixed" into zh_Hans.
  assert.ok(fixedRules.some((f) => /perzeuss.*:unknown-key:rename `helper` to `help`/.test(f)), fixedRules.join("\n"));
  assert.ok(!fixedRules.some((f) => /zh_Hant/.test(f)));
});
