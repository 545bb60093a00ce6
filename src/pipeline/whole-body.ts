/**
 * A body known whole in memory: iterated, it gives one chunk (none when empty, as a stream of no
 * bytes gives none); asked through `WHOLE_BODY`, it hands over all its bytes at once, so the writer
 * sends them with their length without reading chunk by chunk (for a small answer that reading
 * costs more than the rest of the request). Used wherever an answer arrives complete: the Node
 * build's in-process handler, and `dev`'s worker when the handler's body was over in one turn.
 */
import { WHOLE_BODY, WHOLE_TEXT, type MaybeWhole } from "./answer-body.js";

/** The body of `bytes` (a string is its UTF-8 bytes, encoded only if read as bytes), whole. */
export function wholeBody(bytes: Uint8Array | string): AsyncIterableIterator<Uint8Array> & MaybeWhole {
  return new WholeBody(bytes);
}

const encoder = new TextEncoder();

const finished = (): Promise<IteratorResult<Uint8Array>> => Promise.resolve({ done: true, value: undefined });

/** One object per answer, its methods on the prototype (a hello answer's body is made per request). */
class WholeBody implements AsyncIterableIterator<Uint8Array>, MaybeWhole {
  readonly #source: Uint8Array | string;
  #given = false;

  constructor(source: Uint8Array | string) {
    this.#source = source;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const first = !this.#given && this.#source.length > 0;
    this.#given = true;
    return first ? Promise.resolve({ done: false, value: this.#bytes() }) : finished();
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    this.#given = true;
    return finished();
  }

  [WHOLE_BODY](): Uint8Array | undefined {
    if (this.#given) return undefined;
    this.#given = true;
    return this.#bytes();
  }

  [WHOLE_TEXT](): string | undefined {
    if (this.#given || typeof this.#source !== "string") return undefined;
    this.#given = true;
    return this.#source;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this;
  }

  #bytes(): Uint8Array {
    return typeof this.#source === "string" ? encoder.encode(this.#source) : this.#source;
  }
}
