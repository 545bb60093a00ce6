/**
 * Where the package's own files are: `templates/`, `python/`, `inspector/`, `package.json`, and the
 * compiled modules under `dist/src/` that run apart from the CLI (the worker thread, the files the
 * `build` command bundles). The same code runs from `dist/src/` (the package entry, the tests) and
 * from the CLI bundle in `dist/cli/`, so no module may find a file relative to its own location: it
 * asks here, and this walks up from wherever it was loaded to the folder holding `package.json`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;
let version: string | undefined;

/** The first folder at or above `from` that holds a `package.json`. */
export function findPackageRoot(from: string, exists: (path: string) => boolean = existsSync): string {
  let folder = from;
  for (;;) {
    if (exists(join(folder, "package.json"))) return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`endpoint-kit's package.json was not found above ${from}`);
    folder = parent;
  }
}

/** The package's root folder (computed once). */
export function packageRoot(): string {
  root ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return root;
}

/** A path inside the package, e.g. `packagePath("templates")` or `packagePath("dist", "src", "x.js")`. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}

/** A compiled module under `dist/src/`, by its path from there (`"runtime/node/worker-main.js"`). */
export function compiledModule(relativePath: string): string {
  return join(packageRoot(), "dist", "src", relativePath);
}

/** The package's version, from its `package.json` (read once). */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version;
  return version;
}
