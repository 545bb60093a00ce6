/**
 * The dev server's Hono app: Dify's front door. It checks the Host header, strips `/e/<hook_id>`,
 * routes with the werkzeug-exact router, reshapes the request as the daemon does, runs the handler in
 * its runtime and streams the answer back, with Dify's status codes for every failure.
 */
import { Hono } from "hono";
import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { InvokeError, type EndpointRuntime, type InvokeResult } from "../runtime/contract.js";
import { describeMiss, type Router } from "../router/index.js";
import { forwardHeaders, MAX_BODY_BYTES, reencodeQuery, singleValueHeaders } from "./dify-request.js";
import { isAllowedHost } from "./host-check.js";
import { checkOrigin } from "./origin-check.js";
import { readIncomingBody } from "./read-body.js";

export interface ServedEndpoint {
  id: string;
  runtime: EndpointRuntime;
}

/** What a request is served with; replaced as a whole on every reload. */
export interface ServingState {
  hookId: string;
  router: Router;
  endpoints: ReadonlyMap<string, ServedEndpoint>;
  /** Endpoints that cannot run (a source that failed to load), with the reason. */
  unavailable: ReadonlyMap<string, string>;
  settings: Record<string, unknown>;
}

export interface RequestLog {
  method: string;
  path: string;
  endpoint?: string;
  status: number;
  ms: number;
  detail?: string;
  request?: { headers: Array<[string, string]>; body: Uint8Array };
  /** With `verbose`: the response headers sent (bodies stream, so they are not kept). */
  response?: { headers: Array<[string, string]> };
}

export interface AppOptions {
  /** The state to serve with; waits while a reload is under way. */
  current(): Promise<ServingState>;
  allowedHosts: ReadonlySet<string>;
  /** Origins allowed to call from a browser besides loopback ones (`--allow-origin`; `*` for any). */
  allowedOrigins?: ReadonlySet<string>;
  /** How long a request body may take to arrive (default: the handler deadline, at most 60 s). */
  bodyDeadlineMs?: number;
  deadlineMs: number;
  log(entry: RequestLog): void;
  warn(message: string): void;
  /** Attach the request's headers and body to each log entry (`--verbose`). */
  verbose?: boolean;
}

const NO_ORIGINS: ReadonlySet<string> = new Set();

const text = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });

const STATUS_BY_KIND: Record<InvokeError["kind"], number> = { "value-error": 404, exception: 500, timeout: 504, crashed: 502, unavailable: 500 };

function errorBody(error: InvokeError, deadlineMs: number): string {
  switch (error.kind) {
    case "value-error":
      return error.message;
    case "timeout":
      return `Gateway Timeout: the endpoint did not answer within ${Math.round(deadlineMs / 1000)}s`;
    case "crashed":
      return `Bad Gateway: the endpoint's worker stopped (${error.message})`;
    default:
      return `Internal Server Error: ${error.message}`;
  }
}

/** Splits the raw request-target into path and query (absolute-form targets too). */
function splitTarget(target: string): { path: string; query: string } {
  let rest = target;
  if (!rest.startsWith("/")) {
    const at = rest.indexOf("/", rest.indexOf("//") + 2);
    rest = at < 0 ? "/" : rest.slice(at);
  }
  const q = rest.indexOf("?");
  return q < 0 ? { path: rest, query: "" } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

export function createDevApp(options: AppOptions): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all("*", async (c) => {
    const started = performance.now();
    const incoming = c.env.incoming;
    const method = incoming.method ?? "GET";
    const host = incoming.headers.host ?? "";
    const { path: fullPath, query } = splitTarget(incoming.url ?? "/");
    let seen: RequestLog["request"];
    const finish = (response: Response, endpoint?: string, detail?: string) => {
      options.log({ method, path: fullPath, endpoint, status: response.status, ms: performance.now() - started, detail, ...(seen ? { request: seen } : {}) });
      return response;
    };
    if (!isAllowedHost(host, options.allowedHosts)) {
      return finish(text(`Forbidden: the Host header ${JSON.stringify(host)} is not allowed. Start dev with --allow-host ${host.replace(/:\d+$/, "") || "<name>"} to accept it.\n`, 403), undefined, "host refused");
    }
    const site = checkOrigin(incoming.headers, host, options.allowedOrigins ?? NO_ORIGINS);
    if (!site.allowed) {
      const hint = site.origin === "*" ? "--allow-origin '*'" : `--allow-origin ${site.origin}`;
      options.warn(`${method} ${fullPath}: refused a cross-site browser request from ${site.origin === "*" ? "another site" : site.origin} (403); start dev with ${hint} to accept it`);
      return finish(text(`Forbidden: cross-site requests are refused. Start dev with ${hint} to accept them.\n`, 403), undefined, "cross-site refused");
    }
    const state = await options.current();
    const prefix = `/e/${state.hookId}`;
    const path = fullPath === prefix ? "/" : fullPath.startsWith(`${prefix}/`) ? fullPath.slice(prefix.length) : fullPath;
    const match = state.router.match(path, method);
    if (match.kind !== "ok") {
      const reason = describeMiss(match, { origin: `http://${host}`, query });
      return finish(text(`Failed to dispatch endpoint request: ${reason}`, 404));
    }
    const endpoint = state.endpoints.get(match.endpoint);
    const unavailable = state.unavailable.get(match.endpoint);
    if (!endpoint || unavailable) return finish(text(`Internal Server Error: ${unavailable ?? "the endpoint has no source to run"}`, 500), match.endpoint);
    const body = await readIncomingBody(incoming, MAX_BODY_BYTES, options.bodyDeadlineMs ?? Math.min(options.deadlineMs, 60_000));
    if (body.timedOut) return finish(text("Request Timeout: the request body did not arrive in time\n", 408, { connection: "close" }), match.endpoint, "body deadline");
    if (body.truncated) options.warn(`${method} ${fullPath}: the request body (${body.total} bytes) was cut at 10 MiB, as Dify does`);
    const hookUrl = `http://${host}${prefix}${path}`;
    const forwarded = forwardHeaders(rawHeaderPairs(incoming.rawHeaders), state.hookId, hookUrl);
    // The handler sees a length that matches the body it gets.
    if (body.truncated) forwarded.headers = forwarded.headers.map(([name, value]) => [name, name === "content-length" ? String(body.bytes.byteLength) : value]);
    if (forwarded.invalidName) return finish(text(`Internal Server Error: invalid header name ${JSON.stringify(forwarded.invalidName)}`, 500), match.endpoint);
    if (options.verbose) seen = { headers: forwarded.headers, body: body.bytes };
    const search = query ? reencodeQuery(query) : "";
    // The client going away (before or during the answer) stops the handler. Listening on the
    // Node response keeps the adapter from building a full Fetch Request for every call.
    const controller = new AbortController();
    const outgoing = c.env.outgoing;
    const onClose = () => {
      if (!outgoing.writableFinished) controller.abort();
    };
    outgoing.once("close", onClose);
    let result: InvokeResult;
    try {
      result = await endpoint.runtime.invoke(
        { endpoint: match.endpoint, method, url: `http://${host}${path}${search ? `?${search}` : ""}`, headers: forwarded.headers, body: body.bytes, values: match.values, settings: state.settings },
        { signal: controller.signal, deadlineMs: options.deadlineMs },
      );
    } catch (error) {
      outgoing.off("close", onClose);
      if (!(error instanceof InvokeError)) throw error;
      return finish(text(errorBody(error, options.deadlineMs), STATUS_BY_KIND[error.kind]), match.endpoint, error.detail ?? error.message);
    }
    const single = singleValueHeaders(result.headers);
    if (single.dropped.length > 0) options.warn(`${method} ${fullPath}: Dify keeps one value per response header; dropped extra values of ${single.dropped.join(", ")}`);
    const problem = await sendResponse(outgoing, result, single.headers, method === "HEAD");
    outgoing.off("close", onClose);
    options.log({
      method, path: fullPath, endpoint: match.endpoint, status: result.status, ms: performance.now() - started,
      ...(problem ? { detail: problem } : {}),
      ...(seen ? { request: seen, response: { headers: single.headers } } : {}),
    });
    return RESPONSE_ALREADY_SENT;
  });
  return app;
}

/**
 * Writes the answer straight to the Node response: chunks go out as the handler produces them, with
 * backpressure; a client that goes away stops the handler's stream. An error after the head is
 * written into the body, as Dify does. Returns that error's text for the log, if there was one.
 */
async function sendResponse(outgoing: ServerResponse, result: InvokeResult, headers: Array<[string, string]>, isHead: boolean): Promise<string | undefined> {
  const iterator = result.body[Symbol.asyncIterator]();
  const flat = headers.flat();
  if (isHead) {
    // No body goes out for HEAD: stop the handler's stream instead of letting it fill its window.
    outgoing.writeHead(result.status, flat);
    void iterator.return?.();
    outgoing.end();
    return undefined;
  }
  try {
    // A body that is complete at once goes out in one write with its length; one still being
    // produced streams, its first chunk sent as soon as it exists.
    const first = await iterator.next();
    let pending = first.done ? undefined : iterator.next();
    const second = pending ? await settledSoon(pending) : first;
    if (second !== NOT_YET && second.done) {
      const bytes = first.done ? undefined : first.value;
      const framed = headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
      outgoing.writeHead(result.status, framed ? flat : [...flat, "content-length", String(bytes?.byteLength ?? 0)]);
      outgoing.end(bytes);
      return undefined;
    }
    outgoing.writeHead(result.status, flat);
    let next: IteratorResult<Uint8Array> = first;
    for (;;) {
      if (next.done) break;
      if (outgoing.destroyed) {
        await iterator.return?.();
        return undefined;
      }
      if (!outgoing.write(next.value)) {
        const drained = await Promise.race([once(outgoing, "drain").then(() => true), once(outgoing, "close").then(() => false)]);
        if (!drained) {
          await iterator.return?.();
          return undefined;
        }
      }
      next = await (pending ?? iterator.next());
      pending = undefined;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const expired = error instanceof InvokeError && error.kind === "timeout";
    // A deadline never becomes the handler's status with an error text as its body: a 504 while
    // nothing is sent yet, else the response is cut off (the client sees an incomplete answer).
    if (expired && !outgoing.headersSent) {
      outgoing.writeHead(504, ["content-type", "text/plain; charset=utf-8"]);
      outgoing.end(`Gateway Timeout: ${message}`);
      return message;
    }
    if (expired) {
      outgoing.destroy();
      return `${message} (the response was cut off)`;
    }
    if (!outgoing.headersSent) outgoing.writeHead(result.status, flat);
    if (!outgoing.destroyed) outgoing.write(message);
    outgoing.end();
    return error instanceof InvokeError && error.detail ? error.detail : message;
  }
  outgoing.end();
  return undefined;
}

const NOT_YET = Symbol("not yet");

/** The promise's value if it settles within this turn of the event loop, else `NOT_YET`. */
function settledSoon<T>(promise: Promise<T>): Promise<T | typeof NOT_YET> {
  return Promise.race([promise, new Promise<typeof NOT_YET>((resolve) => setImmediate(resolve, NOT_YET))]);
}

/** Node's raw header list (names as sent) as pairs. */
function rawHeaderPairs(raw: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return pairs;
}
