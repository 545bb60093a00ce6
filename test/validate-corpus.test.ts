/**
 * The corpus of real plugins (`../shared/corpus/dify/`): every plugin that works on Dify today must
 * validate without an error, and the historical state of the WeCom bot must fail on its `ANY` method.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { JsonReport } from "../src/diagnostics/index.js";
import { CORPUS_DIR, REPO_ROOT } from "./helpers/repo.js";
import { runCliCaptured } from "./helpers/run-cli.js";

const folders = readdirSync(CORPUS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const working = folders.filter((name) => !name.startsWith("_historical_"));
const HISTORICAL = "_historical__official__wecom_bot__30f453a3";

async function validateJson(paths: string[], cwd: string): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await runCliCaptured(["validate", "--format", "json", ...paths], { cwd });
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

function describeErrors(report: JsonReport): string {
  return report.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => `${d.file}:${d.line ?? 0}:${d.column ?? 0}: ${d.message} [${d.rule}]`)
    .join("\n");
}

describe("validate on the corpus of real plugins", () => {
  test("the corpus holds the sixteen working plugins and the historical one", () => {
    assert.equal(working.length, 16);
    assert.ok(folders.includes(HISTORICAL));
  });

  for (const name of working) {
    test(`${name}: no error`, async () => {
      const { code, report, stderr } = await validateJson(["."], join(CORPUS_DIR, name));
      assert.equal(describeErrors(report), "");
      assert.equal(report.summary.errors, 0);
      assert.ok(report.summary.files >= 3, "the manifest, a group, an endpoint and its source were read");
      assert.equal(code, 0);
      assert.equal(stderr, "");
    });
  }

  test(`${HISTORICAL}: method "ANY" is an error at endpoints/wecom.yaml:2:9`, async () => {
    const { code, report } = await validateJson(["."], join(CORPUS_DIR, HISTORICAL));
    assert.equal(code, 1);
    const errors = report.diagnostics.filter((d) => d.severity === "error");
    assert.equal(errors.length, 1, describeErrors(report));
    const [error] = errors;
    assert.equal(error?.rule, "endpoint-method");
    assert.equal(error?.file, "endpoints/wecom.yaml");
    // `method: "ANY"`: the quoted value starts at column 9 and ends before column 14.
    assert.deepEqual([error?.line, error?.column, error?.endLine, error?.endColumn], [2, 9, 2, 14]);
    assert.match(error?.message ?? "", /"ANY" never matches/);
  });

  test("all corpus folders in one call: only the historical error, paths relative to the working directory", async () => {
    const { code, report } = await validateJson(folders.map((name) => join(CORPUS_DIR, name)), REPO_ROOT);
    assert.equal(code, 1);
    const errors = report.diagnostics.filter((d) => d.severity === "error");
    assert.deepEqual(
      errors.map((d) => [d.file, d.line, d.column, d.rule]),
      [[`../shared/corpus/dify/${HISTORICAL}/endpoints/wecom.yaml`, 2, 9, "endpoint-method"]],
    );
    // Every folder contributed its files: at least four each (manifest, group, endpoint, source).
    assert.ok(report.summary.files >= folders.length * 4, `${report.summary.files} files`);
  });

  test("the text report of the historical plugin shows the value under a caret", async () => {
    const run = await runCliCaptured(["validate", "--no-color", "."], { cwd: join(CORPUS_DIR, HISTORICAL) });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^endpoints\/wecom\.yaml:2:9: error: method "ANY" never matches a request.*\[endpoint-method\]\n {2}2 \| method: "ANY"\n {4}\| {9}\^~~~~\n/m);
  });
});
