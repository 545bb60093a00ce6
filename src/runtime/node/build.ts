/**
 * Bundles one endpoint source (ts, mts, js, mjs...) to CommonJS with esbuild, for the worker to
 * evaluate with `vm.compileFunction`. One incremental esbuild context per source keeps rebuilds at a
 * few milliseconds; the metafile's inputs are the files to watch for that source.
 */
import path from "node:path";
import type * as EsbuildApi from "esbuild";
import type { BuildContext, Message, Metafile, Plugin } from "esbuild";
import { ENDPOINT_KIT_SPECIFIER } from "./protocol.js";
import { loadEsbuild as requireEsbuild } from "../../esbuild-loader.js";


export interface BuildProblem {
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export type BuildOutcome =
  | { ok: true; code: string; map: string; inputs: string[] }
  | { ok: false; error: BuildProblem };

export interface Builder {
  /** Builds `source` (plugin-relative) of the plugin at `root` (absolute). */
  build(root: string, source: string): Promise<BuildOutcome>;
  /** Drops the esbuild contexts of sources that are not listed. */
  retain(root: string, sources: readonly string[]): Promise<void>;
  dispose(): Promise<void>;
}

type Esbuild = typeof EsbuildApi;

// esbuild is loaded on first use (src/esbuild-loader.ts): commands that compile nothing never pay for it.
let esbuildModule: Promise<Esbuild> | undefined;
function loadEsbuild(): Promise<Esbuild> {
  esbuildModule ??= Promise.resolve().then(requireEsbuild);
  return esbuildModule;
}

/** Keeps "endpoint-kit" out of the bundle so the worker can hand over the class it checks against. */
const endpointKitPlugin: Plugin = {
  name: "endpoint-kit",
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${ENDPOINT_KIT_SPECIFIER}$`) }, () => ({ path: ENDPOINT_KIT_SPECIFIER, external: true }));
  },
};

export function createBuilder(): Builder {
  const contexts = new Map<string, Promise<BuildContext<{ metafile: true; write: false }>>>();
  const keyOf = (root: string, source: string): string => `${root}\0${source}`;

  async function contextFor(root: string, source: string): Promise<BuildContext<{ metafile: true; write: false }>> {
    const key = keyOf(root, source);
    let context = contexts.get(key);
    if (context === undefined) {
      const esbuild = await loadEsbuild();
      const entry = path.resolve(root, source);
      context = esbuild.context({
        absWorkingDir: root,
        entryPoints: [entry],
        // Never written: it only names the output so that the map's sources are relative to the entry's folder.
        outfile: `${entry}.bundle.cjs`,
        write: false,
        bundle: true,
        format: "cjs",
        platform: "node",
        target: "node20",
        sourcemap: "external",
        sourcesContent: false,
        metafile: true,
        keepNames: true,
        // Packages load from the plugin's node_modules at run time, once, through `createRequire`.
        packages: "external",
        logLevel: "silent",
        define: {
          "import.meta.url": "__import_meta_url",
          "import.meta.filename": "__filename",
          "import.meta.dirname": "__dirname",
        },
        banner: { js: 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
        plugins: [endpointKitPlugin],
      });
      contexts.set(key, context);
      context.catch(() => contexts.delete(key));
    }
    return context;
  }

  return {
    async build(root, source) {
      try {
        const context = await contextFor(root, source);
        const result = await context.rebuild();
        let code = "";
        let map = "";
        for (const file of result.outputFiles) {
          if (file.path.endsWith(".map")) map = file.text;
          else code = file.text;
        }
        return { ok: true, code, map, inputs: localInputs(result.metafile) };
      } catch (error) {
        return { ok: false, error: describeFailure(error, source) };
      }
    },
    async retain(root, sources) {
      const keep = new Set(sources.map((source) => keyOf(root, source)));
      const dropped = [...contexts].filter(([key]) => !keep.has(key));
      for (const [key] of dropped) contexts.delete(key);
      await Promise.all(dropped.map(([, context]) => context.then((c) => c.dispose(), () => undefined)));
    },
    async dispose() {
      const all = [...contexts.values()];
      contexts.clear();
      await Promise.all(all.map((context) => context.then((c) => c.dispose(), () => undefined)));
    },
  };
}

/** The plugin-relative files of a build, without esbuild's virtual modules and installed packages. */
export function localInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => !/^[a-z][\w-]*:/i.test(input) && !input.split("/").includes("node_modules"))
    .sort();
}

/** Turns an esbuild failure into its first positioned error (line and column 1-based, in characters). */
export function describeFailure(error: unknown, source: string): BuildProblem {
  const errors = (error as { errors?: Message[] } | undefined)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (first === undefined) return { message: error instanceof Error ? error.message : String(error), file: source };
  const more = errors !== undefined && errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : "";
  const location = first.location;
  if (location === null) return { message: first.text + more, file: source };
  return {
    message: first.text + more,
    file: location.file,
    line: location.line,
    column: byteColumnToCharacter(location.lineText, location.column) + 1,
  };
}

function byteColumnToCharacter(lineText: string, byteColumn: number): number {
  return Buffer.from(lineText, "utf8").subarray(0, byteColumn).toString("utf8").length;
}
