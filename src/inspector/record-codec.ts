/**
 * A finished capture record as bytes in the record pages, and back: both directions in this one
 * file, field by field in the same order. The header (id, then body bytes kept) comes first so the
 * store can look a record up and account for it without reading the rest.
 */
import type { RequestOutcome } from "../pipeline/observer.js";
import type { RouteValue } from "../router/index.js";
import { droppedHeaders, forwardedPairs } from "./compact-headers.js";
import type { PageReader, PageWriter } from "./record-pages.js";
import type { CapturedChunk, CapturedLog, CapturedRecord, ReadonlyHeaders } from "./store.js";

/** What capture knows of one request, as it keeps it while the request runs. */
export interface CaptureParts {
  readonly id: number;
  readonly time: number;
  readonly generation: number;
  readonly replayOf: number | undefined;
  readonly logs: readonly CapturedLog[];
  readonly outcome: RequestOutcome | undefined;
  readonly method: string;
  readonly target: string;
  readonly host: string;
  /** Header lists are the pipeline's own (it never changes them once given). */
  readonly requestHeaders: ReadonlyHeaders;
  /** Set once the body was read (forwarded to the handler). */
  readonly body: Uint8Array | undefined;
  readonly bodyTotal: number | undefined;
  /** Set once an endpoint matched. */
  readonly endpoint: string | undefined;
  readonly rule: string;
  readonly values: Readonly<Record<string, RouteValue>> | undefined;
  readonly url: string | undefined;
  readonly settings: Readonly<Record<string, unknown>> | undefined;
  /** Set once the handler was called. */
  readonly handlerHeaders: ReadonlyHeaders | undefined;
  /** Set once the response head was given. */
  readonly responseHeaders: ReadonlyHeaders | undefined;
  readonly status: number;
  readonly chunks: readonly CapturedChunk[];
  readonly kept: number;
  readonly truncated: boolean;
}

const VALUE_TYPES: ReadonlyArray<RouteValue["type"]> = ["string", "int", "float", "uuid"];
const TYPE_CODES: Readonly<Record<RouteValue["type"], number>> = { string: 0, int: 1, float: 2, uuid: 3 };
/** What a handler header list is: none yet, kept whole, or the request's minus some plus the hook headers. */
const NO_HEADERS = 0;
const WHOLE = 1;
const AS_CHANGE = 2;

export function writeCapture(w: PageWriter, r: CaptureParts): void {
  // In sections: each small enough for V8 to inline the writer's methods into it.
  writeRequest(w, r);
  if (r.endpoint !== undefined) writeHandler(w, r, r.endpoint);
  else w.u8(0);
  if (r.responseHeaders !== undefined) writeResponse(w, r, r.responseHeaders);
  else w.u8(0);
  writeOutcome(w, r.outcome);
  w.u32(r.logs.length);
  for (const log of r.logs) {
    w.f64(log.at);
    w.u8(log.stream === "stdout" ? 0 : 1);
    w.str(log.text);
  }
}

function writeRequest(w: PageWriter, r: CaptureParts): void {
  w.u32(r.id);
  w.u32((r.body?.byteLength ?? 0) + r.kept);
  w.f64(r.time);
  w.u32(r.generation);
  w.u32(r.replayOf ?? 0);
  w.str(r.method);
  w.str(r.target);
  w.str(r.host);
  writeHeaders(w, r.requestHeaders);
  w.u8(r.body === undefined ? 0 : 1);
  if (r.body !== undefined) {
    w.bytes(r.body);
    w.f64(r.bodyTotal ?? r.body.byteLength);
  }
}

function writeHandler(w: PageWriter, r: CaptureParts, endpoint: string): void {
  w.u8(1);
  w.str(endpoint);
  w.str(r.rule);
  // Each value as its type's code, name and text; a code past the types ends the list.
  const values = r.values;
  if (values !== undefined) {
    for (const name in values) {
      const value = values[name]!;
      w.u8(TYPE_CODES[value.type]);
      w.str(name);
      w.str(value.text);
    }
  }
  w.u8(VALUE_TYPES.length);
  optionalStr(w, r.url);
  w.u8(r.settings === undefined ? 0 : 1);
  if (r.settings !== undefined) w.ref(r.settings);
  const headers = r.handlerHeaders;
  const dropped = headers === undefined ? -1 : droppedHeaders(r.requestHeaders, headers);
  if (headers === undefined) w.u8(NO_HEADERS);
  else if (dropped === -1) {
    w.u8(WHOLE);
    writeHeaders(w, headers);
  } else {
    w.u8(AS_CHANGE);
    w.u32(dropped);
    w.str(headers[headers.length - 2]![1]);
    w.str(headers[headers.length - 1]![1]);
  }
}

function writeResponse(w: PageWriter, r: CaptureParts, headers: ReadonlyHeaders): void {
  w.u8(1);
  w.u32(r.status);
  writeHeaders(w, headers);
  w.u32(r.kept);
  w.u8(r.truncated ? 1 : 0);
  w.u32(r.chunks.length);
  for (const chunk of r.chunks) {
    w.f64(chunk.at);
    w.bytes(chunk.bytes);
  }
}

function writeOutcome(w: PageWriter, outcome: RequestOutcome | undefined): void {
  w.u8(outcome === undefined ? 0 : 1);
  if (outcome === undefined) return;
  w.u32(outcome.status);
  optionalStr(w, outcome.endpoint);
  w.f64(outcome.ms);
  w.f64(outcome.bytes);
  optionalStr(w, outcome.detail);
  optionalStr(w, outcome.error);
  w.u8(outcome.cancelled ? 1 : 0);
}

/** The record as the API and the page read it (a new object each time). */
export function readCapture(r: PageReader): CapturedRecord {
  const id = r.u32();
  r.u32();
  const time = r.f64();
  const generation = r.u32();
  const replayOf = r.u32();
  const method = r.str();
  const target = r.str();
  const host = r.str();
  const requestHeaders = readHeaders(r);
  const request: CapturedRecord["request"] = { method, target, host, headers: requestHeaders, body: undefined, bodyTotal: undefined };
  if (r.u8() === 1) {
    request.body = r.bytes();
    request.bodyTotal = r.f64();
  }
  let handler: CapturedRecord["handler"];
  if (r.u8() === 1) {
    const endpoint = r.str();
    const rule = r.str();
    const values: Record<string, RouteValue> = {};
    for (let code = r.u8(); code < VALUE_TYPES.length; code = r.u8()) {
      const name = r.str();
      values[name] = { type: VALUE_TYPES[code]!, text: r.str() };
    }
    const url = readOptionalStr(r);
    const settings = r.u8() === 1 ? (r.ref() as Readonly<Record<string, unknown>>) : undefined;
    const kind = r.u8();
    let headers: CapturedRecord["request"]["headers"] | undefined;
    if (kind === WHOLE) headers = readHeaders(r);
    else if (kind === AS_CHANGE) {
      const dropped = r.u32() | 0;
      const hookId = r.str();
      headers = forwardedPairs(requestHeaders, dropped, hookId, r.str());
    }
    handler = { endpoint, rule, values, url, headers, settings };
  }
  let response: CapturedRecord["response"];
  if (r.u8() === 1) {
    const status = r.u32();
    const headers = readHeaders(r);
    const bytes = r.u32();
    const truncated = r.u8() === 1;
    const chunks: CapturedChunk[] = [];
    for (let n = r.u32(); n > 0; n--) {
      const at = r.f64();
      chunks.push({ at, bytes: r.bytes() });
    }
    response = { status, headers, chunks, bytes, truncated };
  }
  let outcome: CapturedRecord["outcome"];
  if (r.u8() === 1) {
    const status = r.u32();
    const endpoint = readOptionalStr(r);
    const ms = r.f64();
    const bytes = r.f64();
    const detail = readOptionalStr(r);
    const error = readOptionalStr(r);
    const cancelled = r.u8() === 1;
    outcome = { status, ms, bytes };
    if (endpoint !== undefined) outcome.endpoint = endpoint;
    if (detail !== undefined) outcome.detail = detail;
    if (error !== undefined) outcome.error = error;
    if (cancelled) outcome.cancelled = true;
  }
  const logs: CapturedLog[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const at = r.f64();
    const stream = r.u8() === 0 ? "stdout" : "stderr";
    logs.push({ at, stream, text: r.str() });
  }
  return { id, time, generation, replayOf: replayOf === 0 ? undefined : replayOf, pinned: false, done: true, request, handler, response, logs, outcome };
}

/** The body bytes the record keeps, without reading the rest. */
export function readKeptBytes(r: PageReader): number {
  r.u32();
  return r.u32();
}

function writeHeaders(w: PageWriter, headers: ReadonlyHeaders): void {
  w.u32(headers.length);
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    w.str(header[0]);
    w.str(header[1]);
  }
}

function readHeaders(r: PageReader): Array<[string, string]> {
  const headers = new Array<[string, string]>(r.u32());
  for (let i = 0; i < headers.length; i++) {
    const name = r.str();
    headers[i] = [name, r.str()];
  }
  return headers;
}

function optionalStr(w: PageWriter, value: string | undefined): void {
  w.u8(value === undefined ? 0 : 1);
  if (value !== undefined) w.str(value);
}

function readOptionalStr(r: PageReader): string | undefined {
  return r.u8() === 1 ? r.str() : undefined;
}
