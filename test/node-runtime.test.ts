import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { InvokeError, type InvokeCall, type InvokeResult, type LoadReport, type RuntimeLog } from "../src/runtime/contract.js";
import { createNodeRuntime, type NodeRuntime } from "../src/runtime/node/node-runtime.js";
import { CHUNK_WINDOW, convertRouteValues, flattenRouteValues, routeValuesFor } from "../src/runtime/node/protocol.js";
import { ResponseBody } from "../src/runtime/node/response-body.js";

const FIXTURES = fileURLToPath(new URL("../../test/fixtures/node/", import.meta.url));
const decoder = new TextDecoder();

/** A fresh copy of a fixture plugin in the temporary folder (no node_modules anywhere above it). */
function copyFixture(name: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), `ek-node-${name}-`));
  cpSync(path.join(FIXTURES, name), root, { recursive: true });
  return root;
}

function makeCall(endpoint: string, url: string, overrides: Partial<InvokeCall> = {}): InvokeCall {
  return { endpoint, method: "GET", url, headers: [], body: new Uint8Array(), values: {}, settings: {}, ...overrides };
}

function callOptions(deadlineMs = 10_000, signal = new AbortController().signal): { signal: AbortSignal; deadlineMs: number } {
  return { signal, deadlineMs };
}

async function readText(result: InvokeResult): Promise<string> {
  let text = "";
  for await (const chunk of result.body) text += decoder.decode(chunk);
  return text;
}

async function rejection(promise: Promise<unknown>): Promise<InvokeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InvokeError, `expected an InvokeError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to reject");
}

/** Collects logs and lets a test wait for a line, whatever the timing. */
function createLogRecorder(): { logs: RuntimeLog[]; onLog: (log: RuntimeLog) => void; waitFor: (text: string) => Promise<RuntimeLog> } {
  const logs: RuntimeLog[] = [];
  const waiters: Array<{ text: string; resolve: (log: RuntimeLog) => void }> = [];
  return {
    logs,
    onLog(log) {
      logs.push(log);
      for (const waiter of [...waiters]) {
        if (!log.text.includes(waiter.text)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(log);
      }
    },
    waitFor(text) {
      const found = logs.find((log) => log.text.includes(text));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ text, resolve }));
    },
  };
}

/** Releases the fixture streams' next chunk (they wait on a BroadcastChannel). */
function release(gate: string): void {
  const channel = new BroadcastChannel(gate);
  channel.postMessage("next");
  channel.close();
}

describe("node runtime: protocol helpers", () => {
  test("in-process path values are the ones the worker protocol gives, an own __proto__ kept as data", () => {
    const raw = JSON.parse('{"n":{"type":"int","text":"-7"},"__proto__":{"type":"int","text":"12"},"u":{"type":"uuid","text":"6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"},"s":{"type":"string","text":"x"}}') as Record<string, { type: "int" | "float" | "uuid" | "string"; text: string }>;
    const direct = routeValuesFor(raw);
    assert.deepEqual(Object.entries(direct), Object.entries(convertRouteValues(flattenRouteValues(raw))));
    assert.deepEqual(Object.entries(direct), [["n", -7], ["__proto__", 12], ["u", "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"], ["s", "x"]]);
    assert.equal(Object.getPrototypeOf(direct), Object.prototype);
  });
  test("path values arrive as Python hands them over: exact ints (bigint beyond 2^53), lower-case uuids", () => {
    const values = convertRouteValues(
      flattenRouteValues({
        n: { type: "int", text: "-7" },
        big: { type: "int", text: "9007199254740993" },
        zero: { type: "int", text: "-0" },
        upper: { type: "uuid", text: "6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D" },
        f: { type: "float", text: "2.5" },
        u: { type: "uuid", text: "0d9a0c1e-0000-4000-8000-000000000000" },
        s: { type: "string", text: "12" },
        __proto__: { type: "string", text: "kept as data" },
      } as Record<string, { type: "int" | "float" | "uuid" | "string"; text: string }>),
    );
    assert.deepEqual(Object.entries(values), [
      ["n", -7],
      ["big", 9007199254740993n],
      ["zero", 0],
      ["upper", "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"],
      ["f", 2.5],
      ["u", "0d9a0c1e-0000-4000-8000-000000000000"],
      ["s", "12"],
    ]);
  });

  test("a response body hands out chunks in order, returns credit, and reports a failure once", async () => {
    const credits: number[] = [];
    let abandoned = 0;
    const body = new ResponseBody((chunks) => credits.push(chunks), () => (abandoned += 1));
    for (let index = 0; index < 9; index += 1) body.push(Uint8Array.of(index));
    const seen: number[] = [];
    for (let index = 0; index < 8; index += 1) seen.push((await body.next()).value?.[0] as number);
    assert.deepEqual(credits, [8]);
    const failure = new InvokeError("exception", "late failure");
    body.fail(failure);
    await assert.rejects(async () => {
      for await (const chunk of body) seen.push(chunk[0] as number);
    }, failure);
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(credits, [8], "no credit once the body is settled");
    assert.deepEqual(await body.next(), { value: undefined, done: true });
    assert.equal(abandoned, 0);
  });

  test("leaving a response body early abandons it once", async () => {
    let abandoned = 0;
    const body = new ResponseBody(() => undefined, () => (abandoned += 1));
    body.push(Uint8Array.of(1));
    for await (const chunk of body) {
      assert.equal(chunk[0], 1);
      break;
    }
    await body.return();
    assert.equal(abandoned, 1);
  });
});

describe("node runtime: calls", () => {
  const recorder = createLogRecorder();
  let runtime: NodeRuntime;
  let root: string;

  before(async () => {
    root = copyFixture("basic");
    runtime = createNodeRuntime({ onLog: recorder.onLog, stuckGraceMs: 200 });
    const report = await runtime.load({
      root,
      endpoints: [
        { id: "endpoints/echo.yaml", source: "endpoints/echo.ts" },
        { id: "endpoints/faults.yaml", source: "endpoints/faults.ts" },
        { id: "endpoints/stream.yaml", source: "endpoints/stream.ts" },
      ],
    });
    assert.deepEqual(
      report.sources.map((source) => [source.source, source.ok, source.inputs]),
      [
        ["endpoints/echo.ts", true, ["endpoints/echo.ts", "lib/describe.ts"]],
        ["endpoints/faults.ts", true, ["endpoints/faults.ts"]],
        ["endpoints/stream.ts", true, ["endpoints/stream.ts"]],
      ],
    );
  });

  after(async () => {
    await runtime.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("the handler sees the request, converted values and settings, and its response comes back", async () => {
    assert.equal(existsSync(path.join(root, "node_modules")), false, "endpoint-kit must resolve without node_modules");
    const result = await runtime.invoke(
      makeCall("endpoints/echo.yaml", "http://localhost:5002/e/abcdefghijklmnop/echo/42/duck?b=2&a=1", {
        method: "POST",
        headers: [["content-type", "text/plain"], ["x-custom", "yes"]],
        body: new TextEncoder().encode("quack body"),
        values: { n: { type: "int", text: "42" }, ratio: { type: "float", text: "1.5" }, id: { type: "uuid", text: "0d9a0c1e-0000-4000-8000-000000000000" }, name: { type: "string", text: "duck" } },
        settings: { app: { app_id: "app-1" }, secret: "s3cret", flag: true },
      }),
      callOptions(),
    );
    assert.equal(result.status, 201);
    assert.deepEqual(result.headers, [["content-type", "application/json"], ["x-echo", "yes"]]);
    assert.deepEqual(JSON.parse(await readText(result)), {
      method: "POST",
      url: "http://localhost:5002/e/abcdefghijklmnop/echo/42/duck?b=2&a=1",
      headers: { "content-type": "text/plain", "x-custom": "yes" },
      body: "quack body",
      values: { n: 42, ratio: 1.5, id: "0d9a0c1e-0000-4000-8000-000000000000", name: "duck" },
      valueTypes: { n: "number", ratio: "number", id: "string", name: "string" },
      settings: { app: { app_id: "app-1" }, secret: "s3cret", flag: true },
    });
  });

  test("the caller's body buffer is left usable (it is copied, not transferred)", async () => {
    const pooled = Buffer.from("0123456789abcdef");
    const body = pooled.subarray(4, 8);
    const result = await runtime.invoke(makeCall("endpoints/echo.yaml", "http://localhost/echo", { method: "PUT", body }), callOptions());
    assert.equal(JSON.parse(await readText(result)).body, "4567");
    assert.equal(pooled.toString(), "0123456789abcdef");
  });

  test("many concurrent calls each get their own answer", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        runtime
          .invoke(makeCall("endpoints/echo.yaml", `http://localhost/echo/${index}`, { values: { n: { type: "int", text: String(index) } } }), callOptions())
          .then(async (result) => JSON.parse(await readText(result)) as { url: string; values: { n: number } }),
      ),
    );
    results.forEach((result, index) => {
      assert.equal(result.url, `http://localhost/echo/${index}`);
      assert.equal(result.values.n, index);
    });
  });

  for (const kind of ["pull", "generator"]) {
    test(`a ${kind} stream reaches the server chunk by chunk`, async () => {
      const gate = `gate-${kind}-${process.pid}`;
      const result = await runtime.invoke(makeCall("endpoints/stream.yaml", `http://localhost/s?kind=${kind}&gate=${gate}`), callOptions());
      const expected = kind === "pull" ? ["alpha", "beta", "gamma"] : ["one", "two", "three"];
      const iterator = result.body[Symbol.asyncIterator]();
      for (const word of expected) {
        // The next chunk is produced only after this one was received: a buffered body would hang here.
        const next = await iterator.next();
        assert.equal(next.done, false);
        assert.equal(decoder.decode(next.value), word);
        release(gate);
      }
      assert.equal((await iterator.next()).done, true);
    });
  }

  test("a fast endless stream is held back until the server reads (bounded memory)", async () => {
    const result = await runtime.invoke(makeCall("endpoints/stream.yaml", "http://localhost/s?kind=endless"), callOptions());
    const iterator = result.body[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).value?.byteLength, 1024);
    // Each call is a message the worker handles after the producer has run out of credit.
    for (let round = 0; round < 3; round += 1) {
      const produced = Number(await readText(await runtime.invoke(makeCall("endpoints/stream.yaml", "http://localhost/s?kind=produced"), callOptions())));
      assert.ok(produced > 1 && produced <= CHUNK_WINDOW + 2, `the handler produced ${produced} chunks`);
    }
    await iterator.return?.();
  });

  test("aborting the signal after the head cancels the handler's stream and request.signal", async () => {
    const controller = new AbortController();
    const result = await runtime.invoke(makeCall("endpoints/stream.yaml", "http://localhost/s?kind=hang&tag=abort"), callOptions(10_000, controller.signal));
    const iterator = result.body[Symbol.asyncIterator]();
    assert.equal(decoder.decode((await iterator.next()).value), "first");
    const pending = iterator.next();
    controller.abort();
    await rejection(pending);
    await recorder.waitFor("stream cancelled abort");
    await recorder.waitFor("request signal aborted abort");
  });

  test("a reader that stops early cancels the handler's stream", async () => {
    const result = await runtime.invoke(makeCall("endpoints/stream.yaml", "http://localhost/s?kind=hang&tag=early-stop"), callOptions());
    for await (const chunk of result.body) {
      assert.equal(decoder.decode(chunk), "first");
      break;
    }
    await recorder.waitFor("stream cancelled early-stop");
  });

  test("aborting before the head rejects the call and aborts request.signal", async () => {
    const controller = new AbortController();
    const call = runtime.invoke(makeCall("endpoints/stream.yaml", "http://localhost/s?kind=wait-abort"), callOptions(10_000, controller.signal));
    setImmediate(() => controller.abort());
    await rejection(call);
    const log = await recorder.waitFor("aborted before head");
    assert.equal(log.endpoint, "endpoints/stream.yaml");
  });

  test("a handler that throws gives an exception whose stack names the .ts file and line", async () => {
    const error = await rejection(runtime.invoke(makeCall("endpoints/faults.yaml", "http://localhost/f?mode=throw"), callOptions()));
    assert.equal(error.kind, "exception");
    assert.equal(error.message, "boom from faults");
    assert.match(error.detail ?? "", /endpoints\/faults\.ts:8:13\)/);
    assert.doesNotMatch(error.detail ?? "", /worker-call/);
  });

  test("a handler that returns something other than a Response gives an exception", async () => {
    const error = await rejection(runtime.invoke(makeCall("endpoints/faults.yaml", "http://localhost/f?mode=not-response"), callOptions()));
    assert.equal(error.kind, "exception");
    assert.match(error.message, /instead of a Response/);
  });

  test("console output reaches onLog with the endpoint that printed it", async () => {
    const result = await runtime.invoke(makeCall("endpoints/faults.yaml", "http://localhost/f?mode=log"), callOptions());
    assert.equal(await readText(result), "logged");
    assert.deepEqual(await recorder.waitFor("hello from faults"), { endpoint: "endpoints/faults.yaml", stream: "stdout", text: "hello from faults" });
    assert.deepEqual(await recorder.waitFor("to stderr"), { endpoint: "endpoints/faults.yaml", stream: "stderr", text: "to stderr" });
  });

  test("an unawaited rejection and a throw in a timer are logged and the worker keeps serving", async () => {
    const { workerStarts } = await runtime.stats();
    const result = await runtime.invoke(makeCall("endpoints/faults.yaml", "http://localhost/f?mode=unawaited"), callOptions());
    assert.equal(await readText(result), "still fine");
    const rejectionLog = await recorder.waitFor("nobody awaits me");
    assert.equal(rejectionLog.stream, "stderr");
    assert.match(rejectionLog.text, /faults\.ts:14:\d+/);
    await recorder.waitFor("thrown from a timer");
    const next = await runtime.invoke(makeCall("endpoints/faults.yaml", "http://localhost/f?mode=ok"), callOptions());
    assert.equal(await readText(next), "ok");
    assert.equal((await runtime.stats()).workerStarts, workerStarts);
  });

  test("an endless loop times out, its worker is replaced, and other calls on it are told it crashed", async () => {
    const { workerStarts } = await runtime.stats();
    const bystander = await runtime.invoke(makeCall("endpoints/stream.yaml", "http://localhost/s?kind=hang"), callOptions(60_000));
    const bystanderBody = bystander.body[Symbol.asyncIterator]();
    assert.equal(decoder.decode((await bystanderBody.next()).value), "first");
    const looping = await rejection(runtime.invoke(makeCall("endpoints/faults.yaml", "http://localhost/f?mode=loop"), callOptions(300)));
    assert.equal(looping.kind, "timeout");
    const crashed = await rejection(bystanderBody.next());
    assert.equal(crashed.kind, "crashed");
    const next = await runtime.invoke(makeCall("endpoints/faults.yaml", "http://localhost/f?mode=ok"), callOptions());
    assert.equal(await readText(next), "ok");
    assert.equal((await runtime.stats()).workerStarts, workerStarts + 1);
  });

  test("a handler that exits its worker gives crashed, and the next call gets a fresh worker", async () => {
    const error = await rejection(runtime.invoke(makeCall("endpoints/faults.yaml", "http://localhost/f?mode=exit"), callOptions()));
    assert.equal(error.kind, "crashed");
    const next = await runtime.invoke(makeCall("endpoints/echo.yaml", "http://localhost/after-exit"), callOptions());
    assert.equal(JSON.parse(await readText(next)).url, "http://localhost/after-exit");
  });

  test("an unknown endpoint is unavailable", async () => {
    const error = await rejection(runtime.invoke(makeCall("endpoints/nope.yaml", "http://localhost/"), callOptions()));
    assert.equal(error.kind, "unavailable");
  });
});

describe("node runtime: module shapes", () => {
  const recorder = createLogRecorder();
  let runtime: NodeRuntime;
  let root: string;

  before(() => {
    root = copyFixture("shapes");
    runtime = createNodeRuntime({ onLog: recorder.onLog });
  });

  after(async () => {
    await runtime.close();
    rmSync(root, { recursive: true, force: true });
  });

  const loadOne = (source: string): Promise<LoadReport> => runtime.load({ root, endpoints: [{ id: `${source}.yaml`, source }] });

  for (const [source, text] of [
    ["endpoints/plain.mjs", "plain mjs"],
    ["endpoints/common.js", "commonjs"],
  ]) {
    test(`${source} loads and answers`, async () => {
      const report = await loadOne(source as string);
      assert.equal(report.sources[0]?.ok, true, JSON.stringify(report));
      assert.equal(await readText(await runtime.invoke(makeCall(`${source}.yaml`, "http://localhost/"), callOptions())), text);
    });
  }

  for (const [source, message] of [
    ["endpoints/none.ts", /no class that extends Endpoint/],
    ["endpoints/two.ts", /2 classes that extend Endpoint \(First, Second\)/],
    ["endpoints/lookalike.ts", /Lookalike has _invoke but does not extend Endpoint/],
  ] as const) {
    test(`${source} is reported and its endpoint is unavailable`, async () => {
      const report = await loadOne(source);
      const result = report.sources[0];
      assert.equal(result?.ok, false);
      assert.match(result?.error?.message ?? "", message);
      assert.equal(result?.error?.file, source);
      const error = await rejection(runtime.invoke(makeCall(`${source}.yaml`, "http://localhost/"), callOptions()));
      assert.equal(error.kind, "unavailable");
      assert.match(error.message, message);
    });
  }

  test("a module that throws at its top level is reported at its .ts line", async () => {
    const report = await loadOne("endpoints/top-throw.ts");
    assert.deepEqual(
      { ...report.sources[0]?.error, stack: undefined },
      { message: "configuration is missing", file: "endpoints/top-throw.ts", line: 6, column: 9, stack: undefined },
    );
    assert.match(report.sources[0]?.error?.stack ?? "", /top-throw\.ts:6:9/);
  });

  test("bare imports resolve from the plugin's node_modules, which is not watched", async () => {
    const packageDir = path.join(root, "node_modules", "greeting");
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(path.join(packageDir, "package.json"), JSON.stringify({ name: "greeting", main: "index.js" }));
    writeFileSync(path.join(packageDir, "index.js"), "exports.greet = (name) => `hello ${name}`;\n");
    const report = await loadOne("endpoints/package-user.ts");
    assert.deepEqual(report.sources[0], { source: "endpoints/package-user.ts", ok: true, inputs: ["endpoints/package-user.ts"] });
    const result = await runtime.invoke(makeCall("endpoints/package-user.ts.yaml", "http://localhost/"), callOptions());
    assert.equal(await readText(result), "hello duck");
  });

  test("a missing source is a load error naming it", async () => {
    const report = await loadOne("endpoints/missing.ts");
    assert.equal(report.sources[0]?.ok, false);
    assert.equal(report.sources[0]?.error?.file, "endpoints/missing.ts");
    assert.deepEqual(report.sources[0]?.inputs, ["endpoints/missing.ts"]);
  });
});

describe("node runtime: close", () => {
  test("close() ends the worker and esbuild so the process can exit on its own", async () => {
    const root = copyFixture("basic");
    const runtimeUrl = new URL("../src/runtime/node/node-runtime.js", import.meta.url).href;
    const script = `
      const { createNodeRuntime } = await import(${JSON.stringify(runtimeUrl)});
      const runtime = createNodeRuntime({ onLog() {} });
      await runtime.load({ root: ${JSON.stringify(root)}, endpoints: [{ id: "e", source: "endpoints/echo.ts" }] });
      const result = await runtime.invoke(
        { endpoint: "e", method: "GET", url: "http://localhost/", headers: [], body: new Uint8Array(), values: {}, settings: {} },
        { signal: new AbortController().signal, deadlineMs: 10000 },
      );
      for await (const chunk of result.body) void chunk;
      await runtime.close();
      const after = await runtime.invoke(
        { endpoint: "e", method: "GET", url: "http://localhost/", headers: [], body: new Uint8Array(), values: {}, settings: {} },
        { signal: new AbortController().signal, deadlineMs: 10000 },
      ).then(() => "served", (error) => error.kind);
      console.log("closed", after);
    `;
    // If a worker or esbuild's service were left running, the child would never exit and this would time out.
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 });
    assert.equal(stdout.trim(), "closed unavailable");
    rmSync(root, { recursive: true, force: true });
  });
});
