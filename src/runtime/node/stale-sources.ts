/**
 * Which endpoint sources a reload must build again, from the files it was told changed: the pure
 * half of the TypeScript runtime's incremental reload.
 */
import path from "node:path";

/** What the runtime knows of a source that built and evaluated: the files its bundle was made from. */
export interface BuiltSource {
  inputs: readonly string[];
}

/**
 * The sources to build again: all of them without a list of edits, or when an edit may change how
 * imports resolve (tsconfig, package.json, installed packages); otherwise the new ones, the ones
 * that failed last time, and those an edited file is an input of. Paths are plugin-relative, `/`-separated.
 */
export function staleSources(
  root: string,
  sources: readonly string[],
  changed: readonly string[] | undefined,
  good: ReadonlyMap<string, BuiltSource>,
  lastFailed: ReadonlySet<string>,
): Set<string> {
  if (changed === undefined) return new Set(sources);
  const edited = new Set(changed.map((file) => toPosix(path.isAbsolute(file) ? path.relative(root, file) : file)));
  const global = [...edited].some((file) => /(^|\/)(tsconfig[^/]*|jsconfig|package)\.json$/.test(file) || file.split("/").includes("node_modules"));
  return new Set(
    sources.filter((source) => {
      const built = good.get(source);
      return global || built === undefined || lastFailed.has(source) || edited.has(source) || built.inputs.some((input) => edited.has(input));
    }),
  );
}

/** A platform path with `/` separators. */
export function toPosix(file: string): string {
  return file.split(path.sep).join("/");
}
