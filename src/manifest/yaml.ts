/**
 * Untrusted YAML to a positioned tree. One js-yaml parse gives both the values (its core schema)
 * and the source offsets of every key and value, so every rule can point at a line and column.
 * Used by the project loader for manifests, groups and endpoints, and by `dev` for settings files.
 */
import { constructFromEvents, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event } from "js-yaml";
import { closerOf, findUnclosed } from "./yaml-unclosed.js";

/** A node of the tree: offsets are 0-based and end-exclusive into the text. */
export type YamlNode = YamlScalar | YamlMap | YamlSeq;

export interface YamlScalar {
  kind: "scalar";
  start: number;
  end: number;
  value: string | number | boolean | null;
  quoted: boolean;
}

export interface YamlPair {
  key: string;
  keyNode: YamlScalar;
  value: YamlNode;
}

export interface YamlMap {
  kind: "map";
  start: number;
  end: number;
  pairs: YamlPair[];
  flow: boolean;
}

export interface YamlSeq {
  kind: "seq";
  start: number;
  end: number;
  items: YamlNode[];
  flow: boolean;
}

/** Why a text is not a usable document, at an offset (or at no position). */
export interface YamlProblem {
  code: "syntax" | "empty" | "multiple-documents" | "not-a-mapping" | "alias" | "tag" | "merge-key" | "unsafe-key" | "too-deep";
  message: string;
  hint?: string;
  start: number;
  end: number;
}

export type YamlParseResult = { ok: true; root: YamlMap } | { ok: false; problem: YamlProblem };

const MAX_DEPTH = 64;
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const CORE_TAGS = new Set(["!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "tag:yaml.org,2002:str"]);

/** Parses one YAML document whose root must be a mapping. Never throws. */
export function parseYamlMapping(text: string): YamlParseResult {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch (error) {
    return { ok: false, problem: fromException(error, text) };
  }
  const documents = events.filter((e) => e.type === EVENT_ID.DOCUMENT).length;
  if (documents === 0 || events.length <= 2) {
    const hasComment = /^\s*#/m.test(text);
    return {
      ok: false,
      problem: {
        code: "empty",
        message: hasComment ? "the file holds only comments: a YAML mapping was expected" : "the file is empty: a YAML mapping was expected",
        start: 0,
        end: 0,
      },
    };
  }
  if (documents > 1) {
    const second = secondDocumentOffset(events, text);
    return {
      ok: false,
      problem: { code: "multiple-documents", message: "the file holds more than one YAML document", hint: "keep one document: remove the `---` separator and what follows", start: second, end: second },
    };
  }
  const unsafe = findUnsafe(events, text);
  if (unsafe) return { ok: false, problem: unsafe };
  let value: unknown;
  try {
    value = constructFromEvents(events, { source: text, maxAliases: 0 })[0];
  } catch (error) {
    return { ok: false, problem: fromException(error, text) };
  }
  const built = buildTree(events, text, value);
  if (built.kind === "scalar" && built.value === null && text.slice(built.start, built.end).trim() === "") {
    return { ok: false, problem: { code: "empty", message: "the document is empty: a YAML mapping was expected", start: 0, end: 0 } };
  }
  if (built.kind !== "map") {
    const what = built.kind === "seq" ? "a list" : "a single value";
    return { ok: false, problem: { code: "not-a-mapping", message: `the document is ${what}: a mapping of keys to values was expected`, start: built.start, end: built.end } };
  }
  return { ok: true, root: built };
}

function fromException(error: unknown, text: string): YamlProblem {
  const e = error as { reason?: unknown; mark?: { position?: unknown }; message?: unknown };
  const reason = typeof e.reason === "string" ? e.reason : typeof e.message === "string" ? e.message.split("\n")[0] ?? "" : String(error);
  const position = typeof e.mark?.position === "number" ? Math.min(e.mark.position, text.length) : 0;
  if (/maxDepth|nesting|too deep/i.test(reason)) {
    return { code: "too-deep", message: `nesting is deeper than ${MAX_DEPTH} levels`, start: position, end: position };
  }
  if (/maxAliases|alias/i.test(reason)) {
    return { code: "alias", message: "aliases (`*name`) are not allowed", hint: "write the value out in full", start: position, end: position };
  }
  if (/unknown .*tag/i.test(reason)) {
    return { code: "tag", message: `${reason}: custom tags are not allowed`, hint: "remove the tag", start: position, end: position };
  }
  if (/duplicated mapping key/.test(reason)) {
    // js-yaml marks the key's text: step back onto its opening quote, if any.
    const start = position > 0 && (text[position - 1] === '"' || text[position - 1] === "'") ? position - 1 : position;
    const key = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:\n]*?)[ \t]*:/.exec(text.slice(start))?.[1];
    const shown = key ? ` \`${key.length > 60 ? `${key.slice(0, 60)}…` : key}\`` : "";
    return { code: "syntax", message: `YAML syntax error: duplicate key${shown}`, hint: "a key may appear once in a mapping: remove or rename one of them", start, end: start + (key?.length ?? 0) };
  }
  if (/tab characters must not be used in indentation/.test(reason)) {
    return { code: "syntax", message: `YAML syntax error: ${reason}`, hint: "indent with spaces", start: position, end: position + 1 };
  }
  if (/deficient indentation|end of the stream within a (flow collection|single quoted|double quoted)/.test(reason)) {
    const unclosed = findUnclosed(text, position);
    if (unclosed) {
      const what = unclosed.opener === "[" || unclosed.opener === "{" ? `\`${unclosed.opener}\`` : "the quoted string";
      const closer = closerOf(unclosed.opener);
      return { code: "syntax", message: `YAML syntax error: ${what} is never closed`, hint: `close it with \`${closer}\``, start: unclosed.offset, end: unclosed.offset + 1 };
    }
  }
  return { code: "syntax", message: `YAML syntax error: ${reason}`, start: position, end: position };
}

function secondDocumentOffset(events: Event[], text: string): number {
  let seen = 0;
  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT && ++seen === 2) break;
    const at = startOf(e);
    if (seen >= 1 && at >= 0) {
      const sep = text.indexOf("\n---", at);
      if (sep >= 0) return sep + 1;
    }
  }
  const sep = text.search(/^---/m);
  return sep >= 0 ? sep : 0;
}

function startOf(e: Event): number {
  if (e.type === EVENT_ID.SCALAR) return e.valueStart;
  if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) return e.start;
  if (e.type === EVENT_ID.ALIAS) return e.anchorStart;
  return -1;
}

/** Rejects aliases, non-core tags, merge keys and prototype keys before anything is built. */
function findUnsafe(events: Event[], text: string): YamlProblem | undefined {
  // Track whether the next scalar is a mapping key.
  const stack: Array<{ map: boolean; keyNext: boolean }> = [];
  for (const e of events) {
    const top = stack[stack.length - 1];
    const isKey = top?.map === true && top.keyNext;
    if (e.type === EVENT_ID.POP) {
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent?.map) parent.keyNext = !parent.keyNext;
      continue;
    }
    if (e.type === EVENT_ID.DOCUMENT) {
      stack.push({ map: false, keyNext: false });
      continue;
    }
    if (e.type === EVENT_ID.ALIAS) {
      // Point at the `*` of `*name` (the event's offsets cover the name only).
      const star = text[e.anchorStart - 1] === "*" ? e.anchorStart - 1 : e.anchorStart;
      return { code: "alias", message: "aliases (`*name`) are not allowed", hint: "write the value out in full", start: star, end: e.anchorEnd };
    }
    if (e.tagStart >= 0) {
      const tag = text.slice(e.tagStart, e.tagEnd);
      if (!CORE_TAGS.has(tag)) {
        return { code: "tag", message: `custom tag \`${tag}\` is not allowed`, hint: "remove the tag", start: e.tagStart, end: e.tagEnd };
      }
    }
    if (e.type === EVENT_ID.SCALAR) {
      if (isKey) {
        const key = getScalarValue(text, e);
        if (key === "<<" && e.style === SCALAR_STYLE.PLAIN) {
          return { code: "merge-key", message: "merge keys (`<<`) are not supported by Dify's parsers", hint: "write the keys out in full", start: e.valueStart, end: e.valueEnd };
        }
        if (UNSAFE_KEYS.has(key)) {
          return { code: "unsafe-key", message: `the key \`${key}\` is not allowed`, start: e.valueStart, end: e.valueEnd };
        }
      }
      if (top?.map) top.keyNext = !top.keyNext;
      continue;
    }
    // A collection opens: as a key or value it flips its parent after it closes (see POP).
    stack.push({ map: e.type === EVENT_ID.MAPPING, keyNext: true });
  }
  return undefined;
}

/**
 * Walks the events again beside the constructed value, attaching offsets to each node. An empty
 * value (`method:` or a bare `-`) has no offsets of its own: `near` places it just after its key's
 * colon or at its dash, so that rules point at the right line.
 */
function buildTree(events: Event[], text: string, value: unknown): YamlNode {
  let i = 1; // skip the document event
  const next = (v: unknown, near: number): YamlNode => {
    const e = events[i++];
    if (!e) throw new Error("unbalanced YAML events");
    if (e.type === EVENT_ID.SCALAR) return scalarNode(e, v, near);
    if (e.type === EVENT_ID.SEQUENCE) {
      const list = Array.isArray(v) ? v : [];
      const items: YamlNode[] = [];
      while (events[i]?.type !== EVENT_ID.POP) {
        const after = items.length > 0 ? items[items.length - 1]!.end : e.start;
        const dash = e.style === 2 ? -1 : text.indexOf("-", after);
        items.push(next(list[items.length], dash >= 0 ? dash : after));
      }
      i++;
      const end = items.length > 0 ? items[items.length - 1]!.end : e.start + 1;
      return { kind: "seq", start: e.start, end: closeFlow(text, e.style, end, "]"), items, flow: e.style === 2 };
    }
    if (e.type === EVENT_ID.MAPPING) {
      const record = (v !== null && typeof v === "object" ? v : {}) as Record<string, unknown>;
      const pairs: YamlPair[] = [];
      while (events[i]?.type !== EVENT_ID.POP) {
        const keyEvent = events[i];
        const keyNode = next(undefined, pairs.length > 0 ? pairs[pairs.length - 1]!.value.end : e.start);
        const key = keyEvent?.type === EVENT_ID.SCALAR ? getScalarValue(text, keyEvent) : text.slice(keyNode.start, keyNode.end);
        const keyScalar: YamlScalar = keyNode.kind === "scalar" ? { ...keyNode, value: key } : { kind: "scalar", start: keyNode.start, end: keyNode.end, value: key, quoted: false };
        const colon = text.indexOf(":", keyNode.end);
        pairs.push({ key, keyNode: keyScalar, value: next(Object.hasOwn(record, key) ? record[key] : undefined, colon >= 0 ? colon + 1 : keyNode.end) });
      }
      i++;
      const end = pairs.length > 0 ? pairs[pairs.length - 1]!.value.end : e.start + 1;
      return { kind: "map", start: e.start, end: closeFlow(text, e.style, end, "}"), pairs, flow: e.style === 2 };
    }
    throw new Error("unexpected YAML event");
  };
  return next(value, 0);
}

function scalarNode(e: Extract<Event, { type: 4 }>, v: unknown, near: number): YamlScalar {
  const quoted = e.style === SCALAR_STYLE.DOUBLE_QUOTED || e.style === SCALAR_STYLE.SINGLE_QUOTED;
  const value = typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : null;
  if (e.valueStart < 0) {
    // Empty: point at its tag or anchor when it has one (`!!str`), else where it would have been.
    const [start, end] = e.tagStart >= 0 ? [e.tagStart, e.tagEnd] : e.anchorStart >= 0 ? [e.anchorStart - 1, e.anchorEnd] : [near, near];
    return { kind: "scalar", start, end, value, quoted };
  }
  return { kind: "scalar", start: quoted ? e.valueStart - 1 : e.valueStart, end: quoted ? e.valueEnd + 1 : e.valueEnd, value, quoted };
}

function closeFlow(text: string, style: number, end: number, bracket: string): number {
  if (style !== 2) return end;
  const at = text.indexOf(bracket, end);
  return at >= 0 ? at + 1 : end;
}
