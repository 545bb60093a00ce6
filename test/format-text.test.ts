import assert from "node:assert/strict";
import { stripVTControlCharacters } from "node:util";
import { describe, test } from "node:test";
import { formatSummary, formatText, sortDiagnostics, summarize, type Diagnostic } from "../src/diagnostics/index.js";
import { assertGolden } from "./helpers/format-golden.js";



const ESC = "\u001b";

const neko = [
  "settings:",
  "  - name: api_key",
  "    type: tool-selector",
  "    required: true",
  "\tlabel: 名称",
  `    help: ${ESC}[31mred`,
  "endpoints:",
  "  - endpoints/a.yaml",
].join("\r\n");

const sources = new Map([["group/neko.yaml", `${neko}\r\n`]]);

const diagnostics: Diagnostic[] = sortDiagnostics([
  {
    file: "group/neko.yaml",
    line: 3,
    column: 11,
    endLine: 3,
    endColumn: 24,
    severity: "error",
    rule: "setting-type",
    message: 'unknown setting type "tool-selector"',
    hint: 'did you mean "array[tools]"?',
  },
  {
    file: "group/neko.yaml",
    line: 5,
    column: 1,
    endColumn: 2,
    severity: "error",
    rule: "yaml-syntax",
    message: "tab characters must not be used in indentation",
    hint: "indent with spaces",
  },
  {
    file: "group/neko.yaml",
    line: 6,
    column: 11,
    endColumn: 16,
    severity: "warning",
    rule: "setting-help",
    message: "help text holds a terminal control sequence",
  },
  {
    file: "group/neko.yaml",
    line: 7,
    column: 1,
    endLine: 8,
    endColumn: 21,
    severity: "warning",
    rule: "endpoint-list",
    message: "endpoints are listed but none of them exists",
  },
  { file: "group/neko.yaml", line: 2, column: 0, severity: "warning", rule: "setting-name", message: "line without a column" },
  { file: "group/neko.yaml", line: 99, column: 1, severity: "warning", rule: "setting-name", message: "beyond the end of the file" },
  {
    file: "manifest.yaml",
    line: 0,
    column: 0,
    severity: "error",
    rule: "manifest-icon",
    message: "the manifest declares no icon",
    hint: "add `icon: _assets/icon.svg`",
  },
  { file: "endpoints/missing.yaml", line: 4, column: 3, severity: "error", rule: "endpoint-path", message: "no source at hand" },
]);

const context = { sources, color: false, summary: summarize(diagnostics, 4) };

describe("formatText", () => {
  test("renders positions, snippets with carets, hints and the summary", () => {
    assertGolden("text.txt", formatText(diagnostics, context));
  });

  test("colours only when asked, and the colour adds nothing but styling", () => {
    const coloured = formatText(diagnostics, { ...context, color: true });
    assertGolden("text-color.txt", coloured);
    assert.ok(coloured.includes(`${ESC}[31m`));
    assert.equal(stripVTControlCharacters(coloured), formatText(diagnostics, context));
    assert.ok(!formatText(diagnostics, context).includes(ESC));
  });

  test("puts the caret under the reported column, spanning to endColumn", () => {
    const typo = diagnostics.filter((d) => d.rule === "setting-type");
    const lines = formatText(typo, context).split("\n");
    const source = lines.find((l) => l.includes("type: tool-selector")) ?? "";
    const caret = lines.find((l) => l.includes("^")) ?? "";
    assert.equal(caret.indexOf("^"), source.indexOf("tool-selector"));
    assert.equal(caret.slice(caret.indexOf("^")), `^${"~".repeat("tool-selector".length - 1)}`);
  });

  test("never prints a raw control character or carriage return from the source", () => {
    const out = formatText(diagnostics, context);
    for (const raw of ["\r", "\t", ESC]) assert.ok(!out.includes(raw), JSON.stringify(raw));
    assert.match(out, /help: ␛\[31mred/);
  });

  test("counts lines at LF only, as positions do, so a lone CR stays visible in its line", () => {
    const bad: Diagnostic = { file: "cr.yaml", line: 2, column: 3, severity: "error", rule: "r", message: "m" };
    const out = formatText([bad], { sources: new Map([["cr.yaml", "a: 1\r\nb\rc: 2\r\n"]]), color: false, summary: summarize([bad], 1) });
    assert.ok(out.includes("  2 | b␍c: 2\n    |   ^\n"), out);
  });

  test("prints only the summary when there is nothing to report", () => {
    assertGolden("text-clean.txt", formatText([], { sources, color: false, summary: summarize([], 5) }));
  });

  test("cuts long lines and messages around the caret", () => {
    const long = [
      `key: ${"a".repeat(300)}TARGET${"b".repeat(300)}`,
      `TARGET${"c".repeat(400)}`,
      `${"d".repeat(400)}TARGET`,
      `${"名".repeat(150)}TARGET${"称".repeat(150)}`,
    ].join("\n");
    const file = "long.yaml";
    const at = (line: number, text: string): Diagnostic => {
      const column = (long.split("\n")[line - 1] ?? "").indexOf("TARGET") + 1;
      return { file, line, column, endColumn: column + 6, severity: "error", rule: "long", message: text };
    };
    const cut = [at(1, "middle"), at(2, "start"), at(3, "end"), at(4, "wide"), at(1, `message ${"m".repeat(1000)}`)];
    const out = formatText(cut, { sources: new Map([[file, long]]), color: false, summary: summarize(cut, 1) });
    assertGolden("text-long-lines.txt", out);
    const cells = (line: string) => [...line].reduce((n, c) => n + (/[名称]/.test(c) ? 2 : 1), 0);
    const lines = out.split("\n");
    for (const line of lines) assert.ok(cells(line) <= 200, `longer than 200 cells: ${line}`);
    lines.forEach((line, i) => {
      if (!line.includes("^")) return;
      const above = lines[i - 1] ?? "";
      assert.equal(cells(above.slice(0, above.indexOf("TARGET"))), line.indexOf("^"), `caret misplaced under ${above}`);
    });
  });
});

describe("formatSummary", () => {
  const cases: Array<[errors: number, warnings: number, files: number, expected: string]> = [
    [0, 0, 5, "no problems in 5 files"],
    [0, 0, 1, "no problems in 1 file"],
    [1, 0, 1, "1 error in 1 file"],
    [2, 0, 3, "2 errors in 3 files"],
    [0, 1, 2, "1 warning in 2 files"],
    [0, 4, 2, "4 warnings in 2 files"],
    [2, 1, 5, "2 errors, 1 warning in 5 files"],
    [1, 2, 1, "1 error, 2 warnings in 1 file"],
  ];
  for (const [errors, warnings, files, expected] of cases) {
    test(expected, () => assert.equal(formatSummary({ errors, warnings, files }), expected));
  }
});
