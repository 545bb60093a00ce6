/**
 * Applies the fixes rules attached to diagnostics to the texts of a plugin's files, in memory: each
 * fix whole or not at all, never two that touch the same text (the later one waits for the next
 * pass, when its rule looks again at the changed file). Pure; `fix-plugin.ts` runs the passes.
 */
import type { Diagnostic, DiagnosticFix } from "../diagnostics/diagnostic.js";

export interface AppliedFix {
  diagnostic: Diagnostic;
  fix: DiagnosticFix;
}

export interface FixPass {
  /** New texts of the files that changed, by path relative to the plugin root. */
  changed: Map<string, string>;
  /** Files to create, by relative path. */
  created: Map<string, string>;
  applied: AppliedFix[];
}

type Span = { start: number; end: number };

function overlaps(a: Span, b: Span): boolean {
  // Two insertions at one offset, or an insertion inside a replaced span, conflict too.
  if (a.start === a.end || b.start === b.end) return a.start <= b.end && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}

/** `texts` holds the current text of every file by relative path; `exists` says whether a path is taken. */
export function applyFixes(texts: ReadonlyMap<string, string>, diagnostics: readonly Diagnostic[], exists: (relative: string) => boolean): FixPass {
  const accepted = new Map<string, Array<{ start: number; end: number; text: string }>>();
  const created = new Map<string, string>();
  const applied: AppliedFix[] = [];
  const seen = new Set<string>();
  for (const diagnostic of diagnostics) {
    const fix = diagnostic.fix;
    if (!fix) continue;
    // The same fix reported twice (a file listed twice, two rules seeing one typo) is made once.
    const key = JSON.stringify([fix.relative, fix.edits, fix.create?.relative]);
    if (seen.has(key)) continue;
    seen.add(key);
    const text = texts.get(fix.relative);
    if (fix.edits.length > 0 && text === undefined) continue;
    if (fix.edits.some((e) => e.start < 0 || e.end < e.start || e.end > (text?.length ?? 0))) continue;
    if (fix.create && (exists(fix.create.relative) || created.has(fix.create.relative))) continue;
    const taken = accepted.get(fix.relative) ?? [];
    if (fix.edits.some((e) => taken.some((t) => overlaps(e, t))) || selfOverlapping(fix.edits)) continue;
    accepted.set(fix.relative, [...taken, ...fix.edits]);
    if (fix.create) created.set(fix.create.relative, fix.create.text);
    applied.push({ diagnostic, fix });
  }
  const changed = new Map<string, string>();
  for (const [relative, edits] of accepted) {
    if (edits.length === 0) continue;
    let text = texts.get(relative)!;
    for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    if (text !== texts.get(relative)) changed.set(relative, text);
  }
  return { changed, created, applied };
}

function selfOverlapping(edits: ReadonlyArray<Span>): boolean {
  return edits.some((a, i) => edits.some((b, j) => i < j && overlaps(a, b)));
}
