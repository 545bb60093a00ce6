import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  formatDiagnostics,
  formatGithub,
  formatJson,
  formatSarif,
  formatText,
  OUTPUT_FORMATS,
  summarize,
  type Diagnostic,
  type FormatContext,
} from "../src/diagnostics/index.js";

const diagnostics: Diagnostic[] = [
  { file: "a.yaml", line: 1, column: 3, severity: "error", rule: "r", message: "bad", hint: "fix it" },
];
const context: FormatContext = {
  sources: new Map([["a.yaml", "x: y\n"]]),
  color: false,
  summary: summarize(diagnostics, 1),
  rules: [{ id: "r", description: "a rule" }],
  toolVersion: "1.2.3",
  informationUri: "https://example.com",
};

describe("formatDiagnostics", () => {
  test("offers the formats --format accepts", () => {
    assert.deepEqual([...OUTPUT_FORMATS], ["text", "json", "github", "sarif"]);
  });

  const direct = {
    text: () => formatText(diagnostics, context),
    json: () => formatJson(diagnostics, context),
    github: () => formatGithub(diagnostics),
    sarif: () => formatSarif(diagnostics, context),
  };
  for (const format of OUTPUT_FORMATS) {
    test(`dispatches ${format}`, () => assert.equal(formatDiagnostics(format, diagnostics, context), direct[format]()));
  }

  test("every format ends with a newline and differs from the others", () => {
    const outputs = OUTPUT_FORMATS.map((format) => formatDiagnostics(format, diagnostics, context));
    for (const out of outputs) assert.ok(out.endsWith("\n"));
    assert.equal(new Set(outputs).size, outputs.length);
  });
});
