/**
 * The dev server's Hono app: the HTTP shell around the request pipeline. It checks the Host header
 * (DNS rebinding), turns the Node request into a pipeline request without building a Fetch
 * `Request`, and writes the pipeline's answer straight to the Node response with backpressure. Every
 * Dify rule lives in `src/pipeline/`; nothing here decides what the answer is.
 */
import { Hono } from "hono";
import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createPipeline, readAhead, withLength, type PipelineAnswer, type RequestObserver, type ServingState } from "../pipeline/index.js";
import { splitTarget } from "../pipeline/target.js";
import { isAllowedHost } from "./host-check.js";
import { checkOrigin } from "./origin-check.js";
import { InvokeError } from "../runtime/contract.js";
import { readIncomingBody } from "./read-body.js";

export type { ServedEndpoint, ServingState } from "../pipeline/index.js";

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

export function createDevApp(options: AppOptions): Hono<{ Bindings: HttpBindings }> {
  const handle = createPipeline({
    current: options.current,
    deadlineMs: options.deadlineMs,
    warn: options.warn,
    observe: (request) => logObserver(request.method, splitTarget(request.target).path, options),
  });
  const bodyDeadlineMs = options.bodyDeadlineMs ?? Math.min(options.deadlineMs, 60_000);
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all("*", async (c) => {
    const incoming = c.env.incoming;
    const outgoing = c.env.outgoing;
    const method = incoming.method ?? "GET";
    const host = incoming.headers.host ?? "";
    const target = incoming.url ?? "/";
    if (!isAllowedHost(host, options.allowedHosts)) {
      options.log({ method, path: splitTarget(target).path, status: 403, ms: 0, detail: "host refused" });
      const text = `Forbidden: the Host header ${JSON.stringify(host)} is not allowed. Start dev with --allow-host ${host.replace(/:\d+$/, "") || "<name>"} to accept it.\n`;
      return new Response(text, { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    const site = checkOrigin(incoming.headers, host, options.allowedOrigins ?? NO_ORIGINS);
    if (!site.allowed) {
      const hint = site.origin === "*" ? "--allow-origin '*'" : `--allow-origin ${site.origin}`;
      options.warn(`${method} ${splitTarget(target).path}: refused a cross-site browser request from ${site.origin === "*" ? "another site" : site.origin} (403); start dev with ${hint} to accept it`);
      options.log({ method, path: splitTarget(target).path, status: 403, ms: 0, detail: "cross-site refused" });
      return new Response(`Forbidden: cross-site requests are refused. Start dev with ${hint} to accept them.\n`, { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    // The client going away (before or during the answer) stops the handler. Listening on the
    // Node response keeps the adapter from building a full Fetch Request for every call.
    const controller = new AbortController();
    const onClose = () => {
      if (!outgoing.writableFinished) controller.abort();
    };
    outgoing.once("close", onClose);
    try {
      const answer = await handle({
        method, target, host, headers: rawHeaderPairs(incoming), signal: controller.signal,
        readBody: (limit) => readIncomingBody(incoming, limit, bodyDeadlineMs),
      });
      await sendAnswer(outgoing, answer).catch((error: unknown) => {
        if (!(error instanceof InvokeError && error.kind === "timeout")) throw error;
        if (outgoing.headersSent) return void outgoing.destroy();
        outgoing.writeHead(504, ["content-type", "text/plain; charset=utf-8"]);
        outgoing.end(`Gateway Timeout: ${error.message}\n`);
      });
    } finally {
      outgoing.off("close", onClose);
    }
    return RESPONSE_ALREADY_SENT;
  });
  return app;
}

/** `dev`'s request log as a pipeline observer: one entry per request, once its body has ended. */
function logObserver(method: string, path: string, options: AppOptions): RequestObserver {
  let request: RequestLog["request"];
  let response: RequestLog["response"];
  return {
    forwarded: options.verbose ? (call) => void (request = { headers: call.headers, body: call.body }) : undefined,
    head: options.verbose ? (head) => void (response = { headers: [...head.headers] as Array<[string, string]> }) : undefined,
    end: (outcome) => {
      options.log({
        method, path, status: outcome.status, ms: outcome.ms,
        ...(outcome.endpoint ? { endpoint: outcome.endpoint } : {}),
        ...(outcome.detail ? { detail: outcome.detail } : {}),
        ...(request ? { request, ...(response ? { response } : {}) } : {}),
      });
    },
  };
}

/**
 * Writes the answer straight to the Node response: a body complete at once goes out in one write
 * with its length; one still being produced streams, its first chunk sent as soon as it exists, with
 * backpressure. A client that goes away ends the body (which stops the handler's stream).
 */
async function sendAnswer(outgoing: ServerResponse, answer: PipelineAnswer): Promise<void> {
  const { status, headers, body } = answer;
  if (!body) {
    outgoing.writeHead(status, headers.flat());
    outgoing.end();
    return;
  }
  const ahead = await readAhead(body);
  if (ahead.complete) {
    outgoing.writeHead(status, withLength(headers, ahead.bytes?.byteLength ?? 0).flat());
    outgoing.end(ahead.bytes);
    return;
  }
  outgoing.writeHead(status, headers.flat());
  let next = ahead.first;
  let pending = ahead.pending;
  while (!next.done) {
    if (outgoing.destroyed) {
      await body.return?.();
      return;
    }
    if (!outgoing.write(next.value)) {
      const drained = await Promise.race([once(outgoing, "drain").then(() => true), once(outgoing, "close").then(() => false)]);
      if (!drained) {
        await body.return?.();
        return;
      }
    }
    next = await (pending ?? body.next());
    pending = undefined;
  }
  outgoing.end();
}

/** Node's raw header list (names as sent, lower-cased) as pairs, duplicates kept. */
function rawHeaderPairs(incoming: IncomingMessage): Array<[string, string]> {
  const raw = incoming.rawHeaders;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return pairs;
}
