/**
 * One captured record as something to keep or re-run outside the inspector: a curl command, an
 * `.http` file (VS Code REST Client, JetBrains), a HAR 1.2 log, or a fixture for `endpoint-kit test`.
 * Pure functions; the body goes out byte for byte so a signature over it still verifies.
 */
import { recordFixture } from "../fixtures/record-fixture.js";
import type { CapturedRecord, HeaderList, ReadonlyHeaders } from "./store.js";

export const EXPORT_FORMATS = ["curl", "http", "har", "fixture"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Set by the client or the connection, not part of what the sender chose. */
const TRANSPORT_HEADERS = new Set(["host", "content-length", "connection", "transfer-encoding", "expect", "keep-alive"]);

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The body as text when it is valid UTF-8 without control bytes other than tab and newlines. */
export function bodyText(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes || bytes.byteLength === 0) return "";
  try {
    const text = decoder.decode(bytes);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 && code !== 9 && code !== 10 && code !== 13) return undefined;
    }
    return text;
  } catch {
    return undefined;
  }
}

export function sentHeaders(headers: ReadonlyHeaders): HeaderList {
  return headers.filter(([name]) => !TRANSPORT_HEADERS.has(name.toLowerCase())).map(([name, value]) => [name, value]);
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function url(record: CapturedRecord, origin?: string): string {
  return `${origin ?? `http://${record.request.host}`}${record.request.target}`;
}

/** A curl command that sends the same method, target, headers and body bytes. */
export function toCurl(record: CapturedRecord, origin?: string): string {
  const { method, headers, body } = record.request;
  const parts = ["curl", "-sS", "-X", method, shellQuote(url(record, origin))];
  for (const [name, value] of sentHeaders(headers)) parts.push("-H", shellQuote(`${name}: ${value}`));
  if (body && body.byteLength > 0) {
    const text = bodyText(body);
    if (text !== undefined) return [...parts, "--data-binary", shellQuote(text)].join(" ");
    // Binary bytes: printf's octal escapes are exact in every POSIX shell.
    const escaped = [...body].map((b) => `\\${b.toString(8).padStart(3, "0")}`).join("");
    return `printf '${escaped}' | ${[...parts, "--data-binary", "@-"].join(" ")}`;
  }
  return parts.join(" ");
}

/** An `.http` request (REST Client / JetBrains HTTP Client); a binary body is noted, not inlined. */
export function toHttpFile(record: CapturedRecord, origin?: string): string {
  const { method, headers, body } = record.request;
  const lines = [`### ${method} ${record.request.target} (#${record.id})`, `${method} ${url(record, origin)} HTTP/1.1`];
  for (const [name, value] of sentHeaders(headers)) lines.push(`${name}: ${value}`);
  const text = bodyText(body);
  if (body && body.byteLength > 0) lines.push("", text ?? `# binary body of ${body.byteLength} bytes: export as curl to send it`);
  return `${lines.join("\n")}\n`;
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

export function responseBody(record: CapturedRecord): Uint8Array {
  return concat((record.response?.chunks ?? []).map((c) => c.bytes));
}

/** A HAR 1.2 log with the one entry, bodies as text or base64. */
export function toHar(record: CapturedRecord, version: string, origin?: string): string {
  const { method, headers, body } = record.request;
  const full = new URL(url(record, origin));
  const header = (list: ReadonlyHeaders) => list.map(([name, value]) => ({ name, value }));
  const type = (list: ReadonlyHeaders) => list.find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? "";
  const content = (bytes: Uint8Array, mimeType: string) => {
    const text = bodyText(bytes);
    return text !== undefined ? { mimeType, text } : { mimeType, text: base64(bytes), encoding: "base64" };
  };
  const answer = responseBody(record);
  const entry = {
    startedDateTime: new Date(record.time).toISOString(),
    time: record.outcome?.ms ?? 0,
    request: {
      method, url: full.href, httpVersion: "HTTP/1.1", cookies: [], headers: header(headers),
      queryString: [...full.searchParams].map(([name, value]) => ({ name, value })),
      ...(body && body.byteLength > 0 ? { postData: content(body, type(headers)) } : {}),
      headersSize: -1, bodySize: body?.byteLength ?? 0,
    },
    response: {
      status: record.response?.status ?? record.outcome?.status ?? 0, statusText: "", httpVersion: "HTTP/1.1", cookies: [],
      headers: header(record.response?.headers ?? []), content: { size: answer.byteLength, ...content(answer, type(record.response?.headers ?? [])) },
      redirectURL: "", headersSize: -1, bodySize: answer.byteLength,
    },
    cache: {},
    timings: { send: 0, wait: record.outcome?.ms ?? 0, receive: 0 },
  };
  return `${JSON.stringify({ log: { version: "1.2", creator: { name: "endpoint-kit", version }, entries: [entry] } }, null, 2)}\n`;
}

/** A fixture file's text, or why the record cannot be one. */
export function toFixture(record: CapturedRecord): { ok: true; text: string } | { ok: false; message: string } {
  if (!record.response) return { ok: false, message: "this request has no answer yet" };
  return recordFixture(
    { method: record.request.method, path: record.request.target, headers: sentHeaders(record.request.headers), ...(record.request.body ? { body: record.request.body } : {}) },
    { status: record.response.status, headers: [...record.response.headers] as HeaderList, chunks: record.response.chunks.map((c) => c.bytes) },
  );
}
