/**
 * The contract between the dev server and the places where endpoint code runs.
 * The server owns the HTTP connection; a runtime (Node worker, Python worker) only
 * runs `_invoke` for one call and streams the answer back. Both runtimes implement
 * `EndpointRuntime`, and the server never knows which one it is talking to.
 */
import type { RouteValue } from "../router/index.js";

/** Path values are the router's; re-exported for the runtimes, which pass them on to handlers. */
export type { RouteValue };

/** One endpoint the runtime can run: its id is the endpoint YAML path relative to the plugin root. */
export interface RuntimeEndpoint {
  /** Endpoint YAML path relative to the plugin root, e.g. `endpoints/duck.yaml`. */
  id: string;
  /** Source path relative to the plugin root, e.g. `endpoints/duck.py` or `endpoints/duck.ts`. */
  source: string;
}

/** Everything a runtime needs to (re)load a plugin's code. */
export interface RuntimeLoadPlan {
  /** Absolute path of the plugin root. */
  root: string;
  endpoints: RuntimeEndpoint[];
  /**
   * Files edited since the last load (plugin-relative or absolute). When given, a runtime may keep
   * the last build of every source none of whose inputs is listed; when absent, everything is rebuilt.
   */
  changed?: readonly string[];
}

/** The outcome of loading one source: `ok`, or a positioned problem that leaves its endpoints unservable. */
export interface SourceLoadResult {
  source: string;
  ok: boolean;
  /** Plugin-relative files this source depends on (itself included): what to watch for it. */
  inputs: string[];
  error?: { message: string; file?: string; line?: number; column?: number; stack?: string };
}

export interface LoadReport {
  sources: SourceLoadResult[];
  /** What the code runs on (Python: interpreter, SDK, werkzeug), when the runtime knows. */
  runtime?: RuntimeFacts;
}

/** Plain data for the banner: labelled lines, and warnings the session prints once. */
export interface RuntimeFacts {
  lines: Array<[label: string, value: string]>;
  warnings: Array<{ message: string; detail?: string }>;
}

/** One request as Dify passes it to `_invoke` (already filtered and capped by the server). */
export interface InvokeCall {
  endpoint: string;
  method: string;
  /** Absolute URL as the handler should see it (`http://host/e/<hook>/path?query`). */
  url: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** Path values as the router matched them, each with its converter's type. */
  values: Record<string, RouteValue>;
  settings: Record<string, unknown>;
}

/** The head of a response; the body follows as chunks. */
export interface InvokeResult {
  status: number;
  headers: Array<[string, string]>;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Why a call failed before a response head existed. The server maps kinds to Dify's answers:
 * `value-error` -> 404, `exception` -> 500, `timeout` -> 504, `crashed` -> 502, `unavailable` -> 500.
 */
export type InvokeErrorKind = "value-error" | "exception" | "timeout" | "crashed" | "unavailable";

export class InvokeError extends Error {
  readonly kind: InvokeErrorKind;
  /** A stack trace or traceback for the terminal (never sent to the client). */
  readonly detail: string | undefined;
  constructor(kind: InvokeErrorKind, message: string, detail?: string) {
    super(message);
    this.name = "InvokeError";
    this.kind = kind;
    this.detail = detail;
  }
}

/**
 * The error for a call whose caller went away (its `signal` aborted): `unavailable` ("the call was
 * cancelled"), or `timeout` when the signal was a deadline (`AbortSignal.timeout`). Both runtimes
 * answer an abort this way, so the request log reads the same whichever ran the handler.
 */
export function cancelledCall(signal: AbortSignal, endpoint: string): InvokeError {
  const timedOut = signal.reason instanceof DOMException && signal.reason.name === "TimeoutError";
  return new InvokeError(timedOut ? "timeout" : "unavailable", `the call to ${endpoint} was cancelled`);
}

/** Lines a handler printed, for the terminal, prefixed by the endpoint that printed them. */
export interface RuntimeLog {
  endpoint?: string;
  stream: "stdout" | "stderr";
  text: string;
}

export interface EndpointRuntime {
  /**
   * Loads (or reloads) the code. Resolves once the new code is ready to serve; until then
   * calls keep going to the previous code. A source that fails keeps its last good version
   * serving when there is one.
   */
  load(plan: RuntimeLoadPlan): Promise<LoadReport>;
  /**
   * Runs one call. Rejects with `InvokeError` before the response head; after the head an error
   * ends the body stream (the text of the error is written into the body, as on Dify).
   * Aborting `signal` (client gone, deadline) stops the handler; before the head the call rejects
   * with `cancelledCall(signal)`. Both runtimes pass one contract suite (test/runtime-contract.test.ts).
   *
   * After a missed deadline each runtime decides, its own way and on purpose, when code is stuck:
   * the Node runtime pings its worker thread and replaces it when the ping goes unanswered for 250 ms
   * (a blocked event loop blocks every call on that thread, so waiting longer only stalls the others);
   * the Python runtime gives the late call 1 s to wind down before replacing the process: each call
   * has its own thread, which Python cannot interrupt, so only that call is held up meanwhile.
   */
  invoke(call: InvokeCall, options: { signal: AbortSignal; deadlineMs: number }): Promise<InvokeResult>;
  /** Ends every worker; resolves when nothing is left running. */
  close(): Promise<void>;
}

/**
 * The one thing the request pipeline needs of a runtime: running calls. Narrower than
 * `EndpointRuntime` so that an in-process invoker (a class's `_invoke` called directly, as a
 * serverless build does) can stand in for a worker. Such an invoker may answer at once (or throw
 * the `InvokeError`) when the handler answered synchronously: no turn is spent waiting on it.
 */
export interface EndpointInvoker {
  invoke(call: InvokeCall, options: { signal: AbortSignal; deadlineMs: number }): Promise<InvokeResult> | InvokeResult;
}

export interface RuntimeOptions {
  onLog: (log: RuntimeLog) => void;
}
