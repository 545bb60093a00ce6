/**
 * A captured request sent again through the pipeline: the exact bytes by default (a signature over
 * them still verifies), or with the method, target, headers or body replaced. Pure: builds the
 * pipeline request; the inspector runs it and the capture records the answer as a new record.
 */
import type { PipelineRequest } from "../pipeline/pipeline.js";
import type { CapturedRecord } from "./store.js";

export interface ReplayOverrides {
  method?: string;
  target?: string;
  /** Replaces every header (order kept as given). */
  headers?: Array<[string, string]>;
  /** Replaces the body with this text (UTF-8). */
  body?: string;
  /** Replaces the body with these bytes. */
  bodyBase64?: string;
}

const encoder = new TextEncoder();

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function replayRequest(record: CapturedRecord, overrides: ReplayOverrides): PipelineRequest {
  const body = overrides.bodyBase64 !== undefined ? fromBase64(overrides.bodyBase64) : overrides.body !== undefined ? encoder.encode(overrides.body) : (record.request.body ?? new Uint8Array(0));
  let headers = (overrides.headers ?? record.request.headers).map(([name, value]) => [String(name).toLowerCase(), String(value)] as [string, string]);
  // The length must match the bytes sent, as a client would set it.
  if (headers.some(([name]) => name === "content-length") || body.byteLength > 0) {
    headers = headers.filter(([name]) => name !== "content-length" && name !== "transfer-encoding");
    headers.push(["content-length", String(body.byteLength)]);
  }
  const target = overrides.target ?? record.request.target;
  if (!target.startsWith("/")) throw new Error("the target must start with /");
  return {
    method: (overrides.method ?? record.request.method).toUpperCase(),
    target,
    host: record.request.host,
    headers,
    signal: new AbortController().signal,
    readBody: async (limit) => ({ bytes: body.byteLength > limit ? body.subarray(0, limit) : body, total: body.byteLength, truncated: body.byteLength > limit }),
  };
}
