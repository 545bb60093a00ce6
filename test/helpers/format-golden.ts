/**
 * Golden files of the output formats (`test/fixtures/format/`), and the diagnostic every format test
 * starts from. `UPDATE_GOLDEN=1` rewrites the files (then review the diff).
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import type { Diagnostic } from "../../src/diagnostics/index.js";

const FIXTURES = new URL("../../../test/fixtures/format/", import.meta.url);

/** Compares `actual` with the golden file `name`. */
export function assertGolden(name: string, actual: string): void {
  const url = new URL(name, FIXTURES);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(url, actual);
  assert.equal(actual, readFileSync(url, "utf8"));
}

/** A typical error with a range on one line and a hint. */
export const SETTING_TYPE_ERROR: Diagnostic = {
  file: "group/neko.yaml",
  line: 12,
  column: 11,
  endLine: 12,
  endColumn: 24,
  severity: "error",
  rule: "setting-type",
  message: 'unknown setting type "tool-selector"',
  hint: 'did you mean "array[tools]"?',
};
