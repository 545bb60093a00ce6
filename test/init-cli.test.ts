import assert from "node:assert/strict";
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, chown, copyFile, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { load } from "js-yaml";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin/endpoint-kit.js");
const fixtures = join(repo, "test/fixtures/init");
const base = await mkdtemp(join(tmpdir(), "ek-init-cli-"));
await chmod(base, 0o755);
after(() => rm(base, { recursive: true, force: true }));
let count = 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, options: SpawnSyncOptions = {}): Run {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", USER: "tester" }, ...options });
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

async function freshDir(): Promise<string> {
  const dir = join(base, `case-${++count}`);
  await mkdir(dir);
  return dir;
}

/** Every entry under `dir` (links not followed) with its type and, for files, a hash of its bytes: "nothing written" means equal snapshots. */
async function snapshot(dir: string, prefix = ""): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    const rel = prefix === "" ? name : `${prefix}/${name}`;
    const path = join(dir, rel);
    const info = await lstat(path);
    if (info.isSymbolicLink()) entries[rel] = `link ${await readlink(path)}`;
    else if (info.isDirectory()) Object.assign(entries, { [rel]: `dir ${(info.mode & 0o777).toString(8)}` }, await snapshot(dir, rel));
    else entries[rel] = `file ${createHash("sha256").update(await readFile(path)).digest("hex")}`;
  }
  return entries;
}

function diagnosticsOf(dir: string, cwd: string): unknown[] {
  const result = run(["validate", dir, "--format", "json"], cwd);
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  return (JSON.parse(result.stdout) as { diagnostics: unknown[] }).diagnostics;
}

test("--yes makes a Python plugin that validates clean, and stays clean with a second endpoint", async () => {
  const cwd = await freshDir();
  const made = run(["init", "demo", "--yes"], cwd);
  assert.equal(made.code, 0, made.stderr);
  assert.equal(made.stderr, "Creating python plugin demo in demo\n");
  assert.match(made.stdout, /^Done\. Files in demo:$/m);
  assert.match(made.stdout, /^Next:\n {2}cd demo\n/m);
  assert.deepEqual(Object.keys(await snapshot(join(cwd, "demo"))).filter((p) => p.includes(".")), [
    ".difyignore", ".github", ".github/workflows", ".github/workflows/plugin.yml",
    ".gitignore", "README.md", "_assets/icon.svg", "endpoints/hello.py", "endpoints/hello.yaml", "fixtures/hello.yaml", "group/demo.yaml",
    "main.py", "manifest.yaml", "requirements.txt", "settings.local.example.yaml",
  ]);
  assert.equal(await readFile(join(cwd, "demo/main.py"), "utf8"), "from dify_plugin import Plugin, DifyPluginEnv\n\nplugin = Plugin(DifyPluginEnv(MAX_REQUEST_TIMEOUT=120))\n\nif __name__ == '__main__':\n    plugin.run()\n");
  assert.match(await readFile(join(cwd, "demo/requirements.txt"), "utf8"), /^dify_plugin>=0\.5\.0,<0\.8\.0$/m);
  assert.deepEqual(diagnosticsOf("demo", cwd), []);

  const added = run(["init", "endpoint", "items", "--path", "/items/<int:id>", "--method", "POST", "--dir", "demo"], cwd);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /^ {2}group\/demo\.yaml \(endpoint added\)$/m);
  assert.deepEqual((load(await readFile(join(cwd, "demo/group/demo.yaml"), "utf8")) as { endpoints: string[] }).endpoints, ["endpoints/hello.yaml", "endpoints/items.yaml"]);
  assert.deepEqual(diagnosticsOf("demo", cwd), []);
});

test("--yes makes a TypeScript plugin that validates clean, type-checks, and whose npm test passes", async () => {
  const cwd = await freshDir();
  const made = run(["init", "ts", "--yes", "--language", "typescript"], cwd);
  assert.equal(made.code, 0, made.stderr);
  const root = join(cwd, "ts");
  assert.deepEqual(diagnosticsOf("ts", cwd), []);
  assert.equal(run(["init", "endpoint", "items", "--path", "/items/<int:id>", "--dir", "ts"], cwd).code, 0);
  assert.deepEqual(diagnosticsOf("ts", cwd), []);

  // A stand-in for `npm install`: this checkout as endpoint-kit.
  await mkdir(join(root, "node_modules"));
  await symlink(repo, join(root, "node_modules/endpoint-kit"));
  const tsc = spawnSync(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: root, encoding: "utf8" });
  assert.equal(tsc.status, 0, tsc.stdout);
  // A test runner started from a test reports to its parent unless NODE_TEST_CONTEXT is cleared.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const tests = spawnSync(process.execPath, ["--test", "test/hello.test.mjs", "test/items.test.mjs"], { cwd: root, encoding: "utf8", env });
  assert.equal(tests.status, 0, tests.stdout + tests.stderr);
  assert.match(tests.stdout, /^# pass 4$/m);
});

test("a second init into the same folder exits 1, lists the conflicts and changes nothing", async () => {
  const cwd = await freshDir();
  assert.equal(run(["init", "p", "--yes"], cwd).code, 0);
  await writeFile(join(cwd, "p/notes.txt"), "mine\n");
  const before = await snapshot(cwd);
  const again = run(["init", "p", "--yes", "--language", "typescript"], cwd);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^error: \d+ files already exist, nothing was written:$/m);
  assert.match(again.stderr, /^ {2}p\/manifest\.yaml$/m);
  assert.match(again.stderr, /^hint: pass --force/m);
  assert.equal(again.stdout, "");
  assert.deepEqual(await snapshot(cwd), before);
});

test("bad names exit 1 and write nothing anywhere", async () => {
  const outer = await freshDir();
  const cwd = join(outer, "a/b");
  await mkdir(cwd, { recursive: true });
  const before = await snapshot(outer);
  const cases: string[][] = [
    ["--name", "../../x"],
    ["--name", "/abs/x"],
    ["--name", "C:\\x"],
    ["--name", "a\nb"],
    ["--name", 'a"b'],
    ["--name", "a'b"],
    ["--name", "${HOME}"],
    ["--endpoint", "../../x"],
    ["--endpoint", "/abs/x"],
    ["--author", "../x"],
    ["--path", "../x"],
    ["--method", "PATCH"],
    ["--setting", "../x:secret-input"],
  ];
  for (const flags of cases) {
    const result = run(["init", "p", "--yes", ...flags], cwd);
    assert.equal(result.code, 1, flags.join(" "));
    assert.match(result.stderr, /^error: /, flags.join(" "));
    assert.equal(result.stdout, "");
  }
  assert.deepEqual(await snapshot(outer), before);
});

test("--force replaces only the files init generates", async () => {
  const cwd = await freshDir();
  assert.equal(run(["init", "p", "--yes"], cwd).code, 0);
  const pristine = await snapshot(join(cwd, "p"));
  await writeFile(join(cwd, "p/README.md"), "edited\n");
  await rm(join(cwd, "p/main.py"));
  await writeFile(join(cwd, "p/notes.txt"), "mine\n");
  await writeFile(join(cwd, "p/endpoints/extra.py"), "# mine\n");
  const forced = run(["init", "p", "--yes", "--force"], cwd);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /^ {2}README\.md \(replaced\)$/m);
  assert.match(forced.stdout, /^ {2}main\.py$/m);
  const after = await snapshot(join(cwd, "p"));
  const { ["notes.txt"]: notes, ["endpoints/extra.py"]: extra, ...generated } = after;
  assert.ok(notes !== undefined && extra !== undefined);
  // created_at differs by the clock; everything else is back as generated.
  const { ["manifest.yaml"]: _m1, ...restAfter } = generated;
  const { ["manifest.yaml"]: _m2, ...restPristine } = pristine;
  assert.deepEqual(restAfter, restPristine);
  assert.equal(await readFile(join(cwd, "p/notes.txt"), "utf8"), "mine\n");
});

test("never writes through a symbolic link, even with --force", async () => {
  const cwd = await freshDir();
  const outside = join(cwd, "outside");
  await mkdir(outside);
  await writeFile(join(outside, "README.md"), "outside\n");
  await mkdir(join(cwd, "p"));
  await symlink(join(outside, "README.md"), join(cwd, "p/README.md"));
  const before = await snapshot(cwd);
  const viaFile = run(["init", "p", "--yes", "--force"], cwd);
  assert.equal(viaFile.code, 1);
  assert.match(viaFile.stderr, /p\/README\.md is a symbolic link/);
  assert.deepEqual(await snapshot(cwd), before);

  await rm(join(cwd, "p/README.md"));
  await symlink(outside, join(cwd, "p/endpoints"));
  const beforeDir = await snapshot(cwd);
  const viaDir = run(["init", "p", "--yes", "--force"], cwd);
  assert.equal(viaDir.code, 1);
  assert.match(viaDir.stderr, /p\/endpoints is a symbolic link/);
  assert.deepEqual(await snapshot(cwd), beforeDir);
});

/** Runs as an unprivileged user when the tests run as root, so permissions apply. */
async function asUnprivileged(dir: string): Promise<SpawnSyncOptions> {
  if (process.getuid?.() !== 0) return {};
  await chown(dir, 65534, 65534);
  for (const rel of await readdir(dir, { recursive: true })) await chown(join(dir, String(rel)), 65534, 65534);
  return { uid: 65534, gid: 65534 };
}

test("a folder that cannot be written mid-way: exit 3 naming the path, nothing left behind", async () => {
  const cwd = await freshDir();
  await mkdir(join(cwd, "p/endpoints"), { recursive: true });
  const options = await asUnprivileged(cwd);
  await chmod(join(cwd, "p/endpoints"), 0o555);
  const before = await snapshot(cwd);
  const result = run(["init", "p", "--yes"], cwd, options);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /^error: cannot write p\/endpoints\/hello\.py: permission denied \(EACCES\)$/m);
  assert.equal(result.stdout, "");
  assert.deepEqual(await snapshot(cwd), before);
});

test("a parent folder that cannot be written: exit 3, nothing left behind", async () => {
  const cwd = await freshDir();
  await mkdir(join(cwd, "locked"));
  const options = await asUnprivileged(cwd);
  await chmod(join(cwd, "locked"), 0o555);
  const before = await snapshot(cwd);
  const result = run(["init", "locked/p", "--yes"], cwd, options);
  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /^error: cannot write locked: permission denied/m);
  assert.deepEqual(await snapshot(cwd), before);
});

test("an answer that looks like a template variable is written literally", async () => {
  const cwd = await freshDir();
  const description = "Hooks for {{plugin_name}} and {{other}}";
  const result = run(["init", "p", "--yes", "--description", description], cwd);
  assert.equal(result.code, 0, result.stderr);
  const manifest = load(await readFile(join(cwd, "p/manifest.yaml"), "utf8")) as { description: { en_US: string } };
  assert.equal(manifest.description.en_US, description);
  assert.match(await readFile(join(cwd, "p/README.md"), "utf8"), /^Hooks for \{\{plugin_name\}\} and \{\{other\}\}$/m);
});

test("without a terminal, a missing answer exits 2 naming the flag", async () => {
  const cwd = await freshDir();
  const result = run(["init", "p"], cwd);
  assert.equal(result.code, 2);
  assert.equal(result.stderr, "error: missing --name (no terminal to ask on)\nhint: pass --name, or --yes to take the defaults\n");
  assert.deepEqual(await snapshot(cwd), {});
});

for (const [fixture, what] of [
  ["group-with-comments", "a block list with comments"],
  ["group-flow-crlf", "a flow list with CRLF line breaks"],
] as const) {
  test(`init endpoint appends to ${what}, keeping every other byte`, async () => {
    const cwd = await freshDir();
    await mkdir(join(cwd, "group"));
    await copyFile(join(fixtures, "manifest.yaml"), join(cwd, "manifest.yaml"));
    await copyFile(join(fixtures, `${fixture}.yaml`), join(cwd, "group/fixture.yaml"));
    const result = run(["init", "endpoint", "items", "--path", "/items/<int:id>"], cwd);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await readFile(join(cwd, "group/fixture.yaml"), "utf8"), await readFile(join(fixtures, `${fixture}.expected.yaml`), "utf8"));
    assert.ok((await lstat(join(cwd, "endpoints/items.py"))).isFile());
    const again = run(["init", "endpoint", "items", "--path", "/items/<int:id>"], cwd);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /endpoints\/items\.py/);
  });
}

test("init endpoint outside a plugin exits 1", async () => {
  const cwd = await freshDir();
  const result = run(["init", "endpoint", "items", "--path", "/items"], cwd);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error: manifest\.yaml: not found$/m);
  assert.deepEqual(await snapshot(cwd), {});
});

test("--template uses the user's folder; an unknown variable in it exits 1 writing nothing", async () => {
  const cwd = await freshDir();
  const template = join(cwd, "tpl/python");
  await mkdir(join(template, "endpoints"), { recursive: true });
  await writeFile(join(template, "NOTES.md"), "# {{plugin_label}} by {{author}}\n");
  await writeFile(join(template, "endpoints/{{endpoint_name}}.yaml"), 'path: "{{endpoint_path}}"\n');
  const made = run(["init", "p", "--yes", "--template", "tpl", "--no-settings"], cwd);
  assert.equal(made.code, 0, made.stderr);
  assert.equal(await readFile(join(cwd, "p/NOTES.md"), "utf8"), "# P by tester\n");
  // A user's template gets the schema modeline too (no package.json: the published URL).
  assert.match(await readFile(join(cwd, "p/endpoints/hello.yaml"), "utf8"), /^# yaml-language-server: \$schema=https:\/\/unpkg\.com\/endpoint-kit@[^/]+\/schemas\/endpoint\.schema\.json\npath: "\/hello\/<name>"\n$/);
  assert.match(await readFile(join(cwd, "p/settings.local.example.yaml"), "utf8"), /^\{\}$/m);

  await writeFile(join(template, "NOTES.md"), "ok\n{{plugin_name}} {{colour}}\n");
  const before = await snapshot(cwd);
  const broken = run(["init", "q", "--yes", "--template", "tpl"], cwd);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /^error: tpl\/python\/NOTES\.md:2:17: unknown template variable \{\{colour\}\}$/m);
  assert.deepEqual(await snapshot(cwd), before);
});

/** Starts `dev` on a free port, requests `path` once, stops it; resolves with the status and body. */
async function firstRequest(dir: string, method: string, path: string): Promise<{ status: number; body: unknown }> {
  const child = spawn(process.execPath, [bin, "dev", "--port", "0"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev did not start:\n${output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("exit", () => reject(new Error(`dev exited:\n${output}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
    return { status: response.status, body: await response.json() };
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGINT");
    await exited;
  }
}

for (const language of ["python", "typescript"] as const) {
  test(`a generated ${language} plugin answers its first request in dev`, { timeout: 60_000 }, async () => {
    const cwd = await freshDir();
    assert.equal(run(["init", "p", "--yes", "--language", language, "--path", "/orders/<int:id>", "--method", "POST"], cwd).code, 0);
    const { status, body } = await firstRequest(join(cwd, "p"), "POST", "/orders/42");
    assert.equal(status, 200);
    assert.deepEqual(body, { endpoint: "hello", method: "POST", values: { id: 42 }, settings: [] });
  });
}
