/**
 * Capture: a pipeline observer that fills one store record per request (the request as it arrived,
 * what the handler was given, the answer chunk by chunk with times, the outcome), and routes the
 * handler's log lines to the request of that endpoint still running.
 *
 * It runs on every request `dev` serves, so it is built to cost next to nothing. While its request
 * runs a record is one object with flat fields and no closures, holding the pipeline's own header
 * lists, values, settings and outcome (it never changes them once given). Once the record can no
 * longer change, the store writes it into its record pages as bytes (see `record-pages.ts`): a record
 * kept for the next thousand requests then costs the collector nothing. That writing waits until the
 * answers of this turn are on their way (a microtask), off the path of the request that ended.
 * Nothing is masked, summarized or serialized for display until a page or the API reads.
 */
import type { ArrivedRequest, RequestObserver, RequestOutcome, ResponseHead } from "../pipeline/observer.js";
import type { RouteValue } from "../router/index.js";
import type { InvokeCall, RuntimeLog } from "../runtime/contract.js";
import { ByteArena, bytesAt } from "./byte-arena.js";
import { writeCapture, type CaptureParts } from "./record-codec.js";
import type { PageWriter } from "./record-pages.js";
import type { CapturedChunk, CapturedLog, CapturedRecord, ReadonlyHeaders, RecordStore } from "./store.js";

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
  /** Small bodies are copied as they come (the caller may reuse its buffer once a chunk is written). */
  bytes: ByteArena;
  /** Has the store write a final record into its pages, soon (see `Settler`). */
  settle(record: CaptureRecord): void;
}

/**
 * Final records written into the store's pages in a batch, in a microtask: after the code that
 * ended them, so after the answers of this turn were handed to their sockets.
 */
class Settler {
  private pending: CaptureRecord[] = [];
  private readonly flush = (): void => {
    const pending = this.pending;
    this.pending = [];
    for (const record of pending) this.store.settle(record);
  };

  constructor(private readonly store: RecordStore) {}

  add(record: CaptureRecord): void {
    if (this.pending.push(record) === 1) queueMicrotask(this.flush);
  }
}

const NO_LOGS: CapturedLog[] = [];
const NO_CHUNKS: CapturedChunk[] = [];
const EMPTY = new Uint8Array(0);

/**
 * One request's record, and the observer that fills it. `request`, `handler` and `response` are
 * built when read (the API, the filter, an export), which is rare next to capture.
 */
class CaptureRecord implements CapturedRecord, RequestObserver, CaptureParts {
  id = 0;
  time = Date.now();
  generation: number;
  replayOf: number | undefined;
  pinned = false;
  done = false;
  logs = NO_LOGS;
  outcome: RequestOutcome | undefined = undefined;
  readonly method: string;
  readonly target: string;
  readonly host: string;
  readonly requestHeaders: ReadonlyHeaders;
  body: Uint8Array | undefined = undefined;
  bodyTotal: number | undefined = undefined;
  endpoint: string | undefined = undefined;
  rule = "";
  values: Readonly<Record<string, RouteValue>> | undefined = undefined;
  url: string | undefined = undefined;
  settings: Readonly<Record<string, unknown>> | undefined = undefined;
  handlerHeaders: ReadonlyHeaders | undefined = undefined;
  status = 0;
  responseHeaders: ReadonlyHeaders | undefined = undefined;
  chunks = NO_CHUNKS;
  /** Response bytes kept so far (the rest is counted, not kept). */
  kept = 0;
  truncated = false;
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
    this.requestHeaders = arrived.headers;
  }

  get request(): CapturedRecord["request"] {
    return { method: this.method, target: this.target, host: this.host, headers: copy(this.requestHeaders), body: this.body, bodyTotal: this.bodyTotal };
  }

  get handler(): CapturedRecord["handler"] {
    if (this.endpoint === undefined) return undefined;
    const headers = this.handlerHeaders === undefined ? undefined : copy(this.handlerHeaders);
    return { endpoint: this.endpoint, rule: this.rule, values: this.values ?? {}, url: this.url, headers, settings: this.settings };
  }

  get response(): CapturedRecord["response"] {
    if (this.responseHeaders === undefined) return undefined;
    return { status: this.status, headers: copy(this.responseHeaders), chunks: [...this.chunks], bytes: this.kept, truncated: this.truncated };
  }

  /** Body bytes held, without building the parts (the store asks on every insert and eviction). */
  keptBytes(): number {
    return (this.body?.byteLength ?? 0) + this.kept;
  }

  /** The record as bytes in the store's pages, once it is done. */
  writeTo(writer: PageWriter): void {
    writeCapture(writer, this);
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
    this.body = this.keep(call.body.byteLength > limit ? call.body.subarray(0, limit) : call.body);
    this.bodyTotal = call.body.byteLength;
    if (this.endpoint !== undefined) {
      this.url = call.url;
      this.settings = call.settings;
      this.handlerHeaders = call.headers;
    }
    this.context.store.changed(this, this.body.byteLength);
  }

  head(head: ResponseHead): void {
    this.status = head.status;
    this.responseHeaders = head.headers;
    this.context.store.changed(this);
  }

  chunk(bytes: Uint8Array): void {
    if (this.responseHeaders === undefined) return;
    const at = performance.now() - this.started;
    // Past the limit a chunk is still listed (its time), its bytes are not kept.
    const over = this.kept + bytes.byteLength > this.context.store.perBodyLimit;
    if (this.chunks === NO_CHUNKS) this.chunks = [];
    this.chunks.push({ at, bytes: over ? EMPTY : this.keep(bytes) });
    if (over) this.truncated = true;
    else {
      this.kept += bytes.byteLength;
      this.context.store.changed(this, bytes.byteLength);
    }
  }

  end(outcome: RequestOutcome): void {
    // The pipeline builds the outcome for this call alone: kept as it is.
    this.outcome = outcome;
    this.done = true;
    this.context.store.changed(this);
    // Logs a handler prints just before returning may still be on their way: the record stays
    // the log target (an object) until the endpoint's next request ends; the one before is final.
    const endpoint = this.endpoint;
    const targets = endpoint !== undefined ? this.context.targets.get(endpoint) : undefined;
    if (targets === undefined) return this.context.settle(this);
    const running = targets.running;
    const at = running.indexOf(this);
    if (at === 0) running.shift();
    else if (at > 0) running.splice(at, 1);
    const previous = targets.lastDone;
    targets.lastDone = this;
    if (previous !== undefined) this.context.settle(previous);
  }

  private keep(bytes: Uint8Array): Uint8Array {
    const arena = this.context.bytes;
    arena.keep(bytes);
    return bytesAt(arena.holder, arena.offset, bytes.byteLength);
  }

  /** A log line of this request's endpoint. */
  addLog(log: RuntimeLog): void {
    if (this.logs === NO_LOGS) this.logs = [];
    this.logs.push({ at: Date.now() - this.time, stream: log.stream, text: log.text });
    this.context.store.changed(this);
  }
}

/** Pairs a reader may keep and change, not the pipeline's own. */
function copy(headers: ReadonlyHeaders): Array<[string, string]> {
  return headers.map(([name, value]) => [name, value]);
}

export function createCapture(store: RecordStore, options: CaptureOptions): Capture {
  const settler = new Settler(store);
  const context: CaptureContext = { store, options, targets: new Map(), bytes: new ByteArena(), settle: (record) => settler.add(record) };
  return {
    observe: (request) => store.insert(new CaptureRecord(context, request)),
    log(log) {
      const targets = log.endpoint ? context.targets.get(log.endpoint) : undefined;
      const record = targets ? (targets.running[0] ?? targets.lastDone) : undefined;
      record?.addLog(log);
    },
  };
}
