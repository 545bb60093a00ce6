/**
 * The files Dify's packager would take from a plugin folder, found on disk as its walk finds them:
 * every entry, hidden ones included, unless the ignore file excludes it (an excluded folder is not
 * entered); symbolic links are not followed into folders, a link to a file ships the target's bytes,
 * and a link to a folder fails. Only sizes are read here; contents are read once the limits pass.
 */
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { EnvironmentError, InputError } from "../errors.js";
import { compareBytes } from "./checksum.js";
import { firstExcluding, IGNORE_FILES, parseIgnoreFile, type IgnorePattern } from "./ignore.js";

/** A file that ships: its path in the package and its size. */
export interface CollectedFile {
  path: string;
  size: number;
}

export interface Collection {
  /** The ignore file that was used, if any. */
  ignoreFile?: (typeof IGNORE_FILES)[number];
  patterns: IgnorePattern[];
  /** Sorted by path bytes, as entries are written. */
  files: CollectedFile[];
}

/** Walks `root` as Dify's packager does; throws `InputError` for what Dify cannot package. */
export async function collectPluginFiles(root: string): Promise<Collection> {
  const { ignoreFile, patterns } = await readIgnoreFile(root);
  const files: CollectedFile[] = [];
  const walk = async (parts: string[]): Promise<void> => {
    const dir = join(root, ...parts);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new EnvironmentError(`${dir}: cannot read the folder (${code(error)})`);
    }
    for (const entry of entries.sort((a, b) => compareBytes(a.name, b.name))) {
      const path = [...parts, entry.name];
      const shown = path.join("/");
      // The walk's own view of the entry: a link is not a folder, whatever it points to.
      if (firstExcluding(patterns, path, entry.isDirectory())) continue;
      // Dify's packager turns `\` into `/` in entry names but not in its checksum: refuse the ambiguity.
      if (entry.name.includes("\\")) throw new InputError(`${shown}: a backslash in a file name becomes a folder separator in the package`, "rename it, or add it to the ignore file");
      if (entry.isDirectory()) {
        await walk(path);
        continue;
      }
      let info;
      try {
        info = entry.isSymbolicLink() ? await stat(join(dir, entry.name)) : await lstat(join(dir, entry.name));
      } catch (error) {
        throw new InputError(`${shown}: cannot be packaged (${code(error)}${entry.isSymbolicLink() ? ", a broken symbolic link" : ""})`, "fix or remove it, or add it to the ignore file");
      }
      if (info.isDirectory()) throw new InputError(`${shown}: a symbolic link to a folder cannot be packaged (Dify fails with "is a directory")`, `add ${shown} to .difyignore, or replace the link with the folder`);
      if (!info.isFile()) throw new InputError(`${shown}: not a regular file (a socket, pipe or device) and cannot be packaged`, `add ${shown} to .difyignore`);
      files.push({ path: shown, size: info.size });
    }
  };
  await walk([]);
  files.sort((a, b) => compareBytes(a.path, b.path));
  return { ...(ignoreFile ? { ignoreFile } : {}), patterns, files };
}

/** `.difyignore` when it can be read, else `.gitignore`, never both (as Dify reads them). */
export async function readIgnoreFile(root: string): Promise<{ ignoreFile?: (typeof IGNORE_FILES)[number]; patterns: IgnorePattern[] }> {
  for (const name of IGNORE_FILES) {
    try {
      const text = await readFile(join(root, name), "utf8");
      return { ignoreFile: name, patterns: parseIgnoreFile(text) };
    } catch {
      // Unreadable, missing or a folder: Dify moves on to the next one.
    }
  }
  return { patterns: [] };
}

/** Reads the selected files' bytes, in order. */
export async function readCollectedFiles(root: string, files: readonly CollectedFile[]): Promise<Array<{ path: string; data: Buffer }>> {
  const out: Array<{ path: string; data: Buffer }> = [];
  for (const file of files) {
    try {
      out.push({ path: file.path, data: await readFile(join(root, ...file.path.split("/"))) });
    } catch (error) {
      throw new EnvironmentError(`${file.path}: cannot read the file (${code(error)})`);
    }
  }
  return out;
}

function code(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
