/**
 * The path text werkzeug matches and the path it redirects to: percent-decoding as a WSGI server and
 * werkzeug's `Request` do it (UTF-8, invalid bytes replaced by U+FFFD), and Python's
 * `urllib.parse.quote` with werkzeug's safe characters for redirect locations.
 */

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();
const HEX = /^[0-9A-Fa-f]{2}$/;

/** Percent-decodes a raw URL path; `%2F` becomes a `/` that splits segments, as on Dify. */
export function decodePath(rawPath: string): string {
  if (!rawPath.includes("%")) return rawPath;
  const bytes: number[] = [];
  for (let i = 0; i < rawPath.length; i += 1) {
    const hex = rawPath.slice(i + 1, i + 3);
    if (rawPath[i] === "%" && HEX.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
      continue;
    }
    const codePoint = rawPath.codePointAt(i) ?? 0;
    if (codePoint < 0x80) {
      bytes.push(codePoint);
    } else {
      const char = String.fromCodePoint(codePoint);
      bytes.push(...encoder.encode(char));
      i += char.length - 1;
    }
  }
  return utf8.decode(new Uint8Array(bytes));
}

const SAFE = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~!$&'()*+,/:;=@");

/** Python's `quote(path, safe="!$&'()*+,/:;=@")`, as werkzeug builds a redirect location. */
export function quotePath(path: string): string {
  let out = "";
  for (const char of path) {
    if (SAFE.has(char)) {
      out += char;
      continue;
    }
    for (const byte of encoder.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
