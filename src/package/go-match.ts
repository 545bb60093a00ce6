/**
 * Go's `filepath.Match` on a `/`-separated system, which go-git's gitignore patterns use for each
 * path component: `*` and `?` never cross `/`, `[...]` negates with `^` only (a leading `!` is a
 * literal), `\` escapes, and a malformed pattern is an error rather than a literal.
 */

/** `true`/`false`, or `"bad-pattern"` when Go would return `ErrBadPattern`. */
export type GoMatchResult = boolean | "bad-pattern";

/** Whether `name` matches the whole of `pattern`, exactly as Go's `filepath.Match` decides. */
export function goMatch(pattern: string, name: string): GoMatchResult {
  let rest = pattern;
  let text = name;
  outer: while (rest.length > 0) {
    const { star, chunk, after } = scanChunk(rest);
    rest = after;
    if (star && chunk === "") return !text.includes("/");
    const first = matchChunk(chunk, text);
    if (first === "bad-pattern") return first;
    if (first !== null && (first.length === 0 || rest.length > 0)) {
      text = first;
      continue;
    }
    if (star) {
      // Let the star swallow one more character at a time, never a separator.
      for (let i = 0; i < text.length && text[i] !== "/"; i++) {
        const skipped = matchChunk(chunk, text.slice(i + 1));
        if (skipped === "bad-pattern") return skipped;
        if (skipped !== null) {
          if (rest.length === 0 && skipped.length > 0) continue;
          text = skipped;
          continue outer;
        }
      }
    }
    // Go checks that the rest of the pattern is well formed before answering "no".
    while (rest.length > 0) {
      const next = scanChunk(rest);
      rest = next.after;
      if (matchChunk(next.chunk, "") === "bad-pattern") return "bad-pattern";
    }
    return false;
  }
  return text.length === 0;
}

function scanChunk(pattern: string): { star: boolean; chunk: string; after: string } {
  let start = 0;
  while (pattern[start] === "*") start++;
  const body = pattern.slice(start);
  let inRange = false;
  let i = 0;
  for (; i < body.length; i++) {
    const c = body[i];
    if (c === "\\") {
      if (i + 1 < body.length) i++;
    } else if (c === "[") inRange = true;
    else if (c === "]") inRange = false;
    else if (c === "*" && !inRange) break;
  }
  return { star: start > 0, chunk: body.slice(0, i), after: body.slice(i) };
}

/**
 * Matches one star-free chunk at the start of `s`: the rest of `s`, `null` for no match, or
 * `"bad-pattern"`. Like Go, it keeps parsing the chunk after a failure so malformed chunks are reported.
 */
function matchChunk(chunk: string, input: string): string | null | "bad-pattern" {
  const s = Array.from(input);
  const c = Array.from(chunk);
  let si = 0;
  let ci = 0;
  let failed = false;
  while (ci < c.length) {
    if (!failed && si >= s.length) failed = true;
    const p = c[ci]!;
    if (p === "[") {
      const r = failed ? "" : s[si++]!;
      ci++;
      let negated = false;
      if (c[ci] === "^") {
        negated = true;
        ci++;
      }
      let matched = false;
      let ranges = 0;
      for (;;) {
        if (ci < c.length && c[ci] === "]" && ranges > 0) {
          ci++;
          break;
        }
        const lo = readEscaped(c, ci);
        if (lo === null) return "bad-pattern";
        ci = lo.next;
        let hi = lo.char;
        if (c[ci] === "-") {
          const high = readEscaped(c, ci + 1);
          if (high === null) return "bad-pattern";
          ci = high.next;
          hi = high.char;
        }
        const code = r.codePointAt(0) ?? -1;
        if (lo.char.codePointAt(0)! <= code && code <= hi.codePointAt(0)!) matched = true;
        ranges++;
      }
      if (matched === negated) failed = true;
    } else if (p === "?") {
      if (!failed) {
        if (s[si] === "/") failed = true;
        si++;
      }
      ci++;
    } else {
      let literal = p;
      if (p === "\\") {
        ci++;
        if (ci >= c.length) return "bad-pattern";
        literal = c[ci]!;
      }
      if (!failed) {
        if (s[si] !== literal) failed = true;
        si++;
      }
      ci++;
    }
  }
  return failed ? null : s.slice(si).join("");
}

/** One character of a `[...]` class (Go's `getEsc`): `null` where Go reports a bad pattern. */
function readEscaped(c: readonly string[], at: number): { char: string; next: number } | null {
  let i = at;
  if (i >= c.length || c[i] === "-" || c[i] === "]") return null;
  if (c[i] === "\\") {
    i++;
    if (i >= c.length) return null;
  }
  const char = c[i]!;
  i++;
  // A class must still be closed after this character.
  if (i >= c.length) return null;
  return { char, next: i };
}
