/**
 * Checks a plugin again after only some of its endpoint sources changed: those are read and
 * compiled again, the rules run on the project with them, and nothing else is read or parsed. Used
 * by `dev` on a save; it gives what `checkPaths` would, or `undefined` when it cannot tell (a source
 * gone, unreadable or moved out of the plugin), for the caller to check the whole plugin.
 */
import { extname, relative, sep } from "node:path";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../manifest/model.js";
import { validateProject } from "../manifest/validate.js";
import type { CheckResult } from "./check.js";
import { findSyntaxErrors } from "./compile-check.js";
import { readPluginFile } from "./read-file.js";
import { resolveInside } from "./safe-path.js";

/**
 * `previous` is a one-project result of `checkPaths`; `paths` are the absolute paths edited since.
 * Each must be one of its endpoint sources, or a file outside the project that `imported` says a
 * source imports; anything else (YAML, a new or settings file) gives `undefined`.
 */
export async function recheckSources(previous: CheckResult, paths: readonly string[], imported: (path: string) => boolean): Promise<CheckResult | undefined> {
  const project = previous.projects[0];
  if (project === undefined || previous.projects.length !== 1) return undefined;
  const edited = new Set(paths);
  const sourcePaths = new Set(project.sources.map((s) => s.path));
  const filePaths = new Set(project.files.map((f) => f.path));
  if (!paths.every((p) => sourcePaths.has(p) || (!filePaths.has(p) && imported(p)))) return undefined;
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
  const diagnostics = sortDiagnostics(validateProject(next, {}));
  return { diagnostics, projects: [next], sources, files: previous.files, unreadable: [] };
}
