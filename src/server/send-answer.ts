/**
 * Writes a pipeline answer to a Node `ServerResponse`: the one writer for `dev`'s server and the Node
 * build's `server.mjs` (bundled into it, so only type imports from `node:`). A body whole in memory
 * goes out at once with its length; one complete after a look-ahead likewise; one still being
 * produced streams, each chunk as soon as it exists, with backpressure. A client that goes away ends
 * the body, which stops the handler's stream.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { framesItself, readAhead, WHOLE_BODY, WHOLE_TEXT, type MaybeWhole } from "../pipeline/answer-body.js";
import type { PipelineAnswer } from "../pipeline/pipeline.js";

/** Sends `answer`; the promise (when there is one) settles once the body has gone out or the client left. */
export function sendAnswer(outgoing: ServerResponse, answer: PipelineAnswer): Promise<void> | undefined {
  const { status, headers, body } = answer;
  if (body === undefined) {
    outgoing.writeHead(status, flatHeaders(headers));
    outgoing.end();
    return undefined;
  }
  // A string goes out as it is: Node writes it in one piece with the head (no encoding first).
  const text = (body as MaybeWhole)[WHOLE_TEXT]?.();
  if (text !== undefined) {
    outgoing.writeHead(status, flatHeaders(headers, Buffer.byteLength(text)));
    if (text.length > 0) outgoing.end(text);
    else outgoing.end();
    return undefined;
  }
  // A body whole in memory goes out now: no read ahead, no promise (readAhead's first step, synchronously).
  const whole = (body as MaybeWhole)[WHOLE_BODY]?.();
  if (whole !== undefined) {
    outgoing.writeHead(status, flatHeaders(headers, whole.byteLength));
    outgoing.end(whole.byteLength > 0 ? whole : undefined);
    return undefined;
  }
  return streamAnswer(outgoing, status, headers, body);
}

/** Node's raw header list (names lower-cased, repeated headers kept apart, as sent) as pairs. */
export function rawHeaderPairs(incoming: IncomingMessage): Array<[string, string]> {
  const raw = incoming.rawHeaders;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
  return pairs;
}

/**
 * `headers.flat()` without the generic walk over nested arrays; with `length`, a complete body's
 * `content-length` added unless the handler framed the body itself (one array, not a copy first).
 */
function flatHeaders(headers: ReadonlyArray<readonly [string, string]>, length?: number): string[] {
  const withLength = length !== undefined && !framesItself(headers);
  const flat = new Array<string>(headers.length * 2 + (withLength ? 2 : 0));
  for (let i = 0; i < headers.length; i += 1) {
    const pair = headers[i] as readonly [string, string];
    flat[i * 2] = pair[0];
    flat[i * 2 + 1] = pair[1];
  }
  if (withLength) {
    flat[headers.length * 2] = "content-length";
    flat[headers.length * 2 + 1] = String(length);
  }
  return flat;
}

async function streamAnswer(outgoing: ServerResponse, status: number, headers: Array<[string, string]>, body: AsyncIterableIterator<Uint8Array>): Promise<void> {
  const ahead = await readAhead(body);
  if (ahead.complete) {
    outgoing.writeHead(status, flatHeaders(headers, ahead.bytes?.byteLength ?? 0));
    outgoing.end(ahead.bytes);
    return;
  }
  outgoing.writeHead(status, flatHeaders(headers));
  let next = ahead.first;
  let pending = ahead.pending;
  let closed = false;
  const onClose = (): void => {
    closed = true;
    void body.return?.()?.catch(() => undefined);
  };
  if (outgoing.destroyed) return onClose();
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
