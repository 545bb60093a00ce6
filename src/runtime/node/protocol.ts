/**
 * Messages between the Node runtime (server thread) and its worker thread. They are plain arrays of
 * primitives plus transferred `ArrayBuffer`s, because structured clones of objects cost far more
 * server CPU per call (see TECH-NOTES). Both sides import only the types and the small pure helpers.
 */
import type { InvokeErrorKind, RouteValue } from "../contract.js";

/** One compiled source: what the worker needs to evaluate it and to remap its stack frames. */
export type ModuleMessage = [op: "load", id: number, source: string, file: string, code: string, map: string];

export type CallMessage = [
  op: "call",
  id: number,
  endpoint: string,
  source: string,
  method: string,
  url: string,
  /** Header names and values, alternating. */
  headers: string[],
  body: ArrayBuffer | null,
  /** Path values as `name, type, text` triples. */
  values: string[],
  /** The settings as JSON: a string clones far faster than an object. */
  settings: string,
];

export type ToWorker =
  | ModuleMessage
  | CallMessage
  | [op: "drop", sources: string[]]
  | [op: "credit", id: number, chunks: number]
  | [op: "cancel", id: number]
  | [op: "ping", id: number]
  | [op: "stats", id: number, collectGarbage: boolean];

/** Why a module could not be evaluated; `file` is absolute, `line` and `column` 1-based (0 when unknown). */
export type ModuleError = [message: string, stack: string, file: string, line: number, column: number];

export type LogStream = "stdout" | "stderr";

export type FromWorker =
  | [op: "loaded", id: number, error: ModuleError | null]
  | [op: "head", id: number, status: number, headers: string[]]
  /** A response whose body was complete at once: head, body and end in one message. */
  | [op: "whole", id: number, status: number, headers: string[], data: ArrayBuffer | null]
  | [op: "chunk", id: number, data: ArrayBuffer]
  | [op: "end", id: number]
  | [op: "fail", id: number, kind: InvokeErrorKind, message: string, stack: string]
  | [op: "log", stream: LogStream, text: string, endpoint: string | null]
  | [op: "pong", id: number]
  | [op: "stats", id: number, heapUsed: number, heapTotal: number];

/** The specifier plugins import `Endpoint` from: the bundler leaves it to the worker's `require`. */
export const ENDPOINT_KIT_SPECIFIER = "endpoint-kit";

/** How many body chunks the worker may send ahead of what the server has consumed. */
export const CHUNK_WINDOW = 16;
/** The server returns credit in batches of this many consumed chunks. */
export const CREDIT_BATCH = 8;

export function flattenPairs(pairs: Iterable<[string, string]>): string[] {
  const flat: string[] = [];
  for (const [name, value] of pairs) flat.push(name, value);
  return flat;
}

export function pairFlat(flat: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i] as string, flat[i + 1] as string]);
  return pairs;
}

export function flattenRouteValues(values: Record<string, RouteValue>): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(values)) flat.push(name, value.type, value.text);
  return flat;
}

/**
 * Converts path values for `_invoke` as Python would hand them over, in their JavaScript form: an
 * `int` is a number when it is a safe integer and a `bigint` otherwise (Python's ints never lose
 * digits, and `-0` is `0`); a `float` is a number; a `uuid` is its canonical lower-case text (the
 * router already lower-cases it: `str(uuid.UUID(...))`); anything else is the matched text.
 */
export function convertRouteValues(flat: readonly string[]): Record<string, string | number | bigint> {
  const values: Record<string, string | number | bigint> = {};
  for (let i = 0; i + 2 < flat.length; i += 3) setRouteValue(values, flat[i] as string, flat[i + 1] as string, flat[i + 2] as string);
  return values;
}

/** `convertRouteValues(flattenRouteValues(values))` without the list between, for an in-process call. */
export function routeValuesFor(values: Record<string, RouteValue>): Record<string, string | number | bigint> {
  const converted: Record<string, string | number | bigint> = {};
  for (const name in values) {
    if (!Object.prototype.hasOwnProperty.call(values, name)) continue;
    const value = values[name] as RouteValue;
    setRouteValue(converted, name, value.type, value.text);
  }
  return converted;
}

function setRouteValue(values: Record<string, string | number | bigint>, name: string, type: string, text: string): void {
  const value = type === "int" ? toPythonInt(text) : type === "float" ? Number(text) : type === "uuid" ? text.toLowerCase() : text;
  // defineProperty, because `__proto__` is a valid parameter name; a plain assignment is the same
  // for any other name and costs no descriptor object.
  if (name === "__proto__") Object.defineProperty(values, name, { value, enumerable: true, writable: true, configurable: true });
  else values[name] = value;
}

function toPythonInt(text: string): number | bigint {
  const big = BigInt(text);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}
