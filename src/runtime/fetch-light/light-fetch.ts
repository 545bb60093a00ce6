/**
 * The Fetch classes handlers see in dev's worker and in the Node build output (`server.mjs`), built only as far as a handler uses them. Building
 * a native `Request` (URL, validated headers, body stream) and a `Response` body stream cost most of
 * a small call's time, and most handlers read a header or two and answer with a string. So:
 * - a call's request is a lazy object on `Request.prototype`: method, URL, headers, signal and
 *   `text()`/`json()`/`arrayBuffer()` come from the call's parts; anything else (`body`, `clone()`,
 *   `formData()`, passing it to `fetch` or `new Request`) builds the native `Request` and uses it;
 * - a `Response` made from a string or bytes keeps them as given (its status and headers are the
 *   native ones): the worker sends them without a stream, and reading it as a stream builds one.
 * Both stay `instanceof Request`/`Response` and answer every property as the native classes do.
 * The request half is lazy-request.ts.
 */
import { makeLazyRequests, type RequestParts } from "./lazy-request.js";
import { COMPLETE_ANSWER, HANDLER_REQUEST, type CompleteAnswer, type HandlerRequestFactory } from "./protocol.js";

/** Statuses whose responses have no body: the native constructor refuses one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const noop = (): void => undefined;
const encoder = new TextEncoder();

export type { RequestParts };

type Kept = string | Uint8Array<ArrayBuffer>;

interface Light {
  Request: typeof Request;
  Response: typeof Response;
  fetch: typeof fetch;
  createLazyRequest(parts: RequestParts): Request;
  takeKeptBody(response: Response): Kept | undefined;
}

/** The globals as Node defines them (lazy getters: the Fetch classes load on first use). */
const natives = new Map<string, PropertyDescriptor | undefined>();
const nativeGlobal = <T>(name: string): T => {
  const descriptor = natives.has(name) ? natives.get(name) : Object.getOwnPropertyDescriptor(globalThis, name);
  return (descriptor?.get ? descriptor.get.call(globalThis) : descriptor?.value) as T;
};

const GLOBALS = ["Request", "Response", "fetch"] as const;
let built: Light | undefined;

const getters = new Map<string, () => unknown>();

function light(): Light {
  if (built === undefined) {
    // Still ours (handler code may have set its own, a mock `fetch`): Node's lazy getters define
    // the native classes as globals when first read, so ours are put back after building.
    const ours = GLOBALS.filter((name) => getters.has(name) && Object.getOwnPropertyDescriptor(globalThis, name)?.get === getters.get(name));
    built = build();
    for (const name of ours) setGlobal(name, built[name]);
  }
  return built;
}

function setGlobal(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

/**
 * The classes, made on first use: loading Node's Fetch implementation takes tens of milliseconds,
 * which a worker's start should not pay before its first call.
 */
function build(): Light {
  const NativeRequest = nativeGlobal<typeof Request>("Request");
  const NativeResponse = nativeGlobal<typeof Response>("Response");
  const nativeFetch = nativeGlobal<typeof fetch>("fetch");

  interface LightState {
    /** The body as given (bytes copied, as the native constructor copies them). */
    source: Kept;
    /** The native response reading the same body, once something needed it. */
    native: Response | undefined;
    /** The worker took the body: the response reads as consumed from then on. */
    taken: boolean;
    type: string;
  }

  let lightState: (response: object) => LightState | undefined = () => undefined;
  let jsonType = false;

  /** `Response`, with a body from a string or bytes kept as given until read as a stream. */
  class LightResponse extends NativeResponse {
    #light: LightState | undefined;

    static {
      lightState = (response) => (#light in response ? (response as LightResponse).#light : undefined);
    }

    constructor(body?: BodyInit | null, init?: ResponseInit) {
      const keep = typeof body === "string" || body instanceof ArrayBuffer || (body instanceof Uint8Array && body.buffer instanceof ArrayBuffer);
      super(keep ? null : body, init);
      if (!keep) return;
      // The native constructor's own error for a body on a 204 and the like.
      if (NULL_BODY_STATUSES.has(this.status)) void new NativeResponse(body, { status: this.status });
      const type = typeof body === "string" ? (jsonType ? "application/json" : "text/plain;charset=UTF-8") : "";
      if (type !== "" && !this.headers.has("content-type")) this.headers.append("content-type", type);
      this.#light = { source: typeof body === "string" ? body : new Uint8Array(body as ArrayBuffer | Uint8Array<ArrayBuffer>).slice(), native: undefined, taken: false, type };
    }

    /** `Response.json()` without a body stream; any error is the native one. */
    static override json(data: unknown, init?: ResponseInit): Response {
      const text = JSON.stringify(data) as string | undefined;
      if (text === undefined) return NativeResponse.json(data, init);
      jsonType = true;
      try {
        return new LightResponse(text, init);
      } catch {
        return NativeResponse.json(data, init);
      } finally {
        jsonType = false;
      }
    }

    /** A response made by the native classes (`fetch`, `Response.error()`) is a `Response` too. */
    static override [Symbol.hasInstance](value: unknown): boolean {
      if (this === LightResponse) return value instanceof NativeResponse;
      return Function.prototype[Symbol.hasInstance].call(this, value);
    }
  }

  /**
   * The native response behind a light one, made on first need (read as consumed if the worker took
   * it), with the headers as they are now: the handler may have changed them since.
   */
  function nativeOf(response: Response, state: LightState): Response {
    if (state.native !== undefined) {
      const from = response.headers;
      const to = state.native.headers;
      for (const name of [...to.keys()]) to.delete(name);
      for (const [name, value] of from) to.append(name, value);
    } else {
      state.native = new NativeResponse(state.source, { status: response.status, statusText: response.statusText, headers: response.headers });
      if (state.taken) void state.native.arrayBuffer().catch(noop);
    }
    return state.native;
  }

  for (const name of ["body", "bodyUsed"] as const) {
    const native = Object.getOwnPropertyDescriptor(NativeResponse.prototype, name)?.get as (this: Response) => unknown;
    Object.defineProperty(LightResponse.prototype, name, {
      configurable: true,
      enumerable: true,
      get(this: Response) {
        const state = lightState(this);
        if (state === undefined) return native.call(this);
        if (name === "bodyUsed" && state.native === undefined) return state.taken;
        return nativeOf(this, state)[name];
      },
    });
  }
  for (const name of Object.getOwnPropertyNames(NativeResponse.prototype)) {
    const native = Object.getOwnPropertyDescriptor(NativeResponse.prototype, name)?.value as unknown;
    if (name === "constructor" || typeof native !== "function") continue;
    Object.defineProperty(LightResponse.prototype, name, {
      configurable: true,
      enumerable: true,
      writable: true,
      value: function (this: Response, ...args: unknown[]): unknown {
        const state = lightState(this);
        if (state === undefined) return (native as (...a: unknown[]) => unknown).apply(this, args);
        // A clone of an unread body keeps it as given too.
        if (name === "clone" && state.native === undefined && !state.taken) return new LightResponse(state.source, { status: this.status, statusText: this.statusText, headers: this.headers });
        const target = nativeOf(this, state) as unknown as Record<string, (...a: unknown[]) => unknown>;
        return target[name]!(...args);
      },
    });
  }

  /**
   * The body of a response made from a string or bytes, as given, when nothing has read it yet; the
   * response then reads as consumed, as after the native stream was read. Undefined for other bodies.
   */
  function takeKeptBody(response: Response): Kept | undefined {
    const state = lightState(response);
    if (state === undefined || state.native !== undefined || state.taken) return undefined;
    state.taken = true;
    return state.source;
  }

  // The Node build output's invoker (a separate bundle) takes a kept body through this method.
  Object.defineProperty(LightResponse.prototype, COMPLETE_ANSWER, {
    configurable: true,
    writable: true,
    value: function (this: Response): CompleteAnswer | undefined {
      const kept = takeKeptBody(this);
      if (kept === undefined) return undefined;
      // As the invoker reads a native Response: names lower case and sorted, Set-Cookie kept apart.
      const headers: Array<[string, string]> = [];
      this.headers.forEach((value, name) => {
        if (name !== "set-cookie") headers.push([name, value]);
      });
      for (const cookie of this.headers.getSetCookie()) headers.push(["set-cookie", cookie]);
      return { status: this.status, headers, bytes: typeof kept === "string" ? encoder.encode(kept) : kept };
    },
  });

  const requests = makeLazyRequests(NativeRequest, nativeFetch);
  Object.defineProperty(LightResponse, "name", { value: "Response" });
  return { Request: requests.Request, Response: LightResponse, fetch: requests.fetch, createLazyRequest: requests.createLazyRequest, takeKeptBody };
}

/**
 * The request a handler gets. Its URL is parsed now (the native constructor's normalization and
 * errors); a method the native class may refuse or rewrite gets the native object at once.
 */
export function createLazyRequest(parts: RequestParts): Request {
  return light().createLazyRequest(parts);
}

/**
 * The body of a response made from a string or bytes, as given, when nothing has read it yet; the
 * response then reads as consumed, as after the native stream was read. Undefined for other bodies.
 */
export function takeKeptBody(response: Response): Kept | undefined {
  return built === undefined ? undefined : built.takeKeptBody(response);
}

/** Makes the classes now (loading Node's Fetch implementation): for an idle moment before the first call. */
export function prepareLightFetch(): void {
  light();
}

/**
 * Makes the worker's `Request`, `Response` and `fetch` the classes above (and `fetch` accept a lazy
 * request), made when first read. Called once, before any handler code is evaluated.
 */
export function installLightFetch(): void {
  for (const name of GLOBALS) {
    natives.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    const get = (): unknown => light()[name];
    getters.set(name, get);
    Object.defineProperty(globalThis, name, { configurable: true, enumerable: false, get, set: (value: unknown) => setGlobal(name, value) });
  }
}

/**
 * The Node build output's install: the classes above as globals, and the lazy request factory
 * where the invoker (bundled apart in the worker module) looks for it.
 */
export function installNodeOutputFetch(): void {
  installLightFetch();
  const factory: HandlerRequestFactory = (init) => createLazyRequest(init);
  (globalThis as { [HANDLER_REQUEST]?: HandlerRequestFactory })[HANDLER_REQUEST] = factory;
}
