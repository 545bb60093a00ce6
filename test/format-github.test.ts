import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, test } from "node:test";
import { escapeData, escapeProperty } from "../src/diagnostics/format-github.js";
import { formatGithub, type Diagnostic } from "../src/diagnostics/index.js";

const FIXTURES = new URL("../../test/fixtures/format/", import.meta.url);

/** Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it (then review the diff). */
function assertGolden(name: string, actual: string): void {
  const url = new URL(name, FIXTURES);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(url, actual);
  assert.equal(actual, readFileSync(url, "utf8"));
}

const diagnostics: Diagnostic[] = [
  {
    file: "group/neko.yaml",
    line: 12,
    column: 11,
    endLine: 12,
    endColumn: 24,
    severity: "error",
    rule: "setting-type",
    message: 'unknown setting type "tool-selector"',
    hint: 'did you mean "array[tools]"?',
  },
  { file: "group/neko.yaml", line: 3, column: 5, severity: "warning", rule: "group-key", message: "unknown key" },
  { file: "group/neko.yaml", line: 7, column: 3, endLine: 9, endColumn: 4, severity: "warning", rule: "span", message: "over lines" },
  { file: "manifest.yaml", line: 0, column: 0, severity: "error", rule: "manifest-icon", message: "no icon declared" },
  {
    file: "odd,dir\\sub:x/100%.yaml",
    line: 2,
    column: 1,
    severity: "error",
    rule: "weird:rule,id",
    message: "100% broken\r\n::error::injected",
    hint: "a: b, c",
  },
];

describe("formatGithub", () => {
  test("renders one workflow command per diagnostic", () => {
    const out = formatGithub(diagnostics);
    assertGolden("github.txt", out);
    const lines = out.split("\n");
    assert.equal(lines.length, diagnostics.length + 1);
    assert.equal(lines.at(-1), "");
    for (const line of lines.slice(0, -1)) assert.match(line, /^::(error|warning) file=[^:]+::/);
  });

  test("prints nothing when there is nothing to report", () => {
    assert.equal(formatGithub([]), "");
  });

  test("leaves columns out of a range over several lines", () => {
    assert.equal(formatGithub([diagnostics[2] as Diagnostic]), "::warning file=group/neko.yaml,line=7,endLine=9,title=span::over lines\n");
  });

  const data: Array<[string, string]> = [
    ["plain", "plain"],
    ["50%", "50%25"],
    ["a\r\nb", "a%0D%0Ab"],
    ["%0A", "%250A"],
    ["a: b, c", "a: b, c"],
  ];
  for (const [input, expected] of data) test(`escapeData ${JSON.stringify(input)}`, () => assert.equal(escapeData(input), expected));

  const properties: Array<[string, string]> = [
    ["a.yaml", "a.yaml"],
    ["a:b,c", "a%3Ab%2Cc"],
    ["50%\n", "50%25%0A"],
  ];
  for (const [input, expected] of properties) {
    test(`escapeProperty ${JSON.stringify(input)}`, () => assert.equal(escapeProperty(input), expected));
  }
});
