/**
 * Reads a Node request's body for the pipeline, capped as Dify caps it (see `pipeline/capped-body.ts`).
 */
import { emptyBody, readCapped, type CappedBody } from "../pipeline/capped-body.js";

export type { CappedBody };

/** Reads a Node request directly (no Fetch Request is built); a request without a body is not read. */
export async function readIncomingBody(incoming: AsyncIterable<Uint8Array> & { headers: Record<string, string | string[] | undefined> }, limit: number): Promise<CappedBody> {
  if (incoming.headers["content-length"] === undefined && incoming.headers["transfer-encoding"] === undefined) return emptyBody();
  return readCapped(incoming, limit);
}
