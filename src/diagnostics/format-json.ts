import type { Diagnostic, DiagnosticSummary } from "./diagnostic.js";
import { rangeOf } from "./format-range.js";

export interface JsonFormatContext {
  summary: DiagnosticSummary;
}

/** One diagnostic in the JSON report: every key always present, `null` where unknown. */
export interface JsonDiagnostic {
  file: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  severity: Diagnostic["severity"];
  rule: string;
  message: string;
  hint: string | null;
}

/** The JSON report's shape, a stable contract for scripts: `{ diagnostics, summary }`. */
export interface JsonReport {
  diagnostics: JsonDiagnostic[];
  summary: DiagnosticSummary;
}

/**
 * The machine format: `{ "diagnostics": [...], "summary": { "errors", "warnings", "files" } }`,
 * indented by two spaces and ending with a newline. A position of 0 (none) becomes `null`.
 */
export function formatJson(diagnostics: readonly Diagnostic[], context: JsonFormatContext): string {
  const report: JsonReport = {
    diagnostics: diagnostics.map((d) => ({
      file: d.file,
      ...rangeOf(d),
      severity: d.severity,
      rule: d.rule,
      message: d.message,
      hint: d.hint ?? null,
    })),
    summary: { errors: context.summary.errors, warnings: context.summary.warnings, files: context.summary.files },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
