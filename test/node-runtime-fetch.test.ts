/**
 * The worker's Fetch classes (src/runtime/fetch-light/light-fetch.ts) against the native ones: the same answers for every
 * property a handler can read, the same errors, `instanceof` both ways. This file installs them in
 * its own process, as the worker does.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { inspect } from "node:util";
import { createNodeRuntime } from "../src/runtime/node/node-runtime.js";

const NativeRequest = globalThis.Request;
const NativeResponse = globalThis.Response;
const { createLazyRequest, installLightFetch, takeKeptBody } = await import("../src/runtime/fetch-light/light-fetch.js");
installLightFetch();

const encode = (text: string): ArrayBuffer => new TextEncoder().encode(text).buffer as ArrayBuffer;
const signal = new AbortController().signal;
const lazy = (url: string, method: string, headers: Array<[string, string]>, body: string | null): Request =>
  createLazyRequest({ url, method, headers, body: body === null ? null : encode(body), signal: () => signal });
const native = (url: string, method: string, headers: Array<[string, string]>, body: string | null): Request =>
  new NativeRequest(url, { method, headers, body: method === "GET" || method === "HEAD" || body === null ? null : encode(body) });

async function rejection(promise: Promise<unknown>): Promise<string> {
  return promise.then(() => "resolved", (error: Error) => `${error.constructor.name}: ${error.message}`);
}

test("a Response from a string or bytes reads as the native one: status, headers, body, errors, inspect", async () => {
  for (const [body, init] of [["hi", undefined], ["", { status: 201, headers: { "content-type": "a/b", x: "1" } }], [new Uint8Array([1, 2]), { statusText: "Fine" }]] as const) {
    const ours = new Response(body, init);
    const theirs = new NativeResponse(body, init);
    assert.ok(ours instanceof Response && ours instanceof NativeResponse);
    for (const key of ["status", "statusText", "ok", "type", "url", "redirected", "bodyUsed"] as const) assert.equal(ours[key], theirs[key], key);
    assert.deepEqual([...ours.headers], [...theirs.headers]);
    assert.equal(inspect(ours), inspect(theirs));
    assert.deepEqual(new Uint8Array(await ours.clone().arrayBuffer()), new Uint8Array(await theirs.clone().arrayBuffer()));
    assert.equal(await ours.text(), await theirs.text());
    assert.equal(ours.bodyUsed, true);
    assert.equal(await rejection(ours.text()), await rejection(theirs.text()));
  }
  for (const init of [{ status: 204 }, { status: 99 }, { headers: { "bad name": "x" } }]) {
    assert.throws(() => new Response("x", init), (error: Error) => assert.throws(() => new NativeResponse("x", init), { name: error.name, message: error.message }) === undefined);
  }
  const json = Response.json({ a: [1] }, { status: 202, headers: { x: "y" } });
  const nativeJson = NativeResponse.json({ a: [1] }, { status: 202, headers: { x: "y" } });
  assert.deepEqual([json.status, [...json.headers], await json.text()], [nativeJson.status, [...nativeJson.headers], await nativeJson.text()]);
  assert.throws(() => Response.json(undefined), { name: "TypeError" });
  assert.ok(new NativeResponse("x") instanceof Response, "a response from fetch is a Response");
  assert.ok(Response.error() instanceof Response);
  class Mine extends Response {}
  assert.ok(new Mine("x") instanceof Mine);
  assert.equal(new NativeResponse("x") instanceof Mine, false);
});

test("a kept body is taken once, without a stream; the response then reads as consumed", async () => {
  const response = new Response("abc");
  assert.equal(takeKeptBody(response), "abc");
  assert.equal(response.bodyUsed, true);
  assert.match(await rejection(response.text()), /TypeError: Body is unusable/);
  assert.equal(takeKeptBody(response), undefined);
  const streamed = new Response("abc");
  void streamed.body;
  assert.equal(takeKeptBody(streamed), undefined, "read as a stream: the stream is the body");
  assert.equal(takeKeptBody(new NativeResponse("abc")), undefined);
  const bytes = new Uint8Array([1, 2, 3]);
  const fromBytes = new Response(bytes);
  bytes[0] = 9;
  assert.deepEqual(takeKeptBody(fromBytes), new Uint8Array([1, 2, 3]), "the bytes are copied, as the native constructor copies them");
});

test("a lazy Request answers as the native one: URL normalized, headers, body reads, clone, errors", async () => {
  const cases: Array<[string, string, Array<[string, string]>, string | null]> = [
    ["http://127.0.0.1:5002/a/../b?x=1 2", "POST", [["content-type", "application/json"], ["x-a", " v "]], '{"k":1}'],
    ["http://LOCALHOST:80/p", "GET", [["a", "b"]], null],
    ["http://h/x", "PUT", [], "\ufeffbody"],
  ];
  for (const [url, method, headers, body] of cases) {
    const ours = lazy(url, method, headers, body);
    const theirs = native(url, method, headers, body);
    assert.ok(ours instanceof Request && ours instanceof NativeRequest);
    assert.equal(ours.constructor, Request);
    assert.equal(Object.prototype.toString.call(ours), "[object Request]");
    assert.deepEqual(Object.keys(ours), Object.keys(theirs));
    for (const key of ["url", "method", "mode", "cache", "credentials", "redirect", "referrer", "bodyUsed", "keepalive", "duplex"]) {
      assert.equal((ours as unknown as Record<string, unknown>)[key], (theirs as unknown as Record<string, unknown>)[key], key);
    }
    assert.deepEqual([...ours.headers], [...theirs.headers]);
    assert.equal(ours.body === null, theirs.body === null);
    assert.equal(await ours.clone().text(), await theirs.clone().text());
    assert.equal(await rejection(ours.json()), await rejection(theirs.json()));
    assert.equal(ours.bodyUsed, theirs.bodyUsed);
    assert.equal(await rejection(ours.text()), await rejection(theirs.text()));
  }
  assert.equal(lazy("http://h/", "GET", [], null).signal, signal, "the call's signal");
  assert.throws(() => lazy("http://h/", "TRACE", [], null), { message: /TRACE/ });
  assert.throws(() => lazy("http://[bad/", "GET", [], null), { message: /Failed to parse URL/ });
});

test("a lazy Request can be passed to new Request() and keeps its body", async () => {
  const copy = new Request(lazy("http://h/y", "POST", [["a", "b"]], "B"), { method: "PUT" });
  assert.deepEqual([copy.method, copy.url, await copy.text(), [...copy.headers]], ["PUT", "http://h/y", "B", [["a", "b"]]]);
  assert.match(inspect(lazy("http://h/x", "GET", [["a", "b"]], null)), /^Request \{\n\s+method: 'GET',\n\s+url: 'http:\/\/h\/x'/);
});

test("in the worker, handlers get these classes (made on first use), and a global a module sets stays its own", async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "ek-fetch-"));
  mkdirSync(path.join(root, "endpoints"));
  const write = (name: string, body: string): void => writeFileSync(path.join(root, "endpoints", `${name}.ts`), `import { Endpoint } from "endpoint-kit";\n${body}\n`);
  // The light Response's prototype chain goes through the native class: Object.prototype is the native one's.
  write("light", `export default class L extends Endpoint { async _invoke(request: Request): Promise<Response> { return new Response([Object.getPrototypeOf(Response.prototype) === Object.prototype ? "native" : "light", request instanceof Request, await request.text()].join(" ")); } }`);
  write("mock", `globalThis.fetch = async () => new Response("mocked");\nexport default class M extends Endpoint { async _invoke(): Promise<Response> { return new Response(await (await fetch("http://127.0.0.1:9/")).text()); } }`);
  const runtime = createNodeRuntime({ onLog: () => undefined });
  try {
    const report = await runtime.load({ root, endpoints: [{ id: "light", source: "endpoints/light.ts" }, { id: "mock", source: "endpoints/mock.ts" }] });
    assert.ok(report.sources.every((source) => source.ok), JSON.stringify(report));
    const text = async (endpoint: string, method = "GET", body = ""): Promise<string> => {
      const result = await runtime.invoke({ endpoint, method, url: "http://h/x", headers: [], body: new TextEncoder().encode(body), values: {}, settings: {} }, { signal: new AbortController().signal, deadlineMs: 10_000 });
      let out = "";
      for await (const chunk of result.body) out += new TextDecoder().decode(chunk);
      return out;
    };
    assert.equal(await text("mock"), "mocked", "a fetch set by the module is not replaced when the classes are made");
    assert.equal(await text("light", "POST", "abc"), "light true abc");
  } finally {
    await runtime.close();
    rmSync(root, { recursive: true, force: true });
  }
});
