/**
 * Runs every rule over a loaded project and turns their reports into positioned diagnostics.
 * Pure: the project was read beforehand by `src/project/load.ts`.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { LoadedFile, Project, ValidateOptions } from "./model.js";
import { createLineIndex, type Position } from "./position.js";
import type { Rule, Span } from "./rule.js";
import { RULES } from "./rules/index.js";

export function validateProject(project: Project, options: ValidateOptions = {}, rules: readonly Rule[] = RULES): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const indexes = new Map<string, (offset: number) => Position>();
  const locate = (file: LoadedFile, offset: number): Position => {
    let index = indexes.get(file.path);
    if (!index) indexes.set(file.path, (index = createLineIndex(file.text)));
    return index(offset);
  };
  for (const rule of rules) {
    rule.check({
      project,
      options,
      report(file, at, message, extra) {
        const diagnostic: Diagnostic = { file: file.display, line: 0, column: 0, severity: extra?.severity ?? rule.severity, rule: rule.id, message };
        if (at) Object.assign(diagnostic, spanToRange(at, (offset) => locate(file, offset)));
        if (extra?.hint) diagnostic.hint = extra.hint;
        if (extra?.fix) diagnostic.fix = { title: extra.fix.title, root: project.root, relative: file.relative, edits: extra.fix.edits ?? [], ...(extra.fix.create ? { create: extra.fix.create } : {}) };
        diagnostics.push(diagnostic);
      },
    });
  }
  return dedupe(diagnostics);
}

/** A file listed twice is checked twice; say each problem once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\0${d.line}\0${d.column}\0${d.rule}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function spanToRange(at: Span, locate: (offset: number) => Position): Pick<Diagnostic, "line" | "column" | "endLine" | "endColumn"> {
  if ("line" in at) return { line: at.line, column: at.column };
  const start = locate(at.start);
  const end = locate(Math.max(at.start, at.end));
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}
