/**
 * The `validate` part of the bad-input catalogue in docs RELIABILITY.md, one test per entry: broken
 * and hostile YAML, oversized and odd files, unsafe source paths (never opened), typos, exit codes
 * and the report options. Each test writes a temporary plugin and runs the CLI in-process.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import type { JsonDiagnostic, JsonReport } from "../src/diagnostics/index.js";
import { parseYamlMapping } from "../src/manifest/yaml.js";
import { spyOnFileSystem, type FsSpy } from "./helpers/fs-spy.js";
import { runCliCaptured, type CliRun } from "./helpers/run-cli.js";
import { createTempPlugin, MINIMAL_ENDPOINT, MINIMAL_GROUP, MINIMAL_MANIFEST, type PluginFiles, type TempPlugin } from "./helpers/temp-plugin.js";

const plugins: TempPlugin[] = [];
after(async () => {
  await Promise.all(plugins.map((p) => p.remove()));
});

async function plugin(overrides: PluginFiles = {}): Promise<TempPlugin> {
  const created = await createTempPlugin(overrides);
  plugins.push(created);
  return created;
}

interface JsonRun extends CliRun {
  report: JsonReport;
}

/** Validates `paths` (default: the plugin itself) with the JSON report, from `cwd`. */
async function validateJson(cwd: string, paths: string[] = ["."], flags: string[] = []): Promise<JsonRun> {
  const run = await runCliCaptured(["validate", "--format", "json", ...flags, ...paths], { cwd });
  return { ...run, report: JSON.parse(run.stdout) as JsonReport };
}

/** `validateJson` with every file-system call it makes recorded. */
async function validateWatched(cwd: string): Promise<{ run: JsonRun; spy: FsSpy }> {
  const spy = spyOnFileSystem();
  try {
    return { run: await validateJson(cwd), spy };
  } finally {
    spy.restore();
  }
}

/** The one diagnostic of `rule` in the report (fails when there is none or more than one). */
function only(report: JsonReport, rule: string): JsonDiagnostic {
  const found = report.diagnostics.filter((d) => d.rule === rule);
  assert.equal(found.length, 1, `one [${rule}] in ${JSON.stringify(report.diagnostics, null, 1)}`);
  return found[0]!;
}

function at(d: JsonDiagnostic): [string, number | null, number | null] {
  return [d.file, d.line, d.column];
}

/** An endpoint whose Python source is written as `source` (raw YAML, quotes included). */
const endpointWithSource = (source: string): string => `path: "/hello"\nmethod: "GET"\nextra:\n  python:\n    source: ${source}\n`;

describe("validate: broken YAML is reported at its line and column", () => {
  const cases = [
    {
      name: "an unclosed [",
      group: "settings: []\nendpoints: [endpoints/hello.yaml,\n  endpoints/other.yaml\n",
      position: [2, 12],
      message: /`\[` is never closed/,
    },
    { name: "a tab in indentation", group: "settings: []\nendpoints:\n\t- endpoints/hello.yaml\n", position: [3, 1], message: /tab characters/ },
    { name: "a duplicate key", group: "settings: []\nendpoints:\n  - endpoints/hello.yaml\nsettings: []\n", position: [4, 1], message: /duplicate key `settings`/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { dir } = await plugin({ "group/hello.yaml": c.group });
      const run = await validateJson(dir);
      assert.equal(run.code, 1);
      const d = only(run.report, "yaml-syntax");
      assert.deepEqual(at(d), ["group/hello.yaml", ...c.position]);
      assert.match(d.message, c.message);
      assert.equal(run.report.summary.errors, 1, "nothing else is reported");
    });
  }
});

describe("validate: 5000-deep nesting", () => {
  const DEPTH = 5000;
  const forms = {
    "flow lists": `a: ${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}\n`,
    "flow mappings": `a: ${"{a: ".repeat(DEPTH)}1${"}".repeat(DEPTH)}\n`,
    "block lists": `a:\n  ${"- ".repeat(DEPTH)}x\n`,
    "mixed flow": `a: ${"[{a: ".repeat(DEPTH / 2)}1${"}]".repeat(DEPTH / 2)}\n`,
  };
  for (const [name, text] of Object.entries(forms)) {
    test(`${name}: a positioned "too deep" problem, no stack overflow`, () => {
      const parsed = parseYamlMapping(text);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.equal(parsed.problem.code, "too-deep");
      assert.match(parsed.problem.message, /deeper than 64 levels/);
      assert.ok(parsed.problem.start > 0 && parsed.problem.start < text.length);
    });
  }

  test("a 5000-deep manifest: exit 1 with a yaml-syntax error", async () => {
    const { dir } = await plugin({ "manifest.yaml": `${MINIMAL_MANIFEST}deep: ${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}\n` });
    const run = await validateJson(dir);
    assert.equal(run.code, 1);
    const d = only(run.report, "yaml-syntax");
    assert.equal(d.file, "manifest.yaml");
    assert.equal(d.line, 28, "the line of `deep:`");
    assert.match(d.message, /deeper than 64 levels/);
  });
});

describe("validate: YAML features Dify's parsers do not share are positioned errors", () => {
  const cases = [
    { name: "a merge key <<", endpoint: 'path: "/hello"\n<<: {method: GET}\nextra: {python: {source: endpoints/hello.py}}\n', position: [2, 1], message: /merge keys/ },
    { name: "the tag !!js/function", endpoint: 'path: "/hello"\nmethod: !!js/function "function () {}"\nextra: {python: {source: endpoints/hello.py}}\n', position: [2, 9], message: /custom tag `!!js\/function`/ },
    { name: "the tag !foo", endpoint: `${MINIMAL_ENDPOINT}hidden: !foo bar\n`, position: [6, 9], message: /custom tag `!foo`/ },
    { name: "an alias", endpoint: `${MINIMAL_ENDPOINT}hidden: &h false\nother: *h\n`, position: [7, 8], message: /aliases/ /* the `*` of `*h` */ },
    { name: "a __proto__ key", endpoint: `${MINIMAL_ENDPOINT}__proto__:\n  polluted: true\n`, position: [6, 1], message: /`__proto__` is not allowed/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { dir } = await plugin({ "endpoints/hello.yaml": c.endpoint });
      const run = await validateJson(dir);
      assert.equal(run.code, 1);
      const d = only(run.report, "yaml-unsafe");
      assert.deepEqual(at(d), ["endpoints/hello.yaml", ...c.position]);
      assert.match(d.message, c.message);
    });
  }
});

describe("validate: files that hold no usable document get a message of their own", () => {
  const cases = [
    { name: "an empty file", text: "", rule: "yaml-structure", message: "the file is empty: a YAML mapping was expected", line: null },
    { name: "a comment-only file", text: "# nothing yet\n\n# still nothing\n", rule: "yaml-structure", message: "the file holds only comments: a YAML mapping was expected", line: null },
    { name: "a scalar root", text: "hello\n", rule: "yaml-structure", message: "the document is a single value: a mapping of keys to values was expected", line: 1 },
    { name: "a list root", text: "- name: hello\n- type: plugin\n", rule: "yaml-structure", message: "the document is a list: a mapping of keys to values was expected", line: 1 },
    { name: "two documents", text: `${MINIMAL_MANIFEST}---\nname: other\n`, rule: "yaml-structure", message: "the file holds more than one YAML document", line: 28 },
  ];
  for (const c of cases) {
    test(`${c.name} as manifest.yaml`, async () => {
      const { dir } = await plugin({ "manifest.yaml": c.text });
      const run = await validateJson(dir);
      assert.equal(run.code, 1);
      const d = only(run.report, c.rule);
      assert.equal(d.file, "manifest.yaml");
      assert.equal(d.message, c.message);
      assert.equal(d.line, c.line);
      assert.equal(run.report.summary.errors, 1, "nothing else is reported");
    });
  }

  test("a 20 MB manifest: the size is reported, the file is not read", async () => {
    const { dir } = await plugin({ "manifest.yaml": `${MINIMAL_MANIFEST}# ${"x".repeat(20 * 1024 * 1024)}\n` });
    const { run, spy } = await validateWatched(dir);
    assert.equal(run.code, 1);
    const d = only(run.report, "file-reference");
    assert.equal(d.file, "manifest.yaml");
    assert.match(d.message, /^the file is larger than 1 MiB \(20971\d\d\d bytes\)$/);
    assert.equal(d.line, null);
    assert.ok(spy.calls.some((c) => c.fn === "open"), "the manifest was opened (to check its size)");
    assert.ok(!spy.calls.some((c) => c.fn === "read" || c.fn === "readFile"), "not one byte of it was read");
  });

  test("a 2 MB endpoint file: an error at the line that names it", async () => {
    const { dir } = await plugin({ "endpoints/hello.yaml": `${MINIMAL_ENDPOINT}# ${"x".repeat(2 * 1024 * 1024)}\n` });
    const run = await validateJson(dir);
    assert.equal(run.code, 1);
    const d = only(run.report, "file-reference");
    assert.deepEqual(at(d), ["group/hello.yaml", 3, 5]);
    assert.match(d.message, /^endpoint file "endpoints\/hello.yaml" is larger than 1 MiB/);
  });

  test("a manifest that is not valid UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from("version: 0.0.1\nname: \""), Buffer.from([0xc3, 0x28]), Buffer.from("\"\n")]);
    const { dir } = await plugin({ "manifest.yaml": bytes });
    const run = await validateJson(dir);
    assert.equal(run.code, 1);
    assert.equal(only(run.report, "file-reference").message, "the file is not valid UTF-8 (at byte 22)", "the offset of the bad sequence's first byte");
  });

  test("a file that is not valid UTF-8 does not make the next file read look invalid", async () => {
    const { dir } = await plugin({
      "group/hello.yaml": "settings: []\nendpoints:\n  - endpoints/bad.yaml\n  - endpoints/hello.yaml\n",
      // `ab`, then a three-byte sequence cut short by `(`.
      "endpoints/bad.yaml": new Uint8Array([0x61, 0x62, 0xe2, 0x82, 0x28, 0x29]),
    });
    const run = await validateJson(dir);
    const d = only(run.report, "file-reference");
    assert.deepEqual(at(d), ["group/hello.yaml", 3, 5]);
    assert.equal(d.message, 'endpoint file "endpoints/bad.yaml" is not valid UTF-8 (at byte 2)');
    assert.equal(run.report.summary.errors, 1, "endpoints/hello.yaml and its source read fine");
  });

  test("a manifest.yaml that is a FIFO is not a regular file (and is not skipped)", async () => {
    const { dir } = await plugin({ "manifest.yaml": null });
    execFileSync("mkfifo", [join(dir, "manifest.yaml")]);
    const run = await validateJson(dir);
    assert.equal(run.code, 1);
    assert.equal(only(run.report, "file-reference").message, "the file is not a regular file");
  });
});

describe("validate: a byte-order mark and CRLF line endings are accepted", () => {
  const crlf = (text: string) => `\uFEFF${text.replace(/\n/g, "\r\n")}`;

  test("a BOM and CRLF in every file: no problem", async () => {
    const { dir } = await plugin({
      "manifest.yaml": crlf(MINIMAL_MANIFEST),
      "group/hello.yaml": crlf(MINIMAL_GROUP),
      "endpoints/hello.yaml": crlf(MINIMAL_ENDPOINT),
    });
    const run = await validateJson(dir);
    assert.deepEqual(run.report.diagnostics, []);
    assert.equal(run.code, 0);
  });

  test("positions stay right: the BOM takes no column and CR no place in the snippet", async () => {
    const { dir } = await plugin({ "endpoints/hello.yaml": crlf('method: "ANY"\npath: "/hello"\nextra:\n  python:\n    source: "endpoints/hello.py"\n') });
    const run = await validateJson(dir);
    const d = only(run.report, "endpoint-method");
    assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [1, 9, 1, 14]);
    const text = await runCliCaptured(["validate", "--no-color", "."], { cwd: dir });
    assert.match(text.stdout, /^endpoints\/hello\.yaml:1:9: error: .*\n {2}1 \| method: "ANY"\n {4}\| {9}\^~~~~\n/m);
  });

  test("a syntax error after CRLF lines is on the right line", async () => {
    const { dir } = await plugin({ "group/hello.yaml": crlf("settings: []\nendpoints:\n  - endpoints/hello.yaml\nsettings: []\n") });
    const d = only((await validateJson(dir)).report, "yaml-syntax");
    assert.deepEqual(at(d), ["group/hello.yaml", 4, 1]);
  });
});

describe("validate: unsafe source paths are positioned errors and never opened", () => {
  const cases = [
    { name: "../../../etc/passwd", yaml: "../../../etc/passwd", target: "../../../etc/passwd", detail: /through `\.\.`/ },
    { name: "/etc/passwd", yaml: "/etc/passwd", target: "/etc/passwd", detail: /absolute/ },
    { name: "C:\\x", yaml: "'C:\\x'", target: "C:\\x", detail: /drive letter/ },
    { name: "a.ts\\0.png", yaml: '"a.ts\\0.png"', target: "a.ts\0.png", detail: /NUL/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { dir, base } = await plugin({ "endpoints/hello.yaml": endpointWithSource(c.yaml) });
      const { run, spy } = await validateWatched(dir);
      assert.equal(run.code, 1);
      const d = only(run.report, "unsafe-path");
      assert.deepEqual(at(d), ["endpoints/hello.yaml", 5, 13]);
      assert.ok(d.message.startsWith(`source file ${JSON.stringify(c.target)} is not allowed`), d.message);
      assert.match(d.message, c.detail);
      // Nothing outside the plugin was even looked at, and only the plugin's own YAML was opened.
      const outside = spy.calls.filter((call) => call.fn !== "read" && !resolve(call.path).startsWith(dir));
      assert.deepEqual(outside, []);
      assert.deepEqual(spy.opened().map((p) => p.slice(dir.length + 1)).sort(), ["endpoints/hello.yaml", "group/hello.yaml", "manifest.yaml"]);
      assert.ok(base.length > 0);
    });
  }

  test("%2e%2e/a.py is a literal name: not decoded, so the file outside is not found", async () => {
    const { dir, base } = await plugin({ "endpoints/hello.yaml": endpointWithSource("'%2e%2e/a.py'") });
    await writeFile(join(base, "a.py"), "class Outside(Endpoint):\n    pass\n");
    const { run, spy } = await validateWatched(dir);
    const d = only(run.report, "file-reference");
    assert.deepEqual(at(d), ["endpoints/hello.yaml", 5, 13]);
    assert.equal(d.message, 'source file "%2e%2e/a.py" does not exist');
    assert.ok(!spy.calls.some((c) => resolve(c.path) === join(base, "a.py")), "the decoded path is never touched");
  });

  test("%2e%2e/a.py inside the plugin is an ordinary file", async () => {
    const { dir } = await plugin({ "endpoints/hello.yaml": endpointWithSource("'%2e%2e/a.py'"), "%2e%2e/a.py": "from dify_plugin import Endpoint\n\nclass A(Endpoint):\n    pass\n" });
    const run = await validateJson(dir);
    assert.deepEqual(run.report.diagnostics, []);
  });

  test("a symlink inside the plugin that leads outside: unsafe-path, and the target is never opened", async () => {
    const { dir, base } = await plugin({ "endpoints/hello.yaml": endpointWithSource("endpoints/link.py") });
    const secret = join(base, "secret.py");
    await writeFile(secret, "SECRET = 'do not read'\n");
    await symlink(secret, join(dir, "endpoints", "link.py"));
    const { run, spy } = await validateWatched(dir);
    assert.equal(run.code, 1);
    const d = only(run.report, "unsafe-path");
    assert.deepEqual(at(d), ["endpoints/hello.yaml", 5, 13]);
    assert.equal(d.message, 'source file "endpoints/link.py" leads outside the plugin folder through a symbolic link');
    const opened = spy.opened();
    assert.ok(!opened.some((p) => p.endsWith("link.py") || p === secret), `opened: ${opened.join(", ")}`);
    assert.equal(run.report.summary.files, 3, "manifest, group and endpoint only");
    assert.ok(!run.stdout.includes("do not read"));
  });

  test("a symlinked folder that leads outside is caught too", async () => {
    const { dir, base } = await plugin({ "endpoints/hello.yaml": endpointWithSource("lib/hello.py") });
    await mkdir(join(base, "elsewhere"));
    await writeFile(join(base, "elsewhere", "hello.py"), "from dify_plugin import Endpoint\n\nclass H(Endpoint):\n    pass\n");
    await symlink(join(base, "elsewhere"), join(dir, "lib"));
    const d = only((await validateJson(dir)).report, "unsafe-path");
    assert.match(d.message, /leads outside the plugin folder/);
  });
});

describe("validate: sources that cannot be used are positioned errors", () => {
  test("a folder", async () => {
    const { dir } = await plugin({ "endpoints/hello.yaml": endpointWithSource("endpoints/pkg.py"), "endpoints/pkg.py/__init__.py": "" });
    const d = only((await validateJson(dir)).report, "file-reference");
    assert.deepEqual(at(d), ["endpoints/hello.yaml", 5, 13]);
    assert.equal(d.message, 'source file "endpoints/pkg.py" is a folder, not a file');
  });

  test("a missing file", async () => {
    const { dir } = await plugin({ "endpoints/hello.yaml": endpointWithSource("endpoints/nope.py") });
    const d = only((await validateJson(dir)).report, "file-reference");
    assert.deepEqual(at(d), ["endpoints/hello.yaml", 5, 13]);
    assert.equal(d.message, 'source file "endpoints/nope.py" does not exist');
    assert.equal(d.hint, "paths are relative to the plugin folder");
  });

  // chmod 000 proves nothing as root (it can read anything), and these tests run as root: a FIFO
  // is the unreadable source instead, and must not block the run either.
  test("a FIFO: not a regular file", async () => {
    const { dir } = await plugin({ "endpoints/hello.yaml": endpointWithSource("endpoints/hello.py"), "endpoints/hello.py": null });
    execFileSync("mkfifo", [join(dir, "endpoints", "hello.py")]);
    const d = only((await validateJson(dir)).report, "file-reference");
    assert.deepEqual(at(d), ["endpoints/hello.yaml", 5, 13]);
    assert.equal(d.message, 'source file "endpoints/hello.py" is not a regular file');
  });
});

describe("validate: typo keys get a did-you-mean hint", () => {
  test("sorce", async () => {
    const { dir } = await plugin({ "endpoints/hello.yaml": 'path: "/hello"\nmethod: GET\nextra:\n  python:\n    sorce: endpoints/hello.py\n' });
    const run = await validateJson(dir);
    const d = only(run.report, "unknown-key");
    assert.deepEqual(at(d), ["endpoints/hello.yaml", 5, 5]);
    assert.equal(d.hint, "did you mean `source`?");
    assert.equal(only(run.report, "endpoint-source").severity, "error", "and the endpoint has no source");
  });

  test("metod", async () => {
    const { dir } = await plugin({ "endpoints/hello.yaml": 'path: "/hello"\nmetod: GET\nextra:\n  python:\n    source: endpoints/hello.py\n' });
    const run = await validateJson(dir);
    const d = only(run.report, "unknown-key");
    assert.deepEqual(at(d), ["endpoints/hello.yaml", 2, 1]);
    assert.equal(d.hint, "did you mean `method`?");
    assert.equal(run.code, 1, "the missing method is an error");
  });
});

describe("validate: exit codes", () => {
  const withWarning = { "endpoints/hello.yaml": `${MINIMAL_ENDPOINT}metod: GET\n` };

  test("0: no problem", async () => {
    const { dir } = await plugin();
    const run = await runCliCaptured(["validate", "."], { cwd: dir });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, "no problems in 4 files\n");
  });

  test("0: warnings only", async () => {
    const { dir } = await plugin(withWarning);
    const run = await validateJson(dir);
    assert.deepEqual([run.report.summary.errors, run.report.summary.warnings], [0, 1]);
    assert.equal(run.code, 0);
  });

  test("1: errors", async () => {
    const { dir } = await plugin({ "endpoints/hello.yaml": endpointWithSource("endpoints/nope.py") });
    assert.equal((await validateJson(dir)).code, 1);
  });

  test("1: a warning with --max-warnings 0 (and 0 with --max-warnings 1)", async () => {
    const { dir } = await plugin(withWarning);
    const strict = await runCliCaptured(["validate", "--max-warnings", "0", "."], { cwd: dir });
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /1 warnings exceed --max-warnings 0/);
    const lenient = await runCliCaptured(["validate", "--max-warnings", "1", "."], { cwd: dir });
    assert.equal(lenient.code, 0);
  });

  test("2: an unknown flag", async () => {
    const { dir } = await plugin();
    const run = await runCliCaptured(["validate", "--strcit", "."], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown option '--strcit'/);
    assert.equal(run.stdout, "");
  });

  test("2: an unknown format", async () => {
    const { dir } = await plugin();
    const run = await runCliCaptured(["validate", "--format", "xml", "."], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /xml/);
    assert.equal(run.stdout, "");
  });

  test("3: a path that does not exist", async () => {
    const { base } = await plugin();
    const run = await runCliCaptured(["validate", "missing-plugin"], { cwd: base });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /missing-plugin: no such file or folder/);
  });
});

describe("validate: report options", () => {
  test("--output writes the report to a file and nothing to stdout", async () => {
    const { dir, base } = await plugin({ "endpoints/hello.yaml": endpointWithSource("endpoints/nope.py") });
    const expected = await runCliCaptured(["validate", "--format", "json", "."], { cwd: dir });
    const run = await runCliCaptured(["validate", "--format", "json", "--output", "../report.json", "."], { cwd: dir });
    assert.equal(run.code, 1, "the exit code still says there are errors");
    assert.equal(run.stdout, "");
    assert.equal(await readFile(join(base, "report.json"), "utf8"), expected.stdout);
  });

  test("--output into a folder that does not exist: exit 3", async () => {
    const { dir } = await plugin();
    const run = await runCliCaptured(["validate", "--output", "no/such/folder/report.txt", "."], { cwd: dir });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /cannot write no\/such\/folder\/report.txt/);
  });

  test("--format json: the documented shape, `file` relative to the working directory", async () => {
    const { base } = await plugin({ "endpoints/hello.yaml": endpointWithSource("endpoints/nope.py") });
    const run = await validateJson(base, ["plugin"]);
    assert.deepEqual(Object.keys(run.report), ["diagnostics", "summary"]);
    assert.deepEqual(run.report.summary, { errors: 1, warnings: 0, files: 3 });
    assert.deepEqual(run.report.diagnostics, [
      {
        file: "plugin/endpoints/hello.yaml",
        line: 5,
        column: 13,
        endLine: 5,
        endColumn: 30,
        severity: "error",
        rule: "file-reference",
        message: 'source file "endpoints/nope.py" does not exist',
        hint: "paths are relative to the plugin folder",
      },
    ]);
    assert.ok(run.stdout.endsWith("}\n"));
  });

  test("several paths in one call: every plugin reported, each counted once", async () => {
    const broken = await plugin({ "endpoints/hello.yaml": endpointWithSource("endpoints/nope.py") });
    const warned = await plugin({ "endpoints/hello.yaml": `${MINIMAL_ENDPOINT}metod: GET\n` });
    const run = await validateJson(broken.base, [broken.dir, warned.dir, broken.dir]);
    assert.equal(run.code, 1);
    assert.deepEqual(run.report.summary, { errors: 1, warnings: 1, files: 7 });
    const files = run.report.diagnostics.map((d) => d.file);
    assert.deepEqual(files, ["plugin/endpoints/hello.yaml", `${join("..", warned.base.split("/").pop()!, "plugin")}/endpoints/hello.yaml`].sort());
  });

  test("a path that does not exist beside one that does: exit 3, the other still reported", async () => {
    const { dir, base } = await plugin({ "endpoints/hello.yaml": `${MINIMAL_ENDPOINT}metod: GET\n` });
    const run = await validateJson(base, ["plugin", "nowhere"]);
    assert.equal(run.code, 3);
    assert.equal(run.report.summary.warnings, 1);
    assert.match(run.stderr, /nowhere: no such file or folder/);
    assert.ok(dir.startsWith(base));
  });
});
