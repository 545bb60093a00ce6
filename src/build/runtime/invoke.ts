/**
 * The in-process invoker of a built plugin: what runs `_invoke` for the request pipeline when there
 * is no worker to cross to. It makes a fresh instance of the endpoint's class per call, as Dify
 * does, and reports failures as the runtime contract says (`exception`, `timeout`), so the
 * pipeline words them as `dev` does. Platform-neutral.
 */
import { InvokeError, type EndpointInvoker, type InvokeCall, type InvokeResult } from "../../runtime/contract.js";
import { Endpoint } from "../../runtime/node/endpoint.js";
import { routeValuesFor } from "../../runtime/node/protocol.js";
import { wholeBody } from "../../pipeline/whole-body.js";
import { COMPLETE_ANSWER, HANDLER_REQUEST, type CompleteAnswer, type HandlerRequestFactory } from "../../runtime/fetch-light/protocol.js";

export type EndpointClass = new () => Endpoint;

/** The one exported class that extends `Endpoint` (default or named), or why there is none. */
export function findClass(module: unknown): EndpointClass | string {
  const exported = typeof module === "object" && module !== null ? Object.values(module as Record<string, unknown>) : [];
  const classes = exported.filter((value): value is EndpointClass => typeof value === "function" && (value as { prototype?: unknown }).prototype instanceof Endpoint);
  const unique = [...new Set(classes)];
  if (unique.length === 1) return unique[0] as EndpointClass;
  return unique.length === 0 ? 'the source exports no class that extends Endpoint (import { Endpoint } from "endpoint-kit")' : "the source exports several classes that extend Endpoint: export exactly one";
}

/** Runs calls on the classes by endpoint id; a synchronous handler's answer (or failure) comes back at once. */
export function createInProcessInvoker(classes: ReadonlyMap<string, EndpointClass>): EndpointInvoker {
  return {
    invoke(call, options) {
      const Class = classes.get(call.endpoint);
      if (Class === undefined) throw new InvokeError("unavailable", `no code is loaded for ${call.endpoint}`);
      // The handler's signal is made when it first reads it (most never do: an AbortController is
      // not free); it aborts when the caller leaves or at the deadline.
      const signal = new HandlerSignal(options);
      let answer: unknown;
      try {
        answer = new Class()._invoke(requestFor(call, () => signal.get()), routeValuesFor(call.values), call.settings);
      } catch (error) {
        throw exceptionOf(error);
      }
      // A handler that answered synchronously cannot miss the deadline: it is answered at once, with
      // no timer and no turn (most hello-sized handlers); a promise is raced against a timer.
      if (isThenable(answer)) return withDeadline(answer, options.deadlineMs, signal);
      return resultOf(answer);
    },
  };
}

/** The handler's `AbortSignal`, made on first read; aborts when the caller's does. */
class HandlerSignal {
  readonly #caller: { readonly signal: AbortSignal };
  #controller: AbortController | undefined;

  constructor(caller: { readonly signal: AbortSignal }) {
    this.#caller = caller;
  }

  get(): AbortSignal {
    return this.#made().signal;
  }

  /** Aborts the handler's signal if the handler has one. */
  abort(reason: unknown): void {
    this.#controller?.abort(reason);
  }

  #made(): AbortController {
    if (this.#controller === undefined) {
      const made = new AbortController();
      this.#controller = made;
      const signal = this.#caller.signal;
      if (signal.aborted) made.abort(signal.reason);
      else signal.addEventListener("abort", () => made.abort(signal.reason), { once: true });
    }
    return this.#controller;
  }
}

/** The answer of an async handler, or a timeout once `deadlineMs` have passed. */
async function withDeadline(answer: PromiseLike<unknown>, deadlineMs: number, signal: HandlerSignal): Promise<InvokeResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled: unknown;
  try {
    const deadline = new Promise<typeof TIMEOUT>((resolve) => {
      timer = setTimeout(resolve, deadlineMs, TIMEOUT);
    });
    settled = await Promise.race([answer, deadline]);
  } catch (error) {
    throw exceptionOf(error);
  } finally {
    clearTimeout(timer);
  }
  if (settled === TIMEOUT) {
    signal.abort(new DOMException("The endpoint did not answer in time", "TimeoutError"));
    throw new InvokeError("timeout", `the endpoint did not answer within ${Math.round(deadlineMs / 1000)}s`);
  }
  return resultOf(settled);
}

/** A handler's exception as the runtime contract words it; the stack goes to the platform's log (wrangler tail, the server's stderr). */
function exceptionOf(error: unknown): InvokeError {
  // eslint-disable-next-line no-console
  console.error(error);
  return new InvokeError("exception", messageOf(error), error instanceof Error ? error.stack : undefined);
}

/** What the handler returned, read as the pipeline needs it; anything but a `Response` is an exception. */
function resultOf(answer: unknown): InvokeResult {
  // The Node server's light Response hands its answer over whole (no stream), when it still can.
  const complete = (answer as { [COMPLETE_ANSWER]?: () => CompleteAnswer | undefined } | null)?.[COMPLETE_ANSWER]?.();
  if (complete !== undefined) return { status: complete.status, headers: complete.headers, body: wholeBody(complete.bytes) };
  if (!(answer instanceof Response) || answer.type === "error") {
    const what = answer instanceof Response ? "Response.error()" : describeValue(answer);
    throw new InvokeError("exception", `_invoke returned ${what} instead of a Response`);
  }
  return responseResult(answer);
}

const TIMEOUT = Symbol("timeout");

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** The handler's request: Dify's URL, reshaped headers and capped body; its signal aborts when the caller leaves or at the deadline. */
function requestFor(call: InvokeCall, signal: () => AbortSignal): Request {
  const hasBody = call.method !== "GET" && call.method !== "HEAD";
  const light = (globalThis as { [HANDLER_REQUEST]?: HandlerRequestFactory })[HANDLER_REQUEST];
  if (light !== undefined) return light({ url: call.url, method: call.method, headers: call.headers, body: hasBody ? call.body : null, signal });
  const request = new Request(call.url, { method: call.method, headers: call.headers, body: hasBody ? (call.body as BodyInit) : null });
  // A Request made with a signal costs more to make, and most handlers never read it.
  Object.defineProperty(request, "signal", { configurable: true, enumerable: true, get: signal });
  return request;
}

const encoder = new TextEncoder();

function responseResult(response: Response): InvokeResult {
  const headers: Array<[string, string]> = [];
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers.push([name, value]);
  });
  // `forEach` joins Set-Cookie values; the pipeline must see each one to keep the last, as Dify does.
  for (const cookie of response.headers.getSetCookie?.() ?? []) headers.push(["set-cookie", cookie]);
  return { status: response.status, headers, body: chunksOf(response.body) };
}

/** A response body as the pipeline reads it: bytes only (a string chunk is encoded), `return()` cancels the stream. */
function chunksOf(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const reader = body?.getReader();
      return {
        async next() {
          if (reader === undefined) return { done: true, value: undefined };
          const { done, value } = await reader.read();
          if (done) return { done: true, value: undefined };
          return { done: false, value: toBytes(value) };
        },
        async return() {
          await reader?.cancel().catch(() => undefined);
          return { done: true, value: undefined };
        },
      };
    },
  };
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return encoder.encode(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(`the response body produced ${describeValue(value)}; chunks must be Uint8Array or string`);
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return `${describeValue(error)} was thrown: ${String(error)}`;
  } catch {
    return `${describeValue(error)} was thrown`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${(value as { constructor?: { name?: string } }).constructor?.name ?? "no prototype"})`;
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}
