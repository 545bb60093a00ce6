import assert from "node:assert/strict";
import { test } from "node:test";
import { compareAnswer, type Answer } from "../src/fixtures/compare.js";
import type { Expectation } from "../src/fixtures/fixture.js";
import { diffJson } from "../src/fixtures/json-diff.js";
import { unifiedDiff } from "../src/fixtures/text-diff.js";

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

// [what, a, b, diff]
const DIFFS: Array<[string, string, string, string]> = [
  ["equal", "a\n", "a\n", ""],
  ["missing final newline", "a\n", "a", "--- expected\n+++ actual\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"],
  ["from empty", "", "x\n", "--- expected\n+++ actual\n@@ -0,0 +1 @@\n+x\n"],
  ["two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n", "--- expected\n+++ actual\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -6,5 +6,5 @@\n 6\n 7\n 8\n-9\n+Y\n 10\n"],
  ["insertion in the middle", "a\nb\nc\n", "a\nb\nnew\nc\n", "--- expected\n+++ actual\n@@ -1,3 +1,4 @@\n a\n b\n+new\n c\n"],
];

for (const [what, a, b, diff] of DIFFS) {
  test(`unified diff: ${what}`, () => assert.equal(unifiedDiff(a, b), diff));
}

test("a diff applied line by line gives back the actual text", () => {
  const a = Array.from({ length: 60 }, (_, i) => `line ${i}`).join("\n") + "\n";
  const b = a.replace("line 3\n", "").replace("line 40", "line forty").replace("line 59\n", "line 59\nextra\n");
  const diff = unifiedDiff(a, b);
  // Rebuild b from a and the hunks.
  const aLines = a.split(/(?<=\n)/);
  const out: string[] = [];
  let at = 0;
  for (const hunk of diff.split(/^(?=@@)/m).slice(1)) {
    const start = Number(/^@@ -(\d+)/.exec(hunk)?.[1]) - 1;
    while (at < start) out.push(aLines[at++]!);
    for (const line of hunk.split(/(?<=\n)/).slice(1)) {
      if (line.startsWith(" ")) {
        out.push(line.slice(1));
        at++;
      }
      else if (line.startsWith("-")) at++;
      else if (line.startsWith("+")) out.push(line.slice(1));
    }
  }
  while (at < aLines.length) out.push(aLines[at++]!);
  assert.equal(out.join(""), b);
});

test("diffJson: arrays of different lengths, kinds that differ", () => {
  assert.deepEqual(diffJson([1], [1, 2]), [{ path: "$[1]", expected: undefined, actual: 2 }]);
  assert.deepEqual(diffJson({ a: [] }, { a: {} }), [{ path: "$.a", expected: [], actual: {} }]);
  assert.deepEqual(diffJson({ a: null }, { a: null }), []);
});
