import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.parentPath.includes("__pycache__") && /\.(ts|js|py)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split("\\").join("/"));
}

test("ARCHITECTURE.md maps every source file in one line, and no file that is gone", () => {
  const map = readFileSync(join(ROOT, "ARCHITECTURE.md"), "utf8");
  const listed = new Set([...map.matchAll(/^- `([^`]+)`: \S/gm)].map((m) => m[1]!));
  const files = ["bin", "src", "python", "bench", "scripts"].flatMap(filesUnder);
  const missing = files.filter((f) => !listed.has(f));
  assert.deepEqual(missing, [], "add a line for each new file");
  const stale = [...listed].filter((f) => !files.includes(f));
  assert.deepEqual(stale, [], "remove the lines of files that no longer exist");
});
