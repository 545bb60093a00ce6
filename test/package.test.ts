import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

test("the packed tarball installs into an empty folder and its commands work from there", { timeout: 240_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), "ek-pack-"));
  try {
    // The build already ran (npm test builds first); pack what is there, without re-running prepack.
    const packed = execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8" });
    const info = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info[0]!.files.map((f) => f.path);
    assert.ok(files.includes("bin/endpoint-kit.js"));
    assert.ok(files.includes("dist/src/cli.js"));
    assert.ok(files.includes("dist/cli/cli.mjs"), "the CLI bundle is shipped");
    assert.ok(!files.includes("dist/cli-meta.json"), "the build's metafile is not shipped");
    assert.ok(files.some((f) => f.startsWith("templates/python/")));
    assert.ok(files.some((f) => f.startsWith("python/endpoint_kit_runtime/")));
    assert.ok(!files.some((f) => f.startsWith("dist/test/") || f.startsWith("test/") || f.startsWith("src/")), "tests and sources are not published");
    const app = join(work, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    execFileSync(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", join(work, info[0]!.filename)], { cwd: app, stdio: "pipe" });
    assert.ok(readdirSync(join(app, "node_modules")).includes("endpoint-kit"));
    const help = spawnSync("npx", ["--no-install", "endpoint-kit", "--help"], { cwd: app, encoding: "utf8" });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: endpoint-kit/);
    const example = join(ROOT, "examples", "hello-python");
    const valid = spawnSync("npx", ["--no-install", "endpoint-kit", "validate", example], { cwd: app, encoding: "utf8" });
    assert.equal(valid.status, 0, valid.stdout + valid.stderr);
    assert.match(valid.stdout, /no problems/);
    const bad = spawnSync("npx", ["--no-install", "endpoint-kit", "validate", join(ROOT, "examples", "docs-mistakes"), "--format", "json"], { cwd: app, encoding: "utf8" });
    assert.equal(bad.status, 1);
    assert.ok((JSON.parse(bad.stdout) as { summary: { errors: number } }).summary.errors > 0);
    const made = spawnSync("npx", ["--no-install", "endpoint-kit", "init", join(work, "made"), "--yes", "--name", "made", "--language", "typescript"], { cwd: app, encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
    // The fresh plugin's own `npm test` (validate, then its test through loadPlugin) passes once
    // endpoint-kit is installed: the installed tarball stands in for its `npm install`.
    symlinkSync(join(app, "node_modules"), join(work, "made", "node_modules"));
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const tested = spawnSync(npm, ["test"], { cwd: join(work, "made"), encoding: "utf8", env });
    assert.equal(tested.status, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /^# pass 2$/m);
    const invoked = spawnSync("npx", ["--no-install", "endpoint-kit", "invoke", "GET", "/hello/world", "--dir", join(work, "made")], { cwd: app, encoding: "utf8" });
    assert.equal(invoked.status, 0, invoked.stderr);
    assert.equal((JSON.parse(invoked.stdout) as { endpoint: string }).endpoint, "hello");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
