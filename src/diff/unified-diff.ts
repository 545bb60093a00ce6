/**
 * Unified diffs of two texts, line by line (Myers' algorithm): `---`/`+++` headers, `@@` hunks with
 * three lines of context, and `\ No newline at end of file` where it applies, as `diff -u` prints them.
 * `endpoint-kit test` shows with it how a body differs from its fixture; `validate --fix-dry-run`
 * prints with `filePatch` a patch that `git apply` and `patch -p1` read.
 */

/** How a diff is labelled and laid out. */
export interface DiffOptions {
  /** The name after `---`: `expected`, `a/group/neko.yaml`, `/dev/null`. */
  from: string;
  /** The name after `+++`. */
  to: string;
  /** Unchanged lines shown around each change; 3, as `diff -u`. */
  context?: number;
  /**
   * Whether a one-line range keeps its count (`@@ -1,1 +1,1 @@`) instead of dropping it as `diff -u`
   * does (`@@ -1 +1 @@`). Both forms are valid; `--fix-dry-run` has always written the count.
   */
  alwaysCount?: boolean;
}

type Op = { kind: " " | "-" | "+"; line: string };

interface Hunk {
  aStart: number;
  aCount: number;
  bStart: number;
  bCount: number;
  ops: Op[];
}

/** Beyond this many differing lines the diff is not worth computing: everything is shown replaced. */
const MAX_EDITS = 4000;

/** The diff from `before` to `after`, or "" when they are equal. */
export function unifiedDiff(before: string, after: string, options: DiffOptions): string {
  if (before === after) return "";
  const context = options.context ?? 3;
  const range = (start: number, count: number): string =>
    // An empty range names the line before it.
    count === 1 && options.alwaysCount !== true ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
  let out = `--- ${options.from}\n+++ ${options.to}\n`;
  for (const hunk of hunks(diffLines(splitLines(before), splitLines(after)), context)) {
    out += `@@ -${range(hunk.aStart, hunk.aCount)} +${range(hunk.bStart, hunk.bCount)} @@\n`;
    for (const op of hunk.ops) {
      out += op.kind + op.line;
      if (!op.line.endsWith("\n")) out += "\n\\ No newline at end of file\n";
    }
  }
  return out;
}

/**
 * A patch of one file as git writes it: `a/<path>` and `b/<path>`, `/dev/null` when `before` is
 * undefined (a new file), every range with its count. Empty when nothing changed.
 */
export function filePatch(path: string, before: string | undefined, after: string): string {
  const from = before === undefined ? "/dev/null" : `a/${path}`;
  return unifiedDiff(before ?? "", after, { from, to: `b/${path}`, alwaysCount: true });
}

/** Splits keeping each line's `\n`, so a missing final newline is a difference too. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.split(/(?<=\n)/);
}

/**
 * Line operations turning `a` into `b`. Past `MAX_EDITS` differing lines the common prefix and suffix
 * stay and everything between is shown replaced. The suffix is not stripped before the search, since
 * the search's own choice among equally short scripts is the one `diff -u` and git make (a deleted
 * block that repeats the lines after it is shown last, not first).
 */
function diffLines(a: string[], b: string[]): Op[] {
  const ops = myers(a, b);
  if (ops !== undefined) return ops;
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const same = (line: string): Op => ({ kind: " ", line });
  return [
    ...a.slice(0, prefix).map(same),
    ...a.slice(prefix, a.length - suffix).map((line): Op => ({ kind: "-", line })),
    ...b.slice(prefix, b.length - suffix).map((line): Op => ({ kind: "+", line })),
    ...a.slice(a.length - suffix).map(same),
  ];
}

/**
 * Myers' greedy O(ND) search; undefined past `MAX_EDITS`. The trace keeps, for each step `d`, the
 * furthest reach on diagonals `-d..d` only, so memory grows with the square of the edits, not with
 * the file's length.
 */
function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return undefined;
}

/** Walks the trace back from the end: each step one insertion or deletion after a run of equal lines. */
function backtrack(trace: Int32Array[], a: string[], b: string[], depth: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = depth; d > 0; d--) {
    // trace[d] holds diagonals -d..d at indices 0..2d.
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && v[d + k - 1]! < v[d + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[d + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", line: a[--x]! });
      y--;
    }
    if (down) ops.push({ kind: "+", line: b[--y]! });
    else ops.push({ kind: "-", line: a[--x]! });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: " ", line: a[--x]! });
    y--;
  }
  return ops.reverse();
}

/** Groups changes into hunks; changes at most `2 * context` unchanged lines apart share one, as in `diff -u`. */
function hunks(ops: Op[], context: number): Hunk[] {
  // The 1-based line numbers, in `a` and in `b`, where each op stands.
  const aLines = new Int32Array(ops.length + 1);
  const bLines = new Int32Array(ops.length + 1);
  aLines[0] = 1;
  bLines[0] = 1;
  ops.forEach((op, i) => {
    aLines[i + 1] = aLines[i]! + (op.kind !== "+" ? 1 : 0);
    bLines[i + 1] = bLines[i]! + (op.kind !== "-" ? 1 : 0);
  });
  const changed = ops.flatMap((op, i) => (op.kind !== " " ? [i] : []));
  const result: Hunk[] = [];
  for (let i = 0; i < changed.length; i++) {
    const first = changed[i]!;
    let last = first;
    while (i + 1 < changed.length && changed[i + 1]! - last - 1 <= 2 * context) last = changed[++i]!;
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length, last + context + 1);
    result.push({
      aStart: aLines[from]!,
      aCount: aLines[to]! - aLines[from]!,
      bStart: bLines[from]!,
      bCount: bLines[to]! - bLines[from]!,
      ops: ops.slice(from, to),
    });
  }
  return result;
}
