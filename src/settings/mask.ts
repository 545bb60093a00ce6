/**
 * Hides secret setting values in any text bound for the terminal (logs, banners, handler errors):
 * the value as it is, and the escaped forms handler code prints it in (`JSON.stringify`,
 * `console.log` of an object, Python's `repr` and `print(settings)`).
 */

export const MASK = "****";

/**
 * The texts a secret setting's value can appear as: a string as is, a number or boolean as written,
 * and every leaf of a list or mapping (a secret-input given a list still holds secrets).
 */
export function secretTexts(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === "string") return value === "" ? [] : [value];
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(secretTexts);
  if (typeof value === "object") return Object.values(value).flatMap(secretTexts);
  return [];
}

const C_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v", "\0": "\\0" };

/** A character as `\xNN`, `\uNNNN` or its C escape: how JS and Python print non-printable characters. */
function escapeChar(char: string, style: "js" | "python"): string {
  if (char === "\0") return style === "python" ? "\\x00" : "\\0";
  if (C_ESCAPES[char] !== undefined && (style === "js" || "\n\r\t".includes(char))) return C_ESCAPES[char];
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** The forms one secret takes once printed inside a quoted string by JSON, JavaScript or Python. */
export function escapedForms(secret: string): string[] {
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  const controls = /[\u0000-\u001f\u007f-\u009f]/g;
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)]);
  for (const quote of ["", "'", '"']) {
    const quoted = new RegExp(`[\\\\${quote}]`, "g");
    for (const style of ["js", "python"] as const) forms.add(secret.replace(quoted, "\\$&").replace(controls, (c) => escapeChar(c, style)));
  }
  return [...forms];
}

/** Returns a function that replaces every occurrence of each secret, and of its escaped forms (longest first), with `****`. */
export function createMasker(secrets: readonly string[]): (text: string) => string {
  const forms = secrets.filter((s) => s.length >= 2).flatMap(escapedForms);
  const usable = [...new Set(forms)].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return (text) => text;
  const pattern = new RegExp(usable.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return (text) => text.replace(pattern, MASK);
}

// Colour (SGR) sequences are kept: handler code may colour its own logs on purpose.
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const UNSAFE_CONTROLS = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Terminal-safe text: control characters (escape sequences that could move the cursor, rewrite the
 * screen or set the window title) shown as `\xNN`; newlines and tabs kept; with `keepColor`, colour
 * sequences kept too. Request data (paths, headers, bodies a handler quotes) goes through this.
 */
export function escapeControls(text: string, keepColor = false): string {
  return text.replace(UNSAFE_CONTROLS, (match) => (keepColor && match.length > 1 ? match : [...match].map((c) => escapeChar(c, "python")).join("")));
}
