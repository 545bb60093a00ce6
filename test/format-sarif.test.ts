import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatSarif, type Diagnostic, type SarifFormatContext } from "../src/diagnostics/index.js";
import { assertGolden, SETTING_TYPE_ERROR } from "./helpers/format-golden.js";



const context: SarifFormatContext = {
  toolVersion: "0.1.0",
  informationUri: "https://example.com/endpoint-kit",
  rules: [
    { id: "setting-type", description: "A setting's type is one Dify knows", helpUri: "https://example.com/rules/setting-type" },
    { id: "group-key", description: "A group holds only the keys Dify reads" },
    { id: "manifest-icon", description: "The manifest names an icon that exists" },
    { id: "unused-rule", description: "Listed even when it did not fire" },
  ],
};

const diagnostics: Diagnostic[] = [
  SETTING_TYPE_ERROR,
  { file: "./group/neko.yaml", line: 3, column: 5, severity: "warning", rule: "group-key", message: 'unknown key "sorce"' },
  { file: "group\\win.yaml", line: 7, column: 0, endLine: 9, endColumn: 4, severity: "warning", rule: "group-key", message: "span" },
  { file: "manifest.yaml", line: 0, column: 0, severity: "error", rule: "manifest-icon", message: "no icon declared" },
  { file: "my plugin/a#1.yaml", line: 2, column: 1, severity: "error", rule: "not-in-list", message: "a rule the context did not list" },
  { file: "/abs/path.yaml", line: 1, column: 1, severity: "warning", rule: "group-key", message: "absolute" },
];

interface Region {
  startLine?: unknown;
  startColumn?: unknown;
  endLine?: unknown;
  endColumn?: unknown;
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, unknown>> } };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: Region } }>;
    }>;
  }>;
}

const isPositive = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;

/** The constraints of the SARIF 2.1.0 schema and of GitHub code scanning that this output can break. */
function checkForGithub(log: SarifLog): void {
  assert.equal(log.version, "2.1.0");
  assert.match(log.$schema, /sarif-2\.1\.0\.json$/);
  assert.equal(log.runs.length, 1);
  const [run] = log.runs;
  assert.ok(run);
  const { driver } = run.tool;
  assert.equal(driver.name, "endpoint-kit");
  assert.ok(driver.version && URL.canParse(driver.informationUri));
  const ids = driver.rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, "rule ids are unique");
  for (const rule of driver.rules) {
    for (const key of ["shortDescription", "fullDescription", "help"]) {
      assert.ok((rule[key] as { text?: string } | undefined)?.text, `${String(rule.id)} has ${key}.text`);
    }
  }
  assert.ok(Array.isArray(run.results));
  for (const result of run.results) {
    assert.equal(driver.rules[result.ruleIndex]?.id, result.ruleId, "ruleIndex points at ruleId");
    assert.ok(result.level === "error" || result.level === "warning");
    assert.ok(result.message.text.trim() !== "");
    assert.equal(result.locations.length, 1);
    const { artifactLocation, region } = result.locations[0]?.physicalLocation ?? assert.fail("no physicalLocation");
    assert.ok(!artifactLocation.uri.includes("\\") && artifactLocation.uri !== "");
    assert.ok(URL.canParse(artifactLocation.uri, "file:///root/"), `a URI reference: ${artifactLocation.uri}`);
    if (artifactLocation.uriBaseId !== undefined) assert.doesNotMatch(artifactLocation.uri, /^(\/|\.\/|[a-z]+:)/i);
    else assert.match(artifactLocation.uri, /^file:\/\/\//);
    assert.ok(region && isPositive(region.startLine), "GitHub requires region.startLine >= 1");
    for (const key of ["startColumn", "endLine", "endColumn"] as const) {
      if (key in region) assert.ok(isPositive(region[key]), `${key} >= 1`);
    }
    if ("endLine" in region) assert.ok((region.endLine as number) >= (region.startLine as number));
    if ("endColumn" in region && (region.endLine ?? region.startLine) === region.startLine) {
      assert.ok((region.endColumn as number) >= ((region.startColumn as number | undefined) ?? 1));
    }
  }
}

describe("formatSarif", () => {
  test("renders a log GitHub code scanning accepts", () => {
    const out = formatSarif(diagnostics, context);
    assertGolden("sarif.sarif", out);
    assert.ok(out.endsWith("}\n"));
    checkForGithub(JSON.parse(out) as SarifLog);
  });

  test("lists every known rule, then the ones that fired without being known", () => {
    const log = JSON.parse(formatSarif(diagnostics, context)) as SarifLog;
    const ids = log.runs[0]?.tool.driver.rules.map((r) => r.id);
    assert.deepEqual(ids, ["setting-type", "group-key", "manifest-icon", "unused-rule", "not-in-list"]);
  });

  test("keeps an empty results array when nothing was found", () => {
    const log = JSON.parse(formatSarif([], context)) as SarifLog;
    checkForGithub(log);
    assert.deepEqual(log.runs[0]?.results, []);
    assert.equal(log.runs[0]?.tool.driver.rules.length, 4);
  });

  test("locates files by relative URI under %SRCROOT%, and absolute paths as file URIs", () => {
    const log = JSON.parse(formatSarif(diagnostics, context)) as SarifLog;
    const locations = log.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation);
    assert.deepEqual(locations, [
      { uri: "group/neko.yaml", uriBaseId: "%SRCROOT%" },
      { uri: "group/neko.yaml", uriBaseId: "%SRCROOT%" },
      { uri: "group/win.yaml", uriBaseId: "%SRCROOT%" },
      { uri: "manifest.yaml", uriBaseId: "%SRCROOT%" },
      { uri: "my%20plugin/a%231.yaml", uriBaseId: "%SRCROOT%" },
      { uri: "file:///abs/path.yaml" },
    ]);
  });

  test("turns each position into a valid region", () => {
    const log = JSON.parse(formatSarif(diagnostics, context)) as SarifLog;
    const regions = log.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.region);
    assert.deepEqual(regions, [
      { startLine: 12, startColumn: 11, endLine: 12, endColumn: 24 },
      { startLine: 3, startColumn: 5 },
      { startLine: 7, endLine: 9 },
      { startLine: 1 },
      { startLine: 2, startColumn: 1 },
      { startLine: 1, startColumn: 1 },
    ]);
  });

  test("puts a Windows drive path in a file URI", () => {
    const [d] = diagnostics;
    const log = JSON.parse(formatSarif([{ ...(d as Diagnostic), file: "C:\\work\\my plugin\\m.yaml" }], context)) as SarifLog;
    assert.deepEqual(log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation, {
      uri: "file:///C:/work/my%20plugin/m.yaml",
    });
  });
});
