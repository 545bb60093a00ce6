/**
 * Reads a request body as it streams, keeping at most `limit` bytes (Dify cuts bodies at 10 MiB)
 * and draining the rest so the client can finish sending; memory stays bounded whatever is sent.
 * Works on any async iterable of bytes: a Node request or a Fetch `ReadableStream`.
 */

export interface CappedBody {
  bytes: Uint8Array;
  /** Bytes sent, the cut ones included. */
  total: number;
  truncated: boolean;
}

/** A body of no bytes; a fresh one each time, since a runtime may transfer the buffer away. */
export const emptyBody = (): CappedBody => ({ bytes: new Uint8Array(0), total: 0, truncated: false });

export async function readCapped(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<CappedBody> {
  const kept: Uint8Array[] = [];
  let size = 0;
  let total = 0;
  try {
    for await (const chunk of chunks) {
      total += chunk.byteLength;
      if (size < limit) {
        const part = chunk.byteLength <= limit - size ? chunk : chunk.subarray(0, limit - size);
        kept.push(part);
        size += part.byteLength;
      }
    }
  } catch {
    // The client went away mid-upload: serve what arrived (the handler is cancelled with the request).
  }
  return { bytes: concat(kept, size), total, truncated: total > limit };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
