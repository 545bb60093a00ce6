/**
 * The light `Response` (see light-fetch.ts): one made from a string or bytes is a plain object on
 * the class's prototype holding the body as given, its status and, once read, its `Headers`; no
 * native `Response` (its internal state, headers list and body) is made unless something needs it:
 * reading it as a stream, `text()`, `blob()` and the other methods build the native one (with the
 * headers as they are then) and use it from then on. Status, status text and headers come from a
 * native `Response` built without a body when an `init` is given, so the errors and normalization
 * are Node's own; without one (`new Response("hello")`, the common answer) nothing native is made
 * until the headers are read. Any other body is Node's own `Response`.
 */

/** Statuses whose responses have no body: the native constructor refuses one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const noop = (): void => undefined;

export type Kept = string | Uint8Array<ArrayBuffer>;

/** What the Node server and dev's worker read of a kept answer, without a stream. */
export interface KeptAnswer {
  status: number;
  /** Lower-case names, sorted, Set-Cookie values apart: as the native headers iterate. */
  headers: Array<[string, string]>;
  body: Kept;
}

export interface LightResponses {
  Response: typeof Response;
  /** The kept body of a response made from a string or bytes, once (it then reads as consumed). */
  takeKeptBody(response: Response): Kept | undefined;
  /** The same with its status and headers, without making a `Headers` where none was read. */
  takeKeptAnswer(response: Response): KeptAnswer | undefined;
}

interface KeptState {
  /** The body as given (bytes copied, as the native constructor copies them). */
  source: Kept;
  status: number;
  statusText: string;
  /** The content type the native constructor would add (a string body's, `Response.json`'s), or "". */
  type: string;
  /** The response's headers, made on first read when no `init` gave them. */
  headers: Headers | undefined;
  /** The native response reading the same body, once something needed it. */
  native: Response | undefined;
  /** The body was handed over: the response reads as consumed from then on. */
  taken: boolean;
}

/** The light class over Node's own `Response`. */
export function makeLightResponses(NativeResponse: typeof Response): LightResponses {
  let keptState: (response: object) => KeptState | undefined = () => undefined;
  let jsonType = false;

  /** The object a kept response is: its prototype is the class `new` was called on. */
  class KeptResponse {
    #kept: KeptState;

    static {
      keptState = (response) => (#kept in response ? (response as unknown as KeptResponse).#kept : undefined);
    }

    constructor(state: KeptState) {
      this.#kept = state;
    }
  }

  /** `Response`, with a body from a string or bytes kept as given until something needs more. */
  class LightResponse extends NativeResponse {
    constructor(body?: BodyInit | null, init?: ResponseInit) {
      const text = typeof body === "string";
      if (!text && !(body instanceof ArrayBuffer) && !(body instanceof Uint8Array && body.buffer instanceof ArrayBuffer)) {
        super(body, init);
        return;
      }
      const type = text ? (jsonType ? "application/json" : "text/plain;charset=UTF-8") : "";
      const state: KeptState = { source: "", status: 200, statusText: "", type, headers: undefined, native: undefined, taken: false };
      if (init !== undefined) {
        // Node's own checks and normalization of the status, status text and headers.
        const shape = new NativeResponse(null, init);
        state.status = shape.status;
        state.statusText = shape.statusText;
        // The native constructor's own error for a body on a 204 and the like.
        if (NULL_BODY_STATUSES.has(shape.status)) void new NativeResponse(body, { status: shape.status });
        state.headers = shape.headers;
        if (type !== "" && !state.headers.has("content-type")) state.headers.append("content-type", type);
      }
      state.source = text ? body : new Uint8Array(body as ArrayBuffer | Uint8Array<ArrayBuffer>).slice();
      // A derived constructor may return another object: this one has no native internals to build.
      return Reflect.construct(KeptResponse, [state], new.target) as unknown as LightResponse;
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

  function headersOf(state: KeptState): Headers {
    if (state.headers === undefined) {
      state.headers = new Headers();
      if (state.type !== "") state.headers.append("content-type", state.type);
    }
    return state.headers;
  }

  /**
   * The native response behind a kept one, made on first need (read as consumed if the body was
   * handed over), with the headers as they are now: the handler may have changed them since.
   */
  function nativeOf(state: KeptState): Response {
    if (state.native === undefined) {
      const headers = state.headers ?? (state.type === "" ? undefined : [["content-type", state.type]]);
      state.native = new NativeResponse(state.source, { status: state.status, statusText: state.statusText, headers });
      if (state.taken) void state.native.arrayBuffer().catch(noop);
    }
    // The native constructor adds a content type the handler may have deleted: copy them all.
    if (state.headers !== undefined) syncHeaders(state.headers, state.native.headers);
    return state.native;
  }

  const own: Record<string, (state: KeptState) => unknown> = {
    status: (state) => state.status,
    statusText: (state) => state.statusText,
    ok: (state) => state.status >= 200 && state.status <= 299,
    headers: headersOf,
    type: () => "default",
    url: () => "",
    redirected: () => false,
    body: (state) => nativeOf(state).body,
    bodyUsed: (state) => (state.native === undefined ? state.taken : state.native.bodyUsed),
  };
  for (const name of Object.getOwnPropertyNames(NativeResponse.prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(NativeResponse.prototype, name)!;
    if (name === "constructor") continue;
    if (descriptor.get !== undefined) {
      const native = descriptor.get;
      const answer = own[name] ?? ((state: KeptState) => (nativeOf(state) as unknown as Record<string, unknown>)[name]);
      Object.defineProperty(LightResponse.prototype, name, {
        configurable: true,
        enumerable: true,
        get(this: Response) {
          const state = keptState(this);
          return state === undefined ? native.call(this) : answer(state);
        },
      });
    } else if (typeof descriptor.value === "function") {
      const native = descriptor.value as (...args: unknown[]) => unknown;
      Object.defineProperty(LightResponse.prototype, name, {
        configurable: true,
        enumerable: true,
        writable: true,
        value: function (this: Response, ...args: unknown[]): unknown {
          const state = keptState(this);
          if (state === undefined) return native.apply(this, args);
          // A clone of an unread body keeps it as given too.
          if (name === "clone" && state.native === undefined && !state.taken) {
            const headers = state.headers === undefined ? undefined : new Headers(state.headers);
            return Reflect.construct(KeptResponse, [{ ...state, headers }], LightResponse);
          }
          const target = nativeOf(state) as unknown as Record<string, (...a: unknown[]) => unknown>;
          return target[name]!(...args);
        },
      });
    }
  }
  Object.defineProperty(LightResponse, "name", { value: "Response" });

  function takeKept(response: Response): KeptState | undefined {
    const state = keptState(response);
    if (state === undefined || state.native !== undefined || state.taken) return undefined;
    state.taken = true;
    return state;
  }

  return {
    Response: LightResponse,
    takeKeptBody: (response) => takeKept(response)?.source,
    takeKeptAnswer(response) {
      const state = takeKept(response);
      if (state === undefined) return undefined;
      if (state.headers === undefined) return { status: state.status, headers: state.type === "" ? [] : [["content-type", state.type]], body: state.source };
      // As the invoker reads a native Response: names lower case and sorted, Set-Cookie kept apart.
      const headers: Array<[string, string]> = [];
      state.headers.forEach((value, name) => {
        if (name !== "set-cookie") headers.push([name, value]);
      });
      for (const cookie of state.headers.getSetCookie()) headers.push(["set-cookie", cookie]);
      return { status: state.status, headers, body: state.source };
    },
  };
}

/** Copies `from` onto `to` when they are not the same object. */
export function syncHeaders(from: Headers, to: Headers): void {
  if (from === to) return;
  for (const name of [...to.keys()]) to.delete(name);
  for (const [name, value] of from) to.append(name, value);
}
