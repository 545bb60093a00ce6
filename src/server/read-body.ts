/**
 * Reads a request body as it streams, keeping at most `limit` bytes (Dify cuts bodies at 10 MiB)
 * and draining the rest so the client can finish sending; memory stays bounded whatever is sent.
 */

export interface CappedBody {
  bytes: Uint8Array;
  total: number;
  truncated: boolean;
}

/** Reads a Node request directly (no Fetch Request is built); a request without a body is not read. */
export async function readIncomingBody(incoming: AsyncIterable<Uint8Array> & { headers: Record<string, string | string[] | undefined> }, limit: number): Promise<CappedBody> {
  if (incoming.headers["content-length"] === undefined && incoming.headers["transfer-encoding"] === undefined) {
    return { bytes: new Uint8Array(0), total: 0, truncated: false };
  }
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let total = 0;
  try {
    for await (const chunk of incoming) {
      total += chunk.byteLength;
      if (kept < limit) {
        const part = chunk.byteLength <= limit - kept ? chunk : chunk.subarray(0, limit - kept);
        chunks.push(part);
        kept += part.byteLength;
      }
    }
  } catch {
    // The client went away mid-upload: serve what arrived (the handler is cancelled with the request).
  }
  return { bytes: join(chunks, kept), total, truncated: total > limit };
}

function join(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
