/**
 * The messages the Python worker sends, narrowed from the `unknown` of a decoded frame header.
 * Pure: a header that fits no message becomes `undefined` and is ignored by the caller.
 */
import type { SourceLoadResult } from "../contract.js";
import { parsePythonFacts } from "./facts.js";
import type { PythonFacts } from "./facts.js";

export type WorkerMessage =
  | { t: "ready"; facts: PythonFacts }
  | { t: "fatal"; message: string }
  | { t: "loaded"; results: SourceLoadResult[] }
  | { t: "head"; id: number; status: number; headers: Array<[string, string]> }
  | { t: "chunk"; id: number }
  | { t: "end"; id: number }
  | { t: "error"; id: number; kind: "value-error" | "exception"; message: string; detail: string }
  | { t: "log"; endpoint: string | undefined; stream: "stdout" | "stderr"; text: string }
  | { t: "pong" };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

function parsePairs(value: unknown): Array<[string, string]> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((pair: unknown): Array<[string, string]> =>
    Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string" ? [[pair[0], pair[1]]] : [],
  );
}

function parseLoadResult(value: unknown): SourceLoadResult | undefined {
  if (!isRecord(value) || typeof value.source !== "string") return undefined;
  const inputs = Array.isArray(value.inputs) ? value.inputs.filter((input): input is string => typeof input === "string") : [];
  const result: SourceLoadResult = { source: value.source, ok: value.ok === true, inputs };
  const error = value.error;
  if (isRecord(error)) {
    result.error = { message: text(error.message) || "failed to load" };
    if (typeof error.file === "string") result.error.file = error.file;
    if (typeof error.line === "number") result.error.line = error.line;
    if (typeof error.column === "number") result.error.column = error.column;
    if (typeof error.stack === "string") result.error.stack = error.stack;
  }
  return result;
}

/** Narrows one frame header to a worker message. */
export function parseWorkerMessage(header: unknown): WorkerMessage | undefined {
  if (!isRecord(header)) return undefined;
  const id = typeof header.id === "number" ? header.id : -1;
  switch (header.t) {
    case "ready":
      return { t: "ready", facts: parsePythonFacts(header) };
    case "fatal":
      return { t: "fatal", message: text(header.message) };
    case "loaded": {
      const results = Array.isArray(header.results) ? header.results.map(parseLoadResult) : [];
      return { t: "loaded", results: results.filter((result) => result !== undefined) };
    }
    case "head":
      return { t: "head", id, status: typeof header.status === "number" ? header.status : 500, headers: parsePairs(header.headers) };
    case "chunk":
    case "end":
      return { t: header.t, id };
    case "error":
      return {
        t: "error",
        id,
        kind: header.kind === "value-error" ? "value-error" : "exception",
        message: text(header.message),
        detail: text(header.detail),
      };
    case "pong":
      return { t: "pong" };
    case "log":
      return {
        t: "log",
        endpoint: typeof header.endpoint === "string" ? header.endpoint : undefined,
        stream: header.stream === "stdout" ? "stdout" : "stderr",
        text: text(header.text),
      };
    default:
      return undefined;
  }
}
