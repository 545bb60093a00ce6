/**
 * The build's in-process invoker keeps the runtime contract for every way a handler can answer:
 * at once, later, by throwing, by rejecting, with something that is not a `Response`, or too late
 * (its signal aborted, a `timeout`). Run with the platform's own `Request`/`Response` (as on
 * Workers, Bun and Deno) and the Node output's light ones.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createInProcessInvoker, type EndpointClass } from "../src/build/runtime/invoke.js";
import { InvokeError, type InvokeCall, type InvokeResult } from "../src/runtime/contract.js";
import { Endpoint } from "../src/runtime/node/endpoint.js";
import { installNodeOutputFetch } from "../src/runtime/fetch-light/light-fetch.js";

const call = (endpoint: string): InvokeCall => ({ endpoint, method: "GET", url: "http://127.0.0.1:8787/x?a=1", headers: [["host", "127.0.0.1:8787"]], body: new Uint8Array(0), values: {}, settings: {} });

async function bodyText(result: InvokeResult): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of result.body) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

const quietly = async <T>(run: () => Promise<T>): Promise<T> => {
  // The invoker logs a handler's exception with its stack (the platform's log): not in the test output.
  const original = console.error;
  console.error = () => undefined;
  try {
    return await run();
  } finally {
    console.error = original;
  }
};

let signalSeen: AbortSignal | undefined;
const classes = new Map<string, EndpointClass>(
  Object.entries({
    sync: class extends Endpoint {
      _invoke(request: Request): Response {
        return new Response(`sync ${new URL(request.url).search}`, { status: 201, headers: { "x-a": "1" } });
      }
    },
    later: class extends Endpoint {
      async _invoke(): Promise<Response> {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return Response.json({ later: true });
      }
    },
    throws: class extends Endpoint {
      _invoke(): Response {
        throw new Error("boom");
      }
    },
    rejects: class extends Endpoint {
      async _invoke(): Promise<Response> {
        throw new Error("late boom");
      }
    },
    notResponse: class extends Endpoint {
      _invoke(): Response {
        return "text" as unknown as Response;
      }
    },
    slow: class extends Endpoint {
      _invoke(request: Request): Promise<Response> {
        signalSeen = request.signal;
        return new Promise(() => undefined);
      }
    },
  }) as Array<[string, EndpointClass]>,
);

for (const fetchClasses of ["the platform's own", "the Node output's light"]) describe(`the in-process invoker, with ${fetchClasses} Request and Response`, () => {
  // Installed once, after the native run: the Node output installs them before any handler code runs.
  if (fetchClasses.includes("light")) before(() => installNodeOutputFetch());
  const invoker = createInProcessInvoker(classes);
  // A synchronous handler's answer (or failure) comes back at once: read through a promise here.
  const invoke = async (made: InvokeCall, options: { signal: AbortSignal; deadlineMs: number }): Promise<InvokeResult> => invoker.invoke(made, options);
  const options = { signal: new AbortController().signal, deadlineMs: 1000 };

  test("an answer at once and one later are read whole, status and headers kept", async () => {
    assert.ok(!(invoker.invoke(call("sync"), options) instanceof Promise), "a synchronous answer comes back at once");
    assert.ok(invoker.invoke(call("later"), options) instanceof Promise);
    const now = await invoke(call("sync"), options);
    assert.equal(now.status, 201);
    assert.deepEqual(now.headers, [["content-type", "text/plain;charset=UTF-8"], ["x-a", "1"]]);
    assert.equal(await bodyText(now), "sync ?a=1");
    const later = await invoke(call("later"), options);
    assert.equal(later.status, 200);
    assert.equal(await bodyText(later), '{"later":true}');
  });

  test("a throw, a rejection and a value that is not a Response are exceptions; a missing class is unavailable", async () => {
    const kindOf = (endpoint: string) =>
      quietly(() => invoke(call(endpoint), options)).then(
        () => "answered",
        (error: unknown) => (error instanceof InvokeError ? `${error.kind}: ${error.message}` : `not an InvokeError: ${String(error)}`),
      );
    assert.equal(await kindOf("throws"), "exception: boom");
    assert.equal(await kindOf("rejects"), "exception: late boom");
    assert.equal(await kindOf("notResponse"), "exception: _invoke returned a string instead of a Response");
    assert.equal(await kindOf("missing"), "unavailable: no code is loaded for missing");
  });

  test("past the deadline: a timeout, and the handler's signal aborts", async () => {
    const started = performance.now();
    await assert.rejects(invoke(call("slow"), { signal: new AbortController().signal, deadlineMs: 50 }), (error: unknown) => error instanceof InvokeError && error.kind === "timeout");
    assert.ok(performance.now() - started >= 45);
    assert.equal(signalSeen?.aborted, true);
    assert.equal((signalSeen?.reason as DOMException).name, "TimeoutError");
  });

  test("the caller leaving aborts the handler's signal", async () => {
    const caller = new AbortController();
    const pending = invoke(call("slow"), { signal: caller.signal, deadlineMs: 100 });
    caller.abort(new DOMException("gone", "AbortError"));
    assert.equal(signalSeen?.aborted, true);
    assert.equal((signalSeen?.reason as DOMException).message, "gone");
    await assert.rejects(pending);
  });
});
