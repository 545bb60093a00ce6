/**
 * The error `loadPlugin()` throws when a plugin cannot be served: its diagnostics (the same ones
 * `endpoint-kit validate` prints, plus sources that failed to load) as data, and a readable message.
 * Kept apart from the loader so that importing it costs nothing.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";

export class PluginLoadError extends Error {
  /** Every problem found, errors first; `line` and `column` are 1-based, 0 when unknown. */
  readonly diagnostics: readonly Diagnostic[];
  /** `not-found`: no readable plugin at that path; `invalid`: the plugin, its settings or a source has an error. */
  readonly code: "not-found" | "invalid";
  constructor(message: string, diagnostics: readonly Diagnostic[] = [], code: "not-found" | "invalid" = "invalid") {
    const errors = diagnostics.filter((d) => d.severity === "error");
    const lines = errors.slice(0, 10).map((d) => `  ${d.file}${d.line > 0 ? `:${d.line}:${d.column}` : ""}: ${d.message} [${d.rule}]`);
    if (errors.length > 10) lines.push(`  ... and ${errors.length - 10} more`);
    super(lines.length > 0 ? `${message}\n${lines.join("\n")}` : message);
    this.name = "PluginLoadError";
    this.diagnostics = diagnostics;
    this.code = code;
  }
}
