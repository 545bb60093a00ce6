/**
 * The Fetch classes handlers see in dev's worker and in the Node build output (`server.mjs`), built only as far as a handler uses them. Building
 * a native `Request` (URL, validated headers, body stream) and a `Response` body stream cost most of
 * a small call's time, and most handlers read a header or two and answer with a string. So:
 * - a call's request is a lazy object on `Request.prototype`: method, URL, headers, signal and
 *   `text()`/`json()`/`arrayBuffer()` come from the call's parts; anything else (`body`, `clone()`,
 *   `formData()`, passing it to `fetch` or `new Request`) builds the native `Request` and uses it;
 * - a `Response` made from a string or bytes keeps them as given, with no native `Response` behind
 *   it until something needs one: the server sends them without a stream.
 * Both stay `instanceof Request`/`Response` and answer every property as the native classes do.
 * The request half is lazy-request.ts, the response half light-response.ts.
 */
import { makeLazyRequests, type RequestParts } from "./lazy-request.js";
import { makeLightResponses, type Kept } from "./light-response.js";
import { COMPLETE_ANSWER, HANDLER_REQUEST, type CompleteAnswer, type HandlerRequestFactory } from "./protocol.js";

export type { RequestParts };

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

  const responses = makeLightResponses(NativeResponse);
  // The Node build output's invoker (a separate bundle) takes a kept answer through this method.
  Object.defineProperty(responses.Response.prototype, COMPLETE_ANSWER, {
    configurable: true,
    writable: true,
    value: function (this: Response): CompleteAnswer | undefined {
      const kept = responses.takeKeptAnswer(this);
      if (kept === undefined) return undefined;
      return { status: kept.status, headers: kept.headers, bytes: kept.body };
    },
  });

  const requests = makeLazyRequests(NativeRequest, nativeFetch);
  return { Request: requests.Request, Response: responses.Response, fetch: requests.fetch, createLazyRequest: requests.createLazyRequest, takeKeptBody: responses.takeKeptBody };
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
