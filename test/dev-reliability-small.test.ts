/**
 * The smaller cases of the reliability catalogue (the rest are in `dev-reliability.test.ts`): each
 * ended with "this is a bug", a hang, a 404 or a 403 before; one test per case, named after it.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { BIN, createDevPlugin, httpCall, startDev, WAIT_MS, watchChild, type DevPlugin } from "./helpers/spawn-dev.js";
import { REPO_ROOT } from "./helpers/repo.js";
import { createTempPlugin } from "./helpers/temp-plugin.js";

const HELLO_YAML = 'path: "/hello"\nmethod: "GET"\nextra:\n  typescript:\n    source: "endpoints/hello.ts"\n';

let plugin: DevPlugin;
let scratch: string;

before(async () => {
  plugin = await createDevPlugin({ fixture: "hostile", endpoints: [{ name: "hello", path: "/hello", method: "GET", source: "endpoints/hello.ts" }] });
  scratch = await mkdtemp(join(tmpdir(), "endpoint-kit-small-"));
});

after(async () => {
  await plugin?.remove();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Runs the built CLI to its end, bounded: a hang becomes a null status, never a stuck test run. */
function cli(args: string[], cwd: string, nodeFlags: string[] = []) {
  const run = spawnSync(process.execPath, [...nodeFlags, BIN, ...args], { cwd, encoding: "utf8", timeout: WAIT_MS, env: { ...process.env, NO_COLOR: "1" } });
  return { status: run.status, signal: run.signal, out: `${run.stdout}${run.stderr}` };
}

function assertNoBug(out: string): void {
  assert.doesNotMatch(out, /this is a bug/, out);
}

describe("dev, init and validate: the smaller cases", () => {
  test("a YAML edit with an error: the last good version of the endpoint keeps serving (no 404), with a message; the fixed YAML reloads", async () => {
    const dev = await startDev(plugin.dir);
    try {
      const from = dev.output().length;
      await plugin.write("endpoints/hello.yaml", 'path: "/hello\nmethod: [GET\n');
      await dev.waitFor(/endpoints\/hello\.yaml:\d+:\d+/, from);
      await dev.waitFor(/but endpoints\/hello\.yaml failed: the last good version keeps serving/, from);
      const during = await dev.request("/hello");
      assert.equal(during.status, 200, `the broken YAML dropped the endpoint: ${during.body}`);
      assert.equal(during.body, "hello /hello");
      const fixed = dev.output().length;
      await plugin.write("endpoints/hello.yaml", HELLO_YAML.replace('"/hello"', '"/hi"'));
      await dev.waitFor(/reloaded \(/, fixed);
      assert.equal((await dev.request("/hi")).body, "hello /hi");
      assert.equal((await dev.request("/hello")).status, 404);
    } finally {
      await dev.stop();
      await plugin.write("endpoints/hello.yaml", HELLO_YAML);
    }
  });

  test("`init` into a 300-character folder name: a clear message and exit 3, nothing written, not \"this is a bug\"", async () => {
    const cwd = join(scratch, "long");
    await mkdir(cwd);
    const name = "a".repeat(300);
    for (const target of [name, `x/${name}/y`]) {
      const run = cli(["init", target, "-y", "--name", "demo", "--language", "typescript"], cwd);
      assert.equal(run.status, 3, run.out);
      assert.match(run.out, /a file name or path is too long for this file system/);
      assertNoBug(run.out);
    }
    assert.deepEqual(await readdir(cwd), [], "something was written");
  });

  test("a template holding a 2 GiB file: a clear message naming the file, no crash, nothing written", async () => {
    const cwd = join(scratch, "template");
    const template = join(cwd, "tpl");
    await mkdir(cwd);
    await cp(join(REPO_ROOT, "templates", "typescript"), template, { recursive: true });
    const big = join(template, "endpoints", "big.bin");
    // Sparse: 2 GiB on paper, no disk used.
    await writeFile(big, "");
    await truncate(big, 2 * 1024 ** 3);
    const run = cli(["init", "out", "-y", "--name", "demo", "--language", "typescript", "--template", "tpl"], cwd);
    assert.equal(run.status, 1, run.out);
    assert.match(run.out, /big\.bin: template files are limited to 1 MiB/);
    assertNoBug(run.out);
    assert.deepEqual(await readdir(cwd), ["tpl"], "something was written");
  });

  test("`validate --output <FIFO>` with no reader: does not hang; a message says no program reads it", { skip: process.platform === "win32" && "no mkfifo" }, async () => {
    const temp = await createTempPlugin();
    try {
      const fifo = join(temp.base, "report.fifo");
      assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
      const run = cli(["validate", temp.dir, "--output", fifo], temp.base);
      assert.equal(run.signal, null, `validate hung on the FIFO:\n${run.out}`);
      assert.equal(run.status, 3, run.out);
      assert.match(run.out, /it is a FIFO that no program is reading/);
      assertNoBug(run.out);
    } finally {
      await temp.remove();
    }
  });

  test("`dev --host 0.0.0.0`: an exposure warning, and the URLs it prints answer (not 403); an allowed host name answers too", async () => {
    const dev = await startDev(plugin.dir, ["--host", "0.0.0.0", "--allow-host", "dev.example"]);
    try {
      assert.match(dev.output(), /warning: listening on 0\.0\.0\.0:\d+: the endpoints, with your real settings, are reachable from the network/);
      const urls = [...new Set(dev.stdout().match(/http:\/\/[^\s]+/g) ?? [])];
      assert.ok(urls.length >= 2, dev.stdout());
      for (const url of urls) {
        const { host, pathname } = new URL(url);
        const answer = await dev.request(pathname, { headers: { host } });
        assert.equal(answer.status, 200, `${url} answered ${answer.status}: ${answer.body}`);
      }
      assert.equal((await dev.request("/hello", { headers: { host: `dev.example:${dev.port}` } })).status, 200);
      assert.equal((await dev.request("/hello", { headers: { host: `other.example:${dev.port}` } })).status, 403);
    } finally {
      await dev.stop();
    }
  });

  test("`node --max-old-space-size=N endpoint-kit dev`: starts and serves TypeScript endpoints, not \"this is a bug\"", async () => {
    const child = spawn(process.execPath, ["--max-old-space-size=96", BIN, "dev", plugin.dir, "--port", "0"], { cwd: plugin.dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    const dev = watchChild(child);
    try {
      const [, port] = await dev.waitFor(/http:\/\/127\.0\.0\.1:(\d+)\/hello/);
      await dev.waitFor(/watching for changes/);
      const answer = await httpCall(Number(port), "/hello");
      assert.equal(answer.status, 200, answer.body);
      assertNoBug(dev.output());
    } finally {
      await dev.stop();
    }
  });
});
