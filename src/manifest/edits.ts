/**
 * Text edits at the parser's offsets, for the fixes rules offer (`Fix` in `rule.ts`): replace a
 * scalar keeping its quoting, rename a key, add keys to a block mapping at its indentation. Each
 * builder returns undefined when it cannot make the edit safely, and the rule then offers no fix.
 */
import { load } from "js-yaml";
import type { Fix, TextEdit } from "./rule.js";
import type { YamlMap, YamlScalar } from "./yaml.js";

/** Whether `value` can be written without quotes and still be read back as this same string. */
export function isPlainSafe(value: string, inFlow: boolean): boolean {
  if (!/^[A-Za-z0-9_./][A-Za-z0-9_./ \-[\]]*$/.test(value) || value.endsWith(" ")) return false;
  if (inFlow && /[[\]{},]/.test(value)) return false;
  try {
    return (load(inFlow ? `{v: ${value}}` : `v: ${value}`) as { v: unknown }).v === value;
  } catch {
    return false;
  }
}

/** `value` as a YAML scalar in the style of `node`: same quotes when quoted, plain when that reads back the same. */
export function scalarText(node: YamlScalar, text: string, value: string, inFlow: boolean): string {
  const quote = node.quoted ? text[node.start] : undefined;
  if (quote === "'") return `'${value.replaceAll("'", "''")}'`;
  if (quote === '"' || !isPlainSafe(value, inFlow)) return JSON.stringify(value);
  return value;
}

/** Replaces a scalar (a value or a key) by `value`, keeping its quoting style where possible. */
export function replaceScalar(text: string, node: YamlScalar, value: string, inFlow = false): TextEdit | undefined {
  const written = text.slice(node.start, node.end);
  // Block scalars (`|`, `>`) and multi-line values are left alone.
  if (written.includes("\n") || /^[|>]/.test(written)) return undefined;
  return { start: node.start, end: node.end, text: scalarText(node, text, value, inFlow) };
}

/** The 0-based column of an offset. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** The line break the file uses. */
export function lineBreakOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

/**
 * Adds `lines` (already indented relative to the mapping's keys) as the last keys of a block
 * mapping, right after its last value.
 */
export function appendToBlockMap(text: string, map: YamlMap, lines: readonly string[]): TextEdit | undefined {
  const first = map.pairs[0];
  if (map.flow || !first) return undefined;
  const indent = " ".repeat(columnOf(text, first.keyNode.start));
  const last = map.pairs[map.pairs.length - 1]!;
  // A block scalar's text runs past its node: refuse rather than guess where it ends.
  if (/^[|>]/.test(text.slice(last.value.start, last.value.end))) return undefined;
  const lineEnd = text.indexOf("\n", map.end);
  const at = lineEnd < 0 ? text.length : text[lineEnd - 1] === "\r" ? lineEnd - 1 : lineEnd;
  const nl = lineBreakOf(text);
  return { start: at, end: at, text: lines.map((line) => `${nl}${indent}${line}`).join("") };
}

/** The indentation step of a file's block mappings (the column of the first nested key), 2 by default. */
export function indentStepOf(text: string): number {
  const match = /^[^\s#][^\n]*:[ \t]*\r?\n( +)\S/m.exec(text);
  return match ? match[1]!.length : 2;
}

/** Quotes a number exactly as written (`3.10` stays "3.10", not the 3.1 YAML reads it as). */
export function quoteNumber(text: string, node: { start: number; end: number }): Fix | undefined {
  return /^[0-9][0-9._]*$/.test(text) ? { title: `quote it: \`"${text}"\``, edits: [{ start: node.start, end: node.end, text: `"${text}"` }] } : undefined;
}
