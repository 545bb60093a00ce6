/**
 * The filter language of the inspector's list: parsing, and matching over whole records (bodies
 * and headers included), with secrets masked before anything is matched.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { matchesQuery, parseQuery } from "../src/inspector/query.js";
import { RecordStore, type CapturedRecord } from "../src/inspector/store.js";

const SECRET = "sk-test-5up3r";
const mask = (text: string) => text.split(SECRET).join("****");
const encode = (text: string) => new TextEncoder().encode(text);

function record(fields: { method?: string; target?: string; body?: string; status?: number; endpoint?: string; answer?: string[]; headers?: Array<[string, string]> }): CapturedRecord {
  const store = new RecordStore();
  const added = store.add({
    time: 0, generation: 1,
    request: { method: fields.method ?? "POST", target: fields.target ?? "/hook", host: "127.0.0.1:5002", headers: fields.headers ?? [["content-type", "application/json"]], ...(fields.body !== undefined ? { body: encode(fields.body) } : {}) },
    ...(fields.endpoint ? { handler: { endpoint: fields.endpoint, rule: "/hook", values: {} } } : {}),
    ...(fields.status !== undefined ? { response: { status: fields.status, headers: [["content-type", "text/plain"]], chunks: (fields.answer ?? []).map((text, at) => ({ at, bytes: encode(text) })), bytes: 0, truncated: false } } : {}),
  });
  return added;
}

describe("inspector filter language", () => {
  test("parses words, keys, quoted phrases and negation; an unknown key is text", () => {
    assert.deepEqual(parseQuery(' status:4XX  -method:get "order Paid" body:"a b" http://x.test/y  '), [
      { key: "status", value: "4xx", negate: false },
      { key: "method", value: "get", negate: true },
      { value: "order paid", negate: false },
      { key: "body", value: "a b", negate: false },
      { value: "http://x.test/y", negate: false },
    ]);
    assert.deepEqual(parseQuery(""), []);
  });

  const orders = record({ target: "/orders/7?src=shop", body: '{"event":"order.paid","amount":42}', status: 200, endpoint: "orders", answer: ['{"ok":', "true}"] });
  const ping = record({ method: "GET", target: "/ping", status: 404, headers: [["x-github-event", "ping"]] });
  const leak = record({ target: "/leak", body: `{"key":"${SECRET}"}`, status: 500, answer: [`key=${SECRET}`] });
  const cases: Array<{ query: string; matches: CapturedRecord[] }> = [
    { query: "", matches: [orders, ping, leak] },
    { query: "order.paid", matches: [orders] },
    { query: "ORDER.PAID", matches: [orders] },
    { query: "body:true}", matches: [orders] },
    { query: "body:orders", matches: [] },
    { query: "orders", matches: [orders] },
    { query: '"amount":42', matches: [orders] },
    { query: "status:2xx", matches: [orders] },
    { query: "status:40x", matches: [ping] },
    { query: "status:500", matches: [leak] },
    { query: "-status:2xx", matches: [ping, leak] },
    { query: "method:get", matches: [ping] },
    { query: "path:src=shop", matches: [orders] },
    { query: "endpoint:ord", matches: [orders] },
    { query: "header:x-github-event", matches: [ping] },
    { query: '"header:x-github-event: ping"', matches: [] },
    { query: 'header:"x-github-event: ping"', matches: [ping] },
    { query: "post order.paid status:200", matches: [orders] },
    { query: "post order.paid status:404", matches: [] },
    { query: SECRET, matches: [] },
    { query: "sk-test", matches: [] },
    { query: `body:${SECRET.slice(0, 9)}`, matches: [] },
    { query: "key=****", matches: [leak] },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.query)} matches ${c.matches.length} record(s)`, () => {
      const terms = parseQuery(c.query);
      assert.deepEqual([orders, ping, leak].filter((r) => matchesQuery(r, terms, mask)).map((r) => r.request.target), c.matches.map((r) => r.request.target));
    });
  }
});
