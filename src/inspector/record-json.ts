/**
 * A record as the API sends it: bodies as base64 (the page decodes them as text, JSON, form,
 * multipart or hex), secrets masked everywhere they could appear (headers, bodies, logs, the
 * traceback), setting values never included (only their names).
 */
import { responseBody } from "./export.js";
import type { CapturedRecord, HeaderList, ReadonlyHeaders } from "./store.js";

export type Masker = (text: string) => string;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes, with any secret replaced when they are text that holds one. */
export function maskedBase64(bytes: Uint8Array | undefined, mask: Masker): string {
  if (!bytes || bytes.byteLength === 0) return "";
  const text = decoder.decode(bytes);
  const masked = mask(text);
  return base64(masked === text ? bytes : encoder.encode(masked));
}

const maskHeaders = (headers: ReadonlyHeaders | undefined, mask: Masker): HeaderList | undefined =>
  headers?.map(([name, value]) => [name, mask(value)]);

export function recordJson(record: CapturedRecord, mask: Masker): Record<string, unknown> {
  const { request, handler, response, outcome } = record;
  return {
    id: record.id, time: record.time, generation: record.generation, pinned: record.pinned, done: record.done,
    ...(record.replayOf !== undefined ? { replayOf: record.replayOf } : {}),
    request: { method: request.method, target: mask(request.target), host: request.host, headers: maskHeaders(request.headers, mask), body: maskedBase64(request.body, mask), bodyTotal: request.bodyTotal ?? 0 },
    // Of the settings the handler was given, only their names: never a value, secret or not.
    ...(handler
      ? { handler: { endpoint: handler.endpoint, rule: handler.rule, url: handler.url ? mask(handler.url) : undefined, headers: maskHeaders(handler.headers, mask), values: JSON.parse(mask(JSON.stringify(handler.values))) as unknown, ...(handler.settings ? { settingNames: Object.keys(handler.settings) } : {}) } }
      : {}),
    ...(response
      ? { response: { status: response.status, headers: maskHeaders(response.headers, mask), body: maskedBase64(responseBody(record), mask), truncated: response.truncated, chunks: response.chunks.map((c) => ({ at: Math.round(c.at * 10) / 10, size: c.bytes.byteLength })) } }
      : {}),
    logs: record.logs.map((l) => ({ ...l, text: mask(l.text) })),
    ...(outcome ? { outcome: { ...outcome, ...(outcome.detail ? { detail: mask(outcome.detail) } : {}) } } : {}),
  };
}
