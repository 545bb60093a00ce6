/**
 * Reads a Node request's body for the pipeline, capped as Dify caps it (see `pipeline/capped-body.ts`).
 */
import { emptyBody, readCapped, type CappedBody } from "../pipeline/capped-body.js";

export type { CappedBody };

/**
 * Reads a Node request directly (no Fetch Request is built); a request without a body is not read.
 * `deadlineMs` bounds the whole read (an endless chunked upload): past it the request is destroyed
 * and the body comes back with `timedOut` set.
 */
export function readIncomingBody(incoming: Incoming, limit: number, deadlineMs = Infinity, framed?: boolean): Promise<CappedBody> {
  // No length and no chunking: HTTP says there is no body (most GETs); no read, no timer. `framed`
  // is whether the caller already saw either header.
  const announced = framed ?? (incoming.headers["content-length"] !== undefined || incoming.headers["transfer-encoding"] !== undefined);
  if (!announced) return Promise.resolve(emptyBody());
  return readWithDeadline(incoming, limit, deadlineMs);
}

type Incoming = AsyncIterable<Uint8Array> & { headers: Record<string, string | string[] | undefined>; destroy?(error?: Error): void };

async function readWithDeadline(incoming: Incoming, limit: number, deadlineMs: number): Promise<CappedBody> {
  let timedOut = false;
  const timer = Number.isFinite(deadlineMs)
    ? setTimeout(() => {
        timedOut = true;
        incoming.destroy?.(new Error("the request body did not arrive before the deadline"));
      }, deadlineMs)
    : undefined;
  try {
    const body = await readCapped(incoming, limit);
    return timedOut ? { ...body, timedOut } : body;
  } finally {
    clearTimeout(timer);
  }
}
