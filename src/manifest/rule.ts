/**
 * What a rule is: a stable id, a one-line description and a pure check over the loaded project.
 * Each rule lives in its own file under `rules/`, named by its id; `validate.ts` runs the list.
 */
import type { Severity } from "../diagnostics/diagnostic.js";
import type { LoadedFile, Project, ValidateOptions } from "./model.js";

/** A span of a file (offsets), or a 1-based line and column when that is what is known. */
export type Span = { start: number; end: number } | { line: number; column: number };

/** Replace `[start, end)` of a file's text with `text` (an insertion when start equals end). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * A rule's fix for what it reports, as data: edits at the parser's offsets into the reported file,
 * and/or a file to create (relative to the plugin root). `validate --fix` applies it; a rule offers
 * one only when the change is certainly what the author meant and keeps everything else as written.
 */
export interface Fix {
  /** What the fix does, shown in the list of fixes: "use `GET`". */
  title: string;
  edits?: TextEdit[];
  create?: { relative: string; text: string };
}

export interface Report {
  (file: LoadedFile, at: Span | undefined, message: string, extra?: { hint?: string; severity?: Severity; fix?: Fix }): void;
}

export interface RuleContext {
  project: Project;
  options: ValidateOptions;
  report: Report;
}

export interface Rule {
  id: string;
  description: string;
  /** The severity of what this rule reports unless a report says otherwise. */
  severity: Severity;
  check(context: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
