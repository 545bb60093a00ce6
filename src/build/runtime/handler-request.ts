/**
 * The handler's `Request` in the Node output, made lazily: `url`, `method`, `headers` and `signal`
 * are read without building a Fetch `Request` (on Node 20 one costs a URL parse, validated headers
 * and an AbortController with its transfer machinery); everything else (the body, `clone()`,
 * `mode`...) builds the real one first and answers from it. It is `instanceof Request`, and the
 * global `Request` and `fetch` are wrapped so `new Request(request)` and `fetch(request)` see the
 * real one. Only URLs and methods a real `Request` would keep as they are take the lazy way; any
 * other is built at once, so every error and normalization is Node's own. Bundled into
 * `server.mjs` only; installed by `installHandlerRequest`.
 */
import { HANDLER_REQUEST, type HandlerRequestFactory, type HandlerRequestInit } from "./light-protocol.js";

/** Methods a real `Request` keeps unchanged (others are upper-cased, refused, or kept as typed). */
const PLAIN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]);

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
/**
 * An `http:` URL the URL parser leaves exactly as written: a lower-case host name (its last label
 * starting with a letter, no punycode) or a dotted-quad address, a port other than 80 without
 * leading zeros, a path of characters kept as they are with no dot segment, and a query of the
 * characters the pipeline's re-encoding produces.
 */
const CANONICAL_URL = new RegExp(
  `^http://(?:(?:(?!xn--)[a-z0-9-]+\\.)*(?!xn--)[a-z][a-z0-9-]*|${OCTET}(?:\\.${OCTET}){3})` +
    "(?::(?!80(?!\\d))[1-9]\\d{0,4})?" +
    "(?:/[A-Za-z0-9\\-_~!$&'()*+,;=:@%.]*)+" +
    "(?:\\?[A-Za-z0-9\\-_.~%+=&]*)?$",
);
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:[/?]|$)/i;

/** Whether a real `Request` would report `url` exactly as given. */
export function keepsUrl(url: string): boolean {
  if (!CANONICAL_URL.test(url) || DOT_SEGMENT.test(url)) return false;
  const port = /^http:\/\/[^/]*:(\d+)\//.exec(url)?.[1];
  return port === undefined || Number(port) <= 65535;
}

const RealRequest = globalThis.Request;
const realFetch = globalThis.fetch;

let realOf: (request: HandlerRequest) => Request;
let syncReal: (request: HandlerRequest) => void;

class HandlerRequest {
  readonly #url: string;
  readonly #method: string;
  readonly #list: Array<[string, string]>;
  readonly #body: Uint8Array | null;
  readonly #signal: () => AbortSignal;
  #headers: Headers | undefined;
  #real: Request | undefined;

  constructor(init: HandlerRequestInit) {
    this.#url = init.url;
    this.#method = init.method;
    this.#list = init.headers;
    this.#body = init.body;
    this.#signal = init.signal;
  }

  get url(): string {
    return this.#url;
  }

  get method(): string {
    return this.#method;
  }

  get headers(): Headers {
    this.#headers ??= this.#real === undefined ? new Headers(this.#list) : this.#real.headers;
    return this.#headers;
  }

  get signal(): AbortSignal {
    return this.#signal();
  }

  static isHandlerRequest(value: unknown): value is HandlerRequest {
    return typeof value === "object" && value !== null && #url in value;
  }

  /** The real request, built once, with the headers as they are now (the handler may have changed them). */
  static {
    // The real request, built once, with the headers as they are now (the handler may have changed them).
    realOf = (request) => {
      if (request.#real === undefined) {
        const headers = request.#headers;
        request.#real = new RealRequest(request.#url, { method: request.#method, headers: headers ?? request.#list, body: request.#body as BodyInit | null });
        if (headers !== undefined) syncLater.add(request);
      }
      return request.#real;
    };
    // Header changes made after the real request was built reach it before a clone, say.
    syncReal = (request) => {
      const headers = request.#headers;
      const real = request.#real;
      if (headers === undefined || real === undefined || !syncLater.has(request)) return;
      const target = real.headers;
      for (const name of [...target.keys()]) target.delete(name);
      for (const [name, value] of headers) target.append(name, value);
    };
  }
}

const syncLater = new WeakSet<HandlerRequest>();

const OWN = new Set<PropertyKey>(["constructor", "url", "method", "headers", "signal"]);
// Everything else a Request has answers from the real one, whatever this Node's Request defines.
for (const key of Reflect.ownKeys(RealRequest.prototype)) {
  if (OWN.has(key)) continue;
  const descriptor = Object.getOwnPropertyDescriptor(RealRequest.prototype, key)!;
  if (descriptor.get !== undefined) {
    Object.defineProperty(HandlerRequest.prototype, key, {
      configurable: true,
      enumerable: descriptor.enumerable ?? false,
      get(this: HandlerRequest) {
        return (realOf(this) as unknown as Record<PropertyKey, unknown>)[key];
      },
    });
  } else if (typeof descriptor.value === "function") {
    Object.defineProperty(HandlerRequest.prototype, key, {
      configurable: true,
      writable: true,
      enumerable: descriptor.enumerable ?? false,
      value(this: HandlerRequest, ...args: unknown[]) {
        const real = realOf(this);
        syncReal(this);
        return (real as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[key]!(...args);
      },
    });
  }
}
Object.setPrototypeOf(HandlerRequest.prototype, RealRequest.prototype);

/** The real request behind a handler's, for APIs that need one. */
function unwrap(input: unknown): unknown {
  if (!HandlerRequest.isHandlerRequest(input)) return input;
  const real = realOf(input);
  syncReal(input);
  return real;
}

const makeHandlerRequest: HandlerRequestFactory = (init) => {
  if (!PLAIN_METHODS.has(init.method) || !keepsUrl(init.url)) {
    const request = new RealRequest(init.url, { method: init.method, headers: init.headers, body: init.body as BodyInit | null });
    Object.defineProperty(request, "signal", { configurable: true, enumerable: true, get: init.signal });
    return request;
  }
  return new HandlerRequest(init) as unknown as Request;
};

/** Installs the lazy handler request, and the `Request` and `fetch` that accept it. */
export function installHandlerRequest(): void {
  class Request extends RealRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(unwrap(input) as RequestInfo | URL, init);
    }

    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof RealRequest;
    }
  }
  Object.defineProperty(globalThis, "Request", { configurable: true, writable: true, value: Request });
  Object.defineProperty(globalThis, "fetch", {
    configurable: true,
    writable: true,
    value: function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      return realFetch(unwrap(input) as RequestInfo | URL, init);
    },
  });
  (globalThis as { [HANDLER_REQUEST]?: HandlerRequestFactory })[HANDLER_REQUEST] = makeHandlerRequest;
}
