/**
 * Validates the paths given on a command line: finds each plugin or group, loads it, runs the rules.
 * Shared by `validate` and `dev` (which prints the same diagnostics before serving).
 */
import { resolve } from "node:path";
import { sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Project, ValidateOptions } from "../manifest/model.js";
import { validateProject } from "../manifest/validate.js";
import { findEntry, loadProject, UnreadablePathError } from "./load.js";

export interface CheckResult {
  diagnostics: Diagnostic[];
  projects: Project[];
  /** File contents by displayed path, for snippets. */
  sources: Map<string, string>;
  files: number;
  /** Paths that could not be read at all (exit 3). */
  unreadable: string[];
}

export async function checkPaths(paths: readonly string[], cwd: string, options: ValidateOptions): Promise<CheckResult> {
  const result: CheckResult = { diagnostics: [], projects: [], sources: new Map(), files: 0, unreadable: [] };
  const seen = new Set<string>();
  for (const path of paths) {
    try {
      const entry = await findEntry(resolve(cwd, path));
      const key = entry.kind === "plugin" ? entry.root : entry.group;
      if (seen.has(key)) continue;
      seen.add(key);
      const project = await loadProject(entry, cwd);
      result.projects.push(project);
      result.diagnostics.push(...validateProject(project, options));
      for (const file of project.files) {
        if (!result.sources.has(file.display)) result.files++;
        result.sources.set(file.display, file.text);
      }
    } catch (error) {
      if (!(error instanceof UnreadablePathError)) throw error;
      result.unreadable.push(error.message);
    }
  }
  result.diagnostics = sortDiagnostics(result.diagnostics);
  return result;
}
