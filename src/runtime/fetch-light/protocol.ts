/**
 * How the Node server's lighter Fetch objects (installed as globals in `server.mjs` only) meet the
 * invoker bundled in the worker module, which is a separate bundle: through registered symbols, so
 * neither imports the other. On every other platform nothing is installed and the invoker builds
 * and reads real `Request`s and `Response`s. Platform-neutral.
 */

/** The global where the Node server puts its `HandlerRequestFactory`. */
export const HANDLER_REQUEST = Symbol.for("endpoint-kit.handler-request");

/** The method of a light `Response` that hands over its answer whole, when it still can. */
export const COMPLETE_ANSWER = Symbol.for("endpoint-kit.complete-answer");

/** What the handler's request is made of. */
export interface HandlerRequestInit {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body: Uint8Array | null;
  /** Made on first read: an AbortController is not free and most handlers never look. */
  signal: () => AbortSignal;
}

/** Makes a `Request` (`instanceof Request`, behaving as one) that builds its costly parts only when they are used. */
export type HandlerRequestFactory = (init: HandlerRequestInit) => Request;

/** An answer known whole at once: what the invoker would read from the `Response`, without a stream. */
export interface CompleteAnswer {
  status: number;
  headers: Array<[string, string]>;
  /** A string body as it was given (sent as UTF-8), else its bytes. */
  bytes: Uint8Array | string;
}
