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

  /** Adds bytes; returns every frame they complete. Throws on a header that is not JSON. */
  push(chunk: Buffer): Frame[] {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    const frames: Frame[] = [];
    let buffer = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingLength);
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
    buffer = buffer.subarray(offset);
    this.pending = buffer.length > 0 ? [buffer] : [];
    this.pendingLength = buffer.length;
    return frames;
  }
}
