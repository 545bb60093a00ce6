/**
 * End to end: a real `endpoint-kit dev` process reloading on edits (RELIABILITY.md, dev (reload)):
 * handler, helper module and settings edits, in-flight requests on the old code, broken saves that
 * keep the last good version serving, manifest trouble, and bursts of saves.
 */
import assert from "node:assert/strict";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { createDevPlugin, startDev, WAIT_MS, type DevPlugin, type DevProcess } from "./helpers/spawn-dev.js";

const TOKEN_1 = "tok-first-8c1d2e";
const TOKEN_2 = "tok-second-93ab7f";

const SETTINGS = `  - name: greeting
    type: text-input
    required: false
    default: hi
    label:
      en_US: Greeting
  - name: token
    type: secret-input
    required: false
    label:
      en_US: Token`;

let plugin: DevPlugin;
let dev: DevProcess;
let settingsFile: string;
let versionSource: string;
let manifest: string;

const RELOADED = /reloaded \(/g;

/** Writes `relative` and waits for the reload line that names it. */
async function editAndWait(relative: string, content: string): Promise<void> {
  const from = dev.output().length;
  await plugin.write(relative, content);
  await dev.waitFor(new RegExp(`reload(ed| failed) \\([^)]*${relative.replace(/[.]/g, "\\.")}`), from);
}

const withVersion = (version: string) => versionSource.replace('const VERSION = "v1";', `const VERSION = ${JSON.stringify(version)};`);

/** Asks until the answer is `expected` (reloads are asynchronous); fails after WAIT_MS. */
async function eventually(path: string, expected: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let last = "";
  while (Date.now() < deadline) {
    const answer = await dev.request(path);
    last = `${answer.status} ${answer.body}`;
    if (answer.status === 200 && answer.body === expected) return;
    await delay(50);
  }
  assert.fail(`${path} never answered ${expected} (last: ${last})\n${dev.output()}`);
}

before(async () => {
  plugin = await createDevPlugin({
    fixture: "reload",
    settingsYaml: SETTINGS,
    endpoints: [
      { name: "version", path: "/version", method: "GET", source: "endpoints/version.ts" },
      { name: "release", path: "/release", method: "GET", source: "endpoints/release.ts" },
      { name: "settings", path: "/settings", method: "GET", source: "endpoints/settings.ts" },
    ],
  });
  settingsFile = join(plugin.base, "settings.yaml");
  await writeFile(settingsFile, `greeting: "hello"\ntoken: "${TOKEN_1}"\n`);
  versionSource = await readFile(join(plugin.dir, "endpoints/version.ts"), "utf8");
  manifest = await readFile(join(plugin.dir, "manifest.yaml"), "utf8");
  // The settings file sits outside the plugin folder: it is watched on its own.
  dev = await startDev(plugin.dir, ["--settings", settingsFile]);
});

after(async () => {
  await dev?.stop();
  await plugin?.remove();
});

describe("dev reload", () => {
  test("an edited handler serves the next request", async () => {
    assert.equal((await dev.request("/version")).body, "v1-a");
    await editAndWait("endpoints/version.ts", withVersion("v2"));
    assert.equal((await dev.request("/version")).body, "v2-a");
  });

  test("an edited local module the handler imports reloads it too", async () => {
    await editAndWait("lib/suffix.ts", 'export function suffix(): string {\n  return "-b";\n}\n');
    assert.equal((await dev.request("/version")).body, "v2-b");
  });

  test("a request in flight during an edit finishes on the old code, the next one uses the new", async () => {
    const from = dev.output().length;
    const slow = dev.request("/version?gate=inflight");
    await dev.waitFor(/waiting at inflight on v2/, from);
    await editAndWait("endpoints/version.ts", withVersion("v3"));
    assert.equal((await dev.request("/version")).body, "v3-b");
    assert.equal((await dev.request("/release?gate=inflight")).body, "released");
    const answer = await slow;
    assert.equal(answer.status, 200);
    assert.equal(answer.body, "v2-b");
  });

  test("a syntax error is printed with file:line:col, the old code keeps serving, a fix recovers", async () => {
    const broken = withVersion("v4").replace("export default class Version", "export default class Version {{");
    const line = broken.split("\n").findIndex((l) => l.includes("{{")) + 1;
    const from = dev.output().length;
    await plugin.write("endpoints/version.ts", broken);
    await dev.waitFor(new RegExp(`endpoints/version\\.ts:${line}:\\d+`), from);
    await dev.waitFor(/reloaded \(|reload failed/, from);
    assert.equal((await dev.request("/version")).body, "v3-b");
    await editAndWait("endpoints/version.ts", withVersion("v5"));
    assert.equal((await dev.request("/version")).body, "v5-b");
  });

  test("editing the settings file reloads the settings, and the new secret is masked too", async () => {
    assert.deepEqual(JSON.parse((await dev.request("/settings")).body), { greeting: "hello", tokenLength: TOKEN_1.length });
    const from = dev.output().length;
    await writeFile(settingsFile, `greeting: "bonjour"\ntoken: "${TOKEN_2}"\n`);
    await dev.waitFor(/reloaded \(/, from);
    assert.deepEqual(JSON.parse((await dev.request("/settings")).body), { greeting: "bonjour", tokenLength: TOKEN_2.length });
    await dev.waitFor(/token in use: \*\*\*\*/, from);
    assert.ok(!dev.output().includes(TOKEN_1) && !dev.output().includes(TOKEN_2), `a token was printed:\n${dev.output()}`);
  });

  test("a manifest made invalid: a positioned error, no crash, and fixing it recovers", async () => {
    const from = dev.output().length;
    await plugin.write("manifest.yaml", manifest.replace("version: 0.0.1\ntype: plugin", "version: [0.0.1\ntype: plugin"));
    await dev.waitFor(/manifest\.yaml:\d+:\d+/, from);
    await dev.waitFor(/reloaded \(|reload failed/, from);
    assert.equal(dev.child.exitCode, null);
    const during = await dev.request("/version");
    assert.equal(during.body, "v5-b", "the last good version keeps serving");
    await editAndWait("manifest.yaml", manifest);
    assert.equal((await dev.request("/version")).body, "v5-b");
  });

  test("a deleted manifest: an error, no crash, and restoring it recovers", async () => {
    const from = dev.output().length;
    await rm(join(plugin.dir, "manifest.yaml"));
    await dev.waitFor(/reload failed|manifest/, from);
    assert.equal(dev.child.exitCode, null);
    assert.equal((await dev.request("/version")).body, "v5-b", "the last good version keeps serving");
    await editAndWait("manifest.yaml", manifest);
    await editAndWait("endpoints/version.ts", withVersion("v6"));
    assert.equal((await dev.request("/version")).body, "v6-b");
  });

  test("a manifest replaced by a rename (an editor's atomic save) reloads", async () => {
    const from = dev.output().length;
    const temp = join(plugin.dir, "manifest.yaml.saving");
    await writeFile(temp, manifest.replace("Dev test", "Dev test renamed"));
    await rename(temp, join(plugin.dir, "manifest.yaml"));
    await dev.waitFor(/reloaded \(/, from);
    assert.equal(dev.child.exitCode, null);
    await editAndWait("endpoints/version.ts", withVersion("v7"));
    assert.equal((await dev.request("/version")).body, "v7-b");
  });

  test("50 saves in one second: the last one is served, after at most a few reloads", async (t) => {
    // Start from a quiet watcher, so the first save reloads at once and the rest make a burst.
    await delay(400);
    const from = dev.output().length;
    for (let i = 1; i <= 50; i++) {
      await writeFile(join(plugin.dir, "endpoints/version.ts"), withVersion(`burst-${i}`));
      await delay(20);
    }
    await eventually("/version", "burst-50-b");
    // Let any verification pass that is still pending run, then count.
    await delay(300);
    assert.equal((await dev.request("/version")).body, "burst-50-b");
    const reloads = dev.count(RELOADED, from);
    t.diagnostic(`${reloads} reloads for 50 saves`);
    assert.ok(reloads >= 1 && reloads <= 3, `${reloads} reloads:\n${dev.output().slice(from)}`);
    assert.doesNotMatch(dev.output().slice(from), /reload failed/);
  });
});
