import type { Diagnostic } from "./diagnostic.js";
import { rangeOf, toSlashes } from "./format-range.js";

/**
 * GitHub Actions workflow commands, one per diagnostic, which the runner turns into annotations on
 * the pull request: `::error file=a.yaml,line=3,col=5,endColumn=9,title=rule::message`.
 * Positions of 0 are left out; columns are left out of a range over several lines, which GitHub refuses.
 */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${formatCommand(d)}\n`).join("");
}

function formatCommand(diagnostic: Diagnostic): string {
  const { line, column, endLine, endColumn } = rangeOf(diagnostic);
  const isOneLine = endLine === null || endLine === line;
  const properties: Array<[string, string | number | null]> = [
    ["file", toSlashes(diagnostic.file)],
    ["line", line],
    ["col", isOneLine ? column : null],
    ["endLine", endLine],
    ["endColumn", isOneLine ? endColumn : null],
    ["title", diagnostic.rule],
  ];
  const list = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== null)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  const message = diagnostic.hint ? `${diagnostic.message}\nhint: ${diagnostic.hint}` : diagnostic.message;
  return `::${diagnostic.severity} ${list}::${escapeData(message)}`;
}

/** The runner's escaping for a command's message (as in @actions/core). */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** The runner's escaping for a property value, where `:` and `,` are separators too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
