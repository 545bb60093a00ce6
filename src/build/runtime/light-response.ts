/**
 * The Node output's global `Response`: one made from a string (or no body) keeps the string and
 * hands it to the invoker whole, instead of Node building a `ReadableStream` that the invoker then
 * reads back chunk by chunk. `status`, `ok` and `headers` are answered directly; anything else (the
 * body, `clone()`, `type`...) builds the real `Response` first and answers from it. Any other body
 * or init builds the real one at once, so every error and conversion is Node's own. It is
 * `instanceof Response`, and a real `Response` is `instanceof` it. Bundled into `server.mjs` only;
 * installed by `installLightResponse`.
 */
import { COMPLETE_ANSWER, type CompleteAnswer } from "./light-protocol.js";

const RealResponse = globalThis.Response;
/** What a real `Response` adds for a string body. */
const TEXT_TYPE = "text/plain;charset=UTF-8";
const encoder = new TextEncoder();
const NULL_BODY_STATUS = new Set([204, 205, 304]);

/** An init a real `Response` would take as it is: a plain object of known, plainly valid fields. */
function plainInit(init: unknown, hasBody: boolean): init is { status?: number; headers?: HeadersInit } | undefined {
  if (init === undefined) return true;
  if (typeof init !== "object" || init === null || Object.getPrototypeOf(init) !== Object.prototype) return false;
  for (const key in init) if (key !== "status" && key !== "headers") return false;
  const { status } = init as { status?: unknown };
  if (status === undefined) return true;
  return typeof status === "number" && Number.isInteger(status) && status >= 200 && status <= 599 && !(hasBody && NULL_BODY_STATUS.has(status));
}

let realOf: (response: LightResponse) => Response;
let syncReal: (response: LightResponse) => void;

class LightResponse {
  readonly #text: string | null;
  readonly #status: number;
  #headers: Headers | undefined;
  #real: Response | undefined;
  #handedOver = false;

  constructor(body?: unknown, init?: unknown) {
    const text = body === undefined || body === null ? null : typeof body === "string" ? body : undefined;
    if (text === undefined || !plainInit(init, text !== null)) {
      this.#text = null;
      this.#status = 0;
      this.#real = new RealResponse(body as BodyInit, init as ResponseInit);
      return;
    }
    this.#text = text;
    this.#status = init?.status ?? 200;
    // Headers are checked now, as a real Response checks them (same errors).
    if (init?.headers !== undefined) this.#headers = this.#typed(new Headers(init.headers));
  }

  #typed(headers: Headers): Headers {
    if (this.#text !== null && !headers.has("content-type")) headers.append("content-type", TEXT_TYPE);
    return headers;
  }

  get status(): number {
    return this.#real === undefined ? this.#status : this.#real.status;
  }

  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status <= 299;
  }

  get headers(): Headers {
    this.#headers ??= this.#real === undefined ? this.#typed(new Headers()) : this.#real.headers;
    return this.#headers;
  }

  /** The answer whole, for the invoker: only while nothing has made the real `Response`. */
  [COMPLETE_ANSWER](): CompleteAnswer | undefined {
    if (this.#real !== undefined || this.#handedOver) return undefined;
    this.#handedOver = true;
    const headers: Array<[string, string]> = [];
    const own = this.#headers;
    if (own === undefined) {
      if (this.#text !== null) headers.push(["content-type", TEXT_TYPE]);
    } else {
      // As the invoker reads a real Response: names lower case and sorted, Set-Cookie kept apart.
      own.forEach((value, name) => {
        if (name !== "set-cookie") headers.push([name, value]);
      });
      for (const cookie of own.getSetCookie()) headers.push(["set-cookie", cookie]);
    }
    return { status: this.#status, headers, bytes: this.#text === null ? new Uint8Array(0) : encoder.encode(this.#text) };
  }

  static {
    realOf = (response) => {
      if (response.#real === undefined) {
        const headers = response.#headers;
        response.#real = new RealResponse(response.#text, headers === undefined ? { status: response.#status } : { status: response.#status, headers });
        if (headers !== undefined) syncLater.add(response);
      }
      return response.#real;
    };
    // Header changes made after the real response was built reach it before a clone, say.
    syncReal = (response) => {
      const headers = response.#headers;
      const real = response.#real;
      if (headers === undefined || real === undefined || !syncLater.has(response)) return;
      const target = real.headers;
      for (const name of [...target.keys()]) target.delete(name);
      for (const [name, value] of headers) target.append(name, value);
    };
  }
}

const syncLater = new WeakSet<LightResponse>();

const OWN = new Set<PropertyKey>(["constructor", "status", "ok", "headers"]);
// Everything else a Response has answers from the real one, whatever this Node's Response defines.
for (const key of Reflect.ownKeys(RealResponse.prototype)) {
  if (OWN.has(key)) continue;
  const descriptor = Object.getOwnPropertyDescriptor(RealResponse.prototype, key)!;
  if (descriptor.get !== undefined) {
    Object.defineProperty(LightResponse.prototype, key, {
      configurable: true,
      enumerable: descriptor.enumerable ?? false,
      get(this: LightResponse) {
        return (realOf(this) as unknown as Record<PropertyKey, unknown>)[key];
      },
    });
  } else if (typeof descriptor.value === "function") {
    Object.defineProperty(LightResponse.prototype, key, {
      configurable: true,
      writable: true,
      enumerable: descriptor.enumerable ?? false,
      value(this: LightResponse, ...args: unknown[]) {
        const real = realOf(this);
        syncReal(this);
        return (real as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[key]!(...args);
      },
    });
  }
}
Object.setPrototypeOf(LightResponse.prototype, RealResponse.prototype);
// Response.json, Response.error, Response.redirect: the real ones.
Object.setPrototypeOf(LightResponse, RealResponse);
Object.defineProperty(LightResponse, Symbol.hasInstance, {
  value: (value: unknown): boolean => value instanceof RealResponse,
});
Object.defineProperty(LightResponse, "name", { value: "Response" });

/** Installs the light `Response` as the global one. */
export function installLightResponse(): void {
  Object.defineProperty(globalThis, "Response", { configurable: true, writable: true, value: LightResponse });
}
