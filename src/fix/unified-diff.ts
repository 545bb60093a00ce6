/**
 * Unified diffs (`diff -u`, three lines of context) of a file before and after `validate --fix`, for
 * `--fix-dry-run`: readable, and applicable with `git apply` or `patch -p1`. Lines are compared
 * with Myers' O(ND) algorithm, so a small fix to a large file costs little.
 */

type Op = { kind: " " | "-" | "+"; line: string };

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The edit script from `a` to `b`: Myers' greedy algorithm with its trace kept for the walk back. */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", line: a[--x]! });
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: "+", line: b[--y]! });
    else ops.push({ kind: "-", line: a[--x]! });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: " ", line: a[--x]! });
    y--;
  }
  return ops.reverse();
}

/**
 * A unified diff of one file; `before` undefined for a new file. Empty when nothing changed.
 * `path` is shown as `a/<path>` and `b/<path>`.
 */
export function unifiedDiff(path: string, before: string | undefined, after: string, context = 3): string {
  if (before === after) return "";
  const a = splitLines(before ?? "");
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const noNewline = (text: string | undefined): boolean => text !== undefined && text !== "" && !text.endsWith("\n");
  const header = `--- ${before === undefined ? "/dev/null" : `a/${path}`}\n+++ b/${path}\n`;
  const hunks: string[] = [];
  let i = 0;
  let lineA = 1;
  let lineB = 1;
  const positions = ops.map((op) => {
    const at = { a: lineA, b: lineB };
    if (op.kind !== "+") lineA++;
    if (op.kind !== "-") lineB++;
    return at;
  });
  while (i < ops.length) {
    if (ops[i]!.kind === " ") {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within two contexts.
    for (let j = i; j < ops.length; j++) {
      if (ops[j]!.kind !== " ") end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const slice = ops.slice(start, stop);
    const countA = slice.filter((op) => op.kind !== "+").length;
    const countB = slice.filter((op) => op.kind !== "-").length;
    const startA = countA === 0 ? positions[start]!.a - 1 : positions[start]!.a;
    const startB = countB === 0 ? positions[start]!.b - 1 : positions[start]!.b;
    const lines = slice.map((op, n) => {
      const at = positions[start + n]!;
      // `diff`'s marker after a last line that has no line break, so patch tools agree.
      const lastA = op.kind !== "+" && at.a === a.length && noNewline(before);
      const lastB = op.kind !== "-" && at.b === b.length && noNewline(after);
      return `${op.kind}${op.line}\n${lastA || lastB ? "\\ No newline at end of file\n" : ""}`;
    });
    hunks.push(`@@ -${startA},${countA} +${startB},${countB} @@\n${lines.join("")}`);
    i = stop;
    start = stop;
  }
  return header + hunks.join("");
}
