/**
 * The Node output's request listener: `node:http` straight into the worker's pipeline. The request is
 * read from the `IncomingMessage` (target as sent, raw headers, body capped as it streams) and the
 * answer written with `writeHead`/`end`: no Fetch `Request` or `Response` is built around the
 * handler's, which is most of a small answer's cost. Bundled into `server.mjs` only.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readAhead, WHOLE_BODY, withLength, type MaybeWhole } from "../../pipeline/answer-body.js";
import { emptyBody, readCapped, type CappedBody } from "../../pipeline/capped-body.js";
import type { PipelineAnswer, PipelineRequest } from "../../pipeline/pipeline.js";

/** What the listener needs of the worker module (its default export). */
export interface HandlingWorker {
  handle(request: PipelineRequest, env?: Readonly<Record<string, unknown>>): Promise<PipelineAnswer>;
}

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
    worker.handle(request, env).then((answer) => sendAnswer(outgoing, answer)).catch((error: unknown) => failed(outgoing, error));
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
    // Names lower-cased, repeated headers kept apart, as sent.
    const raw = incoming.rawHeaders;
    const headers: Array<[string, string]> = [];
    let host: string | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = (raw[i] as string).toLowerCase();
      const value = raw[i + 1] as string;
      if (host === undefined && name === "host") host = value;
      headers.push([name, value]);
    }
    this.headers = headers;
    this.host = host as string;
  }

  readBody(limit: number): Promise<CappedBody> {
    const method = this.method;
    if (method === "GET" || method === "HEAD") return Promise.resolve(emptyBody());
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

/**
 * Writes the answer: a body complete at once goes out in one write with its length; one still being
 * produced streams, each chunk as soon as it exists, with backpressure. A client that goes away
 * ends the body (which stops the handler's stream).
 */
function sendAnswer(outgoing: ServerResponse, answer: PipelineAnswer): Promise<void> | undefined {
  const { status, headers, body } = answer;
  if (body === undefined || NULL_BODY.has(status)) {
    if (body !== undefined) void body.return?.()?.catch(() => undefined);
    outgoing.writeHead(status, flatHeaders(headers));
    outgoing.end();
    return undefined;
  }
  // A body whole in memory goes out now: no read ahead, no promise (readAhead's first step, synchronously).
  const whole = (body as MaybeWhole)[WHOLE_BODY]?.();
  if (whole !== undefined) {
    outgoing.writeHead(status, flatHeaders(withLength(headers, whole.byteLength)));
    outgoing.end(whole.byteLength > 0 ? whole : undefined);
    return undefined;
  }
  return streamAnswer(outgoing, status, headers, body);
}

/** `headers.flat()` without the generic walk over nested arrays. */
function flatHeaders(headers: ReadonlyArray<readonly [string, string]>): string[] {
  const flat = new Array<string>(headers.length * 2);
  for (let i = 0; i < headers.length; i += 1) {
    const pair = headers[i] as readonly [string, string];
    flat[i * 2] = pair[0];
    flat[i * 2 + 1] = pair[1];
  }
  return flat;
}

async function streamAnswer(outgoing: ServerResponse, status: number, headers: Array<[string, string]>, body: AsyncIterableIterator<Uint8Array>): Promise<void> {
  const ahead = await readAhead(body);
  if (ahead.complete) {
    outgoing.writeHead(status, flatHeaders(withLength(headers, ahead.bytes?.byteLength ?? 0)));
    outgoing.end(ahead.bytes);
    return;
  }
  outgoing.writeHead(status, flatHeaders(headers));
  outgoing.flushHeaders();
  let next = ahead.first;
  let pending = ahead.pending;
  let closed = false;
  const onClose = (): void => {
    closed = true;
    void body.return?.()?.catch(() => undefined);
  };
  outgoing.once("close", onClose);
  try {
    while (!next.done) {
      if (closed) return;
      if (!outgoing.write(next.value)) await drainedOrClosed(outgoing);
      if (closed) return;
      next = await (pending ?? body.next());
      pending = undefined;
    }
    outgoing.end();
  } finally {
    outgoing.off("close", onClose);
  }
}

function drainedOrClosed(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      outgoing.off("drain", done);
      outgoing.off("close", done);
      resolve();
    };
    outgoing.on("drain", done);
    outgoing.on("close", done);
  });
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
