/**
 * Capture: a pipeline observer that fills one store record per request (the request as it arrived,
 * what the handler was given, the answer chunk by chunk with times, the outcome), and routes the
 * handler's log lines to the request of that endpoint still running. Costs little per request: it
 * keeps references to the bytes the pipeline already holds and copies nothing.
 */
import type { ArrivedRequest, RequestObserver } from "../pipeline/observer.js";
import type { RuntimeLog } from "../runtime/contract.js";
import type { CapturedRecord, RecordStore } from "./store.js";

export interface CaptureOptions {
  /** The reload generation serving now. */
  generation(): number;
  /** Which record a replayed request replays (set by the replay before it enters the pipeline). */
  replayOf(request: ArrivedRequest): number | undefined;
}

export interface Capture {
  observe(request: ArrivedRequest): RequestObserver;
  /** A handler's output line: kept with the newest running request of its endpoint. */
  log(log: RuntimeLog): void;
}

export function createCapture(store: RecordStore, options: CaptureOptions): Capture {
  /** Requests in flight by endpoint, oldest first. */
  const running = new Map<string, CapturedRecord[]>();
  const leave = (record: CapturedRecord) => {
    const endpoint = record.handler?.endpoint;
    const list = endpoint ? running.get(endpoint) : undefined;
    if (!list) return;
    const at = list.indexOf(record);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) running.delete(endpoint!);
  };
  /** The last finished record per endpoint, which still takes late log lines. */
  const lastDone = new Map<string, CapturedRecord>();
  const leaveLater = (record: CapturedRecord) => {
    const endpoint = record.handler?.endpoint;
    if (!endpoint) return;
    leave(record);
    lastDone.set(endpoint, record);
  };
  return {
    observe(request) {
      const started = performance.now();
      const replayOf = options.replayOf(request);
      const record = store.add({
        time: Date.now(), generation: options.generation(),
        ...(replayOf !== undefined ? { replayOf } : {}),
        request: { method: request.method, target: request.target, host: request.host, headers: [...request.headers] as Array<[string, string]> },
      });
      let kept = 0;
      return {
        matched(match) {
          record.handler = { endpoint: match.endpoint, rule: match.rule, values: { ...match.values } };
          record.generation = options.generation();
          const list = running.get(match.endpoint);
          if (list) list.push(record);
          else running.set(match.endpoint, [record]);
        },
        forwarded(call) {
          const body = call.body.byteLength > store.perBodyLimit ? call.body.subarray(0, store.perBodyLimit) : call.body;
          record.request.body = body;
          record.request.bodyTotal = call.body.byteLength;
          if (record.handler) {
            record.handler.url = call.url;
            record.handler.headers = call.headers.map(([name, value]) => [name, value]);
            record.handler.settingNames = Object.keys(call.settings);
          }
          store.changed(record, body.byteLength);
        },
        head(head) {
          record.response = { status: head.status, headers: [...head.headers] as Array<[string, string]>, chunks: [], bytes: 0, truncated: false };
          store.changed(record);
        },
        chunk(bytes) {
          const response = record.response;
          if (!response) return;
          const at = performance.now() - started;
          if (kept + bytes.byteLength > store.perBodyLimit) {
            response.truncated = true;
            response.chunks.push({ at, bytes: new Uint8Array(0) });
            return;
          }
          kept += bytes.byteLength;
          response.bytes += bytes.byteLength;
          response.chunks.push({ at, bytes });
          store.changed(record, bytes.byteLength);
        },
        end(outcome) {
          record.outcome = { ...outcome };
          record.done = true;
          // Logs a handler prints just before returning may still be on their way: the record stays
          // the log target until the endpoint's next request ends.
          leaveLater(record);
          store.changed(record);
        },
      };
    },
    log(log) {
      const list = log.endpoint ? running.get(log.endpoint) : undefined;
      const record = list?.[0] ?? (log.endpoint ? lastDone.get(log.endpoint) : undefined);
      if (!record) return;
      record.logs.push({ at: Date.now() - record.time, stream: log.stream, text: log.text });
      store.changed(record);
    },
  };
}
