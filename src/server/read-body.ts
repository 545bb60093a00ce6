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
export async function readIncomingBody(
  incoming: AsyncIterable<Uint8Array> & { headers: Record<string, string | string[] | undefined>; destroy?(error?: Error): void },
  limit: number,
  deadlineMs = Infinity,
): Promise<CappedBody> {
  if (incoming.headers["content-length"] === undefined && incoming.headers["transfer-encoding"] === undefined) return emptyBody();
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
