/**
 * Finds the bracket or quote that was never closed when js-yaml gives up at the end of a flow
 * collection or quoted string: it reports "deficient indentation" on the next line, which says
 * neither what is wrong nor where it started. Used by `yaml.ts` to word and place that error.
 */

export interface Unclosed {
  /** `[`, `{`, `'` or `"`. */
  opener: string;
  offset: number;
}

const CLOSER: Record<string, string> = { "[": "]", "{": "}", "'": "'", '"': '"' };

/** The closing character of an opener found by `findUnclosed`. */
export function closerOf(opener: string): string {
  return CLOSER[opener] ?? opener;
}

/**
 * Scans `text` up to `end` and returns the innermost flow bracket or quote still open there, or
 * undefined. Brackets and quotes count only where a value can start (so `path: /a[b]` and `don't`
 * open nothing); comments and block scalars (`|`, `>`) are skipped.
 */
export function findUnclosed(text: string, end: number): Unclosed | undefined {
  const stack: Unclosed[] = [];
  let quote: Unclosed | undefined;
  let blockIndent = -1; // while > -1, lines indented deeper than this belong to a block scalar
  let lineStart = true;
  let indent = 0;
  let previous = ""; // last non-blank character on the line, outside quotes
  let skipped = false; // the current line is block scalar content
  for (let i = 0; i < Math.min(end, text.length); i++) {
    const c = text[i]!;
    if (c === "\n") {
      if (!skipped && quote === undefined && stack.length === 0 && /^[|>][-+0-9]*$/.test(lastToken(text, i))) blockIndent = indent;
      lineStart = true;
      skipped = false;
      indent = 0;
      previous = "";
      continue;
    }
    if (lineStart) {
      if (c === " " || c === "\r") {
        indent++;
        continue;
      }
      lineStart = false;
      if (blockIndent >= 0 && quote === undefined && stack.length === 0) {
        if (indent > blockIndent) {
          skipped = true;
          i = skipLine(text, i);
          continue;
        }
        blockIndent = -1;
      }
    }
    if (quote) {
      if (quote.opener === '"' && c === "\\") i++;
      else if (c === quote.opener && quote.opener === "'" && text[i + 1] === "'") i++;
      else if (c === quote.opener) {
        quote = undefined;
        previous = c;
      }
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") continue;
    const startsValue = previous === "" || ":-?[{,".includes(previous);
    if (c === "#" && (previous === "" || /\s/.test(text[i - 1] ?? " "))) {
      i = skipLine(text, i);
      continue;
    }
    if ((c === "'" || c === '"') && startsValue) quote = { opener: c, offset: i };
    else if ((c === "[" || c === "{") && (startsValue || stack.length > 0)) stack.push({ opener: c, offset: i });
    else if ((c === "]" || c === "}") && stack.length > 0 && closerOf(stack[stack.length - 1]!.opener) === c) stack.pop();
    previous = c;
  }
  return quote ?? stack[stack.length - 1];
}

function skipLine(text: string, i: number): number {
  const next = text.indexOf("\n", i);
  return (next < 0 ? text.length : next) - 1;
}

/** The last word of the line ending at `newline`, comments aside: `|`, `>-` and the like mark a block scalar. */
function lastToken(text: string, newline: number): string {
  const line = text.slice(text.lastIndexOf("\n", newline - 1) + 1, newline).replace(/\s#.*$/, "").trimEnd();
  return line.slice(line.lastIndexOf(" ") + 1);
}
