/**
 * `build`'s public surface: validates a plugin, plans the output, bundles it and writes
 * `dist/<target>/` (or `--out`): the neutral worker module with its source map, the target's entry and
 * configuration, and a README. Used by the `build` command and by tests.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { checkPaths } from "../project/check.js";
import { bundleNodeServer, bundleWorker, SERVE_MODULE } from "./bundle.js";
import { bunServer, denoServer, nodeServer, workerdConfig, workerEntry, workerFile, wranglerConfig } from "./entries.js";
import { planBuild, type BuildPlan, type BuildTarget } from "./plan.js";
import { outputReadme } from "./readme.js";

export { TARGETS, type BuildTarget } from "./plan.js";
export { BundleError } from "./bundle.js";

export interface BuildOptions {
  /** The plugin folder (or a group file), relative to `cwd`. */
  dir: string;
  cwd: string;
  target: BuildTarget;
  /** Output folder, relative to `cwd` (default `<plugin>/dist/<target>`). */
  out?: string;
  difyUrls?: boolean;
  /** Handler deadline (default 600 s, as in dev). */
  deadlineMs?: number;
  envPrefix?: string;
}

export interface BuiltFile {
  /** Relative to the output folder. */
  name: string;
  bytes: number;
}

export interface BuildResult {
  outDir: string;
  plan: BuildPlan;
  files: BuiltFile[];
  /** Validation warnings and endpoints left out. */
  warnings: string[];
}

/** The plugin cannot be built: validation errors, or nothing TypeScript to bundle. */
export class BuildRefusedError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, string>;
  readonly hint: string | undefined;
  constructor(message: string, diagnostics: Diagnostic[] = [], sources = new Map<string, string>(), hint?: string) {
    super(message);
    this.diagnostics = diagnostics;
    this.sources = sources;
    this.hint = hint;
  }
}

export async function buildPlugin(options: BuildOptions): Promise<BuildResult> {
  const check = await checkPaths([options.dir], options.cwd, {});
  const project = check.projects[0];
  if (project === undefined) throw new BuildRefusedError(check.unreadable[0] ?? `no plugin found at ${options.dir}`, [], new Map(), "pass the plugin folder (with manifest.yaml)");
  const errors = check.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new BuildRefusedError(`the plugin has ${errors.length} error${errors.length === 1 ? "" : "s"}: fix them first (endpoint-kit validate)`, errors, check.sources);
  const planned = planBuild(project, { envPrefix: options.envPrefix });
  if (!planned.ok) throw new BuildRefusedError(planned.problems.join("\n"), [], new Map(), planned.hint);
  const plan = planned.plan;
  const entryOptions = { difyUrls: options.difyUrls === true, deadlineMs: options.deadlineMs ?? 600_000 };
  const outDir = resolve(options.cwd, options.out ?? join(project.root, "dist", options.target));
  const worker = workerFile(options.target);
  const bundle = await bundleWorker(project.root, workerEntry(plan, entryOptions, SERVE_MODULE), join(outDir, worker));
  const files = new Map<string, string>([
    [worker, bundle.code],
    [`${worker}.map`, bundle.map],
  ]);
  switch (options.target) {
    case "workers":
      files.set("wrangler.jsonc", wranglerConfig(plan));
      files.set("workerd.capnp", workerdConfig(plan));
      break;
    case "node":
      files.set("server.mjs", await bundleNodeServer(nodeServer()));
      break;
    case "bun":
      files.set("server.mjs", bunServer());
      break;
    case "deno":
      files.set("server.mjs", denoServer());
      break;
  }
  files.set("README.md", outputReadme(plan, options.target, entryOptions));
  await mkdir(outDir, { recursive: true });
  const written: BuiltFile[] = [];
  for (const [name, text] of files) {
    await writeFile(join(outDir, name), text);
    written.push({ name, bytes: Buffer.byteLength(text) });
  }
  const warnings = [...check.diagnostics.filter((d) => d.severity === "warning").map((d) => `${d.file}: ${d.message}`), ...plan.warnings];
  return { outDir, plan, files: written, warnings };
}
