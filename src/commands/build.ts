/**
 * `endpoint-kit build [dir] --target workers|node|bun|deno`: bundles a TypeScript plugin for
 * production and prints what was written, the settings' variables, and how to run it.
 */
import { relative } from "node:path";
import { summarize } from "../diagnostics/diagnostic.js";
import { formatText } from "../diagnostics/format-text.js";
import { BuildRefusedError, BundleError, buildPlugin, type BuildResult } from "../build/index.js";
import { settingsTable } from "../build/readme.js";
import { EXIT, InputError } from "../errors.js";
import type { BuildFlags } from "../program.js";
import { createPainter, useColor, type Io } from "../terminal/io.js";

const RUN: Record<BuildFlags["target"], string> = {
  workers: "npx workerd serve {out}/workerd.capnp   (deploy: cd {out} && wrangler deploy)",
  node: "node --enable-source-maps {out}/server.mjs",
  bun: "bun {out}/server.mjs",
  deno: "deno run --allow-net --allow-env {out}/server.mjs",
};

export async function runBuild(dir: string, flags: BuildFlags, io: Io): Promise<number> {
  const paint = createPainter(flags.color && useColor(io, "stdout"));
  let result: BuildResult;
  try {
    result = await buildPlugin({ dir, cwd: io.cwd, target: flags.target, out: flags.out, difyUrls: flags.difyUrls === true, deadlineMs: flags.timeout * 1000, envPrefix: flags.envPrefix });
  } catch (error) {
    if (error instanceof BuildRefusedError) {
      if (error.diagnostics.length > 0) {
        io.stderr.write(formatText(error.diagnostics, { sources: error.sources, color: flags.color && useColor(io, "stderr"), summary: summarize(error.diagnostics, error.sources.size) }));
      }
      throw new InputError(error.message, error.hint);
    }
    if (error instanceof BundleError) throw new InputError(`cannot bundle the endpoints:\n${error.messages.join("\n")}`);
    throw error;
  }
  for (const warning of result.warnings) io.stderr.write(`${paint("yellow", "warning")}: ${warning}\n`);
  const out = relative(io.cwd, result.outDir) || ".";
  io.stdout.write(`${paint("bold", `Built ${result.plan.name} for ${flags.target}`)} in ${out}/\n`);
  for (const file of result.files) io.stdout.write(`  ${file.name.padEnd(16)} ${formatBytes(file.bytes).padStart(9)}\n`);
  io.stdout.write(`\nSettings (one environment variable each${flags.target === "workers" ? ", a binding on Workers" : ""}):\n`);
  for (const line of settingsTable(result.plan.settings)) io.stdout.write(`  ${line}\n`);
  io.stdout.write(`\nRun: ${RUN[flags.target].replaceAll("{out}", out)}\n`);
  io.stdout.write(`How to run, deploy and set each setting: ${out}/README.md\n`);
  return EXIT.ok;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}
