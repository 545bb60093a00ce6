/**
 * Python values as werkzeug's converter-argument parser produces them (`None`, `True`, ints,
 * floats, strings), and the few Python built-ins the converters apply to them (`int()`,
 * truthiness). Used by `converter-args.ts` and `converters.ts`.
 */

import { toAsciiDigits } from "./decimal-digits.js";

/** One converter argument value, typed as Python would see it. */
export type PyValue =
  | { type: "none" }
  | { type: "bool"; value: boolean }
  | { type: "int"; value: bigint }
  | { type: "float"; value: number }
  | { type: "str"; value: string };

/** Python's `str.isspace()` characters (what `\s` and `str.strip()` use). */
export const PY_SPACE = "[\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";

/** The ASCII ones among them. */
export const PY_ASCII_SPACE = "[\\t\\n\\v\\f\\r \\x1c-\\x1f]";

const intSource = (digit: string, space: string) => `^${space}*([+-]?${digit}(?:_?${digit})*)${space}*$`;
function floatSource(digit: string, space: string): string {
  const digits = `${digit}(?:_?${digit})*`;
  return `^${space}*([+-]?)(?:((?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][+-]?${digits})?)|(inf|infinity)|(nan))${space}*$`;
}
// All-ASCII text (nearly every rule) is read with patterns without Unicode properties: the same
// matches there, and no milliseconds spent compiling them.
const INT_TEXT = new RegExp(intSource("\\p{Nd}", PY_SPACE), "u");
const ASCII_INT_TEXT = new RegExp(intSource("[0-9]", PY_ASCII_SPACE));
const FLOAT_TEXT = new RegExp(floatSource("\\p{Nd}", PY_SPACE), "iu");
const ASCII_FLOAT_TEXT = new RegExp(floatSource("[0-9]", PY_ASCII_SPACE), "i");
const NOT_ASCII = /[\u0080-\uffff]/;

/** The text is all ASCII (every UTF-16 unit below 0x80). */
export function isAscii(text: string): boolean {
  return !NOT_ASCII.test(text);
}

/** Python's `int(text)` for base 10, or undefined where it raises ValueError. */
export function parsePyInt(text: string): bigint | undefined {
  const m = (isAscii(text) ? ASCII_INT_TEXT : INT_TEXT).exec(text);
  return m?.[1] === undefined ? undefined : BigInt(toAsciiDigits(m[1]).replaceAll("_", ""));
}

/** Python's `float(text)`, or undefined where it raises ValueError. */
export function parsePyFloat(text: string): number | undefined {
  const m = (isAscii(text) ? ASCII_FLOAT_TEXT : FLOAT_TEXT).exec(text);
  if (m === null) return undefined;
  const sign = m[1] === "-" ? -1 : 1;
  if (m[3] !== undefined) return sign * Infinity;
  if (m[4] !== undefined) return NaN;
  return sign * Number(toAsciiDigits(m[2] ?? "").replaceAll("_", ""));
}

/** werkzeug's `_pythonize`: constants, then `int()`, then `float()`, then a string without its quotes. */
export function pythonize(text: string): PyValue {
  if (text === "None") return { type: "none" };
  if (text === "True" || text === "False") return { type: "bool", value: text === "True" };
  const int = parsePyInt(text);
  if (int !== undefined) return { type: "int", value: int };
  const float = parsePyFloat(text);
  if (float !== undefined) return { type: "float", value: float };
  const first = text[0];
  if ((first === '"' || first === "'") && text.endsWith(first)) return { type: "str", value: text.slice(1, -1) };
  return { type: "str", value: text };
}

/** Python truthiness. */
export function isPyTruthy(value: PyValue): boolean {
  switch (value.type) {
    case "none":
      return false;
    case "bool":
      return value.value;
    case "int":
      return value.value !== 0n;
    case "float":
      return value.value !== 0; // NaN is truthy in Python, and NaN !== 0
    case "str":
      return value.value !== "";
  }
}

/** The value as a number Python would compare numerically (bools are ints), or undefined. */
export function toPyNumber(value: PyValue): bigint | number | undefined {
  if (value.type === "bool") return value.value ? 1n : 0n;
  if (value.type === "int" || value.type === "float") return value.value;
  return undefined;
}

/** Python's `int(value)`: a bigint, or the message of the error Python raises. */
export function callPyInt(value: PyValue): bigint | { error: string } {
  switch (value.type) {
    case "none":
      return { error: "None is not a number" };
    case "bool":
      return value.value ? 1n : 0n;
    case "int":
      return value.value;
    case "float":
      return Number.isFinite(value.value) ? BigInt(Math.trunc(value.value)) : { error: `${formatPyValue(value)} is not a finite number` };
    case "str": {
      const parsed = parsePyInt(value.value);
      return parsed ?? { error: `${formatPyValue(value)} is not an integer` };
    }
  }
}

/** A short Python-like rendering for messages (`None`, `True`, `3`, `1.5`, `'abc'`). */
export function formatPyValue(value: PyValue): string {
  switch (value.type) {
    case "none":
      return "None";
    case "bool":
      return value.value ? "True" : "False";
    case "int":
      return value.value.toString();
    case "float":
      return Number.isNaN(value.value) ? "nan" : Number.isFinite(value.value) ? String(value.value) : value.value > 0 ? "inf" : "-inf";
    case "str":
      return `'${value.value}'`;
  }
}
