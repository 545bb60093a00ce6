import { createPainter } from "../terminal/io.js";
import type { Diagnostic, DiagnosticSummary } from "./diagnostic.js";
import { rangeOf } from "./format-range.js";
import { renderSnippetLine, splitLines, toDisplayText, truncateText } from "./format-snippet.js";

export interface TextFormatContext {
  /** File contents by `Diagnostic.file`, for the source snippet; a file not here gets no snippet. */
  sources: ReadonlyMap<string, string>;
  color: boolean;
  summary: DiagnosticSummary;
}

/** Widest line printed, in terminal cells; only a runaway source line or quoted value gets near it. */
const MAX_LINE_WIDTH = 200;
/** Widest source line shown, leaving room for the gutter; longer lines are cut around the caret. */
const MAX_SOURCE_WIDTH = 180;
/** Room kept for a message however long its file name is. */
const MIN_MESSAGE_WIDTH = 60;

/**
 * The human format, in the style of actionlint and compilers:
 *
 * ```
 * group/neko.yaml:12:11: error: unknown setting type "tool-selector" [setting-type]
 *   12 |     type: tool-selector
 *      |           ^~~~~~~~~~~~~
 *   hint: did you mean "array[tools]"?
 * ```
 *
 * Diagnostics are printed in the order given, each followed by a blank line, then a summary line.
 */
export function formatText(diagnostics: readonly Diagnostic[], context: TextFormatContext): string {
  return formatTextEntries(diagnostics, context) + formatSummary(context.summary, context.color) + "\n";
}

/** The diagnostics of the text format without its summary line, for reports that embed them. */
export function formatTextEntries(diagnostics: readonly Diagnostic[], context: Omit<TextFormatContext, "summary">): string {
  const paint = createPainter(context.color);
  const lines = new Map<string, string[]>();
  const sourceLines = (file: string): string[] | undefined => {
    const source = context.sources.get(file);
    if (source === undefined) return undefined;
    let cached = lines.get(file);
    if (!cached) lines.set(file, (cached = splitLines(source)));
    return cached;
  };

  let out = "";
  for (const diagnostic of diagnostics) {
    out += formatOne(diagnostic, sourceLines(diagnostic.file), paint).join("\n") + "\n\n";
  }
  return out;
}

/** The closing line: `2 errors, 1 warning in 5 files`, or `no problems in 5 files`. */
export function formatSummary(summary: DiagnosticSummary, color = false): string {
  const paint = createPainter(color);
  const files = `in ${count(summary.files, "file")}`;
  const parts: string[] = [];
  if (summary.errors > 0) parts.push(paint(["red", "bold"], count(summary.errors, "error")));
  if (summary.warnings > 0) parts.push(paint(["yellow", "bold"], count(summary.warnings, "warning")));
  if (parts.length === 0) return `${paint("green", "no problems")} ${files}`;
  return `${parts.join(", ")} ${files}`;
}

type Paint = ReturnType<typeof createPainter>;

function formatOne(diagnostic: Diagnostic, source: string[] | undefined, paint: Paint): string[] {
  const { line, column, endLine, endColumn } = rangeOf(diagnostic);
  const tone = diagnostic.severity === "error" ? "red" : "yellow";
  const position = [toDisplayText(diagnostic.file), line, column].filter((part) => part !== null).join(":");
  const prefix = `${position}: ${diagnostic.severity}: `;
  const suffix = ` [${toDisplayText(diagnostic.rule)}]`;
  const room = Math.max(MIN_MESSAGE_WIDTH, MAX_LINE_WIDTH - prefix.length - suffix.length);
  const out = [
    `${paint("bold", `${position}:`)} ${paint([tone, "bold"], `${diagnostic.severity}:`)} ` +
      `${truncateText(toDisplayText(diagnostic.message), room)} ${paint("dim", suffix.trimStart())}`,
  ];

  const text = line === null ? undefined : source?.[line - 1];
  if (line !== null && text !== undefined) {
    const end = endLine !== null && endLine > line ? Infinity : (endColumn ?? 0);
    const snippet = renderSnippetLine(text, column ?? 1, end, MAX_SOURCE_WIDTH);
    const number = String(line);
    out.push(paint("dim", `  ${number} |`) + (snippet.text === "" ? "" : ` ${snippet.text}`));
    if (column !== null) {
      const caret = "^" + "~".repeat(snippet.caretWidth - 1);
      out.push(`${paint("dim", `  ${" ".repeat(number.length)} |`)} ${" ".repeat(snippet.caretStart)}${paint(tone, caret)}`);
    }
  }

  if (diagnostic.hint !== undefined && diagnostic.hint !== "") {
    out.push(`  ${paint("cyan", "hint:")} ${truncateText(toDisplayText(diagnostic.hint), MAX_LINE_WIDTH - "  hint: ".length)}`);
  }
  return out;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
