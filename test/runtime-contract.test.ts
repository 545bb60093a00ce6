/**
 * One contract, two runtimes: the same cases run against the Node runtime (TypeScript endpoints in a
 * worker thread) and the Python runtime (Dify `Endpoint` classes in a worker process), as one case
 * file runs against every adapter. Each case states what the pipeline relies on.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { InvokeError, type EndpointRuntime, type InvokeCall, type InvokeResult, type RuntimeLog } from "../src/runtime/contract.js";
import { createNodeRuntime } from "../src/runtime/node/node-runtime.js";
import { createPythonRuntime } from "../src/runtime/python/index.js";
import { PYTHON, skipWithoutPython } from "./dev-python-harness.js";
import { writeFiles } from "./helpers/temp-plugin.js";

const TYPESCRIPT: Record<string, string> = {
  "echo.ts": `import { Endpoint } from "endpoint-kit";
export default class Echo extends Endpoint {
  async _invoke(r: Request, values: Record<string, unknown>, settings: Record<string, unknown>): Promise<Response> {
    const answer = { method: r.method, url: r.url, header: r.headers.get("x-test"), body: await r.text(), next: (values.n as number) + 1, mode: settings.mode };
    return new Response(JSON.stringify(answer), { status: 201, headers: { "x-kind": "echo" } });
  }
}
`,
  "stream.ts": `import { Endpoint } from "endpoint-kit";
async function* parts() { for (const part of ["a", "b", "c"]) { await new Promise((r) => setTimeout(r, 5)); yield new TextEncoder().encode(part); } }
export default class Stream extends Endpoint {
  _invoke(): Response { return new Response(ReadableStream.from(parts())); }
}
`,
  "boom.ts": `import { Endpoint } from "endpoint-kit";
export default class Boom extends Endpoint {
  _invoke(): Response { throw new Error("boom from handler"); }
}
`,
  "sleep.ts": `import { Endpoint } from "endpoint-kit";
export default class Sleep extends Endpoint {
  async _invoke(): Promise<Response> { await new Promise((r) => setTimeout(r, 3000)); return new Response("late"); }
}
`,
  "broken.ts": `import { Endpoint } from "endpoint-kit";
export default class Broken extends Endpoint {
  _invoke(): Response { return new Response("x") 
`,
};

const PYTHON_SOURCES: Record<string, string> = {
  "echo.py": `import json
from dify_plugin import Endpoint
from werkzeug import Response


class Echo(Endpoint):
    def _invoke(self, r, values, settings):
        answer = {"method": r.method, "url": r.url, "header": r.headers.get("x-test"), "body": r.get_data(as_text=True), "next": values["n"] + 1, "mode": settings["mode"]}
        return Response(json.dumps(answer), status=201, headers={"x-kind": "echo"})
`,
  "stream.py": `import time
from dify_plugin import Endpoint
from werkzeug import Response


class Stream(Endpoint):
    def _invoke(self, r, values, settings):
        def parts():
            for part in ["a", "b", "c"]:
                time.sleep(0.005)
                yield part
        return Response(parts())
`,
  "boom.py": `from dify_plugin import Endpoint


class Boom(Endpoint):
    def _invoke(self, r, values, settings):
        raise RuntimeError("boom from handler")
`,
  "sleep.py": `import time
from dify_plugin import Endpoint
from werkzeug import Response


class Sleep(Endpoint):
    def _invoke(self, r, values, settings):
        time.sleep(3)
        return Response("late")
`,
  "broken.py": `from dify_plugin import Endpoint

class Broken(Endpoint:
    pass
`,
};

const NAMES = ["echo", "stream", "boom", "sleep", "broken"];

function call(endpoint: string, extra: Partial<InvokeCall> = {}): InvokeCall {
  return { endpoint: `endpoints/${endpoint}.yaml`, method: "GET", url: `http://localhost/${endpoint}`, headers: [], body: new Uint8Array(0), values: {}, settings: {}, ...extra };
}

async function text(result: InvokeResult): Promise<string> {
  let all = "";
  for await (const chunk of result.body) all += new TextDecoder().decode(chunk);
  return all;
}

async function rejection(promise: Promise<unknown>): Promise<InvokeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InvokeError, String(error));
    return error;
  }
  assert.fail("the call should have failed");
}

const options = (deadlineMs = 10_000, signal = new AbortController().signal) => ({ signal, deadlineMs });

const RUNTIMES = [
  { name: "node", skip: false as const, extension: "ts", files: TYPESCRIPT, create: (_root: string, onLog: (log: RuntimeLog) => void) => createNodeRuntime({ onLog }) },
  { name: "python", skip: skipWithoutPython, extension: "py", files: PYTHON_SOURCES, create: (root: string, onLog: (log: RuntimeLog) => void) => createPythonRuntime({ onLog, root, python: PYTHON }) },
];

for (const kind of RUNTIMES) {
  describe(`the runtime contract: ${kind.name}`, { skip: kind.skip, timeout: 60_000 }, () => {
    let root = "";
    let runtime: EndpointRuntime;
    before(async () => {
      root = mkdtempSync(join(tmpdir(), `ek-contract-${kind.name}-`));
      await writeFiles(root, Object.fromEntries(Object.entries(kind.files).map(([name, source]) => [`endpoints/${name}`, source])));
      runtime = kind.create(root, () => undefined);
    });
    after(async () => {
      await runtime.close();
      rmSync(root, { recursive: true, force: true });
    });

    test("load reports each source: ok, or the failing file and line; the others still load", async () => {
      const report = await runtime.load({ root, endpoints: NAMES.map((name) => ({ id: `endpoints/${name}.yaml`, source: `endpoints/${name}.${kind.extension}` })) });
      const byName = new Map(report.sources.map((s) => [s.source, s]));
      for (const name of ["echo", "stream", "boom", "sleep"]) assert.equal(byName.get(`endpoints/${name}.${kind.extension}`)?.ok, true, name);
      const broken = byName.get(`endpoints/broken.${kind.extension}`);
      assert.equal(broken?.ok, false);
      assert.match(broken?.error?.file ?? "", new RegExp(`broken\\.${kind.extension}$`));
      assert.ok((broken?.error?.line ?? 0) >= 3, JSON.stringify(broken?.error));
      assert.ok(broken?.inputs.includes(`endpoints/broken.${kind.extension}`));
    });

    test("the handler gets method, URL, headers, body, typed values and settings; status and headers come back", async () => {
      const result = await runtime.invoke(
        call("echo", { method: "POST", url: "http://localhost/echo/7?q=1", headers: [["x-test", "yes"], ["content-type", "text/plain"]], body: new TextEncoder().encode("payload"), values: { n: { type: "int", text: "7" } }, settings: { mode: "fast" } }),
        options(),
      );
      assert.equal(result.status, 201);
      assert.ok(result.headers.some(([name, value]) => name.toLowerCase() === "x-kind" && value === "echo"));
      assert.deepEqual(JSON.parse(await text(result)), { method: "POST", url: "http://localhost/echo/7?q=1", header: "yes", body: "payload", next: 8, mode: "fast" });
    });

    test("a streaming body arrives chunk by chunk, in order", async () => {
      const result = await runtime.invoke(call("stream"), options());
      const chunks: string[] = [];
      for await (const chunk of result.body) chunks.push(new TextDecoder().decode(chunk));
      assert.equal(chunks.join(""), "abc");
      assert.ok(chunks.length >= 2, `one chunk: ${JSON.stringify(chunks)}`);
    });

    test("an exception before the head is kind exception, with the handler's message", async () => {
      const error = await rejection(runtime.invoke(call("boom"), options()));
      assert.equal(error.kind, "exception");
      assert.match(error.message, /boom from handler/);
    });

    test("an endpoint whose source failed, or that is unknown, is unavailable", async () => {
      assert.equal((await rejection(runtime.invoke(call("broken"), options()))).kind, "unavailable");
      assert.equal((await rejection(runtime.invoke(call("nowhere"), options()))).kind, "unavailable");
    });

    test("a caller that goes away before the head: unavailable, the call was cancelled", async () => {
      const controller = new AbortController();
      const pending = runtime.invoke(call("sleep"), options(10_000, controller.signal));
      setTimeout(() => controller.abort(), 50);
      const error = await rejection(pending);
      assert.equal(error.kind, "unavailable");
      assert.match(error.message, /cancelled/);
      const aborted = new AbortController();
      aborted.abort();
      assert.equal((await rejection(runtime.invoke(call("echo", { values: { n: { type: "int", text: "1" } } }), options(10_000, aborted.signal)))).kind, "unavailable");
    });

    test("a call past its deadline is a timeout, and the runtime goes on serving", async () => {
      const error = await rejection(runtime.invoke(call("sleep"), options(200)));
      assert.equal(error.kind, "timeout");
      const next = await runtime.invoke(call("echo", { values: { n: { type: "int", text: "1" } }, settings: { mode: "x" } }), options());
      assert.equal(next.status, 201);
      await text(next);
    });

    test("after close, calls are unavailable", async () => {
      await runtime.close();
      assert.equal((await rejection(runtime.invoke(call("echo"), options()))).kind, "unavailable");
    });
  });
}
