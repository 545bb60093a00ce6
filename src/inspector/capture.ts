/**
 * Capture: a pipeline observer that fills one store record per request (the request as it arrived,
 * what the handler was given, the answer chunk by chunk with times, the outcome), and routes the
 * handler's log lines to the request of that endpoint still running.
 *
 * It runs on every request `dev` serves, so it is built to cost next to nothing: the record is its
 * own observer (one object per request, no closures), it keeps references to what the pipeline
 * already built (headers, values, the call, the outcome) instead of copies, and it masks, summarizes
 * and serializes nothing: that waits until a page or the API reads the record.
 */
import type { ArrivedRequest, RequestObserver, RequestOutcome, ResponseHead } from "../pipeline/observer.js";
import type { RouteValue } from "../router/index.js";
import type { InvokeCall, RuntimeLog } from "../runtime/contract.js";
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
}

const NO_LOGS: CapturedLog[] = [];
const EMPTY = new Uint8Array(0);

/**
 * Bytes worth keeping as they are: a view that holds most of its buffer. A small view of a large
 * buffer (a pooled read) would pin the whole buffer in memory for as long as the record lives.
 */
function keepable(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength === 0) return EMPTY;
  return bytes.buffer.byteLength <= bytes.byteLength * 2 + 256 ? bytes : bytes.slice();
}

/** One request's record, and the observer that fills it. */
class CaptureRecord implements CapturedRecord, RequestObserver {
  id = 0;
  time = Date.now();
  generation: number;
  replayOf: number | undefined;
  pinned = false;
  done = false;
  request: CapturedRecord["request"];
  handler: CapturedRecord["handler"] = undefined;
  response: CapturedRecord["response"] = undefined;
  logs = NO_LOGS;
  outcome: RequestOutcome | undefined = undefined;
  private readonly started = performance.now();
  /** Response bytes kept so far (the rest is counted, not kept). */
  private kept = 0;

  constructor(
    private readonly context: CaptureContext,
    arrived: ArrivedRequest,
  ) {
    this.generation = context.options.generation();
    this.replayOf = context.options.replayOf(arrived);
    // The arrived request also holds the socket's signal and body reader: keep only what it says.
    this.request = { method: arrived.method, target: arrived.target, host: arrived.host, headers: arrived.headers, body: undefined, bodyTotal: undefined };
  }

  matched(match: { endpoint: string; rule: string; values: Readonly<Record<string, RouteValue>> }): void {
    this.handler = { endpoint: match.endpoint, rule: match.rule, values: match.values, url: undefined, headers: undefined, settings: undefined };
    this.generation = this.context.options.generation();
    const targets = this.context.targets.get(match.endpoint);
    if (targets) targets.running.push(this);
    else this.context.targets.set(match.endpoint, { running: [this], lastDone: undefined });
  }

  forwarded(call: Readonly<InvokeCall>): void {
    const limit = this.context.store.perBodyLimit;
    const body = keepable(call.body.byteLength > limit ? call.body.subarray(0, limit) : call.body);
    this.request.body = body;
    this.request.bodyTotal = call.body.byteLength;
    const handler = this.handler;
    if (handler) {
      handler.url = call.url;
      handler.headers = call.headers;
      handler.settings = call.settings;
    }
    this.context.store.changed(this, body.byteLength);
  }

  head(head: ResponseHead): void {
    this.response = { status: head.status, headers: head.headers, chunks: [], bytes: 0, truncated: false };
    this.context.store.changed(this);
  }

  chunk(bytes: Uint8Array): void {
    const response = this.response;
    if (!response) return;
    const chunk: CapturedChunk = { at: performance.now() - this.started, bytes };
    if (this.kept + bytes.byteLength > this.context.store.perBodyLimit) {
      response.truncated = true;
      chunk.bytes = EMPTY;
      response.chunks.push(chunk);
      return;
    }
    chunk.bytes = keepable(bytes);
    this.kept += bytes.byteLength;
    response.bytes += bytes.byteLength;
    response.chunks.push(chunk);
    this.context.store.changed(this, bytes.byteLength);
  }

  end(outcome: RequestOutcome): void {
    // The pipeline builds the outcome for this call alone: kept as it is.
    this.outcome = outcome;
    this.done = true;
    // Logs a handler prints just before returning may still be on their way: the record stays
    // the log target until the endpoint's next request ends.
    const endpoint = this.handler?.endpoint;
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
  const context: CaptureContext = { store, options, targets: new Map() };
  return {
    observe: (request) => store.insert(new CaptureRecord(context, request)),
    log(log) {
      const targets = log.endpoint ? context.targets.get(log.endpoint) : undefined;
      const record = targets ? (targets.running[0] ?? targets.lastDone) : undefined;
      record?.addLog(log);
    },
  };
}
