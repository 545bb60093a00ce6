/**
 * Header lists as the capture keeps them. A record lives for the next thousand requests, long
 * enough to be copied by the young generation and promoted: every object it holds costs again at
 * each collection. A list of pairs is two objects per header plus a grown array; kept here as one
 * flat array of exact size (name, value, name, value...), and the handler's headers as the request's
 * minus those Dify dropped plus its two `Dify-Hook-*` headers. Lists come back as pairs when read.
 */
import type { ReadonlyHeaders } from "./store.js";

/** `[name, value, name, value...]`, the same strings as the pairs it was made from. */
export type FlatHeaders = readonly string[];

const NO_HEADERS: FlatHeaders = [];

export function flattenHeaders(pairs: ReadonlyHeaders): FlatHeaders {
  if (pairs.length === 0) return NO_HEADERS;
  const flat = new Array<string>(pairs.length * 2);
  for (let i = 0; i < pairs.length; i += 1) {
    const pair = pairs[i]!;
    flat[i * 2] = pair[0];
    flat[i * 2 + 1] = pair[1];
  }
  return flat;
}

export function headerPairs(flat: FlatHeaders): Array<[string, string]> {
  const pairs = new Array<[string, string]>(flat.length / 2);
  for (let i = 0; i < pairs.length; i += 1) pairs[i] = [flat[i * 2]!, flat[i * 2 + 1]!];
  return pairs;
}

/** Most request headers a diff can describe (one bit each in a small integer). */
const MAX_DIFF_HEADERS = 30;

/**
 * The headers the handler was given, told as a change to the request's: bit i set when the
 * request's header i was left out. -1 when `forwarded` is not the request's headers in order, some
 * left out, plus `Dify-Hook-Id` and `Dify-Hook-Url` at the end (a cut body's rewritten length, say):
 * the caller then keeps the list itself. Compares only, allocates nothing.
 */
export function droppedHeaders(request: FlatHeaders, forwarded: ReadonlyHeaders): number {
  const count = request.length / 2;
  const added = forwarded.length - 2;
  if (count > MAX_DIFF_HEADERS || added < 0) return -1;
  let dropped = 0;
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    const pair = at < added ? forwarded[at]! : undefined;
    if (pair !== undefined && pair[0] === request[i * 2] && pair[1] === request[i * 2 + 1]) at += 1;
    else dropped |= 1 << i;
  }
  if (at !== added || forwarded[added]![0] !== "Dify-Hook-Id" || forwarded[added + 1]![0] !== "Dify-Hook-Url") return -1;
  return dropped;
}

/** The forwarded list `droppedHeaders` described, as pairs. */
export function forwardedPairs(request: FlatHeaders, dropped: number, hookId: string, hookUrl: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < request.length / 2; i += 1) if ((dropped & (1 << i)) === 0) pairs.push([request[i * 2]!, request[i * 2 + 1]!]);
  pairs.push(["Dify-Hook-Id", hookId], ["Dify-Hook-Url", hookUrl]);
  return pairs;
}
