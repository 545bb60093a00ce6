#!/usr/bin/env node
// Runs the CLI bundle that `npm run build` makes (dist/cli/cli.mjs). A bare `tsc` after that build
// leaves dist/src/ newer than the bundle: then the compiled modules run instead, so no stale code.
import { statSync } from "node:fs";
import module from "node:module";
import { URL } from "node:url";

// Node 22.1+ keeps compiled code on disk between runs; earlier versions have no such switch.
if (typeof module.enableCompileCache === "function" && !process.env.NODE_DISABLE_COMPILE_CACHE) module.enableCompileCache();

const bundle = new URL("../dist/cli/cli.mjs", import.meta.url);
const compiled = new URL("../dist/src/cli.js", import.meta.url);
const mtime = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundleTime = mtime(bundle);
const { main } = await import(bundleTime >= 0 && bundleTime >= mtime(compiled) ? bundle.href : compiled.href);

main(process.argv.slice(2));
