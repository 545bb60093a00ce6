/**
 * The capture keeps a record as an object while its request runs (small bodies copied into a shared
 * slab), then as bytes in the store's pages (the handler's headers as a change to the request's)
 * once it is final: what a record reads back, in either form, must be what the pipeline gave it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createCapture } from "../src/inspector/capture.js";
import { droppedHeaders, forwardedPairs } from "../src/inspector/compact-headers.js";
import { RecordPages, type PageWriter } from "../src/inspector/record-pages.js";
import { RecordStore, type CapturedRecord } from "../src/inspector/store.js";
import { forwardHeaders } from "../src/pipeline/dify-request.js";
import type { InvokeCall } from "../src/runtime/contract.js";

const text = (s: string) => new TextEncoder().encode(s);
const arrivedHeaders: Array<[string, string]> = [["host", "127.0.0.1:5002"], ["connection", "keep-alive"], ["x-forwarded-for", "10.0.0.1"], ["content-type", "application/json"], ["x-sig", "abc"]];

function capture(limits = { maxRecords: 100, maxBytes: 64 * 1024 * 1024 }) {
  const store = new RecordStore(limits);
  let generation = 1;
  const cap = createCapture(store, { generation: () => generation, replayOf: () => undefined });
  return { store, cap, reload: () => generation++ };
}

function call(headers: Array<[string, string]>, body: Uint8Array): InvokeCall {
  return { endpoint: "hook", method: "POST", url: "http://127.0.0.1:5002/hook?a=1", headers, body, values: { id: { type: "string", text: "7" } }, settings: { key: "s" } };
}

describe("capture", () => {
  test("a record reads back the request, what the handler got, the answer and the outcome", () => {
    const { store, cap, reload } = capture();
    const observer = cap.observe({ method: "POST", target: "/e/h/hook?a=1", host: "127.0.0.1:5002", headers: arrivedHeaders });
    reload();
    observer.matched?.({ endpoint: "hook", rule: "/hook", values: { id: { type: "string", text: "7" } } });
    const forwarded = forwardHeaders(arrivedHeaders, "h", "http://127.0.0.1:5002/e/h/hook").headers;
    const body = text('{"a":1}');
    observer.forwarded?.(call(forwarded, body));
    observer.head?.({ status: 201, headers: [["content-type", "text/plain"], ["x-n", "1"]] });
    observer.chunk?.(text("one "));
    observer.chunk?.(text("two"));
    observer.end?.({ status: 201, endpoint: "hook", ms: 2, bytes: 7 });
    const record = store.get(1)!;
    assert.equal(record.generation, 2, "the generation that answered");
    assert.deepEqual(record.request.headers, arrivedHeaders);
    assert.deepEqual(record.request.body, body);
    assert.equal(record.request.bodyTotal, 7);
    assert.deepEqual(record.handler, { endpoint: "hook", rule: "/hook", values: { id: { type: "string", text: "7" } }, url: "http://127.0.0.1:5002/hook?a=1", headers: forwarded, settings: { key: "s" } });
    const response = record.response!;
    assert.deepEqual([response.status, response.headers, response.bytes, response.truncated], [201, [["content-type", "text/plain"], ["x-n", "1"]], 7, false]);
    assert.deepEqual(response.chunks.map((c) => new TextDecoder().decode(c.bytes)), ["one ", "two"]);
    assert.ok(response.chunks[1]!.at >= response.chunks[0]!.at);
    assert.deepEqual(record.outcome, { status: 201, endpoint: "hook", ms: 2, bytes: 7 });
    assert.equal(store.totalBytes, 14);
  });

  test("handler headers that are not the request's minus some plus the hook headers are kept whole", () => {
    const { store, cap } = capture();
    const observer = cap.observe({ method: "POST", target: "/hook", host: "h", headers: [["content-length", "99"]] });
    observer.matched?.({ endpoint: "hook", rule: "/hook", values: {} });
    // A body cut at 10 MiB: the handler is told the length it gets.
    const rewritten: Array<[string, string]> = [["content-length", "5"], ["Dify-Hook-Id", "h"], ["Dify-Hook-Url", "http://h/e/h/hook"]];
    observer.forwarded?.(call(rewritten, text("12345")));
    assert.deepEqual(store.get(1)!.handler!.headers, rewritten);
  });

  test("small bodies share a slab yet each reads back its own bytes; a large one is kept as it came", () => {
    const { store, cap } = capture();
    const large = new Uint8Array(100_000).fill(7);
    const bodies = [text("first"), text(""), text("third body"), large];
    for (const body of bodies) {
      const observer = cap.observe({ method: "POST", target: "/hook", host: "h", headers: [] });
      observer.matched?.({ endpoint: "hook", rule: "/hook", values: {} });
      observer.forwarded?.(call([["Dify-Hook-Id", "h"], ["Dify-Hook-Url", "u"]], body));
      observer.head?.({ status: 200, headers: [] });
      observer.chunk?.(body);
      observer.end?.({ status: 200, endpoint: "hook", ms: 1, bytes: body.byteLength });
      // The caller may reuse its buffer once the chunk is written.
      if (body !== large) body.fill(0);
    }
    const read = store.list().reverse();
    assert.deepEqual(read.map((r) => new TextDecoder().decode(r.request.body)), ["first", "", "third body", new TextDecoder().decode(large)]);
    assert.deepEqual(read.map((r) => r.response!.chunks.map((c) => c.bytes.byteLength)), [[5], [0], [10], [100_000]]);
    assert.deepEqual(read[3]!.response!.chunks[0]!.bytes, large);
  });

  test("past the per-body limit chunks are listed, not kept, and the response says truncated", () => {
    const { store, cap } = capture({ maxRecords: 10, maxBytes: 4096 });
    const observer = cap.observe({ method: "GET", target: "/s", host: "h", headers: [] });
    observer.head?.({ status: 200, headers: [] });
    observer.chunk?.(new Uint8Array(600));
    observer.chunk?.(new Uint8Array(600));
    observer.end?.({ status: 200, ms: 1, bytes: 1200 });
    const response = store.get(1)!.response!;
    assert.deepEqual([response.truncated, response.bytes, response.chunks.map((c) => c.bytes.byteLength)], [true, 600, [600, 0]]);
    assert.equal(store.get(1)!.handler, undefined, "no endpoint matched");
  });
});

/** One request through every observer call, as the pipeline makes them. */
function serve(cap: ReturnType<typeof capture>["cap"], endpoint: string, body: string, answer: string[], status = 200): void {
  const observer = cap.observe({ method: "POST", target: `/e/h/${endpoint}?q=é`, host: "127.0.0.1:5002", headers: arrivedHeaders });
  observer.matched?.({ endpoint, rule: `/${endpoint}/<int:n>`, values: { n: { type: "int", text: "7" }, "ünïcode": { type: "string", text: "☃" } } });
  observer.forwarded?.(call(forwardHeaders(arrivedHeaders, "h", `http://127.0.0.1:5002/e/h/${endpoint}`).headers, text(body)));
  observer.head?.({ status, headers: [["content-type", "text/plain; charset=utf-8"], ["x-note", "naïve"]] });
  for (const chunk of answer) observer.chunk?.(text(chunk));
  observer.end?.({ status, endpoint, ms: 1.25, bytes: answer.join("").length, detail: "why", cancelled: true });
}

/** A record as the API reads it, with the parts that capture builds on each read made plain. */
function plain(record: CapturedRecord) {
  const { id, time, generation, replayOf, pinned, done, logs, outcome, request, handler, response } = record;
  return { id, time, generation, replayOf, pinned, done, logs, outcome, request, handler, response };
}

/** Records are written into the pages in a microtask after they end. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("settled records", () => {
  test("a record written into the pages reads back exactly as it read while it was an object", async () => {
    const { store, cap } = capture();
    serve(cap, "hook", '{"a":"ü"}', ["one ", "two ☃"]);
    cap.log({ endpoint: "hook", stream: "stderr", text: "a late line ✓" });
    const live = plain(store.get(1)!);
    assert.equal(typeof (store.get(1) as { writeTo?: unknown }).writeTo, "function", "still the capture's object");
    // The endpoint's next request ends: the first is final, and settles.
    serve(cap, "hook", "", ["x"]);
    assert.equal(typeof (store.get(1) as { writeTo?: unknown }).writeTo, "function", "written once this turn is over");
    await settled();
    const read = store.get(1)!;
    assert.equal((read as { writeTo?: unknown }).writeTo, undefined, "read back from the pages");
    assert.deepEqual(plain(read), live);
    assert.equal(read.logs[0]!.text, "a late line ✓");
    assert.equal(new TextDecoder().decode(read.response!.chunks[1]!.bytes), "two ☃");
  });

  test("a request that matched no endpoint settles when it ends; eviction and bytes count settled records", async () => {
    const { store, cap } = capture({ maxRecords: 3, maxBytes: 64 * 1024 * 1024 });
    for (let i = 0; i < 5; i++) {
      const observer = cap.observe({ method: "GET", target: `/nothing/${i}`, host: "h", headers: [] });
      observer.head?.({ status: 404, headers: [["content-type", "text/plain"]] });
      observer.chunk?.(text(`miss ${i}`));
      observer.end?.({ status: 404, ms: 0.5, bytes: 6 });
      await settled();
      assert.equal((store.get(i + 1) as { writeTo?: unknown }).writeTo, undefined, "in the pages");
    }
    assert.deepEqual(store.list().map((r) => [r.id, r.request.target, r.outcome?.status]), [[5, "/nothing/4", 404], [4, "/nothing/3", 404], [3, "/nothing/2", 404]]);
    assert.equal(store.totalBytes, 18);
    assert.equal(store.get(2), undefined);
  });

  test("pinning a settled record makes it an object again, kept past the bounds", async () => {
    const { store, cap } = capture({ maxRecords: 2, maxBytes: 64 * 1024 * 1024 });
    for (let i = 0; i < 3; i++) serve(cap, "hook", `body ${i}`, [`answer ${i}`]);
    await settled();
    assert.equal((store.get(2) as { writeTo?: unknown }).writeTo, undefined, "in the pages");
    const before = plain(store.get(2)!);
    store.pin(2, true);
    for (let i = 0; i < 4; i++) serve(cap, "hook", "", ["later"]);
    const pinned = store.get(2)!;
    assert.equal(pinned.pinned, true);
    assert.deepEqual({ ...plain(pinned), pinned: false }, before);
    assert.deepEqual(store.list().map((r) => r.id), [7, 2], "the pinned one counts towards the bound");
  });
});

describe("record pages", () => {
  const writer = (fields: Array<string | number | Uint8Array>) => ({
    writeTo(w: PageWriter) {
      for (const field of fields) {
        if (typeof field === "string") w.str(field);
        else if (typeof field === "number") w.f64(field);
        else w.bytes(field);
      }
    },
  });

  test("strings (ASCII or not), numbers and bytes read back; a record larger than a page gets its own", () => {
    const pages = new RecordPages();
    const big = new Uint8Array(200_000).fill(9);
    const records: Array<Array<string | number | Uint8Array>> = [["GET", "/x", 1.5, new Uint8Array([1, 2])], ["naïve ☃ 𝄞", -0.25, big, "after"], ["", 0, new Uint8Array(0)]];
    const handles = records.map((fields) => pages.add(writer(fields)));
    records.forEach((fields, i) => {
      const reader = pages.read(handles[i]!);
      for (const field of fields) {
        if (typeof field === "string") assert.equal(reader.str(), field);
        else if (typeof field === "number") assert.equal(reader.f64(), field);
        else assert.deepEqual(reader.bytes(), field);
      }
    });
    assert.equal(pages.pageCount, 3, "a page, the large record's own, a page after it");
  });

  test("a page goes once its last record is released, and handles stay right as pages come and go", () => {
    const pages = new RecordPages();
    const live: Array<[number, string]> = [];
    for (let i = 0; i < 20_000; i++) {
      const text = `record ${i} ${"x".repeat(i % 300)}`;
      live.push([pages.add(writer([text])), text]);
      if (live.length > 500) pages.release(live.shift()![0]);
      assert.ok(Number.isInteger(live.at(-1)![0]) && live.at(-1)![0] < 2 ** 30, "a small integer");
    }
    for (const [handle, text] of live) assert.equal(pages.read(handle).str(), text);
    assert.ok(pages.pageCount <= 4, `only the pages of the records kept (${pages.pageCount})`);
  });
});

describe("compact headers", () => {
  const request = arrivedHeaders;
  test("the handler's headers as a change to the request's, and back", () => {
    const forwarded = forwardHeaders(arrivedHeaders, "hook", "http://x/e/hook/p").headers;
    const dropped = droppedHeaders(request, forwarded);
    assert.equal(dropped, 0b110, "connection and x-forwarded-for left out");
    assert.deepEqual(forwardedPairs(request, dropped, "hook", "http://x/e/hook/p"), forwarded);
  });
  const cases: Array<[string, Array<[string, string]>]> = [
    ["a value changed", [["host", "127.0.0.1:5002"], ["content-type", "text/plain"], ["Dify-Hook-Id", "h"], ["Dify-Hook-Url", "u"]]],
    ["a header added", [["host", "127.0.0.1:5002"], ["x-new", "1"], ["Dify-Hook-Id", "h"], ["Dify-Hook-Url", "u"]]],
    ["no hook headers", [["host", "127.0.0.1:5002"]]],
  ];
  for (const [name, forwarded] of cases) test(`not a change it can tell: ${name}`, () => assert.equal(droppedHeaders(request, forwarded), -1));
});
