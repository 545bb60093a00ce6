/**
 * The packager's size limit: the total uncompressed size of the files must not exceed `--max-size`
 * (50 MB by default, as Dify's CLI and daemon default to). Past it, the five largest files say where
 * the bytes are.
 */

/** Dify's default: 50 MB, counted as 50 × 1,048,576 bytes. */
export const DEFAULT_MAX_SIZE_MB = 50;
export const BYTES_PER_MB = 1024 * 1024;

export interface SizeExcess {
  total: number;
  limit: number;
  largest: Array<{ path: string; size: number }>;
}

/** `undefined` when the files fit, else the total and the five largest files (largest first, then by path). */
export function checkSizeLimit(files: ReadonlyArray<{ path: string; size: number }>, limit: number): SizeExcess | undefined {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total <= limit) return undefined;
  const largest = [...files].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1)).slice(0, 5).map(({ path, size }) => ({ path, size }));
  return { total, limit, largest };
}

/** Bytes for people: `512 B`, `14.2 kB`, `3.1 MB` (1,000-based, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
