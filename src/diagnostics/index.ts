/**
 * The diagnostics concept: the `Diagnostic` type and one pure formatter per output format, chosen by
 * `--format`. Commands collect diagnostics, pick a format here, and print what it returns.
 */
import type { Diagnostic } from "./diagnostic.js";
import { formatGithub } from "./format-github.js";
import { formatJson, type JsonFormatContext } from "./format-json.js";
import { formatSarif, type SarifFormatContext } from "./format-sarif.js";
import { formatText, type TextFormatContext } from "./format-text.js";

export * from "./diagnostic.js";
export { formatGithub } from "./format-github.js";
export { formatJson, type JsonDiagnostic, type JsonFormatContext, type JsonReport } from "./format-json.js";
export { formatSarif, type RuleDescription, type SarifFormatContext } from "./format-sarif.js";
export { formatSummary, formatText, formatTextEntries, type TextFormatContext } from "./format-text.js";

export const OUTPUT_FORMATS = ["text", "json", "github", "sarif"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Everything any format needs; each formatter reads only its part. */
export type FormatContext = TextFormatContext & JsonFormatContext & SarifFormatContext;

const formatters: Record<OutputFormat, (diagnostics: readonly Diagnostic[], context: FormatContext) => string> = {
  text: formatText,
  json: formatJson,
  github: formatGithub,
  sarif: formatSarif,
};

/** Renders diagnostics in the chosen format; the caller sorts them first (`sortDiagnostics`) for stable output. */
export function formatDiagnostics(format: OutputFormat, diagnostics: readonly Diagnostic[], context: FormatContext): string {
  return formatters[format](diagnostics, context);
}
