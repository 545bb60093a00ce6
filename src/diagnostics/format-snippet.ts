/**
 * Terminal-safe rendering of source text for the text format: one source line with a caret under a
 * column range, cut around the caret when the line is long. Columns are 1-based UTF-16 positions, as
 * the parser reports them; what is shown is measured in terminal cells (tabs expanded, CJK wide).
 */

const TAB_WIDTH = 4;
const ELLIPSIS = "…";
/** Cells of source kept to the left of the caret when a long line is cut. */
const LEFT_CONTEXT = 40;

interface Cell {
  text: string;
  start: number;
  width: number;
}

/** A source line laid out in cells, with the cell offset at which each UTF-16 index starts. */
interface Layout {
  cells: Cell[];
  offsets: number[];
  width: number;
}

/** One rendered source line and where its caret goes, both in cells. */
export interface SnippetLine {
  text: string;
  caretStart: number;
  caretWidth: number;
}

/**
 * Splits source text into lines as positions count them (at LF, CR dropped from a CRLF ending),
 * without a leading BOM. A lone CR stays in its line and is shown as a visible symbol.
 */
export function splitLines(source: string): string[] {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  return text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/** Text with control, bidi-override and line-separator characters made visible and harmless. */
export function toDisplayText(text: string): string {
  let out = "";
  for (const char of text) out += showChar(char.codePointAt(0) ?? 0, char);
  return out;
}

/** Cuts text to at most `maxWidth` cells, ending it with an ellipsis when something was left out. */
export function truncateText(text: string, maxWidth: number): string {
  const { cells, width } = layout(text);
  if (width <= maxWidth) return text;
  let out = "";
  for (const cell of cells) {
    if (cell.start + cell.width > maxWidth - 1) break;
    out += cell.text;
  }
  return out + ELLIPSIS;
}

/**
 * Renders `line` with a caret from `column` up to `endColumn` (exclusive; `Infinity` for "to the end
 * of the line"), keeping the output within `maxWidth` cells by cutting around the caret.
 */
export function renderSnippetLine(line: string, column: number, endColumn: number, maxWidth: number): SnippetLine {
  const { cells, offsets, width } = layout(line);
  const at = (col: number) => offsets[Math.min(Math.max(col - 1, 0), line.length)] ?? width;
  const caretStart = at(column);
  const caretEnd = Math.max(caretStart + 1, endColumn === Infinity ? width : at(endColumn));
  if (width <= maxWidth) {
    return { text: cells.map((c) => c.text).join(""), caretStart, caretWidth: caretEnd - caretStart };
  }

  const windowStart = Math.max(0, Math.min(caretStart - LEFT_CONTEXT, width - (maxWidth - 2)));
  const hasLeft = windowStart > 0;
  const budget = maxWidth - (hasLeft ? 1 : 0) - 1;
  const shown = cells.filter((c) => c.start >= windowStart);
  const first = shown[0]?.start ?? width;
  let text = hasLeft ? ELLIPSIS : "";
  let visibleEnd = first;
  for (const cell of shown) {
    if (cell.start + cell.width - first > budget) break;
    text += cell.text;
    visibleEnd = cell.start + cell.width;
  }
  if (visibleEnd < width) text += ELLIPSIS;
  const shift = (hasLeft ? 1 : 0) - first;
  return {
    text,
    caretStart: caretStart + shift,
    caretWidth: Math.max(1, Math.min(caretEnd, visibleEnd) - caretStart),
  };
}

function layout(line: string): Layout {
  const cells: Cell[] = [];
  const offsets: number[] = [];
  let width = 0;
  for (const char of line) {
    const code = char.codePointAt(0) ?? 0;
    const cellWidth = code === 0x09 ? TAB_WIDTH - (width % TAB_WIDTH) : widthOf(code);
    const text = code === 0x09 ? " ".repeat(cellWidth) : showChar(code, char);
    for (let i = 0; i < char.length; i++) offsets.push(width);
    cells.push({ text, start: width, width: cellWidth });
    width += cellWidth;
  }
  offsets.push(width);
  return { cells, offsets, width };
}

function showChar(code: number, char: string): string {
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  if (isUnsafe(code)) return "\ufffd";
  return char;
}

/** C1 controls, bidi controls (which reorder what a reader sees), line separators, lone surrogates. */
function isUnsafe(code: number): boolean {
  return (
    (code >= 0x80 && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

function widthOf(code: number): number {
  if (code < 0x20 || code === 0x7f || isUnsafe(code)) return 1;
  if (ZERO_WIDTH.test(String.fromCodePoint(code))) return 0;
  return isWide(code) ? 2 : 1;
}

/** East Asian wide and fullwidth ranges, and the emoji blocks terminals draw two cells wide. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
