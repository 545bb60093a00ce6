/**
 * Where a record still running keeps body bytes. The caller may reuse a buffer once its chunk is
 * written, so small bodies are copied as they come: into a shared slab, as a new buffer each would
 * cost an allocation with off-heap bookkeeping. Large bodies are kept as they are (no copy). Once
 * the record settles its bytes are copied into the record pages and the slab is let go.
 */

const EMPTY = new Uint8Array(0);
/** Bytes per slab: a few thousand small bodies. */
const SLAB_BYTES = 64 * 1024;
/** Bodies up to this size are copied into a slab; larger ones are kept as they came. */
const SMALL_BYTES = 2048;

/** Keeps bytes; after `keep`, `holder` and `offset` say where they are (read with `bytesAt`). */
export class ByteArena {
  holder: Uint8Array = EMPTY;
  offset = 0;
  private slab = EMPTY;
  private used = 0;

  keep(bytes: Uint8Array): void {
    const length = bytes.byteLength;
    if (length === 0) {
      this.holder = EMPTY;
      this.offset = 0;
    } else if (length > SMALL_BYTES) {
      this.holder = unpinned(bytes);
      this.offset = 0;
    } else {
      if (this.used + length > this.slab.byteLength) {
        this.slab = new Uint8Array(SLAB_BYTES);
        this.used = 0;
      }
      this.slab.set(bytes, this.used);
      this.holder = this.slab;
      this.offset = this.used;
      this.used += length;
    }
  }
}

/** The `length` bytes at `offset` of `holder`: the holder itself when that is all of it. */
export function bytesAt(holder: Uint8Array, offset: number, length: number): Uint8Array {
  return offset === 0 && length === holder.byteLength ? holder : holder.subarray(offset, offset + length);
}

/**
 * Bytes worth keeping as they are: a view that holds most of its buffer. A small view of a large
 * buffer (a pooled read) would pin the whole buffer in memory for as long as the record lives.
 */
function unpinned(bytes: Uint8Array): Uint8Array {
  return bytes.buffer.byteLength <= bytes.byteLength * 2 + 256 ? bytes : bytes.slice();
}
