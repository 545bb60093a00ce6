/**
 * The filter box's language, evaluated on the server over whole records: words ANDed, each a bare
 * text or a `key:value`, `"quoted phrases"` kept whole, a leading `-` negating. Bare text looks in
 * the method, path, endpoint, status and both bodies; `status:4xx`, `method:`, `path:`,
 * `endpoint:`, `body:` and `header:` look in one place. Case does not matter. Every text is masked
 * before it is matched, so a secret setting's value can never be found (nor guessed a piece at a time).
 */
import { responseBody } from "./export.js";
import type { Masker } from "./record-json.js";
import type { CapturedRecord } from "./store.js";

export const QUERY_KEYS = ["status", "method", "path", "endpoint", "body", "header"] as const;
export type QueryKey = (typeof QUERY_KEYS)[number];

export interface QueryTerm {
  /** Undefined for bare text. */
  key?: QueryKey;
  /** Lower-cased. */
  value: string;
  negate: boolean;
}

const WORD = /(-?)(?:([a-z]+):)?(?:"([^"]*)"?|(\S+))/gi;

/** The terms of a query; an unknown `key:` (a URL's `http:`) is plain text. */
export function parseQuery(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  for (const match of query.matchAll(WORD)) {
    const [whole, minus, rawKey, quoted, bare] = match;
    const key = rawKey?.toLowerCase() as QueryKey | undefined;
    const known = key !== undefined && QUERY_KEYS.includes(key);
    let value = quoted ?? bare ?? "";
    // `foo:bar` with an unknown key is the text `foo:bar` (the minus, if any, still negates).
    if (rawKey !== undefined && !known) value = whole.slice(minus!.length);
    value = value.toLowerCase();
    if (value === "" && !known) continue;
    terms.push({ ...(known ? { key } : {}), value, negate: minus === "-" });
  }
  return terms;
}

const decoder = new TextDecoder();

/** A record's texts, each masked and lower-cased once, when a term first needs it. */
class RecordText {
  private cached: Partial<Record<"target" | "requestBody" | "responseBody" | "headers", string>> = {};

  constructor(
    readonly record: CapturedRecord,
    private readonly mask: Masker,
  ) {}

  get target(): string {
    return (this.cached.target ??= this.mask(this.record.request.target).toLowerCase());
  }

  get bodies(): [string, string] {
    const { request } = this.record;
    this.cached.requestBody ??= request.body && request.body.byteLength > 0 ? this.mask(decoder.decode(request.body)).toLowerCase() : "";
    this.cached.responseBody ??= this.record.response ? this.mask(decoder.decode(responseBody(this.record))).toLowerCase() : "";
    return [this.cached.requestBody, this.cached.responseBody];
  }

  /** Request and response headers, one `name: value` a line. */
  get headers(): string {
    if (this.cached.headers === undefined) {
      const lines = [...this.record.request.headers, ...(this.record.response?.headers ?? [])].map(([name, value]) => `${name}: ${value}`);
      this.cached.headers = this.mask(lines.join("\n")).toLowerCase();
    }
    return this.cached.headers;
  }
}

function status(record: CapturedRecord): number | undefined {
  return record.outcome?.status ?? record.response?.status;
}

function matchesTerm(text: RecordText, term: QueryTerm): boolean {
  const { record } = text;
  const value = term.value;
  switch (term.key) {
    case "status": {
      const code = status(record);
      // `4xx` or `40x` for a class, a plain code for one status.
      return code !== undefined && value.length === 3 && [...value].every((c, i) => c === "x" || c === String(code)[i]);
    }
    case "method":
      return record.request.method.toLowerCase() === value;
    case "path":
      return text.target.includes(value);
    case "endpoint":
      return (record.outcome?.endpoint ?? record.handler?.endpoint ?? "").toLowerCase().includes(value);
    case "body":
      return text.bodies.some((body) => body.includes(value));
    case "header":
      return text.headers.includes(value);
    default:
      return (
        record.request.method.toLowerCase() === value ||
        text.target.includes(value) ||
        (record.outcome?.endpoint ?? record.handler?.endpoint ?? "").toLowerCase().includes(value) ||
        String(status(record) ?? "") === value ||
        text.bodies.some((body) => body.includes(value))
      );
  }
}

/** Whether the record matches every term (an empty query matches all). */
export function matchesQuery(record: CapturedRecord, terms: readonly QueryTerm[], mask: Masker): boolean {
  if (terms.length === 0) return true;
  const text = new RecordText(record, mask);
  return terms.every((term) => matchesTerm(text, term) !== term.negate);
}
