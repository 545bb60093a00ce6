/**
 * How Dify's daemon reshapes a request before the plugin sees it, and a response before the caller
 * does (SPEC section 5). Pure functions over header lists and URLs.
 */

/** Headers the daemon removes before forwarding (compared lower case). */
export const DROPPED_HEADERS = new Set(["x-forwarded-for", "x-real-ip", "x-forwarded", "x-original-forwarded-for", "x-original-url", "x-original-host"]);
/** Hop-by-hop headers that never cross a proxy. */
const HOP_HEADERS = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Re-encodes a query string with its keys sorted, as Go's `url.Values.Encode` does. */
export function reencodeQuery(search: string): string {
  const params = new URLSearchParams(search);
  const keys = [...new Set([...params.keys()])].sort();
  const parts: string[] = [];
  for (const key of keys) for (const value of params.getAll(key)) parts.push(`${goEscape(key)}=${goEscape(value)}`);
  return parts.join("&");
}

/** Go's `url.QueryEscape`: space as `+`, unreserved kept, the rest percent-encoded. */
function goEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, "+");
}

export interface ForwardedHeaders {
  headers: Array<[string, string]>;
  /** A header name with `_`: the daemon refuses the request (500). */
  invalidName?: string;
}

/** Filters the caller's headers and adds `Dify-Hook-Id` and `Dify-Hook-Url`. */
export function forwardHeaders(raw: Iterable<[string, string]>, hookId: string, hookUrl: string): ForwardedHeaders {
  const headers: Array<[string, string]> = [];
  let invalidName: string | undefined;
  for (const pair of raw) {
    const name = pair[0];
    const lower = name.toLowerCase();
    if (lower.includes("_")) invalidName ??= name;
    if (DROPPED_HEADERS.has(lower) || HOP_HEADERS.has(lower)) continue;
    // The caller's pair itself: header pairs are never written to, and a copy per header adds up.
    headers.push(pair);
  }
  headers.push(["Dify-Hook-Id", hookId], ["Dify-Hook-Url", hookUrl]);
  return invalidName === undefined ? { headers } : { headers, invalidName };
}

/** Keeps one value per response header name (the last, as the daemon's map does); says which were dropped. */
export function singleValueHeaders(headers: ReadonlyArray<readonly [string, string]>): { headers: Array<[string, string]>; dropped: string[] } {
  // Most answers repeat no name: then the list is kept as it is (no map, no new pairs).
  if (headers.length <= 16 && !repeatsName(headers)) return { headers: headers.slice() as Array<[string, string]>, dropped: [] };
  const byName = new Map<string, [string, string]>();
  const dropped: string[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (byName.has(lower)) dropped.push(name);
    byName.set(lower, [name, value]);
  }
  return { headers: [...byName.values()], dropped: [...new Set(dropped)] };
}

/** Whether two headers share a name (case aside); quadratic, for the few headers of an answer. */
function repeatsName(headers: ReadonlyArray<readonly [string, string]>): boolean {
  for (let i = 1; i < headers.length; i += 1) {
    const name = (headers[i] as readonly [string, string])[0].toLowerCase();
    for (let j = 0; j < i; j += 1) if ((headers[j] as readonly [string, string])[0].toLowerCase() === name) return true;
  }
  return false;
}
