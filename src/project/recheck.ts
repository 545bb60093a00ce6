/**
 * Checks a plugin again after only some of its endpoint sources changed: those are read and
 * compiled again and only the rules that read a source's text run, on those sources alone; every
 * other diagnostic is the previous check's (its inputs did not change), and nothing else is read or
 * parsed. Used by `dev` on a save; it gives what `checkPaths` would, or `undefined` when it cannot
 * tell (a source gone, unreadable or moved out of the plugin), for the caller to check the whole plugin.
 */
import { extname, relative, sep } from "node:path";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../manifest/model.js";
import type { Rule } from "../manifest/rule.js";
import { RULES } from "../manifest/rules/index.js";
import { validateProject } from "../manifest/validate.js";
import type { CheckResult } from "./check.js";
import { findSyntaxErrors } from "./compile-check.js";
import { readPluginFile } from "./read-file.js";
import { resolveInside } from "./safe-path.js";

/**
 * The rules whose findings depend on a source's text (the others read the YAML and which files
 * exist, which a source edit does not change). A test checks a recheck equals a whole check.
 */
export const SOURCE_TEXT_RULES: ReadonlySet<string> = new Set(["source-typescript", "source-python"]);

/** Whether `paths` (absolute) are all endpoint sources of `previous` or files outside it a source imports. */
export function touchesOnlySources(previous: CheckResult, paths: readonly string[], imported: (path: string) => boolean): boolean {
  const project = previous.projects[0];
  if (project === undefined || previous.projects.length !== 1) return false;
  const sourcePaths = new Set(project.sources.map((s) => s.path));
  const filePaths = new Set(project.files.map((f) => f.path));
  return paths.every((p) => sourcePaths.has(p) || (!filePaths.has(p) && imported(p)));
}

/**
 * `previous` is a one-project result of `checkPaths`; `paths` are the absolute paths edited since.
 * Each must be one of its endpoint sources, or a file outside the project that `imported` says a
 * source imports; anything else (YAML, a new or settings file) gives `undefined`. `rules` is the
 * whole rule set, of which only `SOURCE_TEXT_RULES` run.
 */
export async function recheckSources(previous: CheckResult, paths: readonly string[], imported: (path: string) => boolean, rules: readonly Rule[] = RULES): Promise<CheckResult | undefined> {
  const project = previous.projects[0];
  if (project === undefined || !touchesOnlySources(previous, paths, imported)) return undefined;
  const edited = new Set(paths);
  const replaced = new Map<SourceFile, SourceFile>();
  for (const source of project.sources) {
    if (!edited.has(source.path)) continue;
    const target = relative(project.root, source.path).split(sep).join("/");
    const where = await resolveInside(project.root, target);
    if (where.status !== "ok" || where.kind !== "file") return undefined;
    const read = await readPluginFile(source.path);
    if (read.status !== "ok") return undefined;
    replaced.set(source, { ...source, text: read.text, syntaxErrors: [] });
  }
  const scripts = [...replaced.values()].filter((s) => s.language === "typescript");
  const errors = await findSyntaxErrors(scripts.map((s) => ({ text: s.text, loader: extname(s.path) })));
  scripts.forEach((s, i) => (s.syntaxErrors = errors[i] ?? []));
  const swap = <T>(file: T): T => (replaced.get(file as SourceFile) as T | undefined) ?? file;
  const next = { ...project, sources: project.sources.map(swap), files: project.files.map(swap) };
  const sources = new Map(previous.sources);
  for (const source of replaced.values()) sources.set(source.display, source.text);
  // The edited sources' text findings are replaced; everything else found before still holds.
  const displays = new Set([...replaced.values()].map((source) => source.display));
  const kept = previous.diagnostics.filter((d) => !(SOURCE_TEXT_RULES.has(d.rule) && displays.has(d.file)));
  const fresh = validateProject({ ...next, sources: [...replaced.values()] }, {}, rules.filter((rule) => SOURCE_TEXT_RULES.has(rule.id)));
  const diagnostics = sortDiagnostics([...kept, ...fresh]);
  return { diagnostics, projects: [next], sources, files: previous.files, unreadable: [] };
}
