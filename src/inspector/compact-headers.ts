/**
 * The handler's headers as a record writes them into its page: the request's headers minus those
 * Dify dropped, plus its two `Dify-Hook-*` headers, told as a bit set and the two values instead of
 * a second list of the same strings. Lists come back as pairs when read.
 */
import type { ReadonlyHeaders } from "./store.js";

/** Most request headers a diff can describe (one bit each in a small integer). */
const MAX_DIFF_HEADERS = 30;

/**
 * The headers the handler was given, told as a change to the request's: bit i set when the
 * request's header i was left out. -1 when `forwarded` is not the request's headers in order, some
 * left out, plus `Dify-Hook-Id` and `Dify-Hook-Url` at the end (a cut body's rewritten length, say):
 * the caller then keeps the list itself. Compares only, allocates nothing.
 */
export function droppedHeaders(request: ReadonlyHeaders, forwarded: ReadonlyHeaders): number {
  const count = request.length;
  const added = forwarded.length - 2;
  if (count > MAX_DIFF_HEADERS || added < 0) return -1;
  let dropped = 0;
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    const pair = at < added ? forwarded[at]! : undefined;
    const header = request[i]!;
    if (pair !== undefined && pair[0] === header[0] && pair[1] === header[1]) at += 1;
    else dropped |= 1 << i;
  }
  if (at !== added || forwarded[added]![0] !== "Dify-Hook-Id" || forwarded[added + 1]![0] !== "Dify-Hook-Url") return -1;
  return dropped;
}

/** The forwarded list `droppedHeaders` described, as pairs. */
export function forwardedPairs(request: ReadonlyHeaders, dropped: number, hookId: string, hookUrl: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < request.length; i += 1) if ((dropped & (1 << i)) === 0) pairs.push([request[i]![0], request[i]![1]]);
  pairs.push(["Dify-Hook-Id", hookId], ["Dify-Hook-Url", hookUrl]);
  return pairs;
}
