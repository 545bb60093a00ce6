/**
 * The ignore file as Dify's packager reads it: `.difyignore`, else `.gitignore`, one pattern per
 * trimmed line, parsed with go-git v5's gitignore rules (the version the daemon pins). Patterns are
 * root-relative, a `!` line never re-includes anything, and the first excluding pattern wins.
 */
import { goMatch } from "./go-match.js";

/** One pattern line of the ignore file. */
export interface IgnorePattern {
  /** 1-based line number in the ignore file. */
  line: number;
  /** The line as written (trimmed). */
  text: string;
  /** A `!` line: Dify never lets it re-include anything; endpoint-kit reads it as "ship this on purpose". */
  negated: boolean;
  dirOnly: boolean;
  /** The pattern holds a `/`: matched segment by segment from the root. */
  anchored: boolean;
  segments: string[];
}

/** The ignore files Dify's packager reads, in order: the first one that can be read is the only one used. */
export const IGNORE_FILES = [".difyignore", ".gitignore"] as const;

// Go's `strings.TrimSpace` set (`unicode.IsSpace`): unlike JavaScript's `trim`, it keeps a byte-order mark.
const GO_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const GO_SPACE_START = new RegExp(`^[${GO_SPACE}]+`);
const GO_SPACE_END = new RegExp(`[${GO_SPACE}]+$`);

/** Parses an ignore file's text: lines split on `\n`, trimmed, blank and `#` lines skipped. */
export function parseIgnoreFile(text: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(GO_SPACE_START, "").replace(GO_SPACE_END, "");
    if (line === "" || line.startsWith("#")) return;
    patterns.push(parsePattern(line, index + 1));
  });
  return patterns;
}

function parsePattern(text: string, line: number): IgnorePattern {
  let p = text;
  const negated = p.startsWith("!");
  if (negated) p = p.slice(1);
  if (!p.endsWith("\\ ")) p = p.replace(/ +$/, "");
  const dirOnly = p.endsWith("/");
  if (dirOnly) p = p.slice(0, -1);
  return { line, text, negated, dirOnly, anchored: p.includes("/"), segments: p.split("/") };
}

/** Whether one pattern matches a path (its components from the root), as go-git's `Match` reports it. */
export function patternMatches(pattern: IgnorePattern, parts: readonly string[], isDir: boolean): boolean {
  if (parts.length === 0) return false;
  return pattern.anchored ? globMatch(pattern, parts, isDir) : nameMatch(pattern, parts, isDir);
}

/** The first pattern that excludes the path, as Dify's walk looks for it (`!` lines never count). */
export function firstExcluding(patterns: readonly IgnorePattern[], parts: readonly string[], isDir: boolean): IgnorePattern | undefined {
  return patterns.find((p) => !p.negated && patternMatches(p, parts, isDir));
}

/** A `!` line naming the path: the author's way of saying it ships on purpose. */
export function firstNegation(patterns: readonly IgnorePattern[], parts: readonly string[], isDir: boolean): IgnorePattern | undefined {
  return patterns.find((p) => p.negated && patternMatches(p, parts, isDir));
}

// A pattern without `/` matches any component; when it ends in `/` its last component must be a folder.
function nameMatch(pattern: IgnorePattern, parts: readonly string[], isDir: boolean): boolean {
  const glob = pattern.segments[0] ?? "";
  for (let i = 0; i < parts.length; i++) {
    const m = goMatch(glob, parts[i]!);
    if (m === "bad-pattern") return false;
    if (!m) continue;
    return !(pattern.dirOnly && !isDir && i === parts.length - 1);
  }
  return false;
}

// go-git v5's glob walk, quirks included: `a/**` also matches `a` itself, `**` inside a segment
// (`a**`) never matches, and a path longer than the pattern matches (its folder was matched).
function globMatch(pattern: IgnorePattern, parts: readonly string[], isDir: boolean): boolean {
  let path = [...parts];
  let matched = false;
  let canTraverse = false;
  for (let i = 0; i < pattern.segments.length; i++) {
    const segment = pattern.segments[i]!;
    if (segment === "") {
      canTraverse = false;
      continue;
    }
    if (segment === "**") {
      if (i === pattern.segments.length - 1) break;
      canTraverse = true;
      continue;
    }
    if (segment.includes("**")) return false;
    if (path.length === 0) return false;
    if (canTraverse) {
      canTraverse = false;
      while (path.length > 0) {
        const head = path.shift()!;
        const m = goMatch(segment, head);
        if (m === "bad-pattern") return false;
        if (m) {
          matched = true;
          break;
        }
        if (path.length === 0) matched = false;
      }
    } else {
      const m = goMatch(segment, path[0]!);
      if (m !== true) return false;
      matched = true;
      path = path.slice(1);
    }
  }
  if (matched && pattern.dirOnly && !isDir && path.length === 0) return false;
  return matched;
}
