/**
 * Records which paths the code under test hands to `node:fs/promises`, to prove that unsafe paths
 * are never opened. It swaps the module's functions and re-syncs the ESM bindings, so modules that
 * imported `open` by name see the spy too. Process-wide: restore it before the next test.
 */
import { createRequire, syncBuiltinESMExports } from "node:module";

const SPIED = ["open", "readFile", "stat", "lstat", "realpath", "readdir"] as const;

export interface FsCall {
  fn: (typeof SPIED)[number];
  path: string;
}

export interface FsSpy {
  calls: FsCall[];
  /** Paths given to `open` or `readFile`, that is: files whose content may have been read. */
  opened(): string[];
  restore(): void;
}

export function spyOnFileSystem(): FsSpy {
  const fsp = createRequire(import.meta.url)("node:fs/promises") as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  const calls: FsCall[] = [];
  for (const fn of SPIED) {
    const original = fsp[fn] as (...args: unknown[]) => unknown;
    originals.set(fn, original);
    fsp[fn] = function (this: unknown, path: unknown, ...rest: unknown[]) {
      calls.push({ fn, path: String(path) });
      return original.call(this, path, ...rest);
    };
  }
  syncBuiltinESMExports();
  return {
    calls,
    opened: () => calls.filter((c) => c.fn === "open" || c.fn === "readFile").map((c) => c.path),
    restore() {
      for (const [fn, original] of originals) fsp[fn] = original;
      syncBuiltinESMExports();
    },
  };
}
