import type { Diagnostic } from "./diagnostic.js";
import { rangeOf, toSlashes } from "./format-range.js";

/** A rule as the SARIF driver lists it. */
export interface RuleDescription {
  id: string;
  /** One line saying what the rule checks. */
  description: string;
  helpUri?: string;
}

export interface SarifFormatContext {
  /** Every rule the tool knows; a rule that fired but is missing here is listed by its id alone. */
  rules: readonly RuleDescription[];
  toolVersion: string;
  informationUri: string;
}

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the rules in `tool.driver.rules`, one result per
 * diagnostic located by a relative URI under `%SRCROOT%`. GitHub requires a region with `startLine`,
 * so a diagnostic without a position points at line 1 of its file. Indented by two spaces.
 */
export function formatSarif(diagnostics: readonly Diagnostic[], context: SarifFormatContext): string {
  const rules = listRules(context.rules, diagnostics);
  const indexOf = new Map(rules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "endpoint-kit",
            version: context.toolVersion,
            informationUri: context.informationUri,
            rules: rules.map(toReportingDescriptor),
          },
        },
        columnKind: "utf16CodeUnits",
        results: diagnostics.map((d) => ({
          ruleId: d.rule,
          ruleIndex: indexOf.get(d.rule) ?? -1,
          level: d.severity,
          message: { text: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message },
          locations: [{ physicalLocation: { artifactLocation: toArtifactLocation(d.file), region: toRegion(d) } }],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The known rules in their given order (first of a repeated id wins), then any other rule that fired. */
function listRules(known: readonly RuleDescription[], diagnostics: readonly Diagnostic[]): RuleDescription[] {
  const byId = new Map<string, RuleDescription>();
  for (const rule of known) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  for (const d of diagnostics) if (!byId.has(d.rule)) byId.set(d.rule, { id: d.rule, description: `Rule ${d.rule}` });
  return [...byId.values()];
}

function toReportingDescriptor(rule: RuleDescription) {
  // GitHub shows fullDescription and help where they exist; we have one line for all three.
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    help: { text: rule.description },
    ...(rule.helpUri === undefined ? {} : { helpUri: rule.helpUri }),
  };
}

function toRegion(diagnostic: Diagnostic) {
  const { line, column, endLine, endColumn } = rangeOf(diagnostic);
  if (line === null) return { startLine: 1 };
  return {
    startLine: line,
    ...(column === null ? {} : { startColumn: column }),
    ...(endLine === null ? {} : { endLine }),
    ...(endColumn === null ? {} : { endColumn }),
  };
}

/**
 * A relative path becomes a relative URI reference under `%SRCROOT%` (each segment percent-encoded, so
 * `a b#1.yaml` or `c:d` stay paths); an absolute path becomes a `file:` URI.
 */
function toArtifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const path = toSlashes(file);
  const drive = /^[A-Za-z]:\//.exec(path);
  if (drive) return { uri: `file:///${path.slice(0, 2)}${encodePath(path.slice(2))}` };
  if (path.startsWith("/")) return { uri: `file://${encodePath(path)}` };
  return { uri: encodePath(path.replace(/^(\.\/)+/, "")), uriBaseId: "%SRCROOT%" };
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
