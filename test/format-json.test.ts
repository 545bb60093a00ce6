import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatJson, summarize, type Diagnostic } from "../src/diagnostics/index.js";
import { assertGolden, SETTING_TYPE_ERROR } from "./helpers/format-golden.js";



const KEYS = ["file", "line", "column", "endLine", "endColumn", "severity", "rule", "message", "hint"];

const diagnostics: Diagnostic[] = [
  SETTING_TYPE_ERROR,
  { file: "group/neko.yaml", line: 3, column: 5, severity: "warning", rule: "group-key", message: 'unknown key "sorce"' },
  { file: "manifest.yaml", line: 0, column: 0, severity: "error", rule: "manifest-icon", message: "no icon declared" },
  // An end before the start is a rule's bug; the report must still be coherent.
  { file: "a.yaml", line: 4, column: 2, endLine: 2, endColumn: 9, severity: "warning", rule: "odd-range", message: "backwards" },
];

describe("formatJson", () => {
  test("renders every key of every diagnostic, null where unknown", () => {
    const out = formatJson(diagnostics, { summary: summarize(diagnostics, 3) });
    assertGolden("json.json", out);
    const report = JSON.parse(out) as { diagnostics: Array<Record<string, unknown>>; summary: Record<string, unknown> };
    assert.deepEqual(Object.keys(report), ["diagnostics", "summary"]);
    for (const d of report.diagnostics) assert.deepEqual(Object.keys(d), KEYS);
    assert.deepEqual(report.summary, { errors: 2, warnings: 2, files: 3 });
  });

  test("reports no diagnostics as an empty list, indented, with a final newline", () => {
    assert.equal(
      formatJson([], { summary: summarize([], 2) }),
      '{\n  "diagnostics": [],\n  "summary": {\n    "errors": 0,\n    "warnings": 0,\n    "files": 2\n  }\n}\n',
    );
  });

  test("copies nothing but the contract's keys", () => {
    const extra = { ...diagnostics[1], internal: true } as Diagnostic;
    const [only] = (JSON.parse(formatJson([extra], { summary: summarize([extra], 1) })) as { diagnostics: object[] }).diagnostics;
    assert.deepEqual(Object.keys(only ?? {}), KEYS);
  });
});
