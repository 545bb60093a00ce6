import assert from "node:assert/strict";
import { test } from "node:test";
import { exampleFor } from "../src/scaffold/rule-check.js";
import { curlFor } from "../src/scaffold/values.js";

// [rule, request path, values as a TypeScript endpoint receives them]
const CASES: Array<[string, string, Record<string, string | number>]> = [
  ["/hello/<name>", "/hello/world", { name: "world" }],
  ["/", "/", {}],
  ["/items/<int:id>", "/items/1", { id: 1 }],
  ["/items/<int(min=5):id>", "/items/42", { id: 42 }],
  ["/items/<int(fixed_digits=4):id>", "/items/1000", { id: 1000 }],
  ["/f/<float:x>", "/f/1.5", { x: 1.5 }],
  ["/u/<uuid:id>", "/u/123e4567-e89b-12d3-a456-426614174000", { id: "123e4567-e89b-12d3-a456-426614174000" }],
  ["/p/<path:rest>", "/p/docs/readme", { rest: "docs/readme" }],
  ["/s/<string(length=2):lang>", "/s/ab", { lang: "ab" }],
  ["/a/<any(about, help):page>", "/a/about", { page: "about" }],
  ["/duck/<app_id>/<int:n>", "/duck/world/1", { app_id: "world", n: 1 }],
];

for (const [rule, path, values] of CASES) {
  test(`an example request for ${rule}`, () => {
    assert.deepEqual(exampleFor(rule, "GET"), { path, values, matched: true });
  });
}

test("curl lines fit the method", () => {
  assert.equal(curlFor("GET", "http://h/x"), "curl -i 'http://h/x'");
  assert.equal(curlFor("HEAD", "http://h/x"), "curl -I 'http://h/x'");
  assert.equal(curlFor("POST", "http://h/x"), "curl -i -X POST -H 'Content-Type: application/json' -d '{}' 'http://h/x'");
  assert.equal(curlFor("DELETE", "http://h/it's"), "curl -i -X DELETE 'http://h/it'\\''s'");
});
