/**
 * The server-side end of a streamed response body: chunks arrive from the worker and wait here until
 * the server reads them. Reading returns credit to the worker (bounded memory for fast producers);
 * leaving the loop early cancels the handler's stream.
 */
import { CREDIT_BATCH } from "./protocol.js";

type Waiter = { resolve: (result: IteratorResult<Uint8Array>) => void; reject: (error: unknown) => void };

export class ResponseBody implements AsyncIterableIterator<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private waiter: Waiter | undefined;
  private failure: { error: unknown } | undefined;
  private ended = false;
  private closed = false;
  private consumed = 0;

  /**
   * @param onCredit called with a number of chunks the worker may send again
   * @param onAbandon called when the reader stops before the body ended
   */
  constructor(
    private readonly onCredit: (chunks: number) => void,
    private readonly onAbandon: () => void,
  ) {}

  /** True once the producer side is finished (ended or failed). */
  get isSettled(): boolean {
    return this.ended || this.failure !== undefined;
  }

  push(chunk: Uint8Array): void {
    if (this.closed || this.isSettled) return;
    const waiter = this.waiter;
    if (waiter === undefined) {
      this.chunks.push(chunk);
      return;
    }
    this.waiter = undefined;
    this.countConsumed();
    waiter.resolve({ value: chunk, done: false });
  }

  end(): void {
    if (this.isSettled) return;
    this.ended = true;
    this.flushWaiter();
  }

  fail(error: unknown): void {
    if (this.isSettled) return;
    this.failure = { error };
    this.flushWaiter();
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.chunks.shift();
    if (chunk !== undefined) {
      this.countConsumed();
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.failure !== undefined) return Promise.reject(this.takeFailure());
    if (this.ended || this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.closed) {
      this.closed = true;
      this.chunks.length = 0;
      if (!this.isSettled) this.onAbandon();
    }
    this.flushWaiter();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private countConsumed(): void {
    this.consumed += 1;
    if (this.consumed >= CREDIT_BATCH && !this.isSettled) {
      this.onCredit(this.consumed);
      this.consumed = 0;
    }
  }

  /** The failure is reported once; later reads see the end of the body. */
  private takeFailure(): unknown {
    const error = this.failure?.error;
    this.failure = undefined;
    this.ended = true;
    return error;
  }

  private flushWaiter(): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    if (this.failure !== undefined && !this.closed) {
      waiter.reject(this.takeFailure());
    } else {
      waiter.resolve({ value: undefined, done: true });
    }
  }
}
