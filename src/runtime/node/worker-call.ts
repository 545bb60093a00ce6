/**
 * Runs calls inside the worker: gives a fresh instance's `_invoke` a lazy `Request` (../fetch-light/light-fetch.ts),
 * sends a body made from a string or bytes back with the head in one message, and streams any other
 * body back one chunk per message, never more than the credit the server gave.
 */
import {
  CHUNK_WINDOW,
  convertRouteValues,
  flattenPairs,
  pairFlat,
  type CallMessage,
  type FromWorker,
} from "./protocol.js";
import { callEndpoint } from "./worker-console.js";
import { createLazyRequest, takeKeptBody } from "../fetch-light/light-fetch.js";
import { timerScopeOf, type TimerScope } from "./worker-timers.js";
import type { EndpointClass } from "./worker-modules.js";

interface RunningCall {
  endpoint: string;
  /** Made when the handler first reads `request.signal` (see `attachSignal`). */
  controller: AbortController | undefined;
  credits: number;
  wake: (() => void) | undefined;
  reader: ReadableStreamDefaultReader<unknown> | undefined;
  cancelled: boolean;
}

export type Post = (message: FromWorker, transfer?: ArrayBuffer[]) => void;

export interface CallRunner {
  start(message: CallMessage): void;
  credit(id: number, chunks: number): void;
  cancel(id: number): void;
}

export function createCallRunner(post: Post, classes: ReadonlyMap<string, EndpointClass>): CallRunner {
  const calls = new Map<number, RunningCall>();

  async function run(message: CallMessage, call: RunningCall): Promise<void> {
    const [, id, , source, method, url, headers, body, values, settings] = message;
    let scope: TimerScope | undefined;
    try {
      const EndpointClass = classes.get(source);
      if (EndpointClass === undefined) {
        post(["fail", id, "unavailable", `no code is loaded for ${source}`, ""]);
        return;
      }
      // The version's timers outlive a reload only as long as its calls in flight.
      scope = timerScopeOf(EndpointClass);
      scope?.enter();
      const request = createLazyRequest({ url, method, headers: pairFlat(headers), body, signal: () => signalOf(call) });
      const settingsValue = JSON.parse(settings) as Record<string, unknown>;
      const response: unknown = await new EndpointClass()._invoke(request, convertRouteValues(values), settingsValue);
      if (call.cancelled) {
        if (response instanceof Response && takeKeptBody(response) === undefined) await response.body?.cancel().catch(() => undefined);
        return;
      }
      if (!(response instanceof Response) || response.type === "error") {
        const what = response instanceof Response ? "Response.error()" : describeValue(response);
        post(["fail", id, "exception", `_invoke returned ${what} instead of a Response`, ""]);
        return;
      }
      const responseHeaders = flattenPairs(response.headers);
      // A body made from a string or bytes goes back as it is, with no stream to read.
      const kept = takeKeptBody(response);
      if (kept !== undefined) {
        const bytes = typeof kept === "string" ? encoder.encode(kept) : kept;
        // A buffer of its own to transfer: the kept bytes stay readable if the handler reads the response later.
        const data = bytes.byteLength === 0 ? null : bytes === kept || bytes.byteOffset !== 0 || bytes.buffer.byteLength !== bytes.byteLength ? bytes.slice().buffer : (bytes.buffer as ArrayBuffer);
        post(["whole", id, response.status, responseHeaders, data], data === null ? undefined : [data]);
        return;
      }
      if (response.body === null) {
        post(["whole", id, response.status, responseHeaders, null]);
        return;
      }
      const reader = response.body.getReader();
      call.reader = reader;
      // Most bodies are complete at once (`new Response("text")`, `Response.json(...)`): they go back
      // in one message with their head, which halves the messages per request. A body still being
      // produced after a turn of the event loop streams as it comes.
      const early: ArrayBuffer[] = [];
      let pending: Promise<ReadableStreamReadResult<unknown>> | undefined;
      for (let reads = 0; reads < 2 && pending === undefined; reads++) {
        const read = reader.read();
        const result = await settledSoon(read);
        if (call.cancelled) return;
        if (result === NOT_YET) pending = read;
        else if (result.done) {
          const data = concat(early);
          post(["whole", id, response.status, responseHeaders, data], data === null ? undefined : [data]);
          return;
        } else {
          const bytes = toBytes(result.value);
          if (bytes.byteLength > 0) early.push(new Uint8Array(bytes).buffer);
        }
      }
      post(["head", id, response.status, responseHeaders]);
      for (const chunk of early) {
        call.credits -= 1;
        post(["chunk", id, chunk], [chunk]);
      }
      await pump(id, reader, call, pending);
      if (!call.cancelled) post(["end", id]);
    } catch (error) {
      if (!call.cancelled) post(["fail", id, "exception", messageOf(error), stackOf(error)]);
    } finally {
      calls.delete(id);
      scope?.leave();
    }
  }

  async function pump(id: number, reader: ReadableStreamDefaultReader<unknown>, call: RunningCall, pending: Promise<ReadableStreamReadResult<unknown>> | undefined): Promise<void> {
    for (;;) {
      if (call.credits <= 0) await new Promise<void>((resolve) => (call.wake = resolve));
      if (call.cancelled) return;
      const read = pending ?? reader.read();
      pending = undefined;
      const { done, value } = await read;
      if (done || call.cancelled) return;
      const bytes = toBytes(value);
      if (bytes.byteLength === 0) continue;
      // Always a copy: transferring would detach a buffer the handler may still use (or Node's pool).
      const copy = new Uint8Array(bytes).buffer;
      call.credits -= 1;
      post(["chunk", id, copy], [copy]);
    }
  }

  return {
    start(message) {
      const call: RunningCall = { endpoint: message[2], controller: undefined, credits: CHUNK_WINDOW, wake: undefined, reader: undefined, cancelled: false };
      calls.set(message[1], call);
      void callEndpoint.run(message[2], () => run(message, call));
    },
    credit(id, chunks) {
      const call = calls.get(id);
      if (call === undefined) return;
      call.credits += chunks;
      wake(call);
    },
    cancel(id) {
      const call = calls.get(id);
      if (call === undefined) return;
      calls.delete(id);
      call.cancelled = true;
      const reason = new DOMException("The request was cancelled", "AbortError");
      // Abort listeners run synchronously here: give them the call's context, so their logs name it.
      callEndpoint.run(call.endpoint, () => {
        call.controller?.abort(reason);
        call.reader?.cancel(reason).catch(() => undefined);
      });
      wake(call);
    },
  };
}

/**
 * The call's signal, made on first read: handing a signal to the native `Request` made it follow
 * that signal, which cost a third of a call's time in the worker, and most handlers never read it.
 */
function signalOf(call: RunningCall): AbortSignal {
  if (call.controller === undefined) {
    call.controller = new AbortController();
    if (call.cancelled) call.controller.abort(new DOMException("The request was cancelled", "AbortError"));
  }
  return call.controller.signal;
}

function wake(call: RunningCall): void {
  const resolve = call.wake;
  call.wake = undefined;
  resolve?.();
}

const encoder = new TextEncoder();
const NOT_YET = Symbol("not yet");

/** The promise's value if it settles within this turn of the event loop, else `NOT_YET`. */
function settledSoon<T>(promise: Promise<T>): Promise<T | typeof NOT_YET> {
  return Promise.race([promise, new Promise<typeof NOT_YET>((resolve) => setImmediate(resolve, NOT_YET))]);
}

function concat(chunks: ArrayBuffer[]): ArrayBuffer | null {
  if (chunks.length <= 1) return chunks[0] ?? null;
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    joined.set(new Uint8Array(chunk), at);
    at += chunk.byteLength;
  }
  return joined.buffer;
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value === "string") return encoder.encode(value);
  throw new TypeError(`the response body produced ${describeValue(value)}; chunks must be Uint8Array or string`);
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "no prototype"})`;
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return safeString(error.message);
  return `${describeValue(error)} was thrown: ${safeString(error)}`;
}

export function stackOf(error: unknown): string {
  if (error instanceof Error && typeof error.stack === "string") return error.stack;
  return safeString(error);
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
