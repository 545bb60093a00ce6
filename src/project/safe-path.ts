/**
 * Decides whether a path written in a manifest may be opened: relative, no `..`, no NUL, no drive
 * letter or backslash, and (checked on disk) still inside the plugin once symlinks are resolved.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { basename, dirname, isAbsolute, join, sep } from "node:path";

/** The pure part: why `target` must never be opened, or undefined when it may be. */
export function whyUnsafe(target: string): string | undefined {
  if (target.length === 0) return "the path is empty";
  if (target.includes("\0")) return "the path contains a NUL character";
  if (target.startsWith("/") || isAbsolute(target)) return "the path is absolute: write it relative to the plugin folder";
  if (/^[a-zA-Z]:/.test(target)) return "the path starts with a drive letter: write it relative to the plugin folder";
  if (target.includes("\\")) return "the path contains a backslash: use `/` between folders";
  if (target.split("/").includes("..")) return "the path leaves the plugin folder through `..`";
  return undefined;
}

/**
 * Folders already looked at: their real path and their entries with types, so each folder costs one
 * `realpath` and one `readdir` however many files it holds (10,000 endpoint files: no per-file stat).
 */
export type RealDirCache = Map<string, { real: string; entries: Map<string, Dirent> } | null>;

export type EntryKind = "file" | "folder" | "other";

export interface Resolved {
  status: "ok" | "escapes" | "missing";
  path: string;
  /** What the path is, once symlinks are followed (with `ok`). */
  kind?: EntryKind;
}

function kindOf(entry: { isFile(): boolean; isDirectory(): boolean }): EntryKind {
  return entry.isFile() ? "file" : entry.isDirectory() ? "folder" : "other";
}

/** Resolves `target` under `root`; `escapes` when a symlink leads outside, `missing` when absent. */
export async function resolveInside(root: string, target: string, realRoot?: string, dirs: RealDirCache = new Map()): Promise<Resolved> {
  const path = join(root, target);
  let real: string;
  let kind: EntryKind;
  try {
    // Synchronous: a few system calls, no thread-pool round trip (see read-file.ts).
    realRoot ??= realpathSync.native(root);
    const dir = dirname(path);
    let folder = dirs.get(dir);
    if (folder === undefined) {
      try {
        const entries = new Map(readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e] as const));
        folder = { real: realpathSync.native(dir), entries };
      } catch {
        folder = null;
      }
      dirs.set(dir, folder);
    }
    const entry = folder?.entries.get(basename(path));
    if (!folder || !entry) return { status: "missing", path };
    if (entry.isSymbolicLink()) {
      real = realpathSync.native(path);
      kind = kindOf(statSync(real));
    } else {
      real = join(folder.real, basename(path));
      kind = kindOf(entry);
    }
  } catch {
    return { status: "missing", path };
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return { status: "escapes", path };
  return { status: "ok", path: real, kind };
}
