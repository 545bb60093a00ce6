/**
 * werkzeug's `parse_converter_args`: the text between a converter's parentheses, read with the same
 * regular expression, so the quirks match too (`int(1,2)` is ONE argument, the string "1,2";
 * unparseable text after the last comma is silently ignored).
 */

import { isAscii, PY_ASCII_SPACE, PY_SPACE, pythonize, type PyValue } from "./python-values.js";

/** One argument, with its place in the argument text (0-based). */
export interface ConverterArg {
  /** Keyword name, or undefined for a positional argument. */
  name: string | undefined;
  value: PyValue;
  offset: number;
  length: number;
}

/** A span of the argument text, 0-based. */
export interface ArgSpan {
  offset: number;
  length: number;
}

export type ConverterArgsResult =
  | { ok: true; args: ConverterArg[]; ignored: ArgSpan | undefined }
  | { ok: false; message: string; offset: number; length: number };

/** The argument pattern, over the classes for werkzeug's `\w`, `[\w.]`, digits and spaces. */
function argSource(word: string, wordOrDot: string, digit: string, space: string): string {
  // Python's `.` is any character but a newline.
  const any = "[^\\n]";
  return (
    `${space}*(?:(${word}+)${space}*=${space}*)?` +
    `(True|False|${digit}+${any}${digit}+|${digit}+${any}|${digit}+|${wordOrDot}+|[urUR]?("[^"]*?"|'[^']*'))` +
    `${space}*,`
  );
}

const UNICODE_ARG = new RegExp(argSource("[\\p{L}\\p{N}_]", "[\\p{L}\\p{N}_.]", "\\p{Nd}", PY_SPACE), "gu");
/**
 * The same pattern for text that is all ASCII, where those classes are exactly these: a pattern
 * with Unicode properties takes milliseconds to compile, most of what `validate` spends on rules.
 */
const ASCII_ARG = new RegExp(argSource("[A-Za-z0-9_]", "[A-Za-z0-9_.]", "[0-9]", PY_ASCII_SPACE), "g");

/** Parses converter arguments exactly as werkzeug does. */
export function parseConverterArgs(text: string, unicode = !isAscii(text)): ConverterArgsResult {
  const input = `${text},`;
  const re = unicode ? UNICODE_ARG : ASCII_ARG;
  re.lastIndex = 0;
  const args: ConverterArg[] = [];
  let position = 0;
  for (let m = re.exec(input); m !== null; m = re.exec(input)) {
    if (m.index !== position) {
      return {
        ok: false,
        message: `cannot parse converter argument '${input.slice(position, m.index)}'`,
        offset: position,
        length: m.index - position,
      };
    }
    const raw = m[3] ?? m[2] ?? "";
    const itemText = m[0].slice(0, -1).trim();
    const itemStart = m.index + m[0].indexOf(itemText.charAt(0));
    args.push({ name: m[1], value: pythonize(raw), offset: itemStart, length: itemText.length });
    position = re.lastIndex;
  }
  const rest = text.slice(Math.min(position, text.length));
  const skipped = rest.length - rest.trimStart().length;
  const ignored = rest.trim() === "" ? undefined : { offset: position + skipped, length: rest.trim().length };
  return { ok: true, args, ignored };
}
