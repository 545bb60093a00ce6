/**
 * What must never ship in a package by accident: local settings with real secrets, `.env` files,
 * stub answers, endpoint-kit's working folder, version control, installed dependencies and earlier
 * packages. `package` refuses them unless the ignore file names them with a `!` line (Dify ignores
 * negations, so such a line changes nothing but says "on purpose"), or `--force` is given.
 */
import { parseYamlMapping } from "../manifest/yaml.js";
import { firstNegation, type IgnorePattern } from "./ignore.js";

/** Files (or a folder of them) that would ship but must not. */
export interface Refusal {
  /** A file, or a folder with a trailing `/` holding `files` files. */
  path: string;
  files: number;
  reason: string;
  /** The ignore line that excludes it. */
  ignoreLine: string;
}

interface FolderRule {
  folder: string;
  reason: string;
}

const FOLDERS: readonly FolderRule[] = [
  { folder: ".git", reason: "version control history" },
  { folder: ".endpoint-kit", reason: "endpoint-kit's local working files (storage, state)" },
  { folder: "node_modules", reason: "installed Node dependencies" },
  { folder: ".venv", reason: "a local Python environment" },
];

/** Dify's own template ships `.env.example`: placeholders, never secrets. */
const ENV_EXAMPLES = new Set([".env.example", ".env.sample", ".env.template"]);

/** Why a single file must not ship, and the line that ignores it; `undefined` when it may ship. */
export function fileRule(name: string, isSettingsFile: boolean): { reason: string; ignoreLine: string; kind?: "settings" } | undefined {
  if (name === "settings.local.yaml") return { reason: "local endpoint settings (may hold real secrets)", ignoreLine: "settings.local.yaml" };
  if (name.startsWith(".env") && !ENV_EXAMPLES.has(name)) return { reason: "an environment file (may hold secrets)", ignoreLine: name };
  if (name === "endpoint-kit.stubs.json") return { reason: "local stub answers for calls into Dify", ignoreLine: "endpoint-kit.stubs.json" };
  if (name.endsWith(".difypkg")) return { reason: "an earlier package (it would ship inside the new one)", ignoreLine: "*.difypkg" };
  if (name === ".git") return { reason: "a git link file", ignoreLine: ".git" };
  if (isSettingsFile) return { reason: "a settings file for `dev --settings` (may hold real secrets)", ignoreLine: name, kind: "settings" };
  return undefined;
}

/**
 * The refusals for a selection of files (root-relative, `/`-separated). `settingsFiles` are files
 * recognised as local settings by their content; a `!` line naming a file or one of its folders
 * lets it ship.
 */
export function findRefusals(paths: readonly string[], patterns: readonly IgnorePattern[], settingsFiles: ReadonlySet<string> = new Set()): Refusal[] {
  const byKey = new Map<string, Refusal>();
  for (const path of paths) {
    const parts = path.split("/");
    const folderAt = parts.findIndex((part, i) => i < parts.length - 1 && FOLDERS.some((f) => f.folder === part));
    let key: string;
    let refusal: Omit<Refusal, "files">;
    if (folderAt >= 0) {
      const rule = FOLDERS.find((f) => f.folder === parts[folderAt])!;
      key = `${parts.slice(0, folderAt + 1).join("/")}/`;
      refusal = { path: key, reason: rule.reason, ignoreLine: `${rule.folder}/` };
    } else {
      const rule = fileRule(parts[parts.length - 1]!, settingsFiles.has(path));
      if (rule === undefined) continue;
      key = path;
      // A pattern with a `/` is matched from the root, so a settings file's own path names only it.
      refusal = { path, reason: rule.reason, ignoreLine: rule.kind === "settings" ? path : rule.ignoreLine };
    }
    if (shippedOnPurpose(parts, patterns)) continue;
    const seen = byKey.get(key);
    if (seen) seen.files++;
    else byKey.set(key, { ...refusal, files: 1 });
  }
  return [...byKey.values()];
}

function shippedOnPurpose(parts: readonly string[], patterns: readonly IgnorePattern[]): boolean {
  for (let n = 1; n <= parts.length; n++) {
    if (firstNegation(patterns, parts.slice(0, n), n < parts.length)) return true;
  }
  return false;
}

/**
 * Whether a YAML file is a local settings file for this plugin: a mapping whose keys are all
 * settings the plugin declares (what `dev --settings` reads). Files the plugin itself references
 * are never passed here.
 */
export function looksLikeSettingsFile(text: string, declaredNames: ReadonlySet<string>): boolean {
  if (declaredNames.size === 0) return false;
  const parsed = parseYamlMapping(text);
  if (!parsed.ok || parsed.root.pairs.length === 0) return false;
  return parsed.root.pairs.every((pair) => declaredNames.has(pair.key));
}
