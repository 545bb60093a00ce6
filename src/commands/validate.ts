/**
 * `endpoint-kit validate`: lint plugins and print the diagnostics in the chosen format.
 */
import { writeFile } from "node:fs/promises";
import { closeSync, constants, openSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { formatDiagnostics, summarize } from "../diagnostics/index.js";
import { RULES } from "../manifest/rules/index.js";
import { checkPaths } from "../project/check.js";
import { EXIT, EnvironmentError } from "../errors.js";
import { packageVersion } from "../package-root.js";
import { useColor, type Io } from "../terminal/io.js";
import type { ValidateFlags } from "../program.js";

const version = packageVersion();

/** One line per rule: id, default severity, description. */
export function renderRuleList(): string {
  const width = Math.max(...RULES.map((r) => r.id.length));
  return RULES.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.description}`).join("\n") + "\n";
}

export async function runValidate(paths: string[], flags: ValidateFlags, io: Io): Promise<number> {
  if (flags.listRules) {
    io.stdout.write(renderRuleList());
    return EXIT.ok;
  }
  if (flags.fix || flags.fixDryRun) return (await import("./validate-fix.js")).runValidateFix(paths, flags, io);
  const result = await checkPaths(paths.length > 0 ? paths : ["."], io.cwd, { target: flags.target });
  for (const message of result.unreadable) io.stderr.write(`${message}\n`);
  const summary = summarize(result.diagnostics, result.files);
  const report = formatDiagnostics(flags.format, result.diagnostics, {
    sources: result.sources,
    color: flags.color && !flags.output && useColor(io, "stdout"),
    summary,
    rules: RULES.map((r) => ({ id: r.id, description: r.description })),
    toolVersion: version,
    informationUri: "https://www.npmjs.com/package/endpoint-kit",
  });
  const nothingChecked = result.projects.length === 0 && result.unreadable.length > 0;
  if (nothingChecked && flags.format === "text") return EXIT.environment;
  if (flags.output) {
    const target = resolve(io.cwd, flags.output);
    try {
      // Opening a FIFO nobody reads would wait forever: a non-blocking open says whether a reader is there.
      if (statSync(target, { throwIfNoEntry: false })?.isFIFO()) closeSync(openSync(target, constants.O_WRONLY | constants.O_NONBLOCK));
      await writeFile(target, report);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENXIO") throw new EnvironmentError(`cannot write ${flags.output}: it is a FIFO that no program is reading`, "start the reader first, or give a regular file");
      throw new EnvironmentError(`cannot write ${flags.output}: ${code ?? String(error)}`);
    }
  } else {
    io.stdout.write(report);
  }
  if (result.unreadable.length > 0) return EXIT.environment;
  if (summary.errors > 0) return EXIT.invalid;
  if (flags.maxWarnings !== undefined && summary.warnings > flags.maxWarnings) {
    io.stderr.write(`${summary.warnings} warnings exceed --max-warnings ${flags.maxWarnings}\n`);
    return EXIT.invalid;
  }
  return EXIT.ok;
}
