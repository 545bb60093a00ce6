/**
 * Bundles the CLI (run by `npm run build` after tsc): `dist/src/cli.js` and everything it imports
 * become `dist/cli/cli.mjs` plus chunks that each command's lazy `import()` loads, so a command starts
 * by reading a few files instead of resolving about a hundred modules. commander and js-yaml are
 * bundled in; the heavy dependencies (hono, chokidar, the prompts, esbuild) stay external and load
 * from node_modules only when a command needs them. The worker thread and the files `build` bundles
 * stay as compiled modules in `dist/src/`, found through src/package-root.ts.
 */
import { build, type Plugin } from "esbuild";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLED_PACKAGES = new Set(["commander", "js-yaml"]);

/** Packages other than the bundled ones stay imports, resolved from node_modules at run time. */
const externalPackages: Plugin = {
  name: "external-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:")) return { path: args.path, external: true };
      const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0]!;
      return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

/**
 * commander requires `node:child_process` at load time, only to run executable subcommands (which
 * endpoint-kit has none of), and compiling it is a visible share of a short command's start: hand
 * commander a stand-in that loads the real module on first use.
 */
const lazyChildProcess: Plugin = {
  name: "lazy-child-process",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "lazy-builtin" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents: 'let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require("node:child_process"))[key] });',
      loader: "js",
    }));
  },
};

const result = await build({
  entryPoints: { cli: join(ROOT, "dist", "src", "cli.js") },
  outdir: join(ROOT, "dist", "cli"),
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // The bundled CommonJS (commander) calls require for Node's built-ins.
  banner: { js: 'import { createRequire as __ekCreateRequire } from "node:module"; const require = __ekCreateRequire(import.meta.url);' },
  plugins: [lazyChildProcess, externalPackages],
  metafile: true,
  // Less text for Node to read and parse at every start; names stay, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
});
// Beside the bundle, not in it (the package ships dist/cli/ only): tests read which chunks hold what.
writeFileSync(join(ROOT, "dist", "cli-meta.json"), JSON.stringify(result.metafile));
