/**
 * A diagnostic is one problem found in a plugin: where it is, how bad, which rule, and what to do.
 * Rules produce them, every output format renders them, and commands decide the exit code from them.
 */

export type Severity = "error" | "warning";

export interface Diagnostic {
  /** Path of the file as shown to the user (relative to the working directory where possible). */
  file: string;
  /** 1-based line and column of the offending key or value; 0 when the problem has no position. */
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  /** Stable rule id, e.g. `endpoint-method`. */
  rule: string;
  message: string;
  hint?: string;
  /** The rule's fix, for `validate --fix` (formats do not print it). */
  fix?: DiagnosticFix;
}

/** A fix attached to a diagnostic: edits to `path` (absolute) and/or a file to create under `root`. */
export interface DiagnosticFix {
  title: string;
  /** The plugin root and the fixed file's path relative to it (with `/`). */
  root: string;
  relative: string;
  edits: Array<{ start: number; end: number; text: string }>;
  create?: { relative: string; text: string };
}

export interface DiagnosticSummary {
  errors: number;
  warnings: number;
  files: number;
}

/** Counts errors and warnings; `files` is the number of files that were checked. */
export function summarize(diagnostics: readonly Diagnostic[], files: number): DiagnosticSummary {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === "error") errors++;
    else warnings++;
  }
  return { errors, warnings, files };
}

/** Orders diagnostics by file, then position, then rule id, so every output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}
