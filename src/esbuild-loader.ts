/**
 * esbuild, loaded on first use with `require`. esbuild ships CommonJS: an `import()` of it from an ES
 * module makes Node scan its large entry file for export names before running it, which costs
 * several times the `require` itself, on the path of every command that compiles a source.
 */
import type * as Esbuild from "esbuild";
import { createRequire } from "node:module";

let loaded: typeof Esbuild | undefined;

/** The esbuild API (loaded once). */
export function loadEsbuild(): typeof Esbuild {
  loaded ??= createRequire(import.meta.url)("esbuild") as typeof Esbuild;
  return loaded;
}
