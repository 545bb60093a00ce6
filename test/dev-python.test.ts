/**
 * `endpoint-kit dev` end to end on a Python plugin (test/fixtures/dev-python/plugin, copied to a
 * temporary folder): one real dev process answers every subtest over HTTP, as Dify would.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DEV_PYTHON_FIXTURE, eventually, lineOf, open, send, skipWithoutPython, startDev } from "./dev-python-harness.js";
import type { DevProcess } from "./dev-python-harness.js";

const SECRET = "sk-dev-python-secret-0042";
const fixtureSource = (name: string) => readFileSync(join(DEV_PYTHON_FIXTURE, "endpoints", name), "utf8");
const readOr = (path: string, fallback: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fallback;
  }
};

test("dev serves a Python plugin as Dify would", { skip: skipWithoutPython, timeout: 120_000 }, async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), "ek-dev-python-"));
  const dir = join(scratch, "plugin");
  cpSync(DEV_PYTHON_FIXTURE, dir, { recursive: true });
  let dev: DevProcess | undefined;
  try {
    dev = await startDev(dir);
    const d = dev;

    await t.test("path values arrive converted: int, float, uuid.UUID, str", async () => {
      const answer = await send(d.url("/values/42/2.5/6ba7b810-9dad-11d1-80b4-00c04fd430c8/hello%20duck"));
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body), {
        i: ["int", "42"],
        f: ["float", "2.5"],
        u: ["UUID", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"],
        s: ["str", "hello duck"],
      });
    });

    await t.test("settings are passed through as plain values; the secret stays out of the terminal", async () => {
      const answer = await send(d.url("/settings"));
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body), { api_key: SECRET, app: { app_id: "app-123" }, greeting: "Hello from settings", mode: "slow", verbose: true });
      assert.match(d.output(), /api_key = \*\*\*\*/);
      assert.ok(!d.output().includes(SECRET), "the secret was printed");
    });

    await t.test("a ValueError is a 404 with its message", async () => {
      const answer = await send(d.url("/fail/value?name=Bob"));
      assert.equal(answer.status, 404);
      assert.equal(answer.body, "no duck named Bob");
    });

    await t.test("another exception is a 500 with its message; the traceback (file, line) is printed", async () => {
      const mark = d.mark();
      const answer = await send(d.url("/fail/other"));
      assert.equal(answer.status, 500);
      assert.equal(answer.body, "Internal Server Error: the duck exploded");
      const source = fixtureSource("fail.py");
      await d.waitForOutput(new RegExp(`endpoints/fail\\.py", line ${lineOf(source, "explode(\"duck\")")}, in _invoke`), mark);
      await d.waitForOutput(new RegExp(`endpoints/fail\\.py", line ${lineOf(source, "raise RuntimeError")}, in explode`), mark);
      await d.waitForOutput(/RuntimeError: the duck exploded/, mark);
    });

    await t.test("print output reaches the terminal prefixed by the endpoint", async () => {
      const word = `w${process.pid}x`;
      const mark = d.mark();
      const answer = await send(d.url(`/print?word=${word}`));
      assert.equal(answer.body, "printed");
      await d.waitForOutput(new RegExp(`^\\[endpoints/printer\\.yaml\\] printed by the handler: ${word}$`, "m"), mark);
      await d.waitForOutput(new RegExp(`^\\[endpoints/printer\\.yaml\\] to stderr: ${word}$`, "m"), mark);
    });

    await t.test("a generator body streams chunk by chunk", async () => {
      const stream = await open(d.url("/stream/gated/gated"));
      assert.equal(stream.status, 200);
      // Each later chunk waits for a gate this test opens: arriving alone proves nothing was buffered.
      assert.equal(await stream.until("first\n"), "first\n");
      assert.equal((await send(d.url("/gate/gated-1"), "POST")).body, "opened gated-1");
      assert.equal(await stream.until("second\n"), "first\nsecond\n");
      await send(d.url("/gate/gated-2"), "POST");
      assert.equal(await stream.rest(), "first\nsecond\nthird\n");
    });

    await t.test("a client that hangs up stops the generator (its finally runs)", async () => {
      const outcome = join(scratch, "hangup-outcome.txt");
      const stream = await open(d.url(`/stream/hangup/hangup?out=${encodeURIComponent(outcome)}`));
      assert.equal(await stream.until("first\n"), "first\n");
      stream.hangUp();
      // Left running, the generator would end "completed" once its gate times out.
      const ended = await eventually(async () => readOr(outcome, ""), (text) => text !== "");
      assert.equal(ended, "closed early");
    });

    await t.test("an exception inside a running generator ends up in the body", async () => {
      const mark = d.mark();
      const answer = await send(d.url("/stream/boom/boom"));
      assert.equal(answer.status, 200);
      assert.equal(answer.body, "first\nexploded mid-stream");
      await d.waitForOutput(new RegExp(`\\[endpoints/stream\\.yaml\\] .*endpoints/stream\\.py", line ${lineOf(fixtureSource("stream.py"), "exploded mid-stream")}`), mark);
    });

    await t.test("reverse calls are answered from endpoint-kit.stubs.json", async () => {
      const blocking = await send(d.url("/reverse/blocking"));
      assert.equal(blocking.status, 200);
      assert.deepEqual(JSON.parse(blocking.body), { answer: "Hello from a stub", conversation: "local-1" });
      const streaming = await send(d.url("/reverse/streaming"));
      assert.deepEqual(JSON.parse(streaming.body), ["Hel", "lo"]);
    });

    await t.test("an unstubbed reverse call fails naming the call and how to stub it", async () => {
      const answer = await send(d.url("/reverse/unstubbed"));
      assert.equal(answer.status, 500);
      assert.match(answer.body, /^Internal Server Error: session\.app\.workflow\.invoke\(\) calls back into Dify/);
      assert.ok(answer.body.includes('add "app.workflow.invoke": {"response": ...} to endpoint-kit.stubs.json'), answer.body);
    });

    await t.test("a source that fails to import: its endpoint names the cause, the others work, file:line printed at start", async () => {
      const output = d.output();
      const banner = output.slice(0, output.indexOf("watching for changes"));
      assert.match(banner, /\/broken {2}endpoints\/broken\.yaml \(Python\) \(cannot run/);
      assert.doesNotMatch(banner, /\/settings {2}endpoints\/settings\.yaml \(Python\) \(cannot run/);
      assert.match(output, /endpoints\/broken\.py:3(:\d+)?: ModuleNotFoundError: No module named 'endpoint_kit_missing_dependency'/);
      assert.match(output, /endpoints\/broken\.py", line 3, in <module>/);
      assert.doesNotMatch(banner, /endpoint_kit_runtime|<frozen importlib/, "the traceback starts at the plugin's code");
      const answer = await send(d.url("/broken"));
      assert.equal(answer.status, 500);
      assert.match(answer.body, /^Internal Server Error: endpoints\/broken\.py:3\b.*No module named 'endpoint_kit_missing_dependency'/);
      assert.equal((await send(d.url("/settings"))).status, 200);
    });

    // Last: the crash replaces the worker every endpoint above runs in.
    await t.test("a worker that dies answers 502; the next request is served by a new worker", async () => {
      const before = await send(d.url("/settings"));
      const answer = await send(d.url("/crash"));
      assert.equal(answer.status, 502);
      assert.match(answer.body, /^Bad Gateway: .*exit code 1/);
      const after = await send(d.url("/settings"));
      assert.equal(after.status, 200);
      assert.equal(after.body, before.body);
      assert.notEqual(after.headers["x-worker-pid"], before.headers["x-worker-pid"]);
    });
  } finally {
    await dev?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
