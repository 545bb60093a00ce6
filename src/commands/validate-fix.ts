/**
 * `endpoint-kit validate --fix` and `--fix-dry-run`: makes (or shows as a unified diff) the fixes
 * the rules offer, lists each with its rule id, then reports what is left as `validate` does.
 */
import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { filePatch } from "../diff/unified-diff.js";
import { EXIT, EnvironmentError, UsageError } from "../errors.js";
import { planFixes, writeFixes, type FixResult } from "../fix/fix-plugin.js";
import { UnsafeWriteError } from "../fix/writer.js";
import { findEntry, UnreadablePathError } from "../project/load.js";
import type { ValidateFlags } from "../program.js";
import type { Io } from "../terminal/io.js";
import { runValidate } from "./validate.js";

function describeFix(d: Diagnostic): string {
  const at = d.line > 0 ? `:${d.line}:${d.column}` : "";
  return `${d.file}${at}: ${d.fix?.title ?? d.message} [${d.rule}]`;
}

export async function runValidateFix(paths: string[], flags: ValidateFlags, io: Io): Promise<number> {
  if (flags.fix && flags.fixDryRun) throw new UsageError("--fix and --fix-dry-run cannot be used together");
  const results: FixResult[] = [];
  const seen = new Set<string>();
  for (const path of paths.length > 0 ? paths : ["."]) {
    try {
      const entry = await findEntry(resolve(io.cwd, path));
      const key = entry.kind === "plugin" ? entry.root : entry.group;
      if (seen.has(key)) continue;
      seen.add(key);
      results.push(await planFixes(entry, io.cwd, { target: flags.target }));
    } catch (error) {
      if (!(error instanceof UnreadablePathError)) throw error;
      io.stderr.write(`${error.message}\n`);
      return EXIT.environment;
    }
  }
  const applied = results.flatMap((r) => r.applied);
  const files = results.flatMap((r) => r.files);
  if (flags.fixDryRun) {
    for (const file of files) io.stdout.write(filePatch(file.display, file.before, file.after));
    for (const d of applied) io.stderr.write(`would fix ${describeFix(d)}\n`);
    const remaining = results.flatMap((r) => r.remaining);
    const errors = remaining.filter((d) => d.severity === "error").length;
    io.stderr.write(`${plural(applied.length, "fix", "fixes")} would change ${plural(files.length, "file", "files")}; ${plural(errors, "error", "errors")} and ${plural(remaining.length - errors, "warning", "warnings")} would remain\n`);
    return files.length > 0 || errors > 0 ? EXIT.invalid : EXIT.ok;
  }
  try {
    for (const result of results) await writeFixes(result);
  } catch (error) {
    if (error instanceof UnsafeWriteError) throw new EnvironmentError(`refusing to write: ${error.message}`);
    throw error;
  }
  // The list goes beside the report: on stdout for the text report, else on stderr so the
  // machine-readable report stays alone on stdout.
  const out = flags.format === "text" && !flags.output ? io.stdout : io.stderr;
  for (const d of applied) out.write(`fixed ${describeFix(d)}\n`);
  if (applied.length > 0) out.write(`${plural(applied.length, "fix", "fixes")} made in ${plural(files.length, "file", "files")}\n\n`);
  return runValidate(paths, { ...flags, fix: false, fixDryRun: false }, io);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
