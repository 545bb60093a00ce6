/**
 * What the files a plugin was built from looked like (mtime and size), to notice a save the watcher
 * missed or one that landed while a reload was building.
 */
import { statSync } from "node:fs";

export type Snapshot = Map<string, string>;

/**
 * Synchronous on purpose: `dev` takes a snapshot of the files an edit names around each reload, and
 * a few small files are stat'ed faster in one go than through the thread pool (which the watcher and
 * the build are using at that moment).
 */
export function snapshot(paths: readonly string[]): Snapshot {
  const entries = new Map<string, string>();
  for (const path of paths) {
    let info;
    try {
      info = statSync(path, { throwIfNoEntry: false });
    } catch {
      info = undefined;
    }
    entries.set(path, info ? `${info.mtimeMs}:${info.size}` : "gone");
  }
  return entries;
}

export function changedFiles(before: Snapshot, after: Snapshot): string[] {
  return [...after].filter(([path, sig]) => before.get(path) !== sig).map(([path]) => path);
}
