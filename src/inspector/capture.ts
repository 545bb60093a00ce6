/**
 * Capture: a pipeline observer that fills one store record per request (the request as it arrived,
 * what the handler was given, the answer chunk by chunk with times, the outcome), and routes the
 * handler's log lines to the request of that endpoint still running.
 *
 * It runs on every request `dev` serves, so it is built to cost next to nothing. A record outlives
 * the next thousand requests: it is promoted to the old generation and marked there, so what counts
 * is how many objects it holds. The record is its own observer and one flat object (no closures, no
 * nested parts: those are built when read); header lists are kept flat, the handler's headers as a
 * change to the request's, small bodies in a shared slab; values, settings and the outcome are the
 * pipeline's own objects. Nothing is masked, summarized or serialized until a page or the API reads.
 */
import type { ArrivedRequest, RequestObserver, RequestOutcome, ResponseHead } from "../pipeline/observer.js";
import type { RouteValue } from "../router/index.js";
import type { InvokeCall, RuntimeLog } from "../runtime/contract.js";
import { ByteArena, bytesAt } from "./byte-arena.js";
import { droppedHeaders, flattenHeaders, forwardedPairs, headerPairs, type FlatHeaders } from "./compact-headers.js";
import type { CapturedChunk, CapturedLog, CapturedRecord, RecordStore } from "./store.js";

export interface CaptureOptions {
  /** The reload generation serving now. */
  generation(): number;
  /** Which record a replayed request replays (set by the replay before it enters the pipeline). */
  replayOf(request: ArrivedRequest): number | undefined;
}

export interface Capture {
  observe(request: ArrivedRequest): RequestObserver;
  /** A handler's output line: kept with the oldest running request of its endpoint. */
  log(log: RuntimeLog): void;
}

/** Where a handler's log lines go, per endpoint: the requests running now, and the last one done. */
interface LogTargets {
  running: CaptureRecord[];
  lastDone: CaptureRecord | undefined;
}

/** What every record of one capture shares. */
interface CaptureContext {
  store: RecordStore;
  options: CaptureOptions;
  targets: Map<string, LogTargets>;
  bytes: ByteArena;
}

const NO_LOGS: CapturedLog[] = [];
const EMPTY = new Uint8Array(0);
/**
 * One request's record, and the observer that fills it: one object with flat fields, so a record
 * kept for the next thousand requests is few objects to copy and mark. `request`, `handler` and
 * `response` are built when read (the API, the filter, an export), which is rare next to capture.
 */
class CaptureRecord implements CapturedRecord, RequestObserver {
  id = 0;
  time = Date.now();
  generation: number;
  replayOf: number | undefined;
  pinned = false;
  done = false;
  logs = NO_LOGS;
  outcome: RequestOutcome | undefined = undefined;
  private readonly method: string;
  private readonly target: string;
  private readonly host: string;
  private readonly requestHeaders: FlatHeaders;
  /** The request body (once forwarded) is `bodyLength` bytes of `bodyHolder` from `bodyOffset` (see ByteArena). */
  private bodyHolder: Uint8Array | undefined = undefined;
  private bodyOffset = 0;
  private bodyLength = 0;
  private bodyTotal: number | undefined = undefined;
  /** The matched endpoint; the handler part exists once it is set. */
  private endpoint: string | undefined = undefined;
  private rule = "";
  private values: Readonly<Record<string, RouteValue>> | undefined = undefined;
  private url: string | undefined = undefined;
  private settings: Readonly<Record<string, unknown>> | undefined = undefined;
  /** The handler's headers as a change to the request's (see `droppedHeaders`), or -1 when kept whole in `handlerHeaders`. */
  private dropped = -1;
  private hookId = "";
  private hookUrl = "";
  private handlerHeaders: FlatHeaders | undefined = undefined;
  /** The response status; the response part exists once its headers are set. */
  private status = 0;
  private responseHeaders: FlatHeaders | undefined = undefined;
  /** Most answers are one chunk: kept here, as the body is; more go to `moreChunks`. */
  private firstHolder: Uint8Array | undefined = undefined;
  private firstOffset = 0;
  private firstLength = 0;
  private firstAt = 0;
  private moreChunks: CapturedChunk[] | undefined = undefined;
  /** Response bytes kept so far (the rest is counted, not kept). */
  private kept = 0;
  private truncated = false;
  private readonly started = performance.now();

  constructor(
    private readonly context: CaptureContext,
    arrived: ArrivedRequest,
  ) {
    this.generation = context.options.generation();
    this.replayOf = context.options.replayOf(arrived);
    // The arrived request also holds the socket's signal and body reader: keep only what it says.
    this.method = arrived.method;
    this.target = arrived.target;
    this.host = arrived.host;
    this.requestHeaders = flattenHeaders(arrived.headers);
  }

  get request(): CapturedRecord["request"] {
    return { method: this.method, target: this.target, host: this.host, headers: headerPairs(this.requestHeaders), body: this.bodyHolder && bytesAt(this.bodyHolder, this.bodyOffset, this.bodyLength), bodyTotal: this.bodyTotal };
  }

  get handler(): CapturedRecord["handler"] {
    if (this.endpoint === undefined) return undefined;
    const headers = this.handlerHeaders !== undefined ? headerPairs(this.handlerHeaders) : this.url !== undefined ? forwardedPairs(this.requestHeaders, this.dropped, this.hookId, this.hookUrl) : undefined;
    return { endpoint: this.endpoint, rule: this.rule, values: this.values ?? {}, url: this.url, headers, settings: this.settings };
  }

  get response(): CapturedRecord["response"] {
    if (this.responseHeaders === undefined) return undefined;
    const chunks: CapturedChunk[] = this.firstHolder === undefined ? [] : [{ at: this.firstAt, bytes: bytesAt(this.firstHolder, this.firstOffset, this.firstLength) }];
    if (this.moreChunks !== undefined) chunks.push(...this.moreChunks);
    return { status: this.status, headers: headerPairs(this.responseHeaders), chunks, bytes: this.kept, truncated: this.truncated };
  }

  /** Body bytes held, without building the parts (the store asks on every insert and eviction). */
  keptBytes(): number {
    return this.bodyLength + this.kept;
  }

  matched(match: { endpoint: string; rule: string; values: Readonly<Record<string, RouteValue>> }): void {
    this.endpoint = match.endpoint;
    this.rule = match.rule;
    this.values = match.values;
    this.generation = this.context.options.generation();
    const targets = this.context.targets.get(match.endpoint);
    if (targets) targets.running.push(this);
    else this.context.targets.set(match.endpoint, { running: [this], lastDone: undefined });
  }

  forwarded(call: Readonly<InvokeCall>): void {
    const limit = this.context.store.perBodyLimit;
    const arena = this.context.bytes;
    arena.keep(call.body.byteLength > limit ? call.body.subarray(0, limit) : call.body);
    this.bodyHolder = arena.holder;
    this.bodyOffset = arena.offset;
    this.bodyLength = Math.min(call.body.byteLength, limit);
    this.bodyTotal = call.body.byteLength;
    if (this.endpoint !== undefined) {
      this.url = call.url;
      this.settings = call.settings;
      const headers = call.headers;
      this.dropped = droppedHeaders(this.requestHeaders, headers);
      if (this.dropped === -1) this.handlerHeaders = flattenHeaders(headers);
      else {
        this.hookId = headers[headers.length - 2]![1];
        this.hookUrl = headers[headers.length - 1]![1];
      }
    }
    this.context.store.changed(this, this.bodyLength);
  }

  head(head: ResponseHead): void {
    this.status = head.status;
    this.responseHeaders = flattenHeaders(head.headers);
    this.context.store.changed(this);
  }

  chunk(bytes: Uint8Array): void {
    if (this.responseHeaders === undefined) return;
    const at = performance.now() - this.started;
    // Past the limit a chunk is still listed (its time), its bytes are not kept.
    const over = this.kept + bytes.byteLength > this.context.store.perBodyLimit;
    const arena = this.context.bytes;
    arena.keep(over ? EMPTY : bytes);
    const length = over ? 0 : bytes.byteLength;
    if (over) this.truncated = true;
    else this.kept += length;
    if (this.firstHolder === undefined) {
      this.firstHolder = arena.holder;
      this.firstOffset = arena.offset;
      this.firstLength = length;
      this.firstAt = at;
    } else (this.moreChunks ??= []).push({ at, bytes: bytesAt(arena.holder, arena.offset, length) });
    if (!over) this.context.store.changed(this, length);
  }

  end(outcome: RequestOutcome): void {
    // The pipeline builds the outcome for this call alone: kept as it is.
    this.outcome = outcome;
    this.done = true;
    // Logs a handler prints just before returning may still be on their way: the record stays
    // the log target until the endpoint's next request ends.
    const endpoint = this.endpoint;
    const targets = endpoint !== undefined ? this.context.targets.get(endpoint) : undefined;
    if (targets) {
      const running = targets.running;
      const at = running.indexOf(this);
      if (at === 0) running.shift();
      else if (at > 0) running.splice(at, 1);
      targets.lastDone = this;
    }
    this.context.store.changed(this);
  }

  /** A log line of this request's endpoint. */
  addLog(log: RuntimeLog): void {
    if (this.logs === NO_LOGS) this.logs = [];
    this.logs.push({ at: Date.now() - this.time, stream: log.stream, text: log.text });
    this.context.store.changed(this);
  }
}

export function createCapture(store: RecordStore, options: CaptureOptions): Capture {
  const context: CaptureContext = { store, options, targets: new Map(), bytes: new ByteArena() };
  return {
    observe: (request) => store.insert(new CaptureRecord(context, request)),
    log(log) {
      const targets = log.endpoint ? context.targets.get(log.endpoint) : undefined;
      const record = targets ? (targets.running[0] ?? targets.lastDone) : undefined;
      record?.addLog(log);
    },
  };
}
