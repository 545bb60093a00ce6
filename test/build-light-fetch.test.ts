/**
 * The Node output's lighter Fetch objects behave as Node's own: the handler's lazy `Request` and
 * the global light `Response` are compared, property by property and error by error, with real ones
 * built from the same input. The globals are installed in this test's own process, as `server.mjs`
 * installs them.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, test } from "node:test";
import { keepsUrl } from "../src/runtime/fetch-light/lazy-request.js";
import { installNodeOutputFetch } from "../src/runtime/fetch-light/light-fetch.js";
import { observeBody, readAhead, WHOLE_BODY, WHOLE_TEXT, type BodyEnd } from "../src/pipeline/answer-body.js";
import { wholeBody } from "../src/pipeline/whole-body.js";
import { COMPLETE_ANSWER, HANDLER_REQUEST, type CompleteAnswer, type HandlerRequestFactory, type HandlerRequestInit } from "../src/runtime/fetch-light/protocol.js";

const RealRequest = globalThis.Request;
const RealResponse = globalThis.Response;
installNodeOutputFetch();
const makeRequest = (globalThis as unknown as Record<symbol, HandlerRequestFactory>)[HANDLER_REQUEST]!;
const completeOf = (response: Response): CompleteAnswer | undefined => (response as unknown as Record<symbol, () => CompleteAnswer | undefined>)[COMPLETE_ANSWER]?.();

async function errorOf(make: () => unknown): Promise<string> {
  try {
    await make();
    return "no error";
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe("the light Response", () => {
  const inputs: Array<[string, unknown, unknown]> = [
    ["a string", "hello", undefined],
    ["no body", undefined, undefined],
    ["null with a status", null, { status: 204 }],
    ["an empty string", "", undefined],
    ["a string with a status and headers", "héllo \ud800", { status: 201, headers: { "X-A": "1", "content-type": "application/json" } }],
    ["headers as pairs, two cookies", "x", { headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-b", "2"]] }],
    ["bytes", new Uint8Array([1, 2, 3]), { status: 200 }],
    ["a status text", "x", { status: 200, statusText: "Fine" }],
  ];
  for (const [name, body, init] of inputs) {
    test(`${name}: as a real Response`, async () => {
      const light = new Response(body as BodyInit, init as ResponseInit);
      const real = new RealResponse(body as BodyInit, init as ResponseInit);
      assert.ok(light instanceof Response && light instanceof RealResponse);
      for (const key of ["status", "ok", "statusText", "type", "url", "redirected", "bodyUsed"] as const) assert.equal(light[key], real[key], key);
      assert.deepEqual([...light.headers], [...real.headers]);
      assert.deepEqual(new Uint8Array(await light.clone().arrayBuffer()), new Uint8Array(await real.clone().arrayBuffer()));
      assert.equal(await light.text(), await real.text());
      assert.equal(light.bodyUsed, real.bodyUsed);
      assert.equal(await errorOf(() => light.text()), await errorOf(() => real.text()));
    });
  }

  test("a string answer is handed over whole, as the invoker would read the real one", async () => {
    const light = new Response("hé", { status: 202, headers: { "X-Z": "z", "Set-Cookie": "a=1" } });
    light.headers.append("set-cookie", "b=2");
    light.headers.set("x-a", "a");
    assert.deepEqual(completeOf(light), {
      status: 202,
      headers: [["content-type", "text/plain;charset=UTF-8"], ["x-a", "a"], ["x-z", "z"], ["set-cookie", "a=1"], ["set-cookie", "b=2"]],
      bytes: "hé",
    });
    assert.equal(completeOf(light), undefined, "handed over once");
    assert.equal(completeOf(new Response(new ReadableStream())), undefined, "a stream is read as a stream");
    const used = new Response("x");
    await used.text();
    assert.equal(completeOf(used), undefined);
  });

  test("with no init, nothing native until needed: header changes, clones and reads as a real one", async () => {
    for (const make of [(R: typeof Response) => new R("plain"), (R: typeof Response) => R.json({ a: 1 }), (R: typeof Response) => new R(new Uint8Array([104, 105]))]) {
      const light = make(Response);
      const real = make(RealResponse);
      assert.equal(Object.prototype.toString.call(light), Object.prototype.toString.call(real));
      light.headers.delete("content-type");
      real.headers.delete("content-type");
      light.headers.append("x-late", "1");
      real.headers.append("x-late", "1");
      const [lightClone, realClone] = [light.clone(), real.clone()];
      assert.deepEqual([...lightClone.headers], [...realClone.headers]);
      const [lightBlob, realBlob] = [await light.blob(), await real.blob()];
      assert.equal(lightBlob.type, realBlob.type, "the native body sees the headers as changed");
      assert.equal(await lightBlob.text(), await realBlob.text());
      assert.deepEqual([...light.headers], [...real.headers]);
      assert.equal(await lightClone.text(), await realClone.text());
      assert.equal(completeOf(light), undefined, "a body read is not handed over");
    }
    assert.deepEqual(completeOf(new Response("hi")), { status: 200, headers: [["content-type", "text/plain;charset=UTF-8"]], bytes: "hi" });
    assert.deepEqual(completeOf(Response.json([1])), { status: 200, headers: [["content-type", "application/json"]], bytes: "[1]" });
    assert.deepEqual(completeOf(new Response(new Uint8Array([1]))), { status: 200, headers: [], bytes: new Uint8Array([1]) });
    const streamed = new Response("s");
    assert.ok(streamed.body instanceof ReadableStream);
    assert.equal(completeOf(streamed), undefined, "read as a stream, it is a stream");
  });

  test("the same errors as a real Response", async () => {
    const cases: Array<[unknown, unknown]> = [["x", { status: 204 }], ["x", { status: 99 }], ["x", { headers: { "a b": "c" } }], ["x", 5], ["x", { status: 200.5 }]];
    for (const [body, init] of cases) {
      assert.equal(await errorOf(() => new Response(body as BodyInit, init as ResponseInit)), await errorOf(() => new RealResponse(body as BodyInit, init as ResponseInit)), JSON.stringify(init));
    }
  });

  test("header changes after the body was read reach a clone; statics and subclasses work", async () => {
    const light = new Response("x");
    const headers = light.headers;
    await light.clone().text();
    headers.set("x-late", "1");
    assert.equal(light.clone().headers.get("x-late"), "1");
    assert.equal(light.headers, headers);
    const json = Response.json({ a: 1 });
    assert.ok(json instanceof Response);
    assert.deepEqual(await json.json(), { a: 1 });
    class Mine extends Response {
      get kind(): string {
        return "mine";
      }
    }
    const mine = new Mine("m");
    assert.equal(mine.kind, "mine");
    assert.equal(await mine.text(), "m");
    assert.ok(new RealResponse("r") instanceof Response);
  });
});

describe("the handler's lazy Request", () => {
  const init = (over: Partial<HandlerRequestInit> = {}): HandlerRequestInit => ({
    url: "http://127.0.0.1:8787/hello/x?a=1&b=%2F",
    method: "POST",
    headers: [["host", "127.0.0.1:8787"], ["Content-Type", "application/json"], ["x-b", "1"], ["x-b", "2"]],
    body: new TextEncoder().encode('{"a":1}'),
    signal: () => AbortSignal.abort("gone"),
    ...over,
  });
  const realOf = (from: HandlerRequestInit): Request => new RealRequest(from.url, { method: from.method, headers: from.headers, body: from.body as BodyInit | null });

  test("reads as the real Request built from the same call", async () => {
    for (const from of [init(), init({ method: "GET", body: null }), init({ method: "PATCH" })]) {
      const lazy = makeRequest(from);
      const real = realOf(from);
      assert.ok(lazy instanceof Request && lazy instanceof RealRequest);
      for (const key of ["url", "method", "mode", "credentials", "cache", "redirect", "referrer", "integrity", "keepalive", "bodyUsed", "destination"] as const) assert.equal(lazy[key], real[key], key);
      assert.deepEqual([...lazy.headers], [...real.headers]);
      assert.equal(await lazy.clone().text(), await real.clone().text());
      assert.equal(await lazy.text(), await real.text());
      assert.equal(lazy.bodyUsed, real.bodyUsed);
      assert.equal(lazy.signal.reason, "gone");
    }
  });

  test("a URL or method a real Request would change is built at once, the same", () => {
    for (const url of ["http://127.0.0.1:80/x", "http://Example.com/x", "http://127.1/x", "http://h/a/../b", "http://h/a b", "http://h/%2e%2E/x", "http://h/x?q='"]) {
      const request = makeRequest(init({ url }));
      assert.equal(request.url, new RealRequest(url).url, url);
    }
    assert.equal(makeRequest(init({ method: "post" })).method, "POST");
  });

  test("keepsUrl only says yes where a real Request keeps the URL as it is", () => {
    const urls = [
      "http://127.0.0.1:8787/hello/x", "http://localhost/x?a=1&b=%20+", "http://api.example.com:8080/a/b.c/~d!$&'()*+,;=:@%zz", "http://h/", "http://h:65535/x",
      "http://h:65536/x", "http://h:080/x", "http://h:80/x", "http://256.1.1.1/x", "http://1.2.3/x", "http://h/a/./b", "http://h/a/..", "http://h/a/.%2E/b", "http://h/x?a='", "http://h/x#f", "http://H/x", "http://h/a\\b",
      "http://h/.well-known/x", "http://h/a/%2e", "http://a.b-c.d:1/x?y=%41", "http://xn--a.com/x", "http://h/x?q=a.b", "http://h:8787", "http://h:8787?x", "http://1.2.3.4:99999/x",
    ];
    for (const url of urls) {
      let kept = false;
      try {
        kept = new RealRequest(url).url === url;
      } catch {
        kept = false;
      }
      if (keepsUrl(url)) assert.ok(kept, `${url} is not kept by a real Request`);
    }
    for (const url of ["http://127.0.0.1:8787/hello/x", "http://localhost/x?a=1&b=%20+", "http://h/.well-known/x", "http://a.b-c.d:1/x?y=%41", "http://h/x?q=a.b"]) assert.ok(keepsUrl(url), url);
    // Judged the same a second time (the authority's verdict is remembered).
    for (const url of urls) assert.equal(keepsUrl(url), keepsUrl(url), url);
  });

  test("header changes reach the real Request; new Request() and fetch() take the lazy one", async () => {
    const lazy = makeRequest(init());
    lazy.headers.set("x-new", "1");
    const copy = new Request(lazy, { method: "PUT" });
    assert.equal(copy.headers.get("x-new"), "1");
    assert.equal(copy.method, "PUT");
    assert.equal(await copy.text(), '{"a":1}');
    const other = makeRequest(init());
    assert.equal(other.headers.get("x-b"), "1, 2");
    await other.clone().text();
    other.headers.set("x-later", "2");
    assert.equal(other.clone().headers.get("x-later"), "2");

    const server = createServer((incoming, outgoing) => {
      let body = "";
      incoming.on("data", (chunk: Buffer) => (body += chunk.toString()));
      incoming.on("end", () => outgoing.end(`${incoming.method} ${incoming.headers["x-new"]} ${body}`));
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const port = (server.address() as { port: number }).port;
      // The native request carries the call's signal: an aborted call's request is not sent.
      await assert.rejects(fetch(makeRequest(init({ url: `http://127.0.0.1:${port}/x` }))), (error) => error === "gone");
      const forwarded = makeRequest(init({ url: `http://127.0.0.1:${port}/x`, signal: () => new AbortController().signal }));
      forwarded.headers.set("x-new", "yes");
      forwarded.headers.delete("host");
      const answer = await fetch(forwarded);
      assert.equal(await answer.text(), 'POST yes {"a":1}');
    } finally {
      server.close();
    }
  });
});

describe("a body whole in memory", () => {
  async function observed(text: string, whole: boolean): Promise<{ ahead: unknown; chunks: string[]; ends: BodyEnd[] }> {
    const bytes = new TextEncoder().encode(text);
    let given = false;
    const body = {
      async *[Symbol.asyncIterator]() {
        if (!given && bytes.byteLength > 0) yield bytes;
        given = true;
      },
      ...(whole ? { [WHOLE_BODY]: () => (given ? undefined : ((given = true), bytes)) } : {}),
    };
    const chunks: string[] = [];
    const ends: BodyEnd[] = [];
    const ahead = await readAhead(observeBody(body, { chunk: (chunk) => void chunks.push(new TextDecoder().decode(chunk)) }, (end) => ends.push(end)));
    return { ahead, chunks, ends };
  }

  test("a text body is handed over as text only where nobody observes its bytes", async () => {
    const unobserved = observeBody(wholeBody("hé"), undefined, undefined);
    assert.equal(unobserved[WHOLE_TEXT]?.(), "hé");
    assert.equal(unobserved[WHOLE_TEXT]?.(), undefined, "once");
    assert.deepEqual(await unobserved.next(), { done: true, value: undefined });
    const chunks: Uint8Array[] = [];
    const ends: BodyEnd[] = [];
    const observed = observeBody(wholeBody("hé"), { chunk: (chunk) => void chunks.push(chunk) }, (end) => ends.push(end));
    assert.equal(observed[WHOLE_TEXT]?.(), undefined);
    assert.deepEqual(observed[WHOLE_BODY]?.(), new TextEncoder().encode("hé"));
    assert.deepEqual([chunks.length, ends], [1, [{ bytes: 3 }]]);
    const iterated = wholeBody("hé");
    assert.deepEqual(await iterated.next(), { done: false, value: new TextEncoder().encode("hé") });
    assert.equal((iterated as { [WHOLE_TEXT]?: () => string | undefined })[WHOLE_TEXT]?.(), undefined, "read as bytes, not again as text");
  });

  test("is handed over at once, observed as reading it chunk by chunk would be", async () => {
    for (const text of ["hello", ""]) assert.deepEqual(await observed(text, true), await observed(text, false), JSON.stringify(text));
  });
});
