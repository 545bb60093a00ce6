/**
 * What a rule is: a stable id, a one-line description and a pure check over the loaded project.
 * Each rule lives in its own file under `rules/`, named by its id; `validate.ts` runs the list.
 */
import type { Severity } from "../diagnostics/diagnostic.js";
import type { LoadedFile, Project, ValidateOptions } from "./model.js";

/** A span of a file (offsets), or a 1-based line and column when that is what is known. */
export type Span = { start: number; end: number } | { line: number; column: number };

export interface Report {
  (file: LoadedFile, at: Span | undefined, message: string, extra?: { hint?: string; severity?: Severity }): void;
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
