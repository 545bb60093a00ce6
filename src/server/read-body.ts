/**
 * Reads a request body as it streams, keeping at most `limit` bytes (Dify cuts bodies at 10 MiB)
 * and draining the rest so the client can finish sending; memory stays bounded whatever is sent.
 */

export interface CappedBody {
  bytes: Uint8Array;
  total: number;
  truncated: boolean;
}

export async function readCappedBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<CappedBody> {
  if (!body) return { bytes: new Uint8Array(0), total: 0, truncated: false };
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (kept < limit) {
        const part = value.byteLength <= limit - kept ? value : value.subarray(0, limit - kept);
        chunks.push(part);
        kept += part.byteLength;
      }
    }
  } catch {
    // The client went away mid-upload: serve what arrived (the handler is cancelled with the request).
  }
  const bytes = new Uint8Array(kept);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes, total, truncated: total > limit };
}
