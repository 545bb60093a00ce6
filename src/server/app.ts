/**
 * The dev server's request listener: the HTTP shell around the request pipeline. It checks the Host
 * header (DNS rebinding) and the origin (cross-site browser requests), turns the Node request into
 * a pipeline request without building a Fetch `Request`, and writes the pipeline's answer straight
 * to the Node response with backpressure. Every Dify rule lives in `src/pipeline/`; nothing here
 * decides what the answer is. Only the inspector's pages go through Fetch objects (a Hono app).
 */
import { getRequestListener } from "@hono/node-server";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { createPipeline, type ObserveRequest, type PipelineRequest, type RequestObserver, type RequestOutcome, type ResponseHead, type ServingState } from "../pipeline/index.js";
import { splitTarget } from "../pipeline/target.js";
import { isAllowedHost } from "./host-check.js";
import type { Inspector } from "../inspector/inspector.js";
import { INSPECTOR_PREFIX, isInspectorRequest } from "../inspector/guard.js";
import { checkOrigin } from "./origin-check.js";
import { InvokeError, type InvokeCall } from "../runtime/contract.js";
import { readIncomingBody, type CappedBody } from "./read-body.js";
import { sendAnswer } from "./send-answer.js";

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
  /** The request inspector: watches every request and serves `/_endpoint-kit/` on loopback hosts. */
  inspector?: Inspector;
}

/** A Node `request` listener. */
export type DevListener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

const NO_ORIGINS: ReadonlySet<string> = new Set();
const TEXT = "text/plain; charset=utf-8";

export function createDevApp(options: AppOptions): DevListener {
  const handle = createPipeline({
    current: options.current,
    deadlineMs: options.deadlineMs,
    warn: options.warn,
    observe: devObserver(options),
  });
  options.inspector?.attach(handle);
  const inspectorPages = options.inspector ? getRequestListener(options.inspector.app.fetch) : undefined;
  const bodyDeadlineMs = options.bodyDeadlineMs ?? Math.min(options.deadlineMs, 60_000);

  const allowedOrigins = options.allowedOrigins ?? NO_ORIGINS;
  // Every request of a client names the same Host: its verdict is kept, not worked out again.
  let lastHost: string | undefined;
  let lastHostAllowed = false;
  const hostAllowed = (host: string): boolean => {
    if (host !== lastHost) {
      lastHostAllowed = isAllowedHost(host, options.allowedHosts);
      lastHost = host;
    }
    return lastHostAllowed;
  };

  async function serve(request: DevRequest, outgoing: ServerResponse): Promise<void> {
    const { method, target, host } = request;
    // Only a target under the prefix (or absolute-form) can be the inspector's: no split for the rest.
    const maybeInspector = inspectorPages !== undefined && (target.startsWith(INSPECTOR_PREFIX) || !target.startsWith("/"));
    if (maybeInspector && isInspectorRequest(splitTarget(target).path, host)) return inspectorPages(request.incoming, outgoing);
    if (!hostAllowed(host)) {
      options.log({ method, path: splitTarget(target).path, status: 403, ms: 0, detail: "host refused" });
      return sendText(outgoing, 403, `Forbidden: the Host header ${JSON.stringify(host)} is not allowed. Start dev with --allow-host ${host.replace(/:\d+$/, "") || "<name>"} to accept it.\n`);
    }
    const site = request.browser === undefined ? undefined : checkOrigin(request.browser, host, allowedOrigins);
    if (site !== undefined && !site.allowed) {
      const hint = site.origin === "*" ? "--allow-origin '*'" : `--allow-origin ${site.origin}`;
      options.warn(`${method} ${splitTarget(target).path}: refused a cross-site browser request from ${site.origin === "*" ? "another site" : site.origin} (403); start dev with ${hint} to accept it`);
      options.log({ method, path: splitTarget(target).path, status: 403, ms: 0, detail: "cross-site refused" });
      return sendText(outgoing, 403, `Forbidden: cross-site requests are refused. Start dev with ${hint} to accept them.\n`);
    }
    const answer = await handle(request);
    // A whole answer is written at once (no promise); only a streamed one can still time out.
    const streaming = sendAnswer(outgoing, answer);
    if (streaming !== undefined) await streaming.catch((error: unknown) => timedOutMidway(outgoing, error));
  }

  return (incoming, outgoing) => {
    const request = new DevRequest(incoming, bodyDeadlineMs);
    serve(request, outgoing).catch((error: unknown) => {
      // Not a handler's failure (the pipeline answers those): a fault of dev itself, said as such.
      options.warn(`${request.method} ${splitTarget(request.target).path}: dev failed to answer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!outgoing.headersSent) sendText(outgoing, 500, "Internal Server Error\n");
      else outgoing.destroy();
    });
  };
}

/**
 * One request as the pipeline reads it, made in one pass over Node's raw headers: the pairs, the
 * Host, whether a body is announced, and the headers the cross-site check reads (only browsers send
 * them), instead of a lookup in `incoming.headers` for each.
 */
class DevRequest implements PipelineRequest {
  readonly method: string;
  readonly target: string;
  readonly host: string = "";
  readonly headers: Array<[string, string]>;
  /** `Origin` and `Sec-Fetch-*` (first values), when the request has any. */
  readonly browser: Record<string, string> | undefined;
  readonly #framed: boolean = false;

  constructor(readonly incoming: IncomingMessage, private readonly bodyDeadlineMs: number) {
    this.method = incoming.method ?? "GET";
    this.target = incoming.url ?? "/";
    const raw = incoming.rawHeaders;
    const pairs = new Array<[string, string]>(raw.length >> 1);
    let hostSeen = false;
    for (let i = 0, j = 0; i + 1 < raw.length; i += 2, j += 1) {
      const name = (raw[i] as string).toLowerCase();
      const value = raw[i + 1] as string;
      pairs[j] = [name, value];
      if (name === "host") {
        // Node keeps the first Host when several are sent.
        if (!hostSeen) this.host = value;
        hostSeen = true;
      } else if (name === "content-length" || name === "transfer-encoding") this.#framed = true;
      else if (name === "origin" || name === "sec-fetch-site" || name === "sec-fetch-mode") {
        const browser = (this.browser ??= {});
        browser[name] ??= value;
      }
    }
    this.headers = pairs;
  }

  get signal(): AbortSignal {
    return connectionSignal(this.incoming.socket);
  }

  readBody(limit: number): Promise<CappedBody> {
    return readIncomingBody(this.incoming, limit, this.bodyDeadlineMs, this.#framed);
  }
}

/** A deadline passed while the answer streamed: a 504 if nothing went out yet, else the response is cut. */
function timedOutMidway(outgoing: ServerResponse, error: unknown): void {
  if (!(error instanceof InvokeError && error.kind === "timeout")) throw error;
  if (outgoing.headersSent) return void outgoing.destroy();
  sendText(outgoing, 504, `Gateway Timeout: ${error.message}\n`);
}

function sendText(outgoing: ServerResponse, status: number, text: string): void {
  outgoing.writeHead(status, ["content-type", TEXT, "content-length", String(Buffer.byteLength(text))]);
  outgoing.end(text);
}

const ABORT = Symbol("endpoint-kit connection abort");

/**
 * Aborted when the client's connection closes (before or during an answer), which stops the
 * handler. One signal per connection, not per request: an `AbortSignal` costs more to make than the
 * rest of a small request's routing, and every request on a connection ends when it closes.
 */
function connectionSignal(socket: Socket & { [ABORT]?: AbortController }): AbortSignal {
  let controller = socket[ABORT];
  if (controller === undefined) {
    const created = new AbortController();
    controller = socket[ABORT] = created;
    if (socket.destroyed) created.abort();
    else socket.once("close", () => created.abort());
  }
  return controller.signal;
}

/** What watches each request in `dev`: the request log, and the inspector's capture when it is on. */
export function devObserver(options: Pick<AppOptions, "log" | "verbose" | "inspector">): ObserveRequest {
  const inspector = options.inspector;
  if (!inspector) return (request) => new LogObserver(options, request.method, request.target);
  return (request) => new CapturingLogObserver(options, request.method, request.target, inspector.observe(request));
}

/**
 * `dev`'s request log as a pipeline observer: one entry per request, once its body has ended. One
 * object per request with its methods on the prototype (closures would be several per request).
 * No `matched` or `chunk`: the pipeline then skips those calls.
 */
class LogObserver implements RequestObserver {
  private request: RequestLog["request"] = undefined;
  private response: RequestLog["response"] = undefined;

  constructor(
    private readonly options: Pick<AppOptions, "log" | "verbose">,
    private readonly method: string,
    private readonly target: string,
  ) {}

  forwarded(call: Readonly<InvokeCall>): void {
    if (this.options.verbose) this.request = { headers: call.headers, body: call.body };
  }

  head(head: ResponseHead): void {
    if (this.options.verbose) this.response = { headers: [...head.headers] as Array<[string, string]> };
  }

  end(outcome: RequestOutcome): void {
    const { request, response } = this;
    this.options.log({
      method: this.method, path: splitTarget(this.target).path, status: outcome.status, ms: outcome.ms,
      ...(outcome.endpoint ? { endpoint: outcome.endpoint } : {}),
      ...(outcome.detail ? { detail: outcome.detail } : {}),
      ...(request ? { request, ...(response ? { response } : {}) } : {}),
    });
  }
}

/** The request log and the inspector's record of one request, in that order, as one observer. */
class CapturingLogObserver extends LogObserver {
  constructor(options: Pick<AppOptions, "log" | "verbose">, method: string, target: string, private readonly record: RequestObserver) {
    super(options, method, target);
  }

  matched(match: RouteMatch): void {
    this.record.matched?.(match);
  }

  override forwarded(call: Readonly<InvokeCall>): void {
    super.forwarded(call);
    this.record.forwarded?.(call);
  }

  override head(head: ResponseHead): void {
    super.head(head);
    this.record.head?.(head);
  }

  chunk(bytes: Uint8Array): void {
    this.record.chunk?.(bytes);
  }

  override end(outcome: RequestOutcome): void {
    super.end(outcome);
    this.record.end?.(outcome);
  }
}

type RouteMatch = Parameters<NonNullable<RequestObserver["matched"]>>[0];
