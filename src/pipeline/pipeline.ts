/**
 * The request pipeline: Dify's front door as one platform-neutral function. A request (method,
 * raw target, host, headers, a way to read its body) goes in; an answer (status, headers, a body of
 * chunks) comes out, after every rule the daemon applies: the `/e/<hook_id>` prefix, the
 * werkzeug-exact router and its 404 texts, HEAD via GET, OPTIONS only when declared, the request
 * reshaped (hop and forwarding headers removed, `Dify-Hook-*` added, query re-encoded, body cut at
 * 10 MiB), the settings, the deadline, one value per response header, failures as Dify words them.
 * `dev`'s HTTP server, `loadPlugin()` and `invoke` all go through here. No `node:` import: a
 * serverless build bundles this file with the plugin's endpoint classes.
 */
import { describeMiss, type MatchResult } from "../router/index.js";
import { InvokeError, type EndpointInvoker, type InvokeCall, type InvokeResult } from "../runtime/contract.js";
import { observeBody, type BodyEnd, type ChunkObserver } from "./answer-body.js";
import type { CappedBody } from "./capped-body.js";
import { forwardHeaders, MAX_BODY_BYTES, reencodeQuery, singleValueHeaders } from "./dify-request.js";
import { invalidHeaderText, invokeErrorText, missText, STATUS_BY_KIND, unavailableText } from "./failure-answers.js";
import type { ArrivedRequest, ObserveRequest, RequestObserver, RequestOutcome } from "./observer.js";
import type { ServingState } from "./serving-state.js";
import { splitTarget, stripHookPrefix } from "./target.js";
import { wholeBody } from "./whole-body.js";

/** One request at the front door. */
export interface PipelineRequest extends ArrivedRequest {
  /**
   * Reads the body, keeping at most `limit` bytes; called only once an endpoint matched. A body known
   * at once (none, for GET) may be returned as it is: each `await` is a turn and a few objects.
   */
  readBody(limit: number): CappedBody | Promise<CappedBody>;
  /** Aborted when the caller goes away: stops the handler. */
  signal: AbortSignal;
}

/** The answer: what the caller is sent. */
export interface PipelineAnswer {
  status: number;
  /** One value per name, as the daemon sends them. */
  headers: Array<[string, string]>;
  /** The chunks to send; `undefined` when no body goes out (HEAD). Ending or leaving it ends the request. */
  body: AsyncIterableIterator<Uint8Array> | undefined;
  /** The endpoint that answered, when one did. */
  endpoint?: string;
}

export interface PipelineOptions {
  /** The state to serve with (`dev` waits here while a reload is under way; a build has it at once). */
  current(): ServingState | Promise<ServingState>;
  /** How long a handler may take (Dify's default is 600 s). */
  deadlineMs: number;
  /** Notices about what Dify would change in a request or an answer (a body cut, a header dropped). */
  warn(message: string): void;
  /** Watches each request (the request log, an inspector). */
  observe?: ObserveRequest;
}

export type HandleRequest = (request: PipelineRequest) => Promise<PipelineAnswer>;

/**
 * The same, answering at once when nothing had to wait (the state at hand, no body to read, a
 * handler that answered synchronously): a server that takes this writes the answer in the same
 * turn, with no promise made for it. It may throw where `HandleRequest` would reject.
 */
export type HandleRequestNow = (request: PipelineRequest) => PipelineAnswer | Promise<PipelineAnswer>;

const encoder = new TextEncoder();

/** Builds the front door over `options.current()`. */
export function createPipeline(options: PipelineOptions): HandleRequest {
  const now = createPipelineNow(options);
  return (request) => {
    try {
      return Promise.resolve(now(request));
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/** Builds the front door that answers at once when it can. */
export function createPipelineNow(options: PipelineOptions): HandleRequestNow {
  return (request) => {
    const observer = options.observe?.(request);
    // Only an observer reads the time taken.
    const started = observer === undefined ? 0 : performance.now();
    const current = options.current();
    if (current instanceof Promise) return current.then((state) => route(options, request, state, observer, started));
    return route(options, request, current, observer, started);
  };
}

/** A request matched to an endpoint that can run: what the rest of its way needs. */
interface Routed {
  options: PipelineOptions;
  request: PipelineRequest;
  state: ServingState;
  observer: RequestObserver | undefined;
  started: number;
  fullPath: string;
  path: string;
  query: string;
  match: Extract<MatchResult, { kind: "ok" }>;
  runtime: EndpointInvoker;
}

/** Routing, Dify's misses, and the body read (waited for only when it is still arriving). */
function route(options: PipelineOptions, request: PipelineRequest, state: ServingState, observer: RequestObserver | undefined, started: number): PipelineAnswer | Promise<PipelineAnswer> {
  const { method } = request;
  const { path: fullPath, query } = splitTarget(request.target);
  const path = stripHookPrefix(fullPath, state.hookId);
  const match = state.router.match(path, method);
  if (match.kind !== "ok") {
    return failure(method, 404, missText(describeMiss(match, { origin: `http://${request.host}`, query })), observer, {}, started);
  }
  observer?.matched?.({ endpoint: match.endpoint, rule: match.rule, values: match.values });
  const endpoint = state.endpoints.get(match.endpoint);
  const unavailable = state.unavailable.get(match.endpoint);
  if (!endpoint || unavailable) return failure(method, 500, unavailableText(unavailable), observer, { endpoint: match.endpoint }, started);
  const routed: Routed = { options, request, state, observer, started, fullPath, path, query, match, runtime: endpoint.runtime };
  const read = request.readBody(MAX_BODY_BYTES);
  return read instanceof Promise ? read.then((body) => forward(routed, body)) : forward(routed, read);
}

/** The request as Dify reshapes it, handed to the endpoint's runtime. */
function forward(routed: Routed, body: CappedBody): PipelineAnswer | Promise<PipelineAnswer> {
  const { options, request, state, observer, started, path, match } = routed;
  const { method } = request;
  if (body.timedOut) return failure(method, 408, "Request Timeout: the request body did not arrive in time\n", observer, { endpoint: match.endpoint, detail: "body deadline" }, started);
  if (body.truncated) options.warn(`${method} ${routed.fullPath}: the request body (${body.total} bytes) was cut at 10 MiB, as Dify does`);
  const forwarded = forwardHeaders(request.headers as Iterable<[string, string]>, state.hookId, `http://${request.host}/e/${state.hookId}${path}`);
  // The handler sees a length that matches the body it gets.
  if (body.truncated) forwarded.headers = withContentLength(forwarded.headers, body.bytes.byteLength);
  if (forwarded.invalidName) return failure(method, 500, invalidHeaderText(forwarded.invalidName), observer, { endpoint: match.endpoint }, started);
  const search = routed.query ? reencodeQuery(routed.query) : "";
  const call: InvokeCall = {
    endpoint: match.endpoint, method, url: `http://${request.host}${path}${search ? `?${search}` : ""}`,
    headers: forwarded.headers, body: body.bytes, values: match.values, settings: state.settings,
  };
  observer?.forwarded?.(call);
  let result: InvokeResult | Promise<InvokeResult>;
  try {
    result = routed.runtime.invoke(call, new CallOptions(request, options.deadlineMs));
  } catch (error) {
    return invokeFailure(routed, error);
  }
  if (result instanceof Promise) return result.then((answered) => answer(routed, answered), (error: unknown) => invokeFailure(routed, error));
  return answer(routed, result);
}

/** A runtime's failure as Dify words it; anything but an `InvokeError` is the caller's to report. */
function invokeFailure(routed: Routed, error: unknown): PipelineAnswer {
  if (!(error instanceof InvokeError)) throw error;
  const { options, request, observer, started, match } = routed;
  return failure(request.method, STATUS_BY_KIND[error.kind], invokeErrorText(error, options.deadlineMs), observer, { endpoint: match.endpoint, detail: error.detail ?? error.message, error: error.kind }, started);
}

/** The handler's answer with one value per header; no body for HEAD. */
function answer(routed: Routed, result: InvokeResult): PipelineAnswer {
  const { options, request, observer, started } = routed;
  const { method } = request;
  const single = singleValueHeaders(result.headers);
  if (single.dropped.length > 0) options.warn(`${method} ${routed.fullPath}: Dify keeps one value per response header; dropped extra values of ${single.dropped.join(", ")}`);
  const status = result.status;
  observer?.head?.({ status, headers: single.headers });
  const answered = routed.match.endpoint;
  if (method === "HEAD") {
    // No body goes out for HEAD: stop the handler's stream instead of letting it fill its window.
    void result.body[Symbol.asyncIterator]().return?.()?.catch(() => undefined);
    observer?.end?.({ status, endpoint: answered, ms: performance.now() - started, bytes: 0 });
    return { status, headers: single.headers, body: undefined, endpoint: answered };
  }
  // A closure only for an observer that asks for the end (none in the Node build output); the
  // observer itself hears the chunks.
  const chunks = observer?.chunk === undefined ? undefined : (observer as ChunkObserver);
  const onEnd = observer?.end === undefined ? undefined : endReporter(observer, status, answered, started);
  return { status, headers: single.headers, body: observeBody(result.body, chunks, onEnd), endpoint: answered };
}

/**
 * The invoker's options. The signal is read only by a runtime that needs it: making one (an
 * AbortController and a close listener) is a large share of a small answer's cost where the handler
 * never looks. The getter is on a class, not in an object literal: a literal's getter is a new
 * closure per request, which V8 keeps in an old-generation hidden class made for that one object;
 * everything the closure reaches (the whole request) then survived every scavenge until the next
 * full collection (about 2 KB promoted per request, a Mark-Compact a second under load).
 */
class CallOptions {
  readonly deadlineMs: number;
  readonly #request: PipelineRequest;

  constructor(request: PipelineRequest, deadlineMs: number) {
    this.#request = request;
    this.deadlineMs = deadlineMs;
  }

  get signal(): AbortSignal {
    return this.#request.signal;
  }
}

/** The request headers with `content-length` saying `length` (the body was cut). */
function withContentLength(headers: Array<[string, string]>, length: number): Array<[string, string]> {
  return headers.map(([name, value]) => [name, name === "content-length" ? String(length) : value]);
}

/** Reports the end of a handler's body to the observer. */
function endReporter(observer: RequestObserver, status: number, endpoint: string, started: number): (outcome: BodyEnd) => void {
  return (outcome) => observer.end?.({ status, endpoint, ms: performance.now() - started, ...outcome });
}

/** A plain-text answer of Dify's (a miss, a failure), observed like any other. */
function failure(method: string, status: number, text: string, observer: RequestObserver | undefined, outcome: Pick<RequestOutcome, "endpoint" | "detail" | "error">, started: number): PipelineAnswer {
  const bytes = encoder.encode(text);
  const headers: Array<[string, string]> = [["content-type", "text/plain; charset=utf-8"], ["content-length", String(bytes.byteLength)]];
  observer?.head?.({ status, headers });
  const sent = method === "HEAD" ? 0 : bytes.byteLength;
  if (sent > 0) observer?.chunk?.(bytes);
  observer?.end?.({ ...outcome, status, bytes: sent, ms: performance.now() - started });
  return { status, headers, body: method === "HEAD" ? undefined : wholeBody(bytes), ...(outcome.endpoint ? { endpoint: outcome.endpoint } : {}) };
}
