/**
 * The body of an answer as the caller receives it: the handler's chunks, observed one by one, with
 * a failure after the head written into the body as its last chunk (as Dify does). `readAhead` tells
 * a body that is complete at once (sent with its length) from one still being produced (streamed).
 */
import { InvokeError } from "../runtime/contract.js";
import { lateErrorText } from "./failure-answers.js";

/** What the body's end reports: bytes given, and the late failure's detail if there was one. */
export interface BodyEnd {
  bytes: number;
  detail?: string;
  cancelled?: boolean;
}

const encoder = new TextEncoder();

/**
 * A body whole in memory may say so: `[WHOLE_BODY]()` hands over all its bytes at once (and ends
 * it), or `undefined` once it was read some other way. The answer is then sent without reading it
 * chunk by chunk, which for a small answer costs more than the rest of the request.
 */
export const WHOLE_BODY = Symbol.for("endpoint-kit.whole-body");

/**
 * A body whole in memory as a string may also hand it over as it is (and end): Node writes a string
 * answer with its head in one write, where bytes need the string encoded first and go out as a
 * second buffer of the same write. Only where no observer reads the bytes.
 */
export const WHOLE_TEXT = Symbol.for("endpoint-kit.whole-text");

/** An iterable of chunks that may be whole in memory. */
export interface MaybeWhole {
  [WHOLE_BODY]?(): Uint8Array | undefined;
  [WHOLE_TEXT]?(): string | undefined;
}

/**
 * Wraps a handler's body. `return()` goes straight to the handler's stream (even while a read is
 * waiting), so a caller that leaves stops the handler at once; an async generator would queue it.
 * `onEnd` may be left out when nobody watches (the Node build output): the body is still counted
 * and a late failure still written into it.
 */
export function observeBody(body: AsyncIterable<Uint8Array>, chunks: ChunkObserver | undefined, onEnd: ((end: BodyEnd) => void) | undefined): AsyncIterableIterator<Uint8Array> & MaybeWhole {
  return new ObservedBody(body, chunks, onEnd);
}

/** What hears each chunk: an object with a method, so a request's observer is passed as it is (no bound function per answer). */
export interface ChunkObserver {
  chunk(bytes: Uint8Array): void;
}

const done = (): IteratorResult<Uint8Array> => ({ done: true, value: undefined });

/** One object per answer (methods on its prototype), not a set of closures per request. */
class ObservedBody implements AsyncIterableIterator<Uint8Array>, MaybeWhole {
  readonly #body: AsyncIterable<Uint8Array> & MaybeWhole;
  readonly #inner: AsyncIterator<Uint8Array>;
  readonly #chunks: ChunkObserver | undefined;
  readonly #onEnd: ((end: BodyEnd) => void) | undefined;
  #bytes = 0;
  #finished = false;

  constructor(body: AsyncIterable<Uint8Array>, chunks: ChunkObserver | undefined, onEnd: ((end: BodyEnd) => void) | undefined) {
    this.#body = body;
    this.#inner = body[Symbol.asyncIterator]();
    this.#chunks = chunks;
    this.#onEnd = onEnd;
  }

  /** Observed as the chunk-by-chunk reading would be: its chunk (if any), then its end. */
  [WHOLE_BODY](): Uint8Array | undefined {
    const whole = this.#body[WHOLE_BODY];
    if (whole === undefined || this.#finished) return undefined;
    const all = whole.call(this.#body);
    if (all === undefined) return undefined;
    this.#bytes += all.byteLength;
    if (all.byteLength > 0) this.#chunks?.chunk(all);
    this.#finish(undefined, undefined);
    return all;
  }

  /** The text as it is, when nobody observes the chunks or the end (the Node build output). */
  [WHOLE_TEXT](): string | undefined {
    const whole = this.#body[WHOLE_TEXT];
    if (whole === undefined || this.#finished || this.#chunks !== undefined || this.#onEnd !== undefined) return undefined;
    const text = whole.call(this.#body);
    if (text !== undefined) this.#finished = true;
    return text;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#finished) return done();
    try {
      const result = await this.#inner.next();
      if (result.done) {
        this.#finish(undefined, undefined);
        return done();
      }
      this.#bytes += result.value.byteLength;
      this.#chunks?.chunk(result.value);
      return result;
    } catch (error) {
      if (this.#finished) return done();
      if (error instanceof InvokeError && error.kind === "timeout") {
        // A deadline never becomes the handler's status with an error text as its body: the
        // caller answers 504 if nothing is sent yet, else cuts the response off.
        this.#finish(`${error.message} (the response was cut off)`, undefined);
        throw error;
      }
      const chunk = encoder.encode(lateErrorText(error));
      this.#bytes += chunk.byteLength;
      this.#chunks?.chunk(chunk);
      this.#finish(error instanceof InvokeError && error.detail ? error.detail : lateErrorText(error), undefined);
      return { done: false, value: chunk };
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    const wasFinished = this.#finished;
    this.#finish(undefined, true);
    if (!wasFinished) await this.#inner.return?.().catch(() => undefined);
    return done();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this;
  }

  #finish(detail: string | undefined, cancelled: true | undefined): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#onEnd === undefined) return;
    const end: BodyEnd = { bytes: this.#bytes };
    if (detail !== undefined) end.detail = detail;
    if (cancelled) end.cancelled = true;
    this.#onEnd(end);
  }
}

/** A body read one step ahead: whole when it ended within this turn, else its first chunk and the next read. */
export type ReadAhead =
  | { complete: true; bytes: Uint8Array | undefined }
  | { complete: false; first: IteratorResult<Uint8Array>; pending: Promise<IteratorResult<Uint8Array>> | undefined };

const NOT_YET = Symbol("not yet");

/** Reads the first chunk, and looks whether the body ends right after it (a complete answer). */
export async function readAhead(iterator: AsyncIterator<Uint8Array>): Promise<ReadAhead> {
  const whole = (iterator as MaybeWhole)[WHOLE_BODY]?.();
  if (whole !== undefined) return { complete: true, bytes: whole.byteLength > 0 ? whole : undefined };
  const first = await iterator.next();
  if (first.done) return { complete: true, bytes: undefined };
  const pending = iterator.next();
  const second = await settledSoon(pending);
  if (second !== NOT_YET && second.done) return { complete: true, bytes: first.value };
  return { complete: false, first, pending };
}

/** Adds the length of a complete body unless the handler framed it itself. */
export function withLength(headers: Array<[string, string]>, length: number): Array<[string, string]> {
  return framesItself(headers) ? headers : [...headers, ["content-length", String(length)]];
}

/** Whether the headers say how the body is framed (`content-length` or `transfer-encoding`, any case). */
export function framesItself(headers: ReadonlyArray<readonly [string, string]>): boolean {
  for (let i = 0; i < headers.length; i += 1) {
    const name = (headers[i] as readonly [string, string])[0];
    // The lengths first: most names are neither, and are not lower-cased for nothing.
    if ((name.length === 14 || name.length === 17) && FRAMING.has(name.toLowerCase())) return true;
  }
  return false;
}

const FRAMING = new Set(["content-length", "transfer-encoding"]);

/** Microtask turns to wait before scheduling a macrotask: a body already in memory ends within a few. */
const MICROTASK_TURNS = 8;

/** The promise's value if it settles within this turn of the event loop, else `NOT_YET`. */
async function settledSoon<T>(promise: Promise<T>): Promise<T | typeof NOT_YET> {
  // Most bodies are complete when returned and their end is already queued: look for it in the
  // microtask queue first, so the common case costs no timer (a macrotask hop per request is a
  // large share of a small answer's cost). Same answer as the race below, only sooner.
  let settled = false;
  let failed = false;
  let value: T | undefined;
  let reason: unknown;
  promise.then(
    (result) => {
      settled = true;
      value = result;
    },
    (error: unknown) => {
      settled = failed = true;
      reason = error;
    },
  );
  for (let turn = 0; turn < MICROTASK_TURNS && !settled; turn += 1) await undefined;
  if (settled) {
    if (failed) throw reason;
    return value as T;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = new Promise<typeof NOT_YET>((resolve) => {
    // setImmediate where the platform has it (Node, Bun): it runs after pending I/O, not 1 ms later.
    const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
    if (immediate) immediate(() => resolve(NOT_YET));
    else timer = setTimeout(() => resolve(NOT_YET), 0);
  });
  return Promise.race([promise, later]).finally(() => clearTimeout(timer));
}
