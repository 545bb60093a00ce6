/**
 * The lazy `Request` a handler gets (in dev's worker and in the Node build output; see
 * light-fetch.ts): an object on
 * `Request.prototype` answering method, URL, headers, signal and `text()`/`json()`/`arrayBuffer()`
 * from the call's parts, and building the native `Request` for anything else (`body`, `clone()`,
 * `formData()`, `fetch(request)`, `new Request(request)`), which it then uses for everything.
 */

/** What a call's request is made of. */
export interface RequestParts {
  url: string;
  method: string;
  /** Names and values in order, as received. */
  headers: Array<[string, string]>;
  /** Ignored for GET and HEAD, as the native `Request` has no body for them. */
  body: ArrayBuffer | Uint8Array | null;
  /** The call's signal, made on first read (most handlers never read it). */
  signal: () => AbortSignal;
}

export interface LazyRequests {
  /** The global `Request`: the native class, accepting a lazy request as input. */
  Request: typeof Request;
  /** The global `fetch`, accepting a lazy request. */
  fetch: typeof fetch;
  createLazyRequest(parts: RequestParts): Request;
}

/** Methods the native `Request` accepts as they are (Node's parser sends them upper case). */
const PLAIN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const decoder = new TextDecoder();
const noop = (): void => undefined;

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
/**
 * The authority of an `http:` URL the URL parser leaves exactly as written: a lower-case host name
 * (its last label starting with a letter, no punycode) or a dotted-quad address, and a port other
 * than 80 without leading zeros (captured, to check its range).
 */
const CANONICAL_AUTHORITY = new RegExp(`^(?:(?:(?!xn--)[a-z0-9-]+\\.)*(?!xn--)[a-z][a-z0-9-]*|${OCTET}(?:\\.${OCTET}){3})(?::(?!80(?!\\d))([1-9]\\d{0,4}))?$`);
/** From the path on (sticky: tested from the authority's end): characters kept as they are, and a query of the characters the pipeline's re-encoding produces. */
const CANONICAL_REST = /(?:\/[A-Za-z0-9\-_~!$&'()*+,;=:@%.]*)+(?:\?[A-Za-z0-9\-_.~%+=&]*)?$/y;
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:[/?]|$)/i;
/** Authorities already judged (a server sees few distinct `Host`s); bounded, as the header is the client's. */
const authorities = new Map<string, boolean>();
const MAX_AUTHORITIES = 64;

/** Whether a native `Request` would report `url` exactly as given (so no URL parse is needed). */
export function keepsUrl(url: string): boolean {
  if (!url.startsWith("http://")) return false;
  const slash = url.indexOf("/", 7);
  if (slash < 0) return false;
  const authority = url.slice(7, slash);
  let kept = authorities.get(authority);
  if (kept === undefined) {
    const match = CANONICAL_AUTHORITY.exec(authority);
    kept = match !== null && (match[1] === undefined || Number(match[1]) <= 65535);
    if (authorities.size < MAX_AUTHORITIES) authorities.set(authority, kept);
  }
  if (!kept) return false;
  CANONICAL_REST.lastIndex = slash;
  if (!CANONICAL_REST.test(url)) return false;
  // A dot segment starts with `/.` or `/%` (`%2e`): most paths have neither.
  return !(url.includes("/.", slash) || url.includes("/%", slash)) || !DOT_SEGMENT.test(url);
}

/** The classes over Node's own `Request` and `fetch`. */
export function makeLazyRequests(NativeRequest: typeof Request, nativeFetch: typeof fetch): LazyRequests {
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

  /**
   * The native request behind a lazy one, made on first need (read as consumed if its body was
   * read), with the headers as they are now: the handler may have changed them since.
   */
  function nativeRequestOf(request: Request): Request {
    const state = stateOf(request);
    if (state.native !== undefined) {
      syncHeaders(state.headers, state.native.headers);
    } else {
      const { parts } = state;
      const hasBody = parts.body !== null && parts.method !== "GET" && parts.method !== "HEAD";
      const init = { method: parts.method, headers: state.headers ?? parts.headers, body: hasBody ? parts.body : null, duplex: "half", signal: parts.signal() };
      state.native = new NativeRequest(state.href, init as RequestInit);
      if (state.taken) void state.native.arrayBuffer().catch(noop);
    }
    return state.native;
  }

  /** Copies the handler's headers onto the native ones when they are not the same object. */
  function syncHeaders(from: Headers | undefined, to: Headers): void {
    if (from === undefined || from === to) return;
    for (const name of [...to.keys()]) to.delete(name);
    for (const [name, value] of from) to.append(name, value);
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
  function createLazyRequest(parts: RequestParts): Request {
    let href: string;
    try {
      href = keepsUrl(parts.url) ? parts.url : new URL(parts.url).href;
    } catch {
      // The native constructor's own error.
      return new NativeRequest(parts.url, { method: parts.method, headers: parts.headers });
    }
    const request = new LazyRequest(parts, href) as unknown as Request;
    if (!PLAIN_METHODS.has(parts.method)) nativeRequestOf(request);
    return request;
  }

  const lightFetch = function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const real = typeof input === "object" && input !== null && lazyState(input) !== undefined ? nativeRequestOf(input as Request) : input;
    return nativeFetch(real, init);
  };
  Object.defineProperty(LightRequest, "name", { value: "Request" });
  return { Request: LightRequest, fetch: lightFetch, createLazyRequest };
}
