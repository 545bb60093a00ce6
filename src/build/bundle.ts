/**
 * The esbuild half of `build`: the plugin's endpoint classes and the request handler bundled into one
 * platform-neutral, minified ES module with a source map (`import { Endpoint } from "endpoint-kit"`
 * resolved to the tiny base class, Node built-ins refused), and the Node server with
 * its request listener (src/build/runtime/node-listen.ts) bundled in. Nothing is written here.
 */
import { builtinModules } from "node:module";
import { dirname } from "node:path";
import { compiledModule } from "../package-root.js";
import { loadEsbuild } from "../esbuild-loader.js";
import type { Message, Plugin } from "esbuild";

export interface Bundle {
  code: string;
  map: string;
}

export class BundleError extends Error {
  readonly messages: string[];
  constructor(messages: string[]) {
    super(messages[0] ?? "the bundle failed");
    this.messages = messages;
  }
}

/** The compiled handler module and base class, beside this file in the package. */
export const SERVE_MODULE = compiledModule("build/runtime/serve.js");
const ENDPOINT_MODULE = compiledModule("runtime/node/endpoint.js");
const HERE = dirname(compiledModule("build/bundle.js"));

const BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith("_")));

/** `endpoint-kit` is the base class only; a Node built-in is an error that says why. */
const neutralPlugin: Plugin = {
  name: "endpoint-kit-neutral",
  setup(build) {
    build.onResolve({ filter: /^endpoint-kit$/ }, () => ({ path: ENDPOINT_MODULE }));
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, "");
      if (!args.path.startsWith("node:") && !BUILTINS.has(name)) return undefined;
      return {
        errors: [{ text: `"${args.path}" is a Node built-in: the output must run on Workers, Node, Bun and Deno alike, so endpoint sources cannot import node: modules (use Web APIs: fetch, crypto.subtle, TextEncoder...)` }],
      };
    });
  },
};

/** Bundles the generated entry (which imports the plugin's sources relative to `root`) for `outFile` (absolute). */
export async function bundleWorker(root: string, entry: string, outFile: string): Promise<Bundle> {
  const esbuild = loadEsbuild();
  return run(() =>
    esbuild.build({
      stdin: { contents: entry, resolveDir: root, sourcefile: "endpoint-kit-worker-entry.js", loader: "js" },
      absWorkingDir: root,
      outfile: outFile,
      write: false,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      mainFields: ["module", "main"],
      conditions: ["workerd", "worker", "browser"],
      minify: true,
      sourcemap: "linked",
      legalComments: "none",
      logLevel: "silent",
      plugins: [neutralPlugin],
    }),
  );
}

/** Bundles the Node server with its request listener (compiled beside this file). */
export async function bundleNodeServer(source: string): Promise<string> {
  const esbuild = loadEsbuild();
  const bundle = await run(() =>
    esbuild.build({
      stdin: { contents: source, resolveDir: HERE, sourcefile: "server.mjs", loader: "js" },
      outfile: `${HERE}/server.mjs`,
      write: false,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      minify: true,
      external: ["./worker.mjs"],
      legalComments: "none",
      logLevel: "silent",
    }),
  );
  return bundle.code;
}

async function run(build: () => Promise<{ outputFiles?: Array<{ path: string; text: string }> }>): Promise<Bundle> {
  try {
    const result = await build();
    let code = "";
    let map = "";
    for (const file of result.outputFiles ?? []) {
      if (file.path.endsWith(".map")) map = file.text;
      else code = file.text;
    }
    return { code, map };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors)) throw error;
    throw new BundleError(errors.map(describe));
  }
}

function describe(message: Message): string {
  const at = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : "";
  return `${at}${message.text}`;
}
