/**
 * Unicode decimal digits. Python's `\d` and `int()` accept every digit of category Nd (`٣`, `३`),
 * so werkzeug's int and float converters do too; these helpers turn them into ASCII digits.
 */

const DECIMAL_DIGIT = /^\p{Nd}$/u;
const NON_ASCII = /[\u0080-\uffff]/;
const valueCache = new Map<number, number>();

/**
 * The value (0-9) of a decimal digit. Unicode encodes every Nd digit in runs of ten, from zero to
 * nine, so the value is the distance from the start of its run, modulo ten.
 */
function digitValue(codePoint: number): number {
  const cached = valueCache.get(codePoint);
  if (cached !== undefined) return cached;
  let start = codePoint;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
  const value = (codePoint - start) % 10;
  valueCache.set(codePoint, value);
  return value;
}

/** `text` with every Unicode decimal digit replaced by its ASCII digit; other characters kept. */
export function toAsciiDigits(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  let out = "";
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    out += codePoint > 0x7f && DECIMAL_DIGIT.test(char) ? String(digitValue(codePoint)) : char;
  }
  return out;
}
