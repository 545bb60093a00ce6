/**
 * A captured request sent again through the pipeline: the exact bytes by default (a signature over
 * them still verifies), or with the method, target, headers or body replaced. Pure: builds the
 * pipeline request; the inspector runs it and the capture records the answer as a new record.
 */
import type { PipelineRequest } from "../pipeline/pipeline.js";
import { resignForReplay } from "../providers/replay-sign.js";
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
  /** `false` sends a captured provider signature as it is; otherwise it is made afresh when possible. */
  resign?: boolean;
}

/** Whether a replay was re-signed: the provider, or why not. */
export interface ReplaySigningNote {
  signed: boolean;
  provider?: string;
  reason?: string;
}

const encoder = new TextEncoder();

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The request a replay sends. Unless `overrides.resign` is false, a request whose provider scheme is
 * recognised (Slack, Stripe, GitHub, ...) is signed afresh with the keys the plugin's settings hold,
 * so a timestamp window or an edited body still verifies; otherwise it goes as built, with the reason.
 */
export function replayRequest(record: CapturedRecord, overrides: ReplayOverrides, settings: Record<string, unknown> = {}): { request: PipelineRequest; signing: ReplaySigningNote } {
  let body = overrides.bodyBase64 !== undefined ? fromBase64(overrides.bodyBase64) : overrides.body !== undefined ? encoder.encode(overrides.body) : (record.request.body ?? new Uint8Array(0));
  let headers = (overrides.headers ?? record.request.headers).map(([name, value]) => [String(name).toLowerCase(), String(value)] as [string, string]);
  let target = overrides.target ?? record.request.target;
  if (!target.startsWith("/")) throw new Error("the target must start with /");
  const method = (overrides.method ?? record.request.method).toUpperCase();
  let signing: ReplaySigningNote = { signed: false, reason: "re-signing turned off" };
  if (overrides.resign !== false) {
    const resigned = resignForReplay({ method, path: target, headers: new Headers(headers), body }, settings);
    if (resigned.signed) {
      signing = { signed: true, provider: resigned.provider };
      target = resigned.request.path;
      headers = [...resigned.request.headers].map(([name, value]) => [name.toLowerCase(), value] as [string, string]);
      body = resigned.request.body ?? new Uint8Array(0);
    } else {
      signing = { signed: false, reason: resigned.reason };
    }
  }
  // The length must match the bytes sent, as a client would set it.
  if (headers.some(([name]) => name === "content-length") || body.byteLength > 0) {
    headers = headers.filter(([name]) => name !== "content-length" && name !== "transfer-encoding");
    headers.push(["content-length", String(body.byteLength)]);
  }
  const bytes = body;
  const request: PipelineRequest = {
    method,
    target,
    host: record.request.host,
    headers,
    signal: new AbortController().signal,
    // A copy: the record's bytes may share a slab with other records, which a runtime that
    // transfers its buffer away would empty.
    readBody: async (limit) => ({ bytes: bytes.slice(0, limit), total: bytes.byteLength, truncated: bytes.byteLength > limit }),
  };
  return { request, signing };
}
