import assert from "node:assert/strict";
import { test } from "node:test";
import { affectedFixtures } from "../src/fixtures/affected.js";
import type { Fixture } from "../src/fixtures/fixture.js";

const fixture = (file: string, method: string, path: string) => ({ file, request: { method, path, headers: [] } }) as unknown as Fixture;
const fixtures = [fixture("f/a.yaml", "GET", "/items/1?x=1"), fixture("f/b.yaml", "HEAD", "/e/hookid/items/2"), fixture("f/c.yaml", "POST", "/orders"), fixture("f/d.yaml", "GET", "/nowhere")];
const endpoints = [
  { method: "GET", path: "/items/<int:id>", file: "endpoints/items.ts" },
  { method: "POST", path: "/orders", file: "endpoints/orders.py" },
];
const files = new Map([["fixtures/a.yaml", "f/a.yaml"], ["fixtures/c.yaml", "f/c.yaml"]]);

// [what, changed, expected files or undefined for all]
const CASES: Array<[string, string[], string[] | undefined]> = [
  ["a saved fixture alone", ["fixtures/a.yaml"], ["f/a.yaml"]],
  ["a source: the fixtures routed to it, HEAD and /e/<hook_id> included", ["endpoints/items.ts"], ["f/a.yaml", "f/b.yaml"]],
  ["a source and a fixture", ["endpoints/orders.py", "fixtures/a.yaml"], ["f/a.yaml", "f/c.yaml"]],
  ["a YAML file: everything", ["endpoints/items.yaml"], undefined],
  ["an imported helper: everything", ["endpoints/lib.ts"], undefined],
];

for (const [what, changed, expected] of CASES) {
  test(`affected fixtures: ${what}`, () => {
    const got = affectedFixtures(changed, fixtures, endpoints, files);
    assert.deepEqual(got === undefined ? undefined : [...got].sort(), expected);
  });
}
