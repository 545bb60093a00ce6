import assert from "node:assert/strict";
import { test } from "node:test";
import type { FixtureExtension } from "../src/fixtures/fixture.js";
import { parseFixture } from "../src/fixtures/parse-fixture.js";
import { createLineIndex } from "../src/manifest/position.js";

const options = { file: "fixtures/a.yaml", defaultName: "a.yaml" };

test("reads every key of the contract", () => {
  const text = [
    "name: refund of a paid order",
    "request:",
    "  method: POST",
    "  path: /orders/42/refund?notify=1",
    "  headers:",
    "    Content-Type: application/json",
    "    X-Count: 3",
    "  body: '{\"reason\":\"damaged\"}'",
    "settings:",
    "  api_key: test-key",
    "expect:",
    "  status: 200",
    "  headers:",
    "    content-type: application/json",
    "  body:",
    "    json: {ok: true, list: [1, 2]}",
    "  chunks:",
    "    - 'a'",
    "    - contains: b",
    "    - match: ^c\\d$",
    "    - base64: aGk=",
    "",
  ].join("\n");
  const result = parseFixture(text, options);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  const f = result.fixture;
  assert.equal(f.name, "refund of a paid order");
  assert.deepEqual(f.request, {
    method: "POST",
    path: "/orders/42/refund?notify=1",
    headers: [["Content-Type", "application/json"], ["X-Count", "3"]],
    body: { kind: "text", text: '{"reason":"damaged"}' },
  });
  assert.deepEqual(f.settings, { api_key: "test-key" });
  assert.equal(f.expect?.status, 200);
  assert.deepEqual(f.expect?.headers, [["content-type", "application/json"]]);
  assert.deepEqual(f.expect?.body, { kind: "json", value: { ok: true, list: [1, 2] } });
  assert.deepEqual(f.expect?.chunks?.map((c) => c.kind), ["exact", "contains", "match", "base64"]);
});

test("request bodies: json and base64; the name defaults to the file", () => {
  const json = parseFixture("request: {method: PUT, path: /x, body: {json: {a: 1}}}\nexpect: {status: 204}\n", options);
  assert.ok(json.ok);
  assert.equal(json.fixture.name, "a.yaml");
  assert.deepEqual(json.fixture.request.body, { kind: "json", value: { a: 1 } });
  const b64 = parseFixture("request: {method: POST, path: /x, body: {base64: 'AAE='}}\n", options);
  assert.ok(b64.ok);
  assert.deepEqual(b64.fixture.request.body, { kind: "base64", bytes: new Uint8Array([0, 1]) });
  assert.equal(b64.fixture.expect, undefined, "no expect yet: the case fails until --update records it");
});

// [what, text, [line, column, message fragment][]]: every problem, positioned.
const BAD: Array<[string, string, Array<[number, number, string]>]> = [
  ["yaml syntax", "request:\n  method: [GET\n", [[2, 11, "never closed"]]],
  ["not a mapping", "- a\n", [[1, 1, "a list"]]],
  ["unknown top key with a guess", "requets:\n  method: GET\n", [[1, 1, "unknown key `requets`"], [1, 1, "no `request`"]]],
  ["unknown nested key", "request:\n  method: GET\n  path: /\n  heders: {}\n", [[4, 3, "unknown key `heders` in `request`"]]],
  ["PATCH never matches", "request:\n  method: PATCH\n  path: /\n", [[2, 11, "never routes the method \"PATCH\""]]],
  ["lower-case method", "request:\n  method: get\n  path: /\n", [[2, 11, "upper case"]]],
  ["path without slash", "request:\n  method: GET\n  path: x\n", [[3, 9, "must start with `/`"]]],
  ["missing method", "request:\n  path: /\n", [[2, 3, "no `method`"]]],
  ["status not a number", "request: {method: GET, path: /}\nexpect:\n  status: ok\n", [[3, 11, "HTTP status"]]],
  ["status out of range", "request: {method: GET, path: /}\nexpect:\n  status: 99\n", [[3, 11, "HTTP status"]]],
  ["header value a list", "request: {method: GET, path: /}\nexpect:\n  headers:\n    x: [1]\n", [[4, 8, "header `x` must be a string"]]],
  ["two body kinds", "request: {method: GET, path: /}\nexpect:\n  body:\n    json: 1\n    contains: x\n", [[5, 5, "not several"]]],
  ["unknown body kind", "request: {method: GET, path: /}\nexpect:\n  body:\n    jsn: 1\n", [[4, 5, "unknown key `jsn`"]]],
  ["bad regex", "request: {method: GET, path: /}\nexpect:\n  body: {match: '(a'}\n", [[3, 17, "not a valid regular expression"]]],
  ["bad base64", "request: {method: GET, path: /}\nexpect:\n  body: {base64: '***'}\n", [[3, 18, "not valid base64"]]],
  ["number body", "request: {method: GET, path: /}\nexpect:\n  body: 42\n", [[3, 9, "must be text"]]],
  ["chunks not a list", "request: {method: GET, path: /}\nexpect:\n  chunks: a\n", [[3, 11, "must be a list"]]],
  ["settings not a mapping", "request: {method: GET, path: /}\nsettings: [a]\n", [[2, 11, "mapping of setting names"]]],
  ["GET with a body", "request:\n  method: GET\n  path: /\n  body: x\n", [[4, 3, "cannot carry a body"]]],
  ["skip a number", "request: {method: GET, path: /}\nskip: 3\n", [[2, 7, "`skip` must be"]]],
];

for (const [what, text, expected] of BAD) {
  test(`bad fixture: ${what}`, () => {
    const result = parseFixture(text, options);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const at = createLineIndex(text);
    const got = result.problems.map((p) => ({ ...at(p.start), message: p.message }));
    assert.equal(got.length, expected.length, JSON.stringify(got));
    expected.forEach(([line, column, fragment], i) => {
      assert.deepEqual({ line: got[i]?.line, column: got[i]?.column }, { line, column }, JSON.stringify(got[i]));
      assert.ok(got[i]?.message.includes(fragment), `${got[i]?.message} should include ${fragment}`);
    });
  });
}

test("an unknown key names the closest known one", () => {
  const result = parseFixture("request: {method: GET, path: /}\nexpct: {}\n", options);
  assert.ok(!result.ok);
  assert.match(result.problems[0]?.hint ?? "", /expect/);
});

test("extensions add top-level keys, with their own problems", () => {
  const sign: FixtureExtension<string> = {
    key: "sign",
    parse: (node) => (node.kind === "scalar" && typeof node.value === "string" ? { ok: true, value: node.value } : { ok: false, problems: [{ message: "sign: bad", start: node.start, end: node.end }] }),
  };
  const good = parseFixture("request: {method: GET, path: /}\nsign: stripe\n", { ...options, extensions: [sign] });
  assert.ok(good.ok);
  assert.deepEqual(good.fixture.extensions, { sign: "stripe" });
  const bad = parseFixture("request: {method: GET, path: /}\nsign: [1]\n", { ...options, extensions: [sign] });
  assert.ok(!bad.ok);
  assert.equal(bad.problems[0]?.message, "sign: bad");
  const without = parseFixture("request: {method: GET, path: /}\nsign: stripe\n", options);
  assert.ok(!without.ok, "without the extension, `sign` is an unknown key");
});
