/**
 * Golden files for `validate`: each folder `test/fixtures/golden/<rule-id>/<case>/` holds a small
 * plugin that is valid except for one problem, beside `expected.txt`, the exact text report
 * (`validate --format text --no-color .` run from inside the folder, so paths are relative). An
 * optional `args.txt` adds flags, one per line (e.g. `--target dify`).
 *
 * After a deliberate change to a rule or to the text format, rewrite the expected files with
 *   UPDATE_GOLDEN=1 node --test dist/test/validate-golden.test.js
 * and review the diff: every line and column must point at the offending key or value.
 * (The cases live under test/fixtures/ so that tsc and eslint leave their .ts sources alone.)
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { RULES } from "../src/manifest/rules/index.js";
import { REPO_ROOT } from "./helpers/repo.js";
import { runCliCaptured } from "./helpers/run-cli.js";

const GOLDEN_DIR = join(REPO_ROOT, "test", "fixtures", "golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

interface GoldenCase {
  rule: string;
  name: string;
  dir: string;
}

function listCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const rule of readdirSync(GOLDEN_DIR).sort()) {
    for (const name of readdirSync(join(GOLDEN_DIR, rule)).sort()) cases.push({ rule, name, dir: join(GOLDEN_DIR, rule, name) });
  }
  return cases;
}

function readArgs(dir: string): string[] {
  const file = join(dir, "args.txt");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((line) => line !== "") : [];
}

const cases = listCases();

describe("validate golden files", () => {
  test("every rule has at least one golden case, and every case folder is named after a rule", () => {
    const ids = RULES.map((r) => r.id);
    const covered = new Set(cases.map((c) => c.rule));
    assert.deepEqual(ids.filter((id) => !covered.has(id)), [], "rules without a golden case");
    assert.deepEqual([...covered].filter((rule) => !ids.includes(rule)), [], "golden folders named after no rule");
  });

  for (const c of cases) {
    test(`${c.rule}/${c.name}`, async () => {
      const run = await runCliCaptured(["validate", "--format", "text", "--no-color", ...readArgs(c.dir), "."], { cwd: c.dir });
      const expectedFile = join(c.dir, "expected.txt");
      if (UPDATE) writeFileSync(expectedFile, run.stdout);
      assert.equal(run.stderr, "", "nothing on stderr");
      assert.equal(run.stdout, readFileSync(expectedFile, "utf8"));
      // The case exercises its own rule, and the exit code follows the severities in the report.
      assert.match(run.stdout, new RegExp(`\\[${c.rule}\\]$`, "m"), `the report names [${c.rule}]`);
      const hasErrors = /^\d+ errors?\b/m.test(run.stdout);
      assert.equal(run.code, hasErrors ? 1 : 0, "exit code");
    });
  }
});
