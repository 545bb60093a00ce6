/**
 * The Python runtime against a real worker process (python3 with werkzeug). Skipped, with the reason,
 * where no such interpreter exists.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { InvokeError } from "../src/runtime/contract.js";
import type { EndpointRuntime, InvokeCall, InvokeResult, RouteValue, RuntimeLoadPlan, RuntimeLog } from "../src/runtime/contract.js";
import { createPythonRuntime } from "../src/runtime/python/index.js";

const FIXTURE = fileURLToPath(new URL("../../test/fixtures/python/plugin", import.meta.url));
const FAKE_SDK = fileURLToPath(new URL("../../test/fixtures/python/fake-sdk", import.meta.url));
const SOURCES = ["echo", "fail", "stream", "store", "reverse", "printer", "crash", "missing_dep", "version", "sleepy", "spawner", "big", "sdk"];
const TEST_TIMEOUT = 60_000;

function findPython(): string | undefined {
  const candidates = [process.env.ENDPOINT_KIT_TEST_PYTHON, "python3", "/usr/bin/python3"];
  for (const candidate of candidates.filter((name): name is string => Boolean(name))) {
    const probe = spawnSync(candidate, ["-c", "import werkzeug"], { stdio: "ignore" });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

const PYTHON = findPython();
const skip = PYTHON ? false : "no python3 that can import werkzeug (install python3-werkzeug)";

interface Harness {
  root: string;
  runtime: EndpointRuntime;
  logs: RuntimeLog[];
  plan: RuntimeLoadPlan;
}

/** A POSIX shell wrapper that runs the test interpreter with `folder` first on PYTHONPATH. */
function pythonWith(root: string, folder: string): string {
  const wrapper = join(root, "python-wrapper");
  writeFileSync(wrapper, `#!/bin/sh\nPYTHONPATH='${folder}' exec '${PYTHON}' "$@"\n`, { mode: 0o755 });
  return wrapper;
}

function makeHarness(names: string[] = SOURCES, pythonPath?: string): Harness {
  const root = mkdtempSync(join(tmpdir(), "ek-python-"));
  cpSync(FIXTURE, root, { recursive: true });
  const logs: RuntimeLog[] = [];
  const python = pythonPath ? pythonWith(root, pythonPath) : (PYTHON ?? "python3");
  const runtime = createPythonRuntime({ root, python, onLog: (log) => logs.push(log) });
  const plan = { root, endpoints: names.map((name) => ({ id: `endpoints/${name}.yaml`, source: `endpoints/${name}.py` })) };
  return { root, runtime, logs, plan };
}

async function dispose(harness: Harness): Promise<void> {
  await harness.runtime.close();
  rmSync(harness.root, { recursive: true, force: true });
}

function call(name: string, options: Partial<InvokeCall> & { path?: string } = {}): InvokeCall {
  return {
    endpoint: `endpoints/${name}.yaml`,
    method: options.method ?? "GET",
    url: options.url ?? `http://localhost:5002/e/abcdefghijklmnop/${options.path ?? name}`,
    headers: options.headers ?? [],
    body: options.body ?? new Uint8Array(0),
    values: options.values ?? {},
    settings: options.settings ?? {},
  };
}

const text = (value: string): RouteValue => ({ type: "string", text: value });

function invoke(harness: Harness, request: InvokeCall, deadlineMs = 30_000, signal = new AbortController().signal): Promise<InvokeResult> {
  return harness.runtime.invoke(request, { signal, deadlineMs });
}

async function readAll(result: InvokeResult): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of result.body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString("utf8");
}

async function fetchText(harness: Harness, request: InvokeCall): Promise<string> {
  return readAll(await invoke(harness, request));
}

async function rejection(promise: Promise<unknown>): Promise<InvokeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InvokeError, `expected an InvokeError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to be rejected");
}

/** Retries until `check` passes (bounded by the test timeout, never by a wall-clock assertion). */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    await sleep(20);
  }
}

const storeKey = (key: string, method = "GET", body = ""): InvokeCall =>
  call("store", { method, values: { key: text(key) }, body: new TextEncoder().encode(body) });

/** Processes whose working directory is inside `root` (Linux only; undefined elsewhere). */
function processesIn(root: string): number[] | undefined {
  if (!existsSync("/proc/self/cwd")) return undefined;
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(root)) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile, or is not ours
    }
  }
  return pids;
}

/** Whether a process exists and is not a zombie waiting for its (new) parent to reap it. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("python runtime: calls", { skip, timeout: TEST_TIMEOUT }, () => {
  let h: Harness;
  before(async () => {
    h = makeHarness();
    await h.runtime.load(h.plan);
  });
  after(() => dispose(h));

  test("passes method, url, headers, body, typed values and settings; a fresh instance per call", async () => {
    const request = call("echo", {
      method: "POST",
      url: "http://localhost:5002/e/abcdefghijklmnop/echo/12?b=2&a=1",
      headers: [["X-Test", "yes"]],
      body: new TextEncoder().encode("hello body"),
      values: {
        n: { type: "int", text: "12345678901234567890" },
        f: { type: "float", text: "1.5" },
        u: { type: "uuid", text: "12345678-1234-5678-1234-567812345678" },
        s: text("duck"),
      },
      settings: { app: { app_id: "a1" }, flag: true },
    });
    const result = await invoke(h, request);
    assert.equal(result.status, 201);
    assert.ok(result.headers.some(([name, value]) => name === "X-Echo" && value === "yes"));
    const data = JSON.parse(await readAll(result));
    assert.equal(data.method, "POST");
    assert.equal(data.url, "http://localhost:5002/e/abcdefghijklmnop/echo/12?b=2&a=1");
    assert.deepEqual(data.args, { a: "1", b: "2" });
    assert.equal(data.body, "hello body");
    assert.equal(data.header, "yes");
    assert.deepEqual(data.values, {
      n: ["int", "12345678901234567890"],
      f: ["float", "1.5"],
      u: ["UUID", "12345678-1234-5678-1234-567812345678"],
      s: ["str", "duck"],
    });
    assert.deepEqual(data.settings, { app: { app_id: "a1" }, flag: true });
    assert.equal(data.same_instance, false);
    const again = JSON.parse(await fetchText(h, request));
    assert.equal(again.same_instance, false, "Dify creates the Endpoint afresh for every request");
  });

  test("a ValueError is a value-error; any other exception is an exception with file and line", async () => {
    const valueError = await rejection(invoke(h, call("fail", { values: { how: text("value") } })));
    assert.equal(valueError.kind, "value-error");
    assert.equal(valueError.message, "no such duck");
    const other = await rejection(invoke(h, call("fail", { values: { how: text("other") } })));
    assert.equal(other.kind, "exception");
    assert.equal(other.message, "handler exploded");
    assert.match(other.detail ?? "", /endpoints\/fail\.py", line 8/);
    assert.match(other.detail ?? "", /RuntimeError: handler exploded/);
    assert.doesNotMatch(other.detail ?? "", /endpoint_kit_runtime/, "the worker's own frames are left out");
  });

  test("a generator body streams chunk by chunk", async () => {
    const gate = join(h.root, "gate-stream");
    const result = await invoke(h, call("stream", { settings: { gate } }));
    const iterator = result.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    // The generator is still blocked on the gate: this chunk can only have come from streaming.
    assert.equal(Buffer.from(first.value ?? []).toString(), "first;");
    assert.equal(existsSync(gate), false);
    writeFileSync(gate, "");
    let rest = "";
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest += Buffer.from(next.value).toString();
    assert.equal(rest, "second;third;");
    const closed = await eventually(() => fetchText(h, storeKey("stream-closed")), (value) => value !== "missing");
    assert.equal(closed, "completed");
  });

  test("a client abort closes the generator (its finally runs)", async () => {
    await fetchText(h, storeKey("stream-closed", "DELETE"));
    const gate = join(h.root, "gate-abort");
    const controller = new AbortController();
    // "endless" yields forever once the gate opens: only closing the generator can end it.
    const result = await invoke(h, call("stream", { settings: { gate }, values: { mode: text("endless") } }), 30_000, controller.signal);
    const iterator = result.body[Symbol.asyncIterator]();
    assert.equal(Buffer.from((await iterator.next()).value ?? []).toString(), "first;");
    controller.abort();
    writeFileSync(gate, "");
    const closed = await eventually(() => fetchText(h, storeKey("stream-closed")), (value) => value !== "missing");
    assert.equal(closed, "closed early");
  });

  test("an exception inside a running generator is written into the body and ends it", async () => {
    const gate = join(h.root, "gate-boom");
    writeFileSync(gate, "");
    const result = await invoke(h, call("stream", { settings: { gate }, values: { mode: text("boom") } }));
    assert.equal(result.status, 200);
    assert.equal(await readAll(result), "first;second;generator broke midway");
    const traceback = await eventually(
      async () => h.logs.find((log) => log.stream === "stderr" && log.text.includes("RuntimeError: generator broke midway")),
      (log) => log !== undefined,
    );
    assert.equal(traceback?.endpoint, "endpoints/stream.yaml");
  });

  test("a body larger than the flow-control window arrives whole and in order", async () => {
    const result = await invoke(h, call("big", { url: "http://localhost/e/abcdefghijklmnop/big?chunks=100" }));
    let length = 0;
    let chunks = 0;
    for await (const chunk of result.body) {
      assert.equal(chunk[0], 65 + (chunks % 26));
      length += chunk.length;
      chunks += 1;
    }
    assert.equal(chunks, 100);
    assert.equal(length, 100 * 64 * 1024);
  });

  test("storage keeps values across requests, under .endpoint-kit/storage, with unsafe keys contained", async () => {
    assert.equal(await fetchText(h, storeKey("greeting", "POST", "hello")), "stored");
    assert.equal(await fetchText(h, storeKey("greeting")), "hello");
    assert.equal(readFileSync(join(h.root, ".endpoint-kit", "storage", "k_greeting"), "utf8"), "hello");
    assert.equal(await fetchText(h, storeKey("../../escape", "POST", "inside")), "stored");
    assert.equal(await fetchText(h, storeKey("../../escape")), "inside");
    assert.equal(existsSync(join(h.root, "..", "escape")), false);
    assert.ok(readdirSync(join(h.root, ".endpoint-kit", "storage")).some((name) => name.startsWith("h_")));
    assert.equal(await fetchText(h, storeKey("greeting", "DELETE")), "deleted");
    assert.equal(await fetchText(h, storeKey("greeting")), "missing");
  });

  test("reverse calls fail with the call's name until stubbed, then answer from the stub file", async () => {
    const unstubbed = await rejection(invoke(h, call("reverse", { values: { mode: text("blocking") } })));
    assert.equal(unstubbed.kind, "exception");
    assert.match(unstubbed.message, /session\.app\.chat\.invoke\(\)/);
    assert.match(unstubbed.message, /endpoint-kit\.stubs\.json/);
    writeFileSync(
      join(h.root, "endpoint-kit.stubs.json"),
      JSON.stringify({
        "app.chat.invoke": { response: { answer: "stubbed" }, chunks: [{ answer: "a" }, { answer: "b" }] },
        "model.llm.invoke": { response: { message: { content: "from llm" } } },
      }),
    );
    assert.deepEqual(JSON.parse(await fetchText(h, call("reverse", { values: { mode: text("blocking") } }))), { answer: "stubbed", attr: "stubbed" });
    assert.deepEqual(JSON.parse(await fetchText(h, call("reverse", { values: { mode: text("streaming") } }))), ["a", "b"]);
    assert.equal(await fetchText(h, call("reverse", { values: { mode: text("llm") } })), "from llm");
  });

  test("prints and logging reach onLog, tagged with the endpoint", async () => {
    assert.equal(await fetchText(h, call("printer")), "printed");
    const mine = h.logs.filter((log) => log.endpoint === "endpoints/printer.yaml");
    assert.ok(mine.some((log) => log.stream === "stdout" && log.text === "printer module imported"), "import-time print");
    assert.ok(mine.some((log) => log.stream === "stdout" && log.text === "hello from printer 42"));
    assert.ok(mine.some((log) => log.stream === "stdout" && log.text === "partial line"));
    assert.ok(mine.some((log) => log.stream === "stderr" && log.text.includes("careful now")));
  });

  test("a call past its deadline is a timeout, and the stuck worker is replaced", async () => {
    const before = JSON.parse(await fetchText(h, call("echo"))).pid as number;
    const stuck = await rejection(invoke(h, call("sleepy"), 200));
    assert.equal(stuck.kind, "timeout");
    const replaced = await eventually(
      async () => JSON.parse(await fetchText(h, call("echo"))).pid as number,
      (pid) => pid !== before,
    );
    assert.notEqual(replaced, before);
    assert.ok(h.logs.some((log) => log.text.includes("stuck past its deadline")));
  });
});

describe("python runtime: loading", { skip, timeout: TEST_TIMEOUT }, () => {
  let h: Harness;
  before(() => {
    h = makeHarness();
  });
  after(() => dispose(h));

  test("a module that fails to import fails alone, with file, line and traceback", async () => {
    const report = await h.runtime.load(h.plan);
    const missing = report.sources.find((source) => source.source === "endpoints/missing_dep.py");
    assert.equal(missing?.ok, false);
    assert.equal(missing?.error?.file, "endpoints/missing_dep.py");
    assert.equal(missing?.error?.line, 3);
    assert.match(missing?.error?.message ?? "", /endpoint_kit_surely_not_installed/);
    assert.match(missing?.error?.stack ?? "", /Traceback/);
    const others = report.sources.filter((source) => source.source !== "endpoints/missing_dep.py");
    assert.ok(others.every((source) => source.ok), JSON.stringify(others.filter((source) => !source.ok)));
    const echo = report.sources.find((source) => source.source === "endpoints/echo.py");
    assert.deepEqual(echo?.inputs, ["endpoints/echo.py", "helpers/__init__.py", "helpers/shape.py"]);
    const unavailable = await rejection(invoke(h, call("missing_dep")));
    assert.equal(unavailable.kind, "unavailable");
    assert.match(unavailable.message, /endpoints\/missing_dep\.py:3/);
    assert.equal(await fetchText(h, call("version")), "v1");
  });

  test("storage survives a reload", async () => {
    await fetchText(h, storeKey("kept", "POST", "across reloads"));
    await h.runtime.load(h.plan);
    assert.equal(await fetchText(h, storeKey("kept")), "across reloads");
  });

  test("a good edit is served after the reload; calls made during the reload wait for it", async () => {
    writeFileSync(join(h.root, "endpoints", "version.py"), readFileSync(join(FIXTURE, "endpoints", "version.py"), "utf8").replace('"v1"', '"v2"'));
    const reload = h.runtime.load(h.plan);
    const during = fetchText(h, call("version"));
    await reload;
    assert.equal(await during, "v2");
    assert.equal(await fetchText(h, call("version")), "v2");
  });

  test("a broken edit keeps the old code serving and reports file and line; a fix recovers", async () => {
    const path = join(h.root, "endpoints", "version.py");
    writeFileSync(path, 'from dify_plugin import Endpoint\n\nVERSION = "v3"\n\nclass Version(Endpoint)\n    pass\n');
    const report = await h.runtime.load(h.plan);
    const broken = report.sources.find((source) => source.source === "endpoints/version.py");
    assert.equal(broken?.ok, false);
    assert.equal(broken?.error?.file, "endpoints/version.py");
    assert.equal(broken?.error?.line, 5);
    assert.match(broken?.error?.message ?? "", /SyntaxError/);
    assert.equal(await fetchText(h, call("version")), "v2");
    assert.ok(JSON.parse(await fetchText(h, call("echo"))).pid > 0, "other endpoints are served by the new worker");
    writeFileSync(path, readFileSync(join(FIXTURE, "endpoints", "version.py"), "utf8").replace('"v1"', '"v4"'));
    const fixed = await h.runtime.load(h.plan);
    assert.ok(fixed.sources.find((source) => source.source === "endpoints/version.py")?.ok);
    assert.equal(await fetchText(h, call("version")), "v4");
  });

  test("a worker that crashes fails its call with `crashed` and is restarted", async () => {
    const before = JSON.parse(await fetchText(h, call("echo"))).pid as number;
    const crashed = await rejection(invoke(h, call("crash")));
    assert.equal(crashed.kind, "crashed");
    const after = JSON.parse(await fetchText(h, call("echo"))).pid as number;
    assert.notEqual(after, before);
    assert.equal(await fetchText(h, call("version")), "v4");
  });
});

describe("python runtime: processes", { skip, timeout: TEST_TIMEOUT }, () => {
  test("close() ends every worker, the spare and their children", async () => {
    const h = makeHarness();
    try {
      await h.runtime.load(h.plan);
      const grandchild = Number(await fetchText(h, call("spawner")));
      assert.ok(grandchild > 0);
      const running = processesIn(h.root);
      if (running) assert.ok(running.length >= 3, `worker, spare and grandchild expected, found ${running.length}`);
      await h.runtime.close();
      const left = processesIn(h.root);
      if (left) assert.deepEqual(left, []);
      assert.equal(isRunning(grandchild), false, "the grandchild is gone");
    } finally {
      await dispose(h);
    }
  });

  test("the bundled SDK stand-in is used when dify_plugin is not installed", async () => {
    const h = makeHarness(["sdk"]);
    try {
      await h.runtime.load(h.plan);
      assert.equal(await fetchText(h, call("sdk")), "stub");
    } finally {
      await dispose(h);
    }
  });

  test("an installed dify_plugin is used, without letting it monkey-patch the worker", async () => {
    const h = makeHarness(["sdk", "echo"], FAKE_SDK);
    try {
      const report = await h.runtime.load(h.plan);
      assert.ok(report.sources.every((source) => source.ok), JSON.stringify(report));
      assert.equal(await fetchText(h, call("sdk")), "fake-real");
      assert.equal(JSON.parse(await fetchText(h, call("echo"))).same_instance, false);
    } finally {
      await dispose(h);
    }
  });

  test("an interpreter without werkzeug fails the load with the fix", async () => {
    const root = mkdtempSync(join(tmpdir(), "ek-python-"));
    const shadow = join(root, "shadow");
    mkdirSync(shadow);
    writeFileSync(join(shadow, "werkzeug.py"), 'raise ImportError("No module named werkzeug")\n');
    const runtime = createPythonRuntime({ root, python: pythonWith(root, shadow), onLog: () => undefined });
    try {
      const report = await runtime.load({ root, endpoints: [{ id: "endpoints/echo.yaml", source: "endpoints/echo.py" }] });
      assert.equal(report.sources[0]?.ok, false);
      assert.match(report.sources[0]?.error?.message ?? "", /werkzeug cannot be imported .* -m pip install werkzeug/);
    } finally {
      await runtime.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("an interpreter that cannot start fails the load with a clear message, and nothing is served", async () => {
    const root = mkdtempSync(join(tmpdir(), "ek-python-"));
    const runtime = createPythonRuntime({ root, python: join(root, "no-such-python"), onLog: () => undefined });
    try {
      const report = await runtime.load({ root, endpoints: [{ id: "endpoints/echo.yaml", source: "endpoints/echo.py" }] });
      assert.equal(report.sources[0]?.ok, false);
      assert.match(report.sources[0]?.error?.message ?? "", /no-such-python/);
      const error = await rejection(runtime.invoke(call("echo"), { signal: new AbortController().signal, deadlineMs: 5000 }));
      assert.equal(error.kind, "unavailable");
    } finally {
      await runtime.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
