import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/endpoint-kit.js", import.meta.url));
const HOOK = fileURLToPath(new URL("../../test/fixtures/hooks/record-imports.mjs", import.meta.url));

function run(args: string[], extra: string[] = []) {
  const result = spawnSync(process.execPath, [...extra, BIN, ...args], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, fd3: (result.output[3] as string | null) ?? "" };
}

test("--help lists the commands and exits 0", () => {
  const { code, stdout } = run(["--help"]);
  assert.equal(code, 0);
  for (const command of ["init", "validate", "dev"]) assert.match(stdout, new RegExp(`\\n  ${command}\\b`));
});

test("--version prints the package version", () => {
  const version = (JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { version: string }).version;
  const { code, stdout } = run(["--version"]);
  assert.equal(code, 0);
  assert.equal(stdout.trim(), version);
});

test("no arguments prints help and exits 2", () => {
  const { code, stdout } = run([]);
  assert.equal(code, 2);
  assert.match(stdout, /Usage: endpoint-kit/);
});

test("an unknown command exits 2 with a suggestion and a hint", () => {
  const { code, stderr } = run(["valdate"]);
  assert.equal(code, 2);
  assert.match(stderr, /unknown command 'valdate'/);
  assert.match(stderr, /Did you mean validate\?/);
  assert.match(stderr, /hint: run `endpoint-kit --help`/);
});

test("an unknown flag exits 2 with a hint", () => {
  const { code, stderr } = run(["validate", "--frmat", "json"]);
  assert.equal(code, 2);
  assert.match(stderr, /unknown option '--frmat'/);
  assert.match(stderr, /hint:/);
});

/**
 * The packages a run loaded: those imported from node_modules, and those bundled into the CLI's
 * chunks that it loaded (the build's metafile says which chunk holds which package).
 */
function loadedPackages(urls: string[]): string[] {
  const meta = JSON.parse(readFileSync(`${ROOT}dist/cli-meta.json`, "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const paths = urls.filter((u) => u.startsWith("file:")).map((u) => fileURLToPath(u).slice(ROOT.length).replaceAll("\\", "/"));
  const inputs = paths.flatMap((p) => (p.startsWith("dist/cli/") ? Object.keys(meta.outputs[p]?.inputs ?? {}) : [p]));
  return [...new Set(inputs.map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1]).filter((name): name is string => name !== undefined))];
}

test("--help loads none of the heavy libraries (hono, chokidar, inquirer, esbuild)", () => {
  const { code, fd3 } = run(["--help"], ["--import", HOOK]);
  assert.equal(code, 0);
  const urls = fd3.split("\n").filter(Boolean);
  assert.ok(urls.some((u) => u.endsWith("/dist/cli/cli.mjs")), "the CLI bundle ran");
  const packages = loadedPackages(urls);
  assert.ok(packages.includes("commander"), "the recorder saw the modules that were loaded");
  for (const heavy of ["hono", "@hono/node-server", "chokidar", "@inquirer/prompts", "esbuild", "js-yaml"]) {
    assert.ok(!packages.includes(heavy), `${heavy} must not load for --help`);
  }
});

test("validate loads neither the server nor the prompts", () => {
  const { fd3 } = run(["validate", "examples/hello-python"], ["--import", HOOK]);
  const packages = loadedPackages(fd3.split("\n").filter(Boolean));
  assert.ok(packages.includes("js-yaml"));
  for (const heavy of ["hono", "@hono/node-server", "chokidar", "@inquirer/prompts", "esbuild"]) {
    assert.ok(!packages.includes(heavy), `${heavy} must not load for validate of a Python plugin`);
  }
});
