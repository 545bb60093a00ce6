/**
 * Binary frames between the dev server and the Python worker (format documented in
 * python/endpoint_kit_runtime/framing.py): a big-endian u32 header length, a u32 body length,
 * the JSON header, then the raw body. Pure: no I/O here.
 */

export interface Frame {
  header: unknown;
  body: Uint8Array;
}

const PREFIX = 8;

/** Encodes one frame; the body (a request body, say) is copied once, never base64-encoded. */
export function encodeFrame(header: Record<string, unknown>, body: Uint8Array = new Uint8Array(0)): Buffer {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const frame = Buffer.allocUnsafe(PREFIX + json.length + body.length);
  frame.writeUInt32BE(json.length, 0);
  frame.writeUInt32BE(body.length, 4);
  json.copy(frame, PREFIX);
  frame.set(body, PREFIX + json.length);
  return frame;
}

/** Splits a byte stream into frames, whatever the boundaries of the chunks it is fed. */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes the frame at the head of `pending` needs in all (0 while its prefix is incomplete). */
  private needed = 0;

  /**
   * Adds bytes; returns every frame they complete. Throws on a header that is not JSON. Chunks are
   * only joined once a frame is complete, so a frame of N bytes read in small pieces costs O(N),
   * not O(N²) (joining everything pending on every pipe read froze the server on large answers).
   */
  push(chunk: Buffer): Frame[] {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.needed === 0 && this.pendingLength >= PREFIX) this.needed = this.frameLength();
    if (this.needed === 0 || this.pendingLength < this.needed) return [];
    const frames: Frame[] = [];
    const buffer = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingLength);
    let offset = 0;
    while (buffer.length - offset >= PREFIX) {
      const headerLength = buffer.readUInt32BE(offset);
      const bodyLength = buffer.readUInt32BE(offset + 4);
      const end = offset + PREFIX + headerLength + bodyLength;
      if (buffer.length < end) break;
      const headerStart = offset + PREFIX;
      const header: unknown = JSON.parse(buffer.toString("utf8", headerStart, headerStart + headerLength));
      // A copy, so that a retained chunk does not pin the whole read buffer.
      const body = Uint8Array.prototype.slice.call(buffer, headerStart + headerLength, end);
      frames.push({ header, body });
      offset = end;
    }
    const rest = buffer.subarray(offset);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingLength = rest.length;
    this.needed = rest.length >= PREFIX ? this.frameLength() : 0;
    return frames;
  }

  /** The full length of the frame whose prefix starts `pending`. */
  private frameLength(): number {
    const prefix = this.pending.length === 1 || this.pending[0]!.length >= PREFIX ? this.pending[0]! : Buffer.concat(this.pending, PREFIX);
    return PREFIX + prefix.readUInt32BE(0) + prefix.readUInt32BE(4);
  }
}
