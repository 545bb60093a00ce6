import assert from "node:assert/strict";
import { test } from "node:test";
import { appendListItem } from "../src/scaffold/yaml-list.js";

const item = "endpoints/new.yaml";

// [what, before, after]: the exact text after appending `item` to `endpoints`.
const CASES: Array<[string, string, string]> = [
  [
    "block list, comments kept",
    "# group\nsettings: []\nendpoints:\n  - endpoints/a.yaml # first\n  # - endpoints/old.yaml\n  - \"endpoints/b.yaml\"\n# end\n",
    "# group\nsettings: []\nendpoints:\n  - endpoints/a.yaml # first\n  # - endpoints/old.yaml\n  - \"endpoints/b.yaml\"\n  - endpoints/new.yaml\n# end\n",
  ],
  ["block list at column 0", "endpoints:\n- a.yaml\nsettings: []\n", "endpoints:\n- a.yaml\n- endpoints/new.yaml\nsettings: []\n"],
  ["block list with deeper indentation", "endpoints:\n    - a.yaml\n", "endpoints:\n    - a.yaml\n    - endpoints/new.yaml\n"],
  ["last line without a line break", "endpoints:\n  - a.yaml", "endpoints:\n  - a.yaml\n  - endpoints/new.yaml"],
  ["flow list", "endpoints: [a.yaml, 'b.yaml'] # two\n", "endpoints: [a.yaml, 'b.yaml', endpoints/new.yaml] # two\n"],
  ["flow list over lines", "endpoints: [\n  a.yaml,\n  b.yaml\n  ]\n", "endpoints: [\n  a.yaml,\n  b.yaml, endpoints/new.yaml\n  ]\n"],
  ["empty flow list", "endpoints: []\nsettings: []\n", "endpoints:\n  - endpoints/new.yaml\nsettings: []\n"],
  ["empty flow list with a comment", "endpoints: [] # none yet\n", "endpoints: # none yet\n  - endpoints/new.yaml\n"],
  ["no value", "endpoints:\nsettings: []\n", "endpoints:\n  - endpoints/new.yaml\nsettings: []\n"],
  ["null value", "endpoints: ~\n", "endpoints:\n  - endpoints/new.yaml\n"],
  ["missing key", "settings: []\n", "settings: []\nendpoints:\n  - endpoints/new.yaml\n"],
  ["missing key, no final line break", "settings: []", "settings: []\nendpoints:\n  - endpoints/new.yaml\n"],
  ["CRLF line breaks", "endpoints:\r\n  - a.yaml\r\nsettings: []\r\n", "endpoints:\r\n  - a.yaml\r\n  - endpoints/new.yaml\r\nsettings: []\r\n"],
  ["already listed", "endpoints:\n  - endpoints/new.yaml\n", "endpoints:\n  - endpoints/new.yaml\n"],
];

for (const [what, before, after] of CASES) {
  test(`appends to ${what}`, () => {
    const result = appendListItem(before, "endpoints", item);
    assert.ok(result.ok, what);
    assert.equal(result.text, after);
  });
}

test("a mapping item goes in as a block under the dash", () => {
  const result = appendListItem("# form\nsettings: []\nendpoints: []\n", "settings", { name: "api_key", type: "secret-input", label: { en_US: "API: key" } });
  assert.ok(result.ok);
  assert.equal(result.text, "# form\nsettings:\n  - name: api_key\n    type: secret-input\n    label:\n      en_US: 'API: key'\nendpoints: []\n");
});

test("refuses what it cannot edit safely", () => {
  const cases: Array<[string, RegExp]> = [
    ["endpoints: a.yaml\n", /is not a list/],
    ["endpoints: {a: 1}\n", /is not a list/],
    ["{endpoints: [a]}\n", /flow mapping/],
    ["endpoints: [a\n", /YAML syntax error/],
    ["- a\n", /a list/],
  ];
  for (const [text, expected] of cases) {
    const result = appendListItem(text, "endpoints", item);
    assert.ok(!result.ok, text);
    assert.match(result.message, expected, text);
  }
});
