/**
 * The Node output's request listener: `node:http` straight into the worker's pipeline. The request is
 * read from the `IncomingMessage` (target as sent, raw headers, body capped as it streams) and the
 * answer written with `writeHead`/`end`: no Fetch `Request` or `Response` is built around the
 * handler's, which is most of a small answer's cost. Bundled into `server.mjs` only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readCapped, type CappedBody } from "../../pipeline/capped-body.js";
import type { PipelineAnswer, PipelineRequest } from "../../pipeline/pipeline.js";
import { rawHeaderPairs, sendAnswer } from "../../server/send-answer.js";

/** What the listener needs of the worker module (its default export). */
export interface HandlingWorker {
  handle(request: PipelineRequest, env?: Readonly<Record<string, unknown>>): PipelineAnswer | Promise<PipelineAnswer>;
}

/**
 * The body of every GET and HEAD, shared: the in-process handler never sees it (its request has no
 * body for these methods) and nothing here transfers it away, so one serves all.
 */
const NO_BODY: CappedBody = Object.freeze({ bytes: new Uint8Array(0), total: 0, truncated: false });

/** Statuses that never carry a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** The listener for `http.createServer`. */
export function nodeListener(worker: HandlingWorker, env: Readonly<Record<string, unknown>>): (incoming: IncomingMessage, outgoing: ServerResponse) => void {
  return (incoming, outgoing) => {
    const request = new NodeRequest(incoming, outgoing);
    if (request.host === undefined) {
      // HTTP/1.0 without a Host: no URL can be made for the handler (HTTP/1.1 ones Node refuses itself).
      outgoing.writeHead(400);
      outgoing.end();
      return;
    }
    // A synchronous handler's answer is written in this same turn, with no promise made for it.
    let sending: Promise<void> | undefined;
    try {
      const answered = worker.handle(request, env);
      if (answered instanceof Promise) sending = answered.then((result) => answer(outgoing, result));
      else sending = answer(outgoing, answered);
    } catch (error) {
      failed(outgoing, error);
      return;
    }
    sending?.catch((error: unknown) => failed(outgoing, error));
  };
}

/** One request as the pipeline reads it; the signal and the body are made only when asked for. */
class NodeRequest implements PipelineRequest {
  readonly method: string;
  readonly target: string;
  readonly host: string;
  readonly headers: Array<[string, string]>;
  readonly #incoming: IncomingMessage;
  readonly #outgoing: ServerResponse;
  #signal: AbortSignal | undefined;

  constructor(incoming: IncomingMessage, outgoing: ServerResponse) {
    this.#incoming = incoming;
    this.#outgoing = outgoing;
    this.method = incoming.method ?? "GET";
    this.target = incoming.url ?? "/";
    this.headers = rawHeaderPairs(incoming);
    this.host = hostOf(this.headers) as string;
  }

  readBody(limit: number): CappedBody | Promise<CappedBody> {
    const method = this.method;
    if (method === "GET" || method === "HEAD") return NO_BODY;
    return readCapped(this.#incoming, limit);
  }

  /** Aborts when the client goes away before the answer is finished. */
  get signal(): AbortSignal {
    if (this.#signal === undefined) {
      const controller = new AbortController();
      const outgoing = this.#outgoing;
      const gone = (): void => {
        if (!outgoing.writableFinished) controller.abort(new DOMException("The client went away", "AbortError"));
      };
      // Asked for late (the handler reads it after an await): the client may have left already.
      if (outgoing.destroyed) gone();
      else outgoing.once("close", gone);
      this.#signal = controller.signal;
    }
    return this.#signal;
  }
}

/** The first `host` header's value (names are lower case here). */
function hostOf(headers: ReadonlyArray<readonly [string, string]>): string | undefined {
  for (let i = 0; i < headers.length; i += 1) {
    const pair = headers[i] as readonly [string, string];
    if (pair[0] === "host") return pair[1];
  }
  return undefined;
}

/** Statuses that never carry a body go out without one; every other answer through the shared writer. */
function answer(outgoing: ServerResponse, answer: PipelineAnswer): Promise<void> | undefined {
  if (answer.body !== undefined && NULL_BODY.has(answer.status)) {
    void answer.body.return?.()?.catch(() => undefined);
    return sendAnswer(outgoing, { ...answer, body: undefined });
  }
  return sendAnswer(outgoing, answer);
}

/** What the pipeline could not answer: a deadline is a 504 (or a cut once the head is out), anything else a 500. */
function failed(outgoing: ServerResponse, error: unknown): void {
  const timeout = (error as { kind?: unknown } | null)?.kind === "timeout";
  // The platform's log (the server's stderr) gets what went wrong; the client a plain 500.
  // eslint-disable-next-line no-console
  if (!timeout) console.error(error);
  if (outgoing.headersSent) {
    outgoing.destroy();
    return;
  }
  const text = timeout ? `Gateway Timeout: ${(error as Error).message}\n` : "Internal Server Error\n";
  outgoing.writeHead(timeout ? 504 : 500, ["content-type", "text/plain; charset=utf-8", "content-length", String(Buffer.byteLength(text))]);
  outgoing.end(text);
}
