/**
 * The one unified-diff writer: `diff -u`'s layout for `endpoint-kit test`, git's patch of a file for
 * `validate --fix-dry-run`, checked against the system's `diff -u` where both must agree.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { filePatch, unifiedDiff } from "../src/diff/unified-diff.js";

const labels = { from: "expected", to: "actual" };
const lines = (...all: string[]): string => all.map((l) => `${l}\n`).join("");
const numbers = (n: number): string[] => Array.from({ length: n }, (_, i) => `${i + 1}`);

// [what, a, b, diff]
const DIFFS: Array<[string, string, string, string]> = [
  ["equal", "a\n", "a\n", ""],
  ["missing final newline", "a\n", "a", "--- expected\n+++ actual\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"],
  ["from empty", "", "x\n", "--- expected\n+++ actual\n@@ -0,0 +1 @@\n+x\n"],
  ["to empty", "x\n", "", "--- expected\n+++ actual\n@@ -1 +0,0 @@\n-x\n"],
  ["six unchanged lines between: one hunk", lines(...numbers(10)), lines("1", "X", "3", "4", "5", "6", "7", "8", "Y", "10"), `--- expected\n+++ actual\n@@ -1,10 +1,10 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+Y\n 10\n`],
  ["seven unchanged lines between: two hunks", lines(...numbers(11)), lines("1", "X", "3", "4", "5", "6", "7", "8", "9", "Y", "11"), "--- expected\n+++ actual\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -7,5 +7,5 @@\n 7\n 8\n 9\n-10\n+Y\n 11\n"],
  ["insertion in the middle", "a\nb\nc\n", "a\nb\nnew\nc\n", "--- expected\n+++ actual\n@@ -1,3 +1,4 @@\n a\n b\n+new\n c\n"],
];

for (const [what, a, b, diff] of DIFFS) {
  test(`unified diff: ${what}`, () => assert.equal(unifiedDiff(a, b, labels), diff));
}

test("a diff applied line by line gives back the actual text", () => {
  const a = Array.from({ length: 60 }, (_, i) => `line ${i}`).join("\n") + "\n";
  const b = a.replace("line 3\n", "").replace("line 40", "line forty").replace("line 59\n", "line 59\nextra\n");
  assert.equal(applyDiff(a, unifiedDiff(a, b, labels)), b);
});

test("file patches: a/ and b/ names, /dev/null for a new file, every range with its count", () => {
  assert.equal(filePatch("f", "a\nb\nc\n", "a\nB\nc\n"), "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  assert.equal(filePatch("n", undefined, "x\n"), "--- /dev/null\n+++ b/n\n@@ -0,0 +1,1 @@\n+x\n");
  assert.equal(filePatch("f", "a", "b"), "--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n");
  assert.equal(filePatch("f", "same\n", "same\n"), "");
  const long = Array.from({ length: 20 }, (_, i) => `line ${i}`);
  const changed = [...long];
  changed[2] = "two";
  changed[17] = "seventeen";
  assert.equal((filePatch("f", `${long.join("\n")}\n`, `${changed.join("\n")}\n`).match(/^@@/gm) ?? []).length, 2, "far apart changes make two hunks");
});

test("file patches: a change of the final line break is a change, never a context line", () => {
  assert.equal(filePatch("f", "a\nb\n", "a\nb"), "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n");
  // The old last line loses its place as last: the new last line is the one without a line break.
  const patch = filePatch("f", "a\nb\nc", "a\nb");
  assert.equal(patch, "--- a/f\n+++ b/f\n@@ -1,3 +1,2 @@\n a\n-b\n-c\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n");
  assert.equal(applyDiff("a\nb\nc", patch), "a\nb");
});

test("past the edit limit, the common ends stay and everything between is shown replaced", () => {
  const a = lines("head", ...numbers(3000).map((n) => `a${n}`), "tail");
  const b = lines("head", ...numbers(3000).map((n) => `b${n}`), "tail");
  const diff = unifiedDiff(a, b, labels);
  assert.match(diff, /^@@ -1,3002 \+1,3002 @@\n head\n-a1\n/m);
  assert.equal(applyDiff(a, diff), b);
});

const temp = await mkdtemp(join(tmpdir(), "ek-unified-diff-"));
after(() => rm(temp, { recursive: true, force: true }));

// Inputs where the shortest edit is unique up to where a block goes, so `diff -u` must print the same hunks.
const AS_DIFF_PRINTS: Array<[string, string, string]> = [
  ["changes six lines apart", lines(...numbers(10)), lines("1", "X", "3", "4", "5", "6", "7", "8", "Y", "10")],
  ["changes seven lines apart", lines(...numbers(11)), lines("1", "X", "3", "4", "5", "6", "7", "8", "9", "Y", "11")],
  ["a deleted block that repeats the lines after it", lines("a", "endpoint:", "  enabled: true", "tool:", "  enabled: true", "storage:", "  enabled: true"), lines("a", "endpoint:", "  enabled: true", "storage:", "  enabled: true")],
  ["a new last line", "x\ny", "x\ny\nz\n"],
  ["one line of many", lines(...numbers(30)), lines(...numbers(30)).replace("\n17\n", "\nseventeen\n")],
];

for (const [what, a, b] of AS_DIFF_PRINTS) {
  test(`unified diff as diff -u prints it: ${what}`, async () => {
    await writeFile(join(temp, "a"), a);
    await writeFile(join(temp, "b"), b);
    const diff = spawnSync("diff", ["-u", join(temp, "a"), join(temp, "b")], { encoding: "utf8" });
    assert.equal(diff.status, 1, diff.stderr);
    const hunks = (text: string): string => text.slice(text.indexOf("@@"));
    assert.equal(hunks(unifiedDiff(a, b, labels)), hunks(diff.stdout));
  });
}

/** Rebuilds the new text from the old one and a diff's hunks, as `patch` would. */
function applyDiff(a: string, diff: string): string {
  const aLines = a.split(/(?<=\n)/);
  const out: string[] = [];
  let at = 0;
  for (const hunk of diff.split(/^(?=@@)/m).slice(1)) {
    const start = Number(/^@@ -(\d+)/.exec(hunk)?.[1]) - 1;
    while (at < start) out.push(aLines[at++]!);
    let previous = "";
    for (const line of hunk.split(/(?<=\n)/).slice(1)) {
      // The marker takes the line break off the line before it, if that line is kept.
      if (line.startsWith("\\")) {
        if (previous !== "-") out.push(out.pop()!.replace(/\n$/, ""));
        continue;
      }
      previous = line[0]!;
      if (line.startsWith(" ")) {
        out.push(line.slice(1));
        at++;
      } else if (line.startsWith("-")) at++;
      else if (line.startsWith("+")) out.push(line.slice(1));
    }
  }
  while (at < aLines.length) out.push(aLines[at++]!);
  return out.join("");
}
