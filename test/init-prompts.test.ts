import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { after, test } from "node:test";
import { load } from "js-yaml";
import { runInit, runInitEndpoint } from "../src/commands/init.js";
import { CliError } from "../src/errors.js";
import type { InitFlags } from "../src/program.js";
import type { Io } from "../src/terminal/io.js";
import { CANCEL, createScriptedAsk, DEFAULT, type ScriptedAnswer } from "../src/terminal/prompts.js";

const base = await mkdtemp(join(tmpdir(), "ek-init-prompts-"));
after(() => rm(base, { recursive: true, force: true }));
let count = 0;
const now = new Date("2025-06-01T12:00:00.123Z");

function createIo(cwd: string, tty: boolean) {
  const out = { stdout: "", stderr: "" };
  const sink = (key: "stdout" | "stderr") =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out[key] += chunk.toString();
        done();
      },
    });
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const io: Io = { cwd, env: { USER: "Ada Lovelace" }, stdout: sink("stdout"), stderr: sink("stderr"), stdin };
  return { io, out };
}

async function freshDir(): Promise<string> {
  const dir = join(base, `case-${++count}`);
  await import("node:fs/promises").then((fs) => fs.mkdir(dir));
  return dir;
}

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

const flags = (extra: Partial<InitFlags> = {}): InitFlags => ({ setting: [], ...extra });

async function codeOf(run: Promise<number>): Promise<{ code: number; message?: string }> {
  try {
    return { code: await run };
  } catch (error) {
    if (error instanceof CliError) return { code: error.exitCode, message: error.message };
    throw error;
  }
}

test("every question answered on a terminal, a refused answer asked again", async () => {
  const cwd = await freshDir();
  const { io, out } = createIo(cwd, true);
  const script: Record<string, ScriptedAnswer | ScriptedAnswer[]> = {
    dir: "shop-hooks",
    name: ["Shop Hooks", "../../x", "shop-hooks"],
    language: "python",
    author: DEFAULT,
    description: "Order webhooks",
    endpoint: ["import", "orders"],
    path: ["/orders/<str:id>", "/orders/<int:id>"],
    method: "POST",
    addSetting: [true, true, false],
    settingName: ["shop_token", "retry"],
    settingType: ["secret-input", "boolean"],
    settingRequired: [true, false],
  };
  const ask = createScriptedAsk(script);
  assert.equal(await runInit(undefined, flags(), io, { ask, now }), 0);
  assert.deepEqual(ask.asked, [
    "dir", "name", "name", "name", "language", "author", "description", "endpoint", "endpoint", "path", "path", "method",
    "addSetting", "settingName", "settingType", "settingRequired", "addSetting", "settingName", "settingType", "settingRequired", "addSetting",
  ]);
  assert.deepEqual(ask.refused.map((r) => r.name), ["name", "name", "endpoint", "path"]);
  assert.match(ask.refused[1]?.message ?? "", /invalid plugin name "\.\.\/\.\.\/x"/);
  assert.match(ask.refused[3]?.message ?? "", /unknown converter "str"/);

  const root = join(cwd, "shop-hooks");
  const manifest = load(await readFile(join(root, "manifest.yaml"), "utf8")) as Record<string, unknown>;
  assert.equal(manifest.name, "shop-hooks");
  assert.equal(manifest.author, "ada-lovelace");
  assert.equal(manifest.created_at, "2025-06-01T12:00:00Z");
  assert.deepEqual(load(await readFile(join(root, "group/shop-hooks.yaml"), "utf8")), {
    settings: [
      { name: "shop_token", type: "secret-input", required: true, label: { en_US: "Shop Token" } },
      { name: "retry", type: "boolean", required: false, label: { en_US: "Retry" } },
    ],
    endpoints: ["endpoints/orders.yaml"],
  });
  assert.deepEqual(load(await readFile(join(root, "endpoints/orders.yaml"), "utf8")), {
    path: "/orders/<int:id>",
    method: "POST",
    extra: { python: { source: "endpoints/orders.py" } },
  });
  assert.match(out.stdout, /^ {2}endpoints\/orders\.py$/m);
  assert.match(out.stdout, /^ {2}cd shop-hooks$/m);
  assert.equal(out.stderr, "Creating python plugin shop-hooks in shop-hooks\n");
});

test("Enter all the way gives what --yes gives", async () => {
  const cwdA = await freshDir();
  const cwdB = await freshDir();
  const a = createIo(cwdA, true);
  const ask = createScriptedAsk({ dir: "p" });
  assert.equal(await runInit(undefined, flags(), a.io, { ask, now }), 0);
  const b = createIo(cwdB, false);
  assert.equal(await runInit("p", flags({ yes: true }), b.io, { now }), 0);
  const files = await tree(join(cwdA, "p"));
  assert.deepEqual(files, await tree(join(cwdB, "p")));
  // Folders such as `.github` hold a dot too; compare the files.
  for (const file of files.filter((f) => f.includes(".") && statSync(join(cwdA, "p", f)).isFile())) {
    assert.equal(await readFile(join(cwdA, "p", file), "utf8"), await readFile(join(cwdB, "p", file), "utf8"), file);
  }
});

test("a bad flag is refused before the first question", async () => {
  const cwd = await freshDir();
  const { io } = createIo(cwd, true);
  const ask = createScriptedAsk({});
  const result = await codeOf(runInit("x", flags({ name: "ok", language: "python", path: "/a/<str:b>" }), io, { ask, now }));
  assert.equal(result.code, 1);
  assert.match(result.message ?? "", /unknown converter "str"/);
  assert.deepEqual(ask.asked, []);
  assert.deepEqual(await tree(cwd), []);
});

test("Ctrl+C at any question: Cancelled, exit 130, nothing written", async () => {
  for (const question of ["dir", "name", "language", "path", "method", "settingType"]) {
    const cwd = await freshDir();
    const { io, out } = createIo(cwd, true);
    const script: Record<string, ScriptedAnswer> = { dir: "p", addSetting: true, settingName: "token", [question]: CANCEL };
    assert.equal(await runInit(undefined, flags(), io, { ask: createScriptedAsk(script), now }), 130, question);
    assert.equal(out.stderr, "Cancelled\n", question);
    assert.equal(out.stdout, "", question);
    assert.deepEqual(await tree(cwd), [], question);
  }
});

test("no terminal: a missing required answer is a usage error naming the flag", async () => {
  const cases: Array<[string | undefined, Partial<InitFlags>, string]> = [
    [undefined, {}, "missing the folder argument (endpoint-kit init <dir>) (no terminal to ask on)"],
    ["p", {}, "missing --name (no terminal to ask on)"],
    ["p", { name: "p" }, "missing --language (no terminal to ask on)"],
  ];
  for (const [dir, extra, message] of cases) {
    const cwd = await freshDir();
    const { io } = createIo(cwd, false);
    assert.deepEqual(await codeOf(runInit(dir, flags(extra), io, { now })), { code: 2, message });
    assert.deepEqual(await tree(cwd), []);
  }
});

test("no terminal, name and language given: the rest takes its defaults", async () => {
  const cwd = await freshDir();
  const { io } = createIo(cwd, false);
  assert.equal(await runInit("p", flags({ name: "p", language: "typescript" }), io, { now }), 0);
  assert.ok((await tree(join(cwd, "p"))).includes("endpoints/hello.ts"));
});

test("--yes on a terminal asks nothing", async () => {
  const cwd = await freshDir();
  const { io } = createIo(cwd, true);
  const ask = createScriptedAsk({});
  assert.equal(await runInit("p", flags({ yes: true }), io, { ask, now }), 0);
  assert.deepEqual(ask.asked, []);
});

test("a NUL in a name or path: exit 1, nothing written", async () => {
  for (const extra of [{ name: "a\0b" }, { endpoint: "a\0b" }, { path: "/a\0b" }, { description: "a\0b" }] as Array<Partial<InitFlags>>) {
    const cwd = await freshDir();
    const { io } = createIo(cwd, false);
    const result = await codeOf(runInit("p", flags({ yes: true, ...extra }), io, { now }));
    assert.equal(result.code, 1, JSON.stringify(extra));
    assert.deepEqual(await tree(cwd), []);
  }
});

test("init endpoint checks its name and path before writing", async () => {
  const cwd = await freshDir();
  const { io } = createIo(cwd, false);
  assert.equal(await runInit("p", flags({ yes: true }), io, { now }), 0);
  const before = await tree(join(cwd, "p"));
  for (const [name, path, expected] of [
    ["../x", "/x", /invalid endpoint name/],
    ["class", "/x", /Python keyword/],
    ["ok", "/x/<nope:y>", /unknown converter/],
    ["ok", "/x/", /ends with "\/"/],
  ] as const) {
    const result = await codeOf(runInitEndpoint(name, { path, method: "GET", dir: "p" }, io));
    assert.equal(result.code, 1, name);
    assert.match(result.message ?? "", expected);
  }
  assert.equal((await codeOf(runInitEndpoint("ok", { path: "/x", method: "get", dir: "p" }, io))).message, 'method "get" must be upper case: GET');
  assert.deepEqual(await tree(join(cwd, "p")), before);
});
