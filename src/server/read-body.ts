/**
 * Reads a request body as it streams, keeping at most `limit` bytes (Dify cuts bodies at 10 MiB)
 * and draining the rest so the client can finish sending. Bytes are copied into one buffer that
 * grows by doubling, so memory is bounded by the cap whatever the chunking (a body sent in 1-byte
 * chunks once kept one object per chunk: 4 GB for 10 MiB). A deadline ends an endless upload.
 */

export interface CappedBody {
  bytes: Uint8Array;
  total: number;
  truncated: boolean;
  /** The body was still arriving when the deadline passed (what arrived is in `bytes`). */
  timedOut: boolean;
}

export interface BodySource extends AsyncIterable<Uint8Array> {
  headers: Record<string, string | string[] | undefined>;
  /** Ends the upload (the connection) when the deadline passes. */
  destroy?(error?: Error): void;
}

const FIRST_CAPACITY = 16 * 1024;

/**
 * Reads a Node request directly (no Fetch Request is built); a request without a body is not read.
 * `deadlineMs` bounds the whole read: past it the request is destroyed and `timedOut` is set.
 */
export async function readIncomingBody(incoming: BodySource, limit: number, deadlineMs = Infinity): Promise<CappedBody> {
  if (incoming.headers["content-length"] === undefined && incoming.headers["transfer-encoding"] === undefined) {
    return { bytes: new Uint8Array(0), total: 0, truncated: false, timedOut: false };
  }
  let buffer: Uint8Array | undefined;
  // A first chunk kept without a copy may be a view into a pooled buffer: never written into.
  let owned = false;
  let kept = 0;
  let total = 0;
  let timedOut = false;
  const timer = Number.isFinite(deadlineMs)
    ? setTimeout(() => {
        timedOut = true;
        incoming.destroy?.(new Error("the request body did not arrive before the deadline"));
      }, deadlineMs)
    : undefined;
  try {
    for await (const chunk of incoming) {
      total += chunk.byteLength;
      if (kept >= limit) continue;
      const part = chunk.byteLength <= limit - kept ? chunk : chunk.subarray(0, limit - kept);
      // The common case, one chunk holding the whole body, is kept without a copy.
      if (buffer === undefined && kept === 0 && total === chunk.byteLength) {
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
    // The client went away mid-upload (or the deadline cut it): serve what arrived, or nothing.
  } finally {
    clearTimeout(timer);
  }
  const bytes = buffer === undefined ? new Uint8Array(0) : buffer.byteLength === kept ? buffer : buffer.subarray(0, kept);
  return { bytes, total, truncated: total > limit, timedOut };
}

/** A new buffer holding the `kept` bytes of `current`, with room for `needed`, grown by doubling up to `limit`. */
function grow(current: Uint8Array | undefined, kept: number, needed: number, limit: number): Uint8Array {
  let capacity = Math.max(FIRST_CAPACITY, current?.byteLength ?? 0);
  while (capacity < needed) capacity *= 2;
  const grown = new Uint8Array(Math.min(capacity, Math.max(limit, needed)));
  if (current !== undefined && kept > 0) grown.set(current.subarray(0, kept));
  return grown;
}
