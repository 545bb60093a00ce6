/**
 * The base class of a TypeScript endpoint. Plugins import it from "endpoint-kit"; the Node runtime
 * creates one instance per request and calls `_invoke`, like Dify does with its Python `Endpoint`.
 */

/**
 * Path values as Python would hand them over: `int` a number, or a `bigint` beyond
 * `Number.MAX_SAFE_INTEGER` (never rounded); `float` a number; `uuid` its lower-case text; other
 * converters the matched text. `JSON.stringify` rejects a bigint: convert it (`String(n)`) first.
 */
export type EndpointValues = Record<string, string | number | bigint>;

/** The endpoint's settings as plain values (secrets decrypted), as Dify passes them. */
export type EndpointSettings = Record<string, unknown>;

/** Extend this class and implement `_invoke`; export exactly one such class from the source file. */
export abstract class Endpoint {
  /** Answers one request. A streaming body (a `ReadableStream`) is sent chunk by chunk. */
  abstract _invoke(request: Request, values: EndpointValues, settings: EndpointSettings): Response | Promise<Response>;
}
