/**
 * The inspector's pure parts: the store's bounds and pinning, the cross-site guard, and the exports.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import { toCurl, toFixture, toHar, toHttpFile } from "../src/inspector/export.js";
import { crossSiteReason, isInspectorRequest } from "../src/inspector/guard.js";
import { RecordStore, type CapturedRecord, type StoreEvent } from "../src/inspector/store.js";

const bytes = (n: number) => new Uint8Array(n);

function add(store: RecordStore, body = 0): CapturedRecord {
  const record = store.add({ time: 0, generation: 1, request: { method: "POST", target: "/x", host: "127.0.0.1:5002", headers: [], body: bytes(body) } });
  record.done = true;
  store.changed(record);
  return record;
}

describe("record store", () => {
  const cases: Array<{ name: string; limits: { maxRecords: number; maxBytes: number }; bodies: number[]; pin?: number[]; kept: number[] }> = [
    { name: "under both bounds keeps everything", limits: { maxRecords: 5, maxBytes: 1000 }, bodies: [10, 10, 10], kept: [3, 2, 1] },
    { name: "over the count drops the oldest", limits: { maxRecords: 2, maxBytes: 1000 }, bodies: [1, 1, 1, 1], kept: [4, 3] },
    { name: "over the bytes drops the oldest until it fits", limits: { maxRecords: 10, maxBytes: 100 }, bodies: [60, 30, 30], kept: [3, 2] },
    { name: "pinned records stay when older ones go", limits: { maxRecords: 2, maxBytes: 1000 }, bodies: [1, 1, 1, 1], pin: [1], kept: [4, 1] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const store = new RecordStore(c.limits);
      c.bodies.forEach((size, i) => {
        add(store, size);
        if (c.pin?.includes(i + 1)) store.pin(i + 1, true);
      });
      assert.deepEqual(store.list().map((r) => r.id), c.kept);
      assert.equal(store.totalBytes, store.list().reduce((n, r) => n + (r.request.body?.byteLength ?? 0), 0));
    });
  }

  test("over many evictions the newest stay, pinned ones too, and lookups find exactly them", () => {
    const store = new RecordStore({ maxRecords: 10, maxBytes: 1_000_000 });
    for (let i = 1; i <= 500; i++) {
      add(store, 1);
      if (i === 3 || i === 250) store.pin(i, true);
    }
    const kept = [500, 499, 498, 497, 496, 495, 494, 493, 250, 3];
    assert.deepEqual(store.list().map((r) => r.id), kept);
    assert.equal(store.size, 10);
    assert.equal(store.totalBytes, 10);
    for (let id = 1; id <= 500; id++) assert.equal(store.get(id)?.id, kept.includes(id) ? id : undefined, `get(${id})`);
    store.clear();
    assert.deepEqual(store.list().map((r) => r.id), [250, 3]);
  });

  test("a request still in flight is never dropped", () => {
    const store = new RecordStore({ maxRecords: 1, maxBytes: 1000 });
    const running = store.add({ time: 0, generation: 1, request: { method: "GET", target: "/slow", host: "h", headers: [] } });
    add(store);
    assert.deepEqual(store.list().map((r) => r.id), [1], "the finished one goes, the running one stays though older");
    running.done = true;
    store.changed(running);
    assert.equal(store.size, 1);
  });

  test("clear keeps pinned records and listeners hear every change", () => {
    const store = new RecordStore({ maxRecords: 10, maxBytes: 1000 });
    const events: StoreEvent["type"][] = [];
    store.subscribe((event) => events.push(event.type));
    add(store);
    add(store);
    store.pin(2, true);
    store.clear();
    assert.deepEqual(store.list().map((r) => r.id), [2]);
    assert.deepEqual(events, ["add", "update", "add", "update", "update", "clear"]);
  });
});

describe("inspector guard", () => {
  test("only a loopback Host reaches the inspector; /e/<hook_id>/_endpoint-kit is the plugin's", () => {
    assert.equal(isInspectorRequest("/_endpoint-kit/", "127.0.0.1:5002"), true);
    assert.equal(isInspectorRequest("/_endpoint-kit/api/requests", "localhost:5002"), true);
    assert.equal(isInspectorRequest("/_endpoint-kit/", "[::1]:5002"), true);
    assert.equal(isInspectorRequest("/_endpoint-kit/", "abc.ngrok.app"), false);
    assert.equal(isInspectorRequest("/e/hook/_endpoint-kit/", "127.0.0.1:5002"), false);
    assert.equal(isInspectorRequest("/_endpoint-kitten", "127.0.0.1:5002"), false);
  });

  const host = "127.0.0.1:5002";
  const cases: Array<[string, { origin?: string; secFetchSite?: string }, boolean]> = [
    ["curl (no Origin, no Sec-Fetch-Site)", {}, true],
    ["the page itself", { origin: "http://127.0.0.1:5002", secFetchSite: "same-origin" }, true],
    ["typed in the address bar", { secFetchSite: "none" }, true],
    ["another site", { origin: "https://evil.example", secFetchSite: "cross-site" }, false],
    ["another local port", { origin: "http://127.0.0.1:3000", secFetchSite: "same-site" }, false],
    ["an opaque origin", { origin: "null" }, false],
    ["a cross-site no-cors request without Origin", { secFetchSite: "cross-site" }, false],
  ];
  for (const [name, headers, allowed] of cases) {
    test(`${name}: ${allowed ? "allowed" : "refused"}`, () => assert.equal(crossSiteReason(headers, host) === undefined, allowed));
  }
});

describe("exports", () => {
  const body = new TextEncoder().encode(`{"it's":"a \\"test\\""}`);
  const record: CapturedRecord = {
    id: 7, time: 0, generation: 1, pinned: false, done: true, logs: [],
    request: { method: "POST", target: "/hook?x=1", host: "127.0.0.1:5002", headers: [["host", "127.0.0.1:5002"], ["content-type", "application/json"], ["content-length", String(body.byteLength)], ["x-sig", "abc"]], body },
    response: { status: 201, headers: [["content-type", "text/plain"]], chunks: [{ at: 1, bytes: new TextEncoder().encode("ok") }], bytes: 2, truncated: false },
    outcome: { status: 201, ms: 3, bytes: 2 },
  };

  test("curl: the shell hands curl the exact body and the sent headers", () => {
    const command = toCurl(record);
    assert.doesNotMatch(command, /host:|content-length/);
    // Run the quoting through a real shell: printf the argument curl would get.
    const echoed = execFileSync("sh", ["-c", command.replace(/^curl .* --data-binary /, "printf %s ")]);
    assert.deepEqual(new Uint8Array(echoed), body);
  });

  test("curl: a binary body goes through printf's octal escapes byte for byte", () => {
    const binary = new Uint8Array([0, 1, 255, 39, 10, 92]);
    const command = toCurl({ ...record, request: { ...record.request, body: binary } });
    const out = execFileSync("sh", ["-c", command.replace(/ \| curl .*$/, "")]);
    assert.deepEqual(new Uint8Array(out), binary);
  });

  test(".http, HAR and fixture carry the request and the answer", () => {
    assert.match(toHttpFile(record), /^POST http:\/\/127\.0\.0\.1:5002\/hook\?x=1 HTTP\/1\.1\ncontent-type: application\/json\nx-sig: abc\n\n\{/m);
    const har = JSON.parse(toHar(record, "1.0.0")) as { log: { entries: Array<{ request: { postData: { text: string }; queryString: unknown[] }; response: { status: number; content: { text: string } } }> } };
    const entry = har.log.entries[0]!;
    assert.equal(entry.request.postData.text, new TextDecoder().decode(body));
    assert.deepEqual(entry.request.queryString, [{ name: "x", value: "1" }]);
    assert.equal(entry.response.status, 201);
    assert.equal(entry.response.content.text, "ok");
    const fixture = toFixture(record);
    assert.ok(fixture.ok);
    assert.match(fixture.text, /status: 201/);
    assert.match(fixture.text, /path: \/hook\?x=1/);
  });
});
