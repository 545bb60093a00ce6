/**
 * Decides whether a path written in a manifest may be opened: relative, no `..`, no NUL, no drive
 * letter or backslash, and (checked on disk) still inside the plugin once symlinks are resolved.
 */
import { lstatSync, realpathSync } from "node:fs";
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

/** Real paths of folders already resolved, so each folder costs one `realpath` however many files it holds. */
export type RealDirCache = Map<string, string>;

/** Resolves `target` under `root`; `escapes` when a symlink leads outside, `missing` when absent. */
export async function resolveInside(root: string, target: string, realRoot?: string, dirs: RealDirCache = new Map()): Promise<{ status: "ok" | "escapes" | "missing"; path: string }> {
  const path = join(root, target);
  let real: string;
  try {
    // Synchronous: a few system calls, no thread-pool round trip (see read-file.ts).
    realRoot ??= realpathSync.native(root);
    const info = lstatSync(path);
    if (info.isSymbolicLink()) real = realpathSync.native(path);
    else {
      const dir = dirname(path);
      let realDir = dirs.get(dir);
      if (realDir === undefined) dirs.set(dir, (realDir = realpathSync.native(dir)));
      real = join(realDir, basename(path));
    }
  } catch {
    return { status: "missing", path };
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return { status: "escapes", path };
  return { status: "ok", path: real };
}
