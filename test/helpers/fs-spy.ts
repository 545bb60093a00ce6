/**
 * Records which paths the code under test hands to `node:fs` and `node:fs/promises`, to prove that
 * unsafe paths are never opened. It swaps the modules' functions (sync and async) and re-syncs the
 * ESM bindings, so modules that imported them by name see the spy too. Process-wide: restore it
 * before the next test.
 */
import { createRequire, syncBuiltinESMExports } from "node:module";

// `read` exists only as `readSync` (its argument is a file descriptor, recorded as a number).
const SPIED = ["open", "read", "readFile", "stat", "lstat", "realpath", "readdir"] as const;
type Spied = (typeof SPIED)[number];

export interface FsCall {
  fn: Spied;
  path: string;
}

export interface FsSpy {
  calls: FsCall[];
  /** Paths given to `open` or `readFile` (sync or not), that is: files whose content may have been read. */
  opened(): string[];
  restore(): void;
}

type Fn = ((...args: unknown[]) => unknown) & { native?: (...args: unknown[]) => unknown };

export function spyOnFileSystem(): FsSpy {
  const load = createRequire(import.meta.url);
  const modules = [
    { module: load("node:fs/promises") as Record<string, unknown>, suffix: "" },
    { module: load("node:fs") as Record<string, unknown>, suffix: "Sync" },
  ];
  const restores: Array<() => void> = [];
  const calls: FsCall[] = [];
  const wrap = (fn: Spied, original: Fn): Fn =>
    function (this: unknown, path: unknown, ...rest: unknown[]) {
      calls.push({ fn, path: String(path) });
      return original.call(this, path, ...rest);
    };
  for (const { module, suffix } of modules) {
    for (const fn of SPIED) {
      const name = `${fn}${suffix}`;
      const original = module[name] as Fn | undefined;
      if (typeof original !== "function") continue;
      const spy = wrap(fn, original);
      if (original.native) spy.native = wrap(fn, original.native);
      module[name] = spy;
      restores.push(() => (module[name] = original));
    }
  }
  syncBuiltinESMExports();
  return {
    calls,
    opened: () => calls.filter((c) => c.fn === "open" || c.fn === "readFile").map((c) => c.path),
    restore() {
      for (const restore of restores) restore();
      syncBuiltinESMExports();
    },
  };
}
