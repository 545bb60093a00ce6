import type { Diagnostic } from "./diagnostic.js";

/**
 * A diagnostic's position as every formatter reads it: 1-based, `null` where unknown or unusable.
 * Columns count UTF-16 code units and `endColumn` is exclusive (the column just past the last
 * character), as in SARIF and ESLint.
 */
export interface DiagnosticRange {
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
}

const isPosition = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 1;

/**
 * Normalises a diagnostic's position so no formatter emits a range that ends before it starts: a
 * `line` of 0 drops the whole range, an end before the start drops the end, and an `endColumn`
 * without `endLine` is taken to be on the start line.
 */
export function rangeOf(diagnostic: Diagnostic): DiagnosticRange {
  const { line, column, endLine, endColumn } = diagnostic;
  if (!isPosition(line)) return { line: null, column: null, endLine: null, endColumn: null };
  const start = isPosition(column) ? column : null;
  if (endLine !== undefined && !(isPosition(endLine) && endLine >= line)) {
    return { line, column: start, endLine: null, endColumn: null };
  }
  const end = endLine ?? (isPosition(endColumn) ? line : null);
  const endCol =
    start !== null && end !== null && isPosition(endColumn) && (end > line || endColumn >= start) ? endColumn : null;
  return { line, column: start, endLine: end, endColumn: endCol };
}

/** Turns Windows separators into `/`, the form GitHub and SARIF expect; file names never hold `\` there. */
export function toSlashes(file: string): string {
  return file.replace(/\\/g, "/");
}
