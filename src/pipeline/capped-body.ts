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
  /** The body was still arriving when its deadline passed (what arrived is in `bytes`). */
  timedOut?: boolean;
}

/** A body of no bytes; a fresh one each time, since a runtime may transfer the buffer away. */
export const emptyBody = (): CappedBody => ({ bytes: new Uint8Array(0), total: 0, truncated: false });

/**
 * Bytes are copied into one buffer that grows by doubling, so memory is bounded by the cap whatever
 * the chunking (one entry per chunk once took 4 GB for a 10 MiB body sent in 1-byte chunks).
 */
export async function readCapped(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<CappedBody> {
  let buffer: Uint8Array | undefined;
  // A first chunk kept without a copy may be a view into a pooled buffer: never written into.
  let owned = false;
  let kept = 0;
  let total = 0;
  try {
    for await (const chunk of chunks) {
      total += chunk.byteLength;
      if (kept >= limit) continue;
      const part = chunk.byteLength <= limit - kept ? chunk : chunk.subarray(0, limit - kept);
      // The common case, one chunk holding the whole body, is kept without a copy.
      if (buffer === undefined && kept === 0) {
        buffer = part;
        kept = part.byteLength;
        continue;
      }
      if (!owned || buffer === undefined || buffer.byteLength < kept + part.byteLength) {
        buffer = grow(buffer, kept, kept + part.byteLength, limit);
        owned = true;
      }
      buffer.set(part, kept);
      kept += part.byteLength;
    }
  } catch {
    // The client went away mid-upload (or its deadline cut it): serve what arrived.
  }
  const bytes = buffer === undefined ? new Uint8Array(0) : buffer.byteLength === kept ? buffer : buffer.subarray(0, kept);
  return { bytes, total, truncated: total > limit };
}

const FIRST_CAPACITY = 16 * 1024;

/** A new buffer holding the `kept` bytes of `current`, with room for `needed`, grown by doubling up to `limit`. */
function grow(current: Uint8Array | undefined, kept: number, needed: number, limit: number): Uint8Array {
  let capacity = Math.max(FIRST_CAPACITY, current?.byteLength ?? 0);
  while (capacity < needed) capacity *= 2;
  const grown = new Uint8Array(Math.min(capacity, Math.max(limit, needed)));
  if (current !== undefined && kept > 0) grown.set(current.subarray(0, kept));
  return grown;
}
