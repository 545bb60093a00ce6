import assert from "node:assert/strict";
import { test } from "node:test";
import { compareAnswer, type Answer } from "../src/fixtures/compare.js";
import type { Expectation } from "../src/fixtures/fixture.js";
import { diffJson } from "../src/fixtures/json-diff.js";

const enc = new TextEncoder();
const answer = (status: number, body: string | string[], headers: Array<[string, string]> = [["Content-Type", "application/json"]]): Answer => ({
  status,
  headers,
  chunks: (Array.isArray(body) ? body : [body]).map((c) => enc.encode(c)),
});
const expect = (e: Partial<Expectation>): Expectation => ({ headers: [], ...e });

// [what, expectation, answer, the mismatch messages]
const CASES: Array<[string, Expectation | undefined, Answer, string[]]> = [
  ["all equal", expect({ status: 200, headers: [["content-type", "application/json"]], body: { kind: "json", value: { a: 1 } } }), answer(200, '{"a":1}'), []],
  ["status", expect({ status: 200 }), answer(500, ""), ["status: expected 200, got 500"]],
  ["header names are case-insensitive", expect({ headers: [["CONTENT-TYPE", "application/json"]] }), answer(200, ""), []],
  ["header value differs", expect({ headers: [["content-type", "text/plain"]] }), answer(200, ""), ['header content-type: expected "text/plain", got "application/json"']],
  ["header missing", expect({ headers: [["x-id", "1"]] }), answer(200, ""), ['header x-id: expected "1", got no such header']],
  ["exact body", expect({ body: { kind: "exact", text: "hello\n" } }), answer(200, "hullo\n"), ["body: the text differs"]],
  ["json key order and spacing do not matter", expect({ body: { kind: "json", value: { a: 1, b: [true] } } }), answer(200, '{ "b": [true], "a": 1 }'), []],
  ["json differs", expect({ body: { kind: "json", value: { a: 1, b: 2 } } }), answer(200, '{"a":2,"b":2,"c":3}'), ["body: the JSON differs in 2 places"]],
  ["json expected, text came", expect({ body: { kind: "json", value: 1 } }), answer(200, "oops"), ["body: expected JSON, got text that is not JSON"]],
  ["contains", expect({ body: { kind: "contains", text: "ell" } }), answer(200, "hello"), []],
  ["contains fails", expect({ body: { kind: "contains", text: "bye" } }), answer(200, "hello"), ['body: expected it to contain "bye"']],
  ["match", expect({ body: { kind: "match", pattern: "^h.l+o$", regex: /^h.l+o$/u } }), answer(200, "hello"), []],
  ["match fails", expect({ body: { kind: "match", pattern: "^x", regex: /^x/u } }), answer(200, "hello"), ["body: expected it to match /^x/"]],
  ["base64", expect({ body: { kind: "base64", bytes: new Uint8Array([104, 105]) } }), answer(200, "hi"), []],
  ["whole body across chunks", expect({ body: { kind: "exact", text: "abc" } }), answer(200, ["a", "bc"]), []],
  ["chunks", expect({ chunks: [{ kind: "exact", text: "a" }, { kind: "contains", text: "c" }] }), answer(200, ["a", "bc"]), []],
  ["chunk count", expect({ chunks: [{ kind: "exact", text: "abc" }] }), answer(200, ["a", "bc"]), ["chunks: expected 1, got 2", "chunk 0: the text differs"]],
  ["no expect yet", undefined, answer(200, ""), ["the fixture has no `expect` yet"]],
];

for (const [what, expectation, actual, messages] of CASES) {
  test(`compare: ${what}`, () => {
    const got = compareAnswer(expectation, actual).map((m) => m.message);
    assert.equal(got.length, messages.length, JSON.stringify(got));
    messages.forEach((m, i) => assert.ok(got[i]?.startsWith(m), `${got[i]} should start with ${m}`));
  });
}

test("a JSON failure names each path", () => {
  const [m] = compareAnswer(expect({ body: { kind: "json", value: { a: { b: [1, 2] }, "odd key": 1 } } }), answer(200, '{"a":{"b":[1,3]},"odd key":1,"new":null}'));
  assert.equal(m?.detail, '$.a.b[1]: expected 2, got 3\n$.new: expected missing, got null\n');
});

test("a text failure is a unified diff", () => {
  const [m] = compareAnswer(expect({ body: { kind: "exact", text: "one\ntwo\nthree\n" } }), answer(200, "one\n2\nthree\n"));
  assert.equal(m?.detail, "--- expected\n+++ actual\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n");
});

test("diffJson: arrays of different lengths, kinds that differ", () => {
  assert.deepEqual(diffJson([1], [1, 2]), [{ path: "$[1]", expected: undefined, actual: 2 }]);
  assert.deepEqual(diffJson({ a: [] }, { a: {} }), [{ path: "$.a", expected: [], actual: {} }]);
  assert.deepEqual(diffJson({ a: null }, { a: null }), []);
});
