/**
 * What the pipeline lets a watcher see of each request, in order: the request as it arrived, the
 * endpoint it matched, the request the handler was given (headers reshaped, body cut), the response
 * head, each body chunk, and the outcome. `dev`'s request log is one observer; a request inspector
 * is another. Observers only watch: they cannot change the request or the answer.
 */
import type { RouteValue } from "../router/index.js";
import type { InvokeCall, InvokeErrorKind } from "../runtime/contract.js";

/** A request as it reached the front door, before any rule. */
export interface ArrivedRequest {
  method: string;
  /** The request-target as sent (path and query), before `/e/<hook_id>` is stripped. */
  target: string;
  host: string;
  /** Lower-case names, in the order sent. */
  headers: ReadonlyArray<readonly [string, string]>;
}

export interface ResponseHead {
  status: number;
  headers: ReadonlyArray<readonly [string, string]>;
}

/** How one request ended. */
export interface RequestOutcome {
  status: number;
  /** The endpoint id, when the request got that far. */
  endpoint?: string;
  /** Milliseconds from arrival to the last byte (or to the end of the head for HEAD). */
  ms: number;
  /** Body bytes the caller was given. */
  bytes: number;
  /** Why the answer is a failure, for the terminal: a stack trace, a routing miss's reason... */
  detail?: string;
  /** A handler failure before the head, by kind. */
  error?: InvokeErrorKind;
  /** The caller stopped reading before the body ended. */
  cancelled?: boolean;
}

/** One request's observer; every method is optional and called at most once, except `chunk`. */
export interface RequestObserver {
  matched?(match: { endpoint: string; rule: string; values: Readonly<Record<string, RouteValue>> }): void;
  /** The call as `_invoke` receives it: URL, reshaped headers, body after the 10 MiB cut, values, settings. */
  forwarded?(call: Readonly<InvokeCall>): void;
  head?(head: ResponseHead): void;
  chunk?(bytes: Uint8Array): void;
  end?(outcome: RequestOutcome): void;
}

/** Called as each request arrives; returns the observer for that request, if any. */
export type ObserveRequest = (request: ArrivedRequest) => RequestObserver | undefined;
