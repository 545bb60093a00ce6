/**
 * Payloads as providers serialise them: compact JSON, form bodies, flat WeChat-style XML, and
 * query strings percent-encoded the way Dify's daemon re-encodes them. Also `--set a.b.c=value`,
 * which edits a sample payload in place of writing a whole body file.
 */
import type { Payload } from "./types.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Percent-encodes like Go's `url.QueryEscape` (what Dify's daemon re-encodes queries with): only
 * `A-Z a-z 0-9 - _ . ~` stay, a space becomes `+`. Base64's `+ / =` therefore travel as `%2B %2F %3D`.
 */
export function queryEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, "+");
}

/** A query string from ordered pairs. */
export function buildQuery(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${queryEscape(k)}=${queryEscape(v)}`).join("&");
}

/** Query pairs, decoded as werkzeug and Go do (`+` is a space). */
export function parseQuery(query: string): Map<string, string> {
  return new Map(new URLSearchParams(query));
}

/** A flat XML message as WeChat and WeCom write it: strings in CDATA, numbers bare. */
export function renderXml(fields: Record<string, string | number>): string {
  const parts = Object.entries(fields).map(([k, v]) => (typeof v === "number" ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`));
  return `<xml>${parts.join("")}</xml>`;
}

/** Reads the top-level fields of a flat WeChat-style XML message (CDATA or plain text). */
export function parseXmlFields(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const body = /<xml>([\s\S]*)<\/xml>/.exec(xml)?.[1] ?? "";
  for (const m of body.matchAll(/<([A-Za-z_][\w]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    fields[m[1]!] = m[2] ?? m[3] ?? "";
  }
  return fields;
}

/** The bytes a payload is sent as (before any encryption). */
export function serializePayload(payload: Payload): Uint8Array {
  switch (payload.kind) {
    case "json":
      return utf8(JSON.stringify(payload.value));
    case "form":
      return utf8(new URLSearchParams(payload.fields).toString());
    case "xml":
      return utf8(renderXml(payload.fields));
    case "raw":
      return payload.bytes;
    case "none":
      return new Uint8Array(0);
  }
}

/** The JSON a payload holds, for builders that need a field of it (Slack's form `payload=`). */
export function jsonValue(payload: Payload): unknown {
  if (payload.kind === "json") return payload.value;
  if (payload.kind === "raw") return JSON.parse(text(payload.bytes)) as unknown;
  return undefined;
}

/** Turns `value` into the type of the field it replaces: a number stays a number, a string a string. */
function coerce(previous: unknown, value: string): unknown {
  if (typeof previous === "string") return value;
  if (typeof previous === "number" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  if (typeof previous === "boolean" && (value === "true" || value === "false")) return value === "true";
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Applies one `a.b.c=value` (array items by index: `events.0.message.text`). Throws on a bad path. */
export function setField(payload: Payload, assignment: string): Payload {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new Error(`--set ${assignment}: expected path=value`);
  const path = assignment.slice(0, eq);
  const value = assignment.slice(eq + 1);
  if (payload.kind === "form") return { kind: "form", fields: { ...payload.fields, [path]: value } };
  if (payload.kind === "xml") {
    const previous = payload.fields[path];
    return { kind: "xml", fields: { ...payload.fields, [path]: typeof previous === "number" && Number.isFinite(Number(value)) ? Number(value) : value } };
  }
  if (payload.kind !== "json") throw new Error(`--set ${path}: this event has no payload fields to set`);
  const root = structuredClone(payload.value);
  const keys = path.split(".");
  let node: unknown = root;
  for (const [i, key] of keys.entries()) {
    if (node === null || typeof node !== "object") throw new Error(`--set ${path}: ${keys.slice(0, i).join(".")} is not an object`);
    const container = node as Record<string, unknown>;
    if (Array.isArray(container) && !/^\d+$/.test(key)) throw new Error(`--set ${path}: ${keys.slice(0, i).join(".")} is a list; use an index`);
    if (i === keys.length - 1) container[key] = coerce(container[key], value);
    else {
      if (container[key] === undefined) container[key] = {};
      node = container[key];
    }
  }
  return { kind: "json", value: root };
}

/**
 * The body with one byte changed, for checking that a plugin rejects a tampered request: the
 * letter or digit nearest the middle becomes another one, so JSON, forms and base64 stay well formed.
 */
export function tamperBody(body: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(body);
  const isAlnum = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
  const middle = Math.floor(copy.length / 2);
  for (let d = 0; d < copy.length; d++) {
    for (const i of [middle + d, middle - d]) {
      if (i >= 0 && i < copy.length && isAlnum(copy[i]!)) {
        copy[i] = copy[i] === 0x61 ? 0x62 : 0x61;
        return copy;
      }
    }
  }
  throw new Error("--tamper: the body has no byte to change");
}
