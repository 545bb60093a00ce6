import assert from "node:assert/strict";
import { test } from "node:test";
import { compareAnswer, type Answer } from "../src/fixtures/compare.js";
import { parseFixture } from "../src/fixtures/parse-fixture.js";
import { recordFixture } from "../src/fixtures/record-fixture.js";
import { bodySpecFrom, renderFixture } from "../src/fixtures/render-fixture.js";
import { updateFixture } from "../src/fixtures/update-fixture.js";

const enc = new TextEncoder();
const answer = (status: number, body: string | string[], headers: Array<[string, string]> = [["content-type", "application/json"]]): Answer => ({
  status,
  headers,
  chunks: (Array.isArray(body) ? body : [body]).map((c) => enc.encode(c)),
});

function update(text: string, actual: Answer): string {
  const parsed = parseFixture(text, { file: "f.yaml", defaultName: "f.yaml" });
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
  const updated = updateFixture(parsed.fixture, actual, compareAnswer(parsed.fixture.expect, actual));
  const reparsed = parseFixture(updated, { file: "f.yaml", defaultName: "f.yaml" });
  assert.ok(reparsed.ok, `the updated fixture parses:\n${updated}`);
  assert.deepEqual(compareAnswer(reparsed.fixture.expect, actual), [], `the updated fixture passes:\n${updated}`);
  return updated;
}

const head = "# a comment\nname: x   # the name\nrequest:\n  method: GET\n  path: /a\n";

// [what, before, answer, after]: the exact text --update writes.
const CASES: Array<[string, string, Answer, string]> = [
  [
    "status only, comments kept",
    `${head}expect:\n  status: 200 # was fine\n  body: {json: {a: 1}}\n`,
    answer(201, '{"a":1}'),
    `${head}expect:\n  status: 201 # was fine\n  body: {json: {a: 1}}\n`,
  ],
  [
    "json body stays json, at its indentation",
    `${head}expect:\n  status: 200\n  body:\n    json: {a: 1}\n# end\n`,
    answer(200, '{"a":2,"b":[1]}'),
    `${head}expect:\n  status: 200\n  body:\n    json:\n      a: 2\n      b:\n        - 1\n# end\n`,
  ],
  [
    "text body becomes the new text",
    `${head}expect:\n  body: hello\n`,
    answer(200, "bye\nnow\n", []),
    `${head}expect:\n  body: |\n    bye\n    now\n`,
  ],
  [
    "header value replaced, header gone removed",
    `${head}expect:\n  headers:\n    Content-Type: text/plain\n    X-Gone: "1"\n  status: 200\n`,
    answer(200, ""),
    `${head}expect:\n  headers:\n    Content-Type: application/json\n  status: 200\n`,
  ],
  [
    "flow mapping edited inline",
    `${head}expect: {status: 200, headers: {content-type: text/plain}}\n`,
    answer(404, ""),
    `${head}expect: {status: 404, headers: {content-type: application/json}}\n`,
  ],
  [
    "contains becomes the whole body",
    `${head}expect:\n  body: {contains: hello}\n`,
    answer(200, "bye", [["content-type", "text/plain"]]),
    `${head}expect:\n  body: bye\n`,
  ],
  [
    "chunks rewritten as a list",
    `${head}expect:\n  chunks:\n    - a\n`,
    answer(200, ["a", "b"], []),
    `${head}expect:\n  chunks:\n    - a\n    - b\n`,
  ],
  [
    "no expect: recorded in full",
    head,
    answer(200, '{"ok":true}'),
    `${head}expect:\n  status: 200\n  headers:\n    content-type: application/json\n  body:\n    json:\n      ok: true\n`,
  ],
  [
    "empty expect: recorded in full",
    `${head}expect:\n# later\n`,
    answer(204, "", []),
    `${head}expect:\n  status: 204\n  body: ''\n# later\n`,
  ],
  [
    "CRLF kept",
    "request:\r\n  method: GET\r\n  path: /\r\nexpect:\r\n  body:\r\n    json: 1\r\n",
    answer(200, '{"a":1}'),
    "request:\r\n  method: GET\r\n  path: /\r\nexpect:\r\n  body:\r\n    json:\r\n      a: 1\r\n",
  ],
];

for (const [what, before, actual, after] of CASES) {
  test(`--update: ${what}`, () => assert.equal(update(before, actual), after));
}

test("a passing case is left byte for byte", () => {
  const text = `${head}expect:\n  status:   200\n`;
  const parsed = parseFixture(text, { file: "f.yaml", defaultName: "f.yaml" });
  assert.ok(parsed.ok);
  assert.equal(updateFixture(parsed.fixture, answer(200, ""), []), text);
});

test("renderFixture writes a fixture that parses and passes against its answer", () => {
  const actual = answer(200, '{"id":42}', [["content-type", "application/json"], ["date", "now"]]);
  const text = renderFixture({
    name: "refund",
    request: { method: "POST", path: "/orders/42?x=1", headers: [["Content-Type", "application/json"]], body: bodySpecFrom(enc.encode('{"r":"d"}'), "application/json") },
    settings: { api_key: "k" },
    extra: { sign: { provider: "stripe" } },
    answer: actual,
    comment: "recorded",
  });
  assert.equal(
    text,
    "# recorded\nname: refund\nrequest:\n  method: POST\n  path: /orders/42?x=1\n  headers:\n    Content-Type: application/json\n  body:\n    json:\n      r: d\nsettings:\n  api_key: k\nsign:\n  provider: stripe\nexpect:\n  status: 200\n  headers:\n    content-type: application/json\n  body:\n    json:\n      id: 42\n",
  );
  const parsed = parseFixture(text, { file: "f.yaml", defaultName: "f.yaml", extensions: [{ key: "sign", parse: () => ({ ok: true, value: null }) }] });
  assert.ok(parsed.ok);
  assert.deepEqual(compareAnswer(parsed.fixture.expect, actual), []);
});

test("bodySpecFrom: JSON only when it round-trips, base64 for bytes", () => {
  assert.deepEqual(bodySpecFrom(enc.encode('{"a": 1}'), "application/json"), { kind: "text", text: '{"a": 1}' });
  assert.deepEqual(bodySpecFrom(enc.encode('{"a":1}'), "application/json"), { kind: "json", value: { a: 1 } });
  assert.deepEqual(bodySpecFrom(new Uint8Array([255]), undefined), { kind: "base64", bytes: new Uint8Array([255]) });
});

test("recordFixture keeps a URL's path and query, the headers and the body; refuses PATCH", () => {
  const recorded = recordFixture({ method: "post", path: "http://127.0.0.1:5002/e/abc/x?y=1", headers: [["Content-Type", "application/json"]], body: enc.encode('{"a":1}') }, answer(201, "ok", [["content-type", "text/plain"]]));
  assert.ok(recorded.ok);
  const parsed = parseFixture(recorded.text, { file: "f", defaultName: "f" });
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.fixture.request, { method: "POST", path: "/e/abc/x?y=1", headers: [["Content-Type", "application/json"]], body: { kind: "json", value: { a: 1 } } });
  assert.deepEqual(parsed.fixture.expect, { status: 201, headers: [["content-type", "text/plain"]], body: { kind: "exact", text: "ok" } });
  assert.equal(recordFixture({ method: "PATCH", path: "/", headers: [] }, answer(200, "")).ok, false);
});
