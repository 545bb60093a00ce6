import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir, stat, symlink, utimes, writeFile, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { load } from "js-yaml";
import { runCliCaptured } from "./helpers/run-cli.js";
import { createTempPlugin, endpointYaml, groupYaml, MINIMAL_ENDPOINT, writeFiles } from "./helpers/temp-plugin.js";
import { entryRuleViolations, readZipsWithPython, readZipWithPython } from "./helpers/python-zip.js";
import { CORPUS_DIR } from "./helpers/repo.js";

const IDENTITY = /^tester\/hello:0\.0\.1@([0-9a-f]{64})$/m;

async function filesOnDisk(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesOnDisk(dir, path)));
    else out.push(path);
  }
  return out;
}

test("a package holds exactly the plugin's files, under Dify's entry rules, with the checksum Dify computes", async () => {
  const plugin = await createTempPlugin({
    "B.txt": "capital B sorts before a\n",
    "a.b": "dot before slash\n",
    "a/b": "in a folder\n",
    "é.txt": "two UTF-8 bytes\n",
    "\uff21.txt": "a BMP character above the surrogates\n",
    "😀.txt": "an astral character: UTF-16 would sort it before U+FF21, UTF-8 after\n",
  });
  try {
    const out = join(plugin.base, "out.difypkg");
    const run = await runCliCaptured(["package", plugin.dir, "-o", out], { cwd: plugin.base });
    assert.equal(run.code, 0, run.stderr);
    const checksum = IDENTITY.exec(run.stdout)?.[1];
    assert.ok(checksum, run.stdout);
    assert.match(run.stdout, /11 files, /);

    const zip = readZipWithPython(out);
    assert.deepEqual(entryRuleViolations(zip), []);
    assert.equal(zip.comment, "");
    assert.equal(zip.checksum, checksum, "Python's checksum of the package equals the printed identity");
    const names = zip.entries.map((e) => e.name);
    assert.deepEqual(names, (await filesOnDisk(plugin.dir)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    assert.ok(names.indexOf("😀.txt") > names.indexOf("\uff21.txt"), "byte order, not UTF-16 order");
    // Laid out as Go's zip.Writer lays out Dify's own packages: data descriptors, version 2.0, no
    // attributes, extra fields or times; the UTF-8 flag only where a name needs it.
    for (const e of zip.entries) {
      assert.deepEqual(e.layout, [20, 20, 0, 0, [1980, 0, 0, 0, 0, 0]], e.name);
      assert.equal(e.flags, /^[\x20-\x7d]*$/.test(e.name) ? 0x8 : 0x808, e.name);
    }
    for (const e of zip.entries) assert.deepEqual(Buffer.from(e.data, "base64"), await readFile(join(plugin.dir, e.name)), e.name);

    for (const target of [plugin.dir, out]) {
      const sum = await runCliCaptured(["checksum", target], { cwd: plugin.base });
      assert.equal(sum.code, 0, sum.stderr);
      assert.equal(sum.stdout, `${checksum}\n`, `checksum ${target}`);
    }
  } finally {
    await plugin.remove();
  }
});

test("secrets and local files are refused, named with the line that ignores them; --force ships them with a warning", async () => {
  const plugin = await createTempPlugin({
    "group/hello.yaml": groupYaml(["endpoints/hello.yaml"], [{ name: "api_key", type: "secret-input", label: "API key" }]),
    ".env": "API_KEY=sk-live\n",
    "settings.local.yaml": "api_key: sk-live\n",
    "prod-settings.yaml": "api_key: sk-prod\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    ".git/config": "[core]\n",
    "old.difypkg": "PK",
    "endpoint-kit.stubs.json": "{}\n",
    ".env.example": "API_KEY=\n",
  });
  try {
    const out = join(plugin.base, "x.difypkg");
    const refused = await runCliCaptured(["package", plugin.dir, "-o", out], { cwd: plugin.base });
    assert.equal(refused.code, 1);
    for (const line of [".env  ", "settings.local.yaml", "prod-settings.yaml", ".git/ (2 files)", "old.difypkg", "endpoint-kit.stubs.json"]) assert.ok(refused.stderr.includes(line), `${line} in\n${refused.stderr}`);
    for (const ignoreLine of ["  .env\n", "  settings.local.yaml\n", "  prod-settings.yaml\n", "  .git/\n", "  *.difypkg\n", "  endpoint-kit.stubs.json\n"]) assert.ok(refused.stderr.includes(ignoreLine), ignoreLine);
    assert.ok(!refused.stderr.includes(".env.example"), "placeholders may ship");
    assert.ok(!refused.stderr.includes("sk-live") && !refused.stderr.includes("sk-prod"), "no secret is printed");
    await assert.rejects(stat(out), "nothing is written");

    const forced = await runCliCaptured(["package", plugin.dir, "-o", out, "--force"], { cwd: plugin.base });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stderr, /warning: packaging \.env because of --force/);
    assert.ok(readZipWithPython(out).entries.some((e) => e.name === ".env"));

    // The suggested lines, written to .difyignore, exclude them: the package is clean and identical to Dify's selection.
    await writeFile(join(plugin.dir, ".difyignore"), ".difyignore\n.env\nsettings.local.yaml\nprod-settings.yaml\n.git/\n*.difypkg\nendpoint-kit.stubs.json\n");
    const clean = await runCliCaptured(["package", plugin.dir, "-o", out], { cwd: plugin.base });
    assert.equal(clean.code, 0, clean.stderr);
    assert.deepEqual(readZipWithPython(out).entries.map((e) => e.name), [".env.example", "_assets/icon.svg", "endpoints/hello.py", "endpoints/hello.yaml", "group/hello.yaml", "manifest.yaml"]);

    // A `!` line ships one on purpose.
    await writeFile(join(plugin.dir, ".difyignore"), ".difyignore\nsettings.local.yaml\nprod-settings.yaml\n.git/\n*.difypkg\nendpoint-kit.stubs.json\n!.env\n");
    const onPurpose = await runCliCaptured(["package", plugin.dir, "-o", out], { cwd: plugin.base });
    assert.equal(onPurpose.code, 0, onPurpose.stderr);
    assert.ok(readZipWithPython(out).entries.some((e) => e.name === ".env"));
  } finally {
    await plugin.remove();
  }
});

test("over --max-size, the five largest files are listed and nothing is written", async () => {
  const big = (n: number) => Buffer.alloc(n, 0x61);
  const plugin = await createTempPlugin({ "data/a.bin": big(300_000), "data/b.bin": big(400_000), "data/c.bin": big(200_000), "data/d.bin": big(100_000), "data/e.bin": big(90_000), "data/f.bin": big(80_000) });
  try {
    const out = join(plugin.base, "x.difypkg");
    const run = await runCliCaptured(["package", plugin.dir, "-o", out, "--max-size", "1"], { cwd: plugin.base });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /over the limit of 1048576 bytes/);
    const listed = [...run.stderr.matchAll(/^ {2}\d\. (\S+) {2}(\d+) bytes/gm)].map((m) => [m[1], Number(m[2])]);
    assert.deepEqual(listed, [["data/b.bin", 400_000], ["data/a.bin", 300_000], ["data/c.bin", 200_000], ["data/d.bin", 100_000], ["data/e.bin", 90_000]]);
    await assert.rejects(stat(out));
    const fits = await runCliCaptured(["package", plugin.dir, "-o", out, "--max-size", "2"], { cwd: plugin.base });
    assert.equal(fits.code, 0, fits.stderr);
  } finally {
    await plugin.remove();
  }
});

test("exit codes: validation errors 1, a link to a folder 1, usage 2, unreadable 3", async () => {
  const plugin = await createTempPlugin({ "endpoints/hello.yaml": endpointYaml({ path: "/hello", method: "ANY", source: "endpoints/hello.py" }) });
  try {
    const invalid = await runCliCaptured(["package", plugin.dir, "-o", join(plugin.base, "x.difypkg")], { cwd: plugin.base });
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /endpoints\/hello\.yaml:2:\d+: error: .*\[endpoint-method\]/);
    assert.match(invalid.stderr, /nothing was packaged/);
    await writeFiles(plugin.dir, { "endpoints/hello.yaml": MINIMAL_ENDPOINT });

    await symlink(join(plugin.dir, "endpoints"), join(plugin.dir, "linked"));
    const linked = await runCliCaptured(["package", plugin.dir, "-o", join(plugin.base, "x.difypkg")], { cwd: plugin.base });
    assert.equal(linked.code, 1);
    assert.match(linked.stderr, /linked: a symbolic link to a folder cannot be packaged/);
    await rm(join(plugin.dir, "linked"));
    await writeFile(join(plugin.dir, "a\\b"), "");
    const backslash = await runCliCaptured(["package", plugin.dir, "-o", join(plugin.base, "x.difypkg")], { cwd: plugin.base });
    assert.equal(backslash.code, 1);
    assert.match(backslash.stderr, /a\\b: a backslash in a file name/);
    await rm(join(plugin.dir, "a\\b"));
    // A link to a file ships the target's bytes, as Dify's packager reads it.
    await symlink(join(plugin.dir, "main.txt.real"), join(plugin.dir, "main.txt")).catch(() => undefined);
    await writeFile(join(plugin.dir, "main.txt.real"), "real\n");
    const fileLink = await runCliCaptured(["package", plugin.dir, "-o", join(plugin.base, "x.difypkg")], { cwd: plugin.base });
    assert.equal(fileLink.code, 0, fileLink.stderr);
    const entry = readZipWithPython(join(plugin.base, "x.difypkg")).entries.find((e) => e.name === "main.txt");
    assert.equal(Buffer.from(entry!.data, "base64").toString(), "real\n");

    assert.equal((await runCliCaptured(["package", plugin.dir, "--category", "community"], { cwd: plugin.base })).code, 2);
    assert.equal((await runCliCaptured(["package", plugin.dir, "--sign", "k.pem", "--category", "vip"], { cwd: plugin.base })).code, 2);
    assert.equal((await runCliCaptured(["package", plugin.dir, "--max-size", "0"], { cwd: plugin.base })).code, 2);
    assert.equal((await runCliCaptured(["verify", "x.difypkg"], { cwd: plugin.base })).code, 2, "--public-key is required");
    assert.equal((await runCliCaptured(["checksum", join(plugin.base, "missing")], { cwd: plugin.base })).code, 3);
    assert.equal((await runCliCaptured(["package", plugin.dir, "--sign", join(plugin.base, "missing.pem")], { cwd: plugin.base })).code, 3);
    await writeFile(join(plugin.base, "not-a-zip.difypkg"), "hello");
    const notZip = await runCliCaptured(["checksum", join(plugin.base, "not-a-zip.difypkg")], { cwd: plugin.base });
    assert.equal(notZip.code, 1);
    assert.match(notZip.stderr, /not a valid difypkg file/);
    const noManifest = await runCliCaptured(["package", join(plugin.dir, "endpoints")], { cwd: plugin.base });
    assert.equal(noManifest.code, 3, "as validate: nothing to check there");
    assert.match(noManifest.stderr, /no manifest.yaml/);
  } finally {
    await plugin.remove();
  }
});

test("every corpus plugin packages, and its checksum does not depend on the folder's path, mtimes or file order", async () => {
  const plugins = (await readdir(CORPUS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith("_historical__")).map((e) => e.name);
  assert.ok(plugins.length >= 16);
  const work = await mkdtemp(join(tmpdir(), "endpoint-kit-corpus-pkg-"));
  try {
    const checksums: string[] = [];
    for (const name of plugins) {
      const source = join(CORPUS_DIR, name);
      const first = join(work, `${name}-1.difypkg`);
      const inPlace = await runCliCaptured(["package", source, "-o", first], { cwd: work });
      assert.equal(inPlace.code, 0, `${name}: ${inPlace.stderr}`);
      const checksum = /@([0-9a-f]{64})$/m.exec(inPlace.stdout)![1]!;
      checksums.push(checksum);

      // A copy elsewhere, written in reverse order with other mtimes, packages to the same identity and bytes.
      const copy = join(work, "copy", name);
      const files = (await filesOnDisk(source)).reverse();
      for (const file of files) await cp(join(source, file), join(copy, file));
      for (const [i, file] of files.entries()) await utimes(join(copy, file), 1_000_000 + i * 7919, 2_000_000 - i * 104_729);
      const second = join(work, `${name}-2.difypkg`);
      const moved = await runCliCaptured(["package", copy, "-o", second], { cwd: join(work, "copy") });
      assert.equal(moved.code, 0, `${name}: ${moved.stderr}`);
      assert.equal(/@([0-9a-f]{64})$/m.exec(moved.stdout)![1], checksum, `${name}: same checksum from another path`);
      assert.equal(sha(await readFile(second)), sha(await readFile(first)), `${name}: same bytes`);
    }
    const zips = readZipsWithPython(plugins.map((name) => join(work, `${name}-1.difypkg`)));
    for (const [i, zip] of zips.entries()) {
      assert.deepEqual(entryRuleViolations(zip), [], plugins[i]);
      assert.equal(zip.checksum, checksums[i], `${plugins[i]}: Python's checksum`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

function sha(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

test("init's .difyignore keeps local files out, so a fresh plugin packages cleanly; its workflow validates, tests and packages", async () => {
  const work = await mkdtemp(join(tmpdir(), "endpoint-kit-init-pkg-"));
  try {
    for (const language of ["python", "typescript"] as const) {
      const made = await runCliCaptured(["init", language, "--name", "demo", "--language", language, "--yes"], { cwd: work });
      assert.equal(made.code, 0, made.stderr);
      const workflow = await readFile(join(work, language, ".github/workflows/plugin.yml"), "utf8");
      const steps = language === "python"
        ? ["endpoint-kit validate --target dify", "endpoint-kit test", "endpoint-kit package", "actions/upload-artifact"]
        : ["endpoint-kit validate", "endpoint-kit test", "endpoint-kit build --target node"];
      const parsed = load(workflow) as { on: unknown; jobs: Record<string, { steps: Array<{ run?: string; uses?: string }> }> };
      const runs = Object.values(parsed.jobs).flatMap((job) => job.steps.map((step) => step.run ?? step.uses ?? ""));
      for (const step of steps) assert.ok(runs.some((r) => r.includes(step)), `${language}: ${step}`);
      assert.deepEqual(Object.keys(parsed.on as object), ["push", "pull_request"]);
    }
    const dir = join(work, "python");
    // What a working session leaves behind.
    await writeFiles(dir, { "settings.local.yaml": "api_key: sk-live\n", ".endpoint-kit/storage/k": "v", "fixtures/hello.json": "{}", ".venv/bin/python": "", ".env": "A=1", "endpoints/__pycache__/hello.cpython-312.pyc": "", "old.difypkg": "PK" });
    const run = await runCliCaptured(["package", "--output", "dist/"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const zip = readZipWithPython(join(dir, "dist/demo-0.0.1.difypkg"));
    assert.deepEqual(entryRuleViolations(zip), []);
    assert.deepEqual(zip.entries.map((e) => e.name), ["README.md", "_assets/icon.svg", "endpoints/hello.py", "endpoints/hello.yaml", "group/demo.yaml", "main.py", "manifest.yaml", "requirements.txt"]);
    // Packaging again: the earlier package in dist/ stays out too.
    assert.equal((await runCliCaptured(["package", "--output", "dist/"], { cwd: dir })).code, 0);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

test("a Python plugin locked with uv gets the requirements.txt Dify's packager exports", async () => {
  const plugin = await createTempPlugin({ "pyproject.toml": '[project]\nname = "hello"\nversion = "0.0.1"\n', "uv.lock": "version = 1\n" });
  try {
    const uv = join(plugin.base, "fake-uv");
    // Records its arguments and answers as `uv export` would.
    await writeFile(uv, `#!/bin/sh\necho "$@" > "${join(plugin.base, "uv-args")}"\necho "dify_plugin==0.5.0"\n`, { mode: 0o755 });
    const out = join(plugin.base, "x.difypkg");
    const run = await runCliCaptured(["package", plugin.dir, "-o", out], { cwd: plugin.base, env: { NO_COLOR: "1", UV_PATH: uv } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(await readFile(join(plugin.base, "uv-args"), "utf8"), "export --frozen --format requirements.txt --no-group dev --no-emit-project --no-hashes --no-header --no-annotate\n");
    const entry = readZipWithPython(out).entries.find((e) => e.name === "requirements.txt");
    assert.equal(Buffer.from(entry!.data, "base64").toString(), "dify_plugin==0.5.0\n");
    const missing = await runCliCaptured(["package", plugin.dir, "-o", out], { cwd: plugin.base, env: { NO_COLOR: "1", UV_PATH: join(plugin.base, "no-uv") } });
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /cannot find uv/);
    // With a requirements.txt of its own, nothing is generated.
    await writeFile(join(plugin.dir, "requirements.txt"), "dify_plugin>=0.5\n");
    assert.equal((await runCliCaptured(["package", plugin.dir, "-o", out], { cwd: plugin.base, env: { NO_COLOR: "1", UV_PATH: join(plugin.base, "no-uv") } })).code, 0);
  } finally {
    await plugin.remove();
  }
});

test("the ignore file: .difyignore, else .gitignore, never both", async () => {
  const plugin = await createTempPlugin({ ".gitignore": "notes/\n", "notes/todo.md": "later\n" });
  try {
    const out = join(plugin.base, "x.difypkg");
    const names = async () => {
      const run = await runCliCaptured(["package", plugin.dir, "-o", out], { cwd: plugin.base });
      assert.equal(run.code, 0, run.stderr);
      return readZipWithPython(out).entries.map((e) => e.name);
    };
    assert.ok(!(await names()).includes("notes/todo.md"), ".gitignore applies without .difyignore");
    await writeFile(join(plugin.dir, ".difyignore"), "# only this file\n.difyignore\n");
    const withDifyignore = await names();
    assert.ok(withDifyignore.includes("notes/todo.md") && withDifyignore.includes(".gitignore"), ".gitignore no longer applies");
    assert.ok(!withDifyignore.includes(".difyignore"));
  } finally {
    await plugin.remove();
  }
});
