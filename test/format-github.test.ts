import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { escapeData, escapeProperty } from "../src/diagnostics/format-github.js";
import { formatGithub, type Diagnostic } from "../src/diagnostics/index.js";
import { assertGolden, SETTING_TYPE_ERROR } from "./helpers/format-golden.js";



const diagnostics: Diagnostic[] = [
  SETTING_TYPE_ERROR,
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
