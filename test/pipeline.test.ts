/**
 * The front door, table-tested in-process: the pipeline with a router and an in-process invoker,
 * requests as Fetch `Request`s, answers as Fetch `Response`s. No port, no worker.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createFetchHandler, createPipeline, type RequestObserver, type ServingState } from "../src/pipeline/index.js";
import { createRouter, type RouteRule } from "../src/router/index.js";
import { InvokeError, type EndpointInvoker, type InvokeCall, type InvokeResult } from "../src/runtime/contract.js";
import { framesItself, withLength } from "../src/pipeline/answer-body.js";

const HOOK = "abcdefghijklmnop";
const encoder = new TextEncoder();

type Handler = (call: InvokeCall, signal: AbortSignal) => Promise<InvokeResult> | InvokeResult;

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}

const echo: Handler = (call) => ({
  status: 200,
  headers: [["content-type", "application/json"]],
  body: chunks(JSON.stringify({ endpoint: call.endpoint, method: call.method, url: call.url, headers: call.headers, values: call.values, body: call.body.byteLength, settings: call.settings })),
});

function frontDoor(routes: RouteRule[], handlers: Record<string, Handler> = {}, extra: { unavailable?: Record<string, string>; observe?: () => RequestObserver } = {}) {
  const warnings: string[] = [];
  const invoker = (id: string): EndpointInvoker => ({ invoke: async (call, options) => (handlers[id] ?? echo)(call, options.signal) });
  const state: ServingState = {
    hookId: HOOK,
    router: createRouter(routes),
    endpoints: new Map(routes.map((r) => [r.endpoint, { id: r.endpoint, runtime: invoker(r.endpoint) }])),
    unavailable: new Map(Object.entries(extra.unavailable ?? {})),
    settings: { greeting: "hi" },
  };
  const handle = createPipeline({ current: async () => state, deadlineMs: 30_000, warn: (m) => warnings.push(m), observe: extra.observe });
  const fetch = createFetchHandler(handle);
  return { warnings, request: (path: string, init?: RequestInit) => fetch(new Request(`http://localhost${path}`, init), { target: path }) };
}

const ITEMS: RouteRule[] = [
  { rule: "/items/<int:id>", method: "GET", endpoint: "item" },
  { rule: "/items/", method: "POST", endpoint: "create" },
  { rule: "/cors", method: "OPTIONS", endpoint: "cors" },
];

const MISS = "Failed to dispatch endpoint request: ";
const TABLE: Array<{ name: string; path: string; init?: RequestInit; status: number; body: RegExp | string }> = [
  { name: "bare path routes", path: "/items/7", status: 200, body: /"endpoint":"item".*"values":\{"id":\{"type":"int","text":"7"\}\}/ },
  { name: "the /e/<hook_id> form routes the same", path: `/e/${HOOK}/items/7`, status: 200, body: /"endpoint":"item"/ },
  { name: "the hook alone is /", path: `/e/${HOOK}`, status: 404, body: `${MISS}404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.` },
  { name: "no rule is werkzeug's 404 text", path: "/nope", status: 404, body: /^Failed to dispatch endpoint request: 404 Not Found/ },
  { name: "a wrong method is a 404 with werkzeug's 405 text", path: "/items/7", init: { method: "DELETE" }, status: 404, body: `${MISS}405 Method Not Allowed: The method is not allowed for the requested URL.` },
  { name: "a missing trailing slash is a 404 with the 308 text, query kept", path: "/items?b=2&a=1", init: { method: "POST" }, status: 404, body: `${MISS}308 Permanent Redirect: http://localhost/items/?b=2&a=1` },
  { name: "OPTIONS is answered only when declared", path: "/items/7", init: { method: "OPTIONS" }, status: 404, body: /405 Method Not Allowed/ },
  { name: "a declared OPTIONS endpoint answers", path: "/cors", init: { method: "OPTIONS" }, status: 200, body: /"endpoint":"cors"/ },
  { name: "the query is re-encoded with sorted keys", path: "/items/7?b=2&a=x%20y&a=1", status: 200, body: /"url":"http:\/\/localhost\/items\/7\?a=x\+y&a=1&b=2"/ },
  { name: "settings reach the handler", path: "/items/7", status: 200, body: /"settings":\{"greeting":"hi"\}/ },
  { name: "a header name with _ is refused", path: "/items/7", init: { headers: { x_bad: "1" } }, status: 500, body: 'Internal Server Error: invalid header name "x_bad"' },
];

describe("the front door, in-process", () => {
  for (const row of TABLE) {
    test(row.name, async () => {
      const response = await frontDoor(ITEMS).request(row.path, row.init);
      const text = await response.text();
      assert.equal(response.status, row.status, text);
      if (typeof row.body === "string") assert.equal(text, row.body);
      else assert.match(text, row.body);
    });
  }

  test("forwarding headers go, Dify-Hook-* come, host and content-length are there", async () => {
    const response = await frontDoor(ITEMS).request("/items/", { method: "POST", body: "abc", headers: { "x-forwarded-for": "1.2.3.4", "x-real-ip": "1.2.3.4", connection: "keep-alive", "x-kept": "yes" } });
    const seen = (await response.json()) as { headers: Array<[string, string]>; body: number };
    const names = seen.headers.map(([name]) => name.toLowerCase());
    assert.ok(!names.includes("x-forwarded-for") && !names.includes("x-real-ip") && !names.includes("connection"));
    assert.deepEqual(seen.headers.find(([n]) => n === "Dify-Hook-Id"), ["Dify-Hook-Id", HOOK]);
    assert.deepEqual(seen.headers.find(([n]) => n === "Dify-Hook-Url"), ["Dify-Hook-Url", `http://localhost/e/${HOOK}/items/`]);
    assert.deepEqual(seen.headers.find(([n]) => n === "host"), ["host", "localhost"]);
    assert.deepEqual(seen.headers.find(([n]) => n === "content-length"), ["content-length", "3"]);
    assert.equal(seen.body, 3);
  });

  test("HEAD is served by the GET rule, with no body, and the handler's stream is stopped", async () => {
    let stopped = false;
    const handler: Handler = () => ({
      status: 200, headers: [["x-a", "1"]],
      body: { [Symbol.asyncIterator]: () => ({ next: async () => ({ done: false, value: encoder.encode("x") }), return: async () => ((stopped = true), { done: true, value: undefined }) }) },
    });
    const response = await frontDoor(ITEMS, { item: handler }).request("/items/7", { method: "HEAD" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-a"), "1");
    assert.equal(response.body, null);
    assert.ok(stopped);
  });

  test("the body is cut at 10 MiB, with a notice", async () => {
    const door = frontDoor(ITEMS);
    const response = await door.request("/items/", { method: "POST", body: new Uint8Array(10 * 1024 * 1024 + 5) });
    assert.equal(((await response.json()) as { body: number }).body, 10 * 1024 * 1024);
    assert.match(door.warnings.join("\n"), /10485765 bytes\) was cut at 10 MiB/);
  });

  test("a response keeps one value per header (the last), with a notice; a complete body has its length", async () => {
    const door = frontDoor(ITEMS, { item: () => ({ status: 201, headers: [["x-twice", "a"], ["X-Twice", "b"]], body: chunks("hello") }) });
    const response = await door.request("/items/7");
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("x-twice"), "b");
    assert.equal(response.headers.get("content-length"), "5");
    assert.match(door.warnings.join("\n"), /dropped extra values of X-Twice/);
  });

  const KINDS: Array<[InvokeError, number, string]> = [
    [new InvokeError("value-error", "bad json"), 404, "bad json"],
    [new InvokeError("exception", "boom"), 500, "Internal Server Error: boom"],
    [new InvokeError("timeout", "late"), 504, "Gateway Timeout: the endpoint did not answer within 30s"],
    [new InvokeError("crashed", "exit 1"), 502, "Bad Gateway: the endpoint's worker stopped (exit 1)"],
    [new InvokeError("unavailable", "closed"), 500, "Internal Server Error: closed"],
  ];
  for (const [error, status, body] of KINDS) {
    test(`a handler failure of kind ${error.kind} is a ${status}`, async () => {
      const response = await frontDoor(ITEMS, { item: () => Promise.reject(error) }).request("/items/7");
      assert.equal(response.status, status);
      assert.equal(await response.text(), body);
    });
  }

  test("an endpoint whose source never loaded is a 500 with the reason", async () => {
    const response = await frontDoor(ITEMS, {}, { unavailable: { item: "item.ts failed to load: oops" } }).request("/items/7");
    assert.equal(response.status, 500);
    assert.equal(await response.text(), "Internal Server Error: item.ts failed to load: oops");
  });

  test("a failure after the head is written into the body", async () => {
    const body = (async function* () {
      yield encoder.encode("partial ");
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error("broke mid-stream");
    })();
    const response = await frontDoor(ITEMS, { item: () => ({ status: 200, headers: [], body }) }).request("/items/7");
    assert.equal(await response.text(), "partial broke mid-stream");
  });

  test("a streaming body yields each chunk as the handler produces it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const body = (async function* () {
      yield encoder.encode("first");
      await gate;
      yield encoder.encode("second");
    })();
    const response = await frontDoor(ITEMS, { item: () => ({ status: 200, headers: [], body }) }).request("/items/7");
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.equal(new TextDecoder().decode(first.value), "first");
    release();
    const second = await reader.read();
    assert.equal(new TextDecoder().decode(second.value), "second");
    assert.equal((await reader.read()).done, true);
  });

  test("an observer sees the match, the forwarded call, the head, each chunk and the outcome, in order", async () => {
    const events: string[] = [];
    const observe = (): RequestObserver => ({
      matched: (m) => events.push(`matched ${m.endpoint} ${m.rule}`),
      forwarded: (call) => events.push(`forwarded ${call.url} ${call.headers.some(([n]) => n === "Dify-Hook-Id")}`),
      head: (h) => events.push(`head ${h.status}`),
      chunk: (c) => events.push(`chunk ${c.byteLength}`),
      end: (o) => events.push(`end ${o.status} ${o.endpoint} ${o.bytes}`),
    });
    const door = frontDoor(ITEMS, { item: () => ({ status: 200, headers: [], body: chunks("ab", "cde") }) }, { observe });
    await (await door.request("/items/7?q=1")).text();
    assert.deepEqual(events, ["matched item /items/<int:id>", "forwarded http://localhost/items/7?q=1 true", "head 200", "chunk 2", "chunk 3", "end 200 item 5"]);
    events.length = 0;
    await (await door.request("/nope")).text();
    assert.deepEqual(events.map((e) => e.split(" ")[0]), ["head", "chunk", "end"]);
  });

  test("a caller that stops reading stops the handler's stream", async () => {
    let stopped = false;
    const handler: Handler = () => ({
      status: 200, headers: [],
      body: { [Symbol.asyncIterator]: () => ({ next: () => new Promise((resolve) => setTimeout(() => resolve({ done: false, value: encoder.encode("x") }), 2)), return: async () => ((stopped = true), { done: true, value: undefined }) }) },
    });
    const response = await frontDoor(ITEMS, { item: handler }).request("/items/7");
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    assert.ok(stopped);
  });
});

test("the pipeline and everything it imports use no node: module, no Node server and no worker", async () => {
  const { readFileSync } = await import("node:fs");
  const { dirname, join, resolve } = await import("node:path");
  const { REPO_ROOT } = await import("./helpers/repo.js");
  const seen = new Set<string>();
  const offending: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    // Code only: comments may say "process" or "require" in prose.
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const [, specifier] of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g)) {
      if (!specifier!.startsWith(".")) offending.push(`${file}: ${specifier}`);
      else visit(resolve(dirname(file), specifier!.replace(/\.js$/, ".ts")));
    }
    if (/\bimport\(\s*["']/.test(text) || /\b(process|Buffer|require)\s*[.(]/.test(text)) offending.push(`${file}: dynamic import or a Node global`);
  };
  visit(join(REPO_ROOT, "src", "pipeline", "index.ts"));
  assert.ok(seen.size > 10, `only ${seen.size} files`);
  assert.deepEqual(offending, []);
});

test("a complete body gets its length unless the handler framed it itself, in any case", () => {
  assert.deepEqual(withLength([["x-a", "1"]], 5), [["x-a", "1"], ["content-length", "5"]]);
  for (const name of ["content-length", "Content-Length", "TRANSFER-ENCODING", "transfer-encoding"]) assert.ok(framesItself([["x-a", "1"], [name, "5"]]), name);
  for (const name of ["content-lengths", "x-content-length", "content-type", "transfer-encodings"]) assert.ok(!framesItself([[name, "5"]]), name);
  const framed: Array<[string, string]> = [["Content-Length", "2"]];
  assert.equal(withLength(framed, 5), framed);
});
