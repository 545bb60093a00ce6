/**
 * Reads a template folder into memory: the bundled `templates/<language>/` or a user's folder
 * given with `--template` (either of that shape, or holding one such folder per language).
 */
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { EnvironmentError, InputError } from "../errors.js";
import { packagePath } from "../package-root.js";
import type { Language } from "./answers.js";
import type { TemplateFile } from "./plan.js";

const BUNDLED = `${packagePath("templates")}/`;
const MAX_FILES = 500;
const MAX_FILE_BYTES = 1024 * 1024;
const SKIPPED = new Set([".git", "node_modules", ".DS_Store"]);

export interface LoadedTemplate {
  /** For messages: the folder as the user knows it. */
  name: string;
  files: TemplateFile[];
}

/** Loads the template for `language`: the user's folder when given, else the bundled one. */
export async function loadTemplate(language: Language, userDir: string | undefined, cwd: string): Promise<LoadedTemplate> {
  if (userDir === undefined) return { name: `templates/${language}`, files: await readTemplateDir(join(BUNDLED, language)) };
  const base = resolve(cwd, userDir);
  const perLanguage = join(base, language);
  const dir = (await isDirectory(perLanguage)) ? perLanguage : base;
  if (!(await isDirectory(dir))) throw new InputError(`${userDir}: the template folder does not exist or is not a folder`);
  return { name: relative(cwd, dir) || ".", files: await readTemplateDir(dir) };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Every regular file under `root`, with `/`-separated relative paths; symbolic links are refused. */
export async function readTemplateDir(root: string): Promise<TemplateFile[]> {
  const files: TemplateFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new EnvironmentError(`${dir}: cannot read the template folder (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join("/");
      if (entry.isSymbolicLink()) throw new InputError(`${path}: templates may not contain symbolic links`);
      if (entry.isDirectory()) {
        await walk(path);
      } else if (entry.isFile()) {
        if (files.length >= MAX_FILES) throw new InputError(`${root}: the template has more than ${MAX_FILES} files`);
        // Checked before reading: a 2 GiB file must be refused, not loaded (Node cannot even read it whole).
        if ((await stat(path)).size > MAX_FILE_BYTES) throw new InputError(`${path}: template files are limited to 1 MiB`);
        const bytes = await readFile(path);
        if (bytes.length > MAX_FILE_BYTES) throw new InputError(`${path}: template files are limited to 1 MiB`);
        files.push({ path: rel, bytes });
      }
    }
  };
  await walk(root);
  if (files.length === 0) throw new InputError(`${root}: the template folder is empty`);
  return files;
}
