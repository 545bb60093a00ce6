/**
 * Reads the local settings file for `dev` (`--settings <file>`, else `settings.local.yaml` in the
 * plugin) and checks it against the group's settings. Parse errors give a position and a reason,
 * never the neighbouring text, since the file holds secrets.
 */
import { join, relative, resolve, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Project } from "../manifest/model.js";
import { createLineIndex } from "../manifest/position.js";
import { parseYamlMapping } from "../manifest/yaml.js";
import { readPluginFile } from "../project/read-file.js";
import { checkSettings } from "../settings/check-settings.js";
import { declaredSettings } from "../settings/declared.js";
import { createMasker } from "../settings/mask.js";

export const DEFAULT_SETTINGS_FILE = "settings.local.yaml";

export interface LoadedSettings {
  path?: string;
  values: Record<string, unknown>;
  secrets: string[];
  mask: (text: string) => string;
  diagnostics: Diagnostic[];
}

/** `given` is the `--settings` path; without it the plugin's `settings.local.yaml` is read if it exists. */
export async function loadSettings(project: Project, given: string | undefined, cwd: string): Promise<LoadedSettings> {
  const declared = declaredSettings(project.groups[0]);
  const explicit = given !== undefined;
  const path = given ? resolve(cwd, given) : join(project.root, DEFAULT_SETTINGS_FILE);
  const display = (relative(cwd, path) || path).split(sep).join("/");
  const diagnostics: Diagnostic[] = [];
  const read = await readPluginFile(path);
  let root;
  if (read.status === "ok") {
    const parsed = parseYamlMapping(read.text);
    const locate = createLineIndex(read.text);
    if (parsed.ok) root = parsed.root;
    else {
      const at = locate(parsed.problem.start);
      // The reason only: js-yaml's own message quotes neighbouring lines, which may hold secrets.
      diagnostics.push({ file: display, ...at, severity: "error", rule: "settings", message: parsed.problem.message });
    }
    const result = checkSettings(declared, root);
    for (const p of result.problems) {
      const at = locate(p.start);
      const end = locate(p.end);
      diagnostics.push({ file: display, line: at.line, column: at.column, endLine: end.line, endColumn: end.column, severity: p.severity, rule: "settings", message: p.message, ...(p.hint ? { hint: p.hint } : {}) });
    }
    return { path, values: result.values, secrets: result.secrets, mask: createMasker(result.secrets), diagnostics };
  }
  if (explicit || read.status !== "missing") {
    diagnostics.push({ file: display, line: 0, column: 0, severity: "error", rule: "settings", message: read.status === "missing" ? "the settings file does not exist" : `the settings file cannot be used (${read.status})` });
  }
  const result = checkSettings(declared, undefined);
  for (const p of result.problems) diagnostics.push({ file: display, line: 0, column: 0, severity: p.severity, rule: "settings", message: p.message, ...(p.hint ? { hint: p.hint } : {}) });
  return { path: explicit || read.status !== "missing" ? path : undefined, values: result.values, secrets: [], mask: createMasker([]), diagnostics };
}
