/**
 * Appends an item to a top-level list of a YAML file (a group's `endpoints` or `settings`) as a
 * text edit at the offsets the parser reports, so comments, quoting and layout stay as they were.
 * Block lists get a line with the list's indentation, flow lists `[a, b]` an element, and a missing,
 * empty or null list becomes a block list.
 */
import { dump } from "js-yaml";
import { parseYamlMapping, type YamlPair } from "../manifest/yaml.js";

export type ListEditResult = { ok: true; text: string; changed: boolean } | { ok: false; message: string; offset: number };

const BLOCK_INDENT = "  ";

/** Appends `item` to the list at top-level `key`; `changed` is false when an equal string item is already there. */
export function appendListItem(text: string, key: string, item: unknown): ListEditResult {
  const parsed = parseYamlMapping(text);
  if (!parsed.ok) return { ok: false, message: parsed.problem.message, offset: parsed.problem.start };
  const root = parsed.root;
  if (root.flow) return { ok: false, message: "the file is a flow mapping ({ ... }): add the item by hand", offset: root.start };
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const pair = root.pairs.find((p) => p.key === key);

  if (pair === undefined) {
    const keyIndent = " ".repeat(columnOf(text, root.start));
    const head = text === "" || text.endsWith("\n") ? text : text + eol;
    return { ok: true, changed: true, text: head + `${keyIndent}${key}:` + blockItem(item, keyIndent + BLOCK_INDENT, eol) + eol };
  }
  const value = pair.value;
  if (value.kind === "seq") {
    if (typeof item === "string" && value.items.some((i) => i.kind === "scalar" && i.value === item)) {
      return { ok: true, changed: false, text };
    }
    if (!value.flow) {
      const indent = text.slice(lineStart(text, value.start), value.start);
      if (indent.trim() !== "") return { ok: false, message: `the list \`${key}\` shares its first line with other text: add the item by hand`, offset: value.start };
      const at = lineEnd(text, value.end - 1);
      return { ok: true, changed: true, text: text.slice(0, at) + blockItem(item, indent, eol) + text.slice(at) };
    }
    const last = value.items[value.items.length - 1];
    if (last !== undefined) {
      return { ok: true, changed: true, text: text.slice(0, last.end) + `, ${flowItem(item)}` + text.slice(last.end) };
    }
    return replaceEmptyValue(text, pair, value.start, value.end, item, eol);
  }
  if (value.kind === "scalar" && value.value === null) {
    return replaceEmptyValue(text, pair, value.start, value.end, item, eol);
  }
  return { ok: false, message: `\`${key}\` is not a list`, offset: value.start };
}

/** `key: []`, `key: ~` or `key:` becomes a block list under the key. */
function replaceEmptyValue(text: string, pair: YamlPair, start: number, end: number, item: unknown, eol: string): ListEditResult {
  const keyLineEnd = lineEnd(text, pair.keyNode.end);
  const indent = " ".repeat(columnOf(text, pair.keyNode.start)) + BLOCK_INDENT;
  if (start < 0 || start >= keyLineEnd) {
    // Nothing after the colon on the key's line (a comment at most).
    return { ok: true, changed: true, text: text.slice(0, keyLineEnd) + blockItem(item, indent, eol) + text.slice(keyLineEnd) };
  }
  if (lineEnd(text, end) !== keyLineEnd) {
    return { ok: false, message: `the value of \`${pair.key}\` spans several lines: add the item by hand`, offset: start };
  }
  // Drop the empty value and the blanks before it; a comment after it stays on the key's line.
  let from = start;
  while (from > pair.keyNode.end && (text[from - 1] === " " || text[from - 1] === "\t")) from--;
  const rest = text.slice(end, keyLineEnd);
  const edited = text.slice(0, from) + rest + blockItem(item, indent, eol);
  return { ok: true, changed: true, text: edited + text.slice(keyLineEnd) };
}

/** `- item` on new lines at `indent`, each line of a multi-line item indented under the dash. */
function blockItem(item: unknown, indent: string, eol: string): string {
  const lines = dump(item, { lineWidth: -1 }).trimEnd().split("\n");
  return lines.map((line, i) => `${eol}${indent}${i === 0 ? "- " : "  "}${line}`).join("");
}

function flowItem(item: unknown): string {
  return dump(item, { flowLevel: 0, lineWidth: -1 }).trimEnd();
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Offset of the line break ending the line that holds `offset` (before a `\r\n`), or the text's end. */
function lineEnd(text: string, offset: number): number {
  const at = text.indexOf("\n", Math.max(offset, 0));
  if (at < 0) return text.length;
  return text[at - 1] === "\r" ? at - 1 : at;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}
