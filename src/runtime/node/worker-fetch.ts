/**
 * The Fetch classes handlers see in the worker, built only as far as a handler uses them. Building
 * a native `Request` (URL, validated headers, body stream) and a `Response` body stream cost most of
 * a small call's time, and most handlers read a header or two and answer with a string. So:
 * - a call's request is a lazy object on `Request.prototype`: method, URL, headers, signal and
 *   `text()`/`json()`/`arrayBuffer()` come from the call's parts; anything else (`body`, `clone()`,
 *   `formData()`, passing it to `fetch` or `new Request`) builds the native `Request` and uses it;
 * - a `Response` made from a string or bytes keeps them as given (its status and headers are the
 *   native ones): the worker sends them without a stream, and reading it as a stream builds one.
 * Both stay `instanceof Request`/`Response` and answer every property as the native classes do.
 */

const NativeRequest = globalThis.Request;
const NativeResponse = globalThis.Response;
const nativeFetch = globalThis.fetch;

/** Statuses whose responses have no body: the native constructor refuses one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** Methods the native `Request` accepts as they are (Node's parser sends them upper case). */
const PLAIN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const decoder = new TextDecoder();
const noop = (): void => undefined;

type Kept = string | Uint8Array<ArrayBuffer>;
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

/** The native response behind a light one, made on first need (read as consumed if the worker took it). */
function nativeOf(response: Response, state: LightState): Response {
  if (state.native === undefined) {
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
export function takeKeptBody(response: Response): Kept | undefined {
  const state = lightState(response);
  if (state === undefined || state.native !== undefined || state.taken) return undefined;
  state.taken = true;
  return state.source;
}

/** What a call's request is made of. */
export interface RequestParts {
  url: string;
  method: string;
  /** Names and values in order, as received. */
  headers: Array<[string, string]>;
  /** Ignored for GET and HEAD, as the native `Request` has no body for them. */
  body: ArrayBuffer | null;
  /** The call's signal, made on first read (most handlers never read it). */
  signal: () => AbortSignal;
}

interface LazyState {
  parts: RequestParts;
  href: string;
  headers: Headers | undefined;
  native: Request | undefined;
  taken: boolean;
}

let lazyState: (request: object) => LazyState | undefined = () => undefined;

/** `Request`, accepting a lazy request wherever a native one is accepted. */
class LightRequest extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === "object" && input !== null && lazyState(input) !== undefined ? nativeRequestOf(input as Request) : input, init);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === LightRequest) return value instanceof NativeRequest;
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

class LazyRequest {
  #lazy: LazyState;

  static {
    lazyState = (request) => (#lazy in request ? (request as LazyRequest).#lazy : undefined);
  }

  constructor(parts: RequestParts, href: string) {
    this.#lazy = { parts, href, headers: undefined, native: undefined, taken: false };
  }
}
Object.setPrototypeOf(LazyRequest.prototype, LightRequest.prototype);
Object.defineProperty(LazyRequest.prototype, "constructor", { value: LightRequest, writable: true, configurable: true });

function stateOf(request: object): LazyState {
  const state = lazyState(request);
  if (state === undefined) throw new TypeError("Illegal invocation");
  return state;
}

/** The native request behind a lazy one, made on first need (read as consumed if its body was read). */
function nativeRequestOf(request: Request): Request {
  const state = stateOf(request);
  if (state.native === undefined) {
    const { parts } = state;
    const hasBody = parts.body !== null && parts.method !== "GET" && parts.method !== "HEAD";
    const init = { method: parts.method, headers: state.headers ?? parts.headers, body: hasBody ? parts.body : null, duplex: "half", signal: parts.signal() };
    state.native = new NativeRequest(state.href, init as RequestInit);
    if (state.taken) void state.native.arrayBuffer().catch(noop);
  }
  return state.native;
}

/** The body read without a stream, once; later reads fail as the native ones do. */
function readOnce<T>(request: Request, name: "text" | "json" | "arrayBuffer", convert: (bytes: Uint8Array) => T): Promise<T> {
  const state = stateOf(request);
  if (state.native !== undefined || state.taken) return (nativeRequestOf(request) as unknown as Record<string, () => Promise<T>>)[name]!();
  state.taken = true;
  const { body, method } = state.parts;
  const bytes = body === null || method === "GET" || method === "HEAD" ? new Uint8Array(0) : new Uint8Array(body);
  return new Promise<T>((resolve) => resolve(convert(bytes)));
}

const cheap: Record<string, PropertyDescriptor> = {
  method: {
    get: function (this: Request) {
      const state = stateOf(this);
      return state.native?.method ?? state.parts.method;
    },
  },
  url: {
    get: function (this: Request) {
      return stateOf(this).href;
    },
  },
  headers: {
    get: function (this: Request) {
      const state = stateOf(this);
      return state.headers ?? state.native?.headers ?? (state.headers = new Headers(state.parts.headers));
    },
  },
  signal: {
    get: function (this: Request) {
      return stateOf(this).parts.signal();
    },
  },
  body: {
    get: function (this: Request) {
      const state = stateOf(this);
      const { method, body } = state.parts;
      if (state.native === undefined && (body === null || method === "GET" || method === "HEAD")) return null;
      return nativeRequestOf(this).body;
    },
  },
  bodyUsed: {
    get: function (this: Request) {
      const state = stateOf(this);
      return state.native?.bodyUsed ?? state.taken;
    },
  },
  text: { value: function (this: Request) { return readOnce(this, "text", (bytes) => decoder.decode(bytes)); } },
  json: { value: function (this: Request) { return readOnce(this, "json", (bytes) => JSON.parse(decoder.decode(bytes)) as unknown); } },
  arrayBuffer: { value: function (this: Request) { return readOnce(this, "arrayBuffer", (bytes) => bytes.buffer); } },
};
for (const name of Object.getOwnPropertyNames(NativeRequest.prototype)) {
  if (name === "constructor") continue;
  const native = Object.getOwnPropertyDescriptor(NativeRequest.prototype, name)!;
  const own = cheap[name];
  const descriptor: PropertyDescriptor = own
    ? { ...own, configurable: true, enumerable: true, ...("value" in own ? { writable: true } : {}) }
    : typeof native.value === "function"
      ? { configurable: true, enumerable: true, writable: true, value: function (this: Request, ...args: unknown[]) { return (nativeRequestOf(this) as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args); } }
      : { configurable: true, enumerable: true, get: function (this: Request) { return (nativeRequestOf(this) as unknown as Record<string, unknown>)[name]; } };
  Object.defineProperty(LazyRequest.prototype, name, descriptor);
}

/**
 * The request a handler gets. Its URL is parsed now (the native constructor's normalization and
 * errors); a method the native class may refuse or rewrite gets the native object at once.
 */
export function createLazyRequest(parts: RequestParts): Request {
  let href: string;
  try {
    href = new URL(parts.url).href;
  } catch {
    // The native constructor's own error.
    return new NativeRequest(parts.url, { method: parts.method, headers: parts.headers });
  }
  const request = new LazyRequest(parts, href) as unknown as Request;
  if (!PLAIN_METHODS.has(parts.method)) nativeRequestOf(request);
  return request;
}

/**
 * Makes the worker's `Request`, `Response` and `fetch` the classes above (and `fetch` accept a lazy
 * request). Called once, before any handler code is evaluated.
 */
export function installLightFetch(): void {
  Object.defineProperty(LightResponse, "name", { value: "Response" });
  Object.defineProperty(LightRequest, "name", { value: "Request" });
  const define = (name: string, value: unknown): void => void Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  define("Response", LightResponse);
  define("Request", LightRequest);
  define("fetch", function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const real = typeof input === "object" && input !== null && lazyState(input) !== undefined ? nativeRequestOf(input as Request) : input;
    return nativeFetch(real, init);
  });
}
