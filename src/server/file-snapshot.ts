/**
 * What the files a plugin was built from looked like (mtime and size), to notice a save the watcher
 * missed or one that landed while a reload was building.
 */
import { stat } from "node:fs/promises";

export type Snapshot = Map<string, string>;

export async function snapshot(paths: string[]): Promise<Snapshot> {
  const entries = await Promise.all(
    paths.map(async (path) => {
      const info = await stat(path).catch(() => undefined);
      return [path, info ? `${info.mtimeMs}:${info.size}` : "gone"] as const;
    }),
  );
  return new Map(entries);
}

export function changedFiles(before: Snapshot, after: Snapshot): string[] {
  return [...after].filter(([path, sig]) => before.get(path) !== sig).map(([path]) => path);
}
