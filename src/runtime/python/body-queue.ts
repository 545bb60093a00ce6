/**
 * The body of one Python response as an async iterable: chunks are queued as frames arrive and
 * handed to a single consumer. Consuming a chunk acks its bytes (the worker's flow-control window);
 * a consumer that stops early cancels the call.
 */

type Waiter = { resolve: (result: IteratorResult<Uint8Array>) => void; reject: (error: unknown) => void };

export class BodyQueue implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private waiter: Waiter | undefined;
  private done = false;
  private failure: unknown;
  private readonly onConsumed: (bytes: number) => void;
  private readonly onStop: () => void;

  constructor(hooks: { onConsumed: (bytes: number) => void; onStop: () => void }) {
    this.onConsumed = hooks.onConsumed;
    this.onStop = hooks.onStop;
  }

  push(chunk: Uint8Array): void {
    if (this.done) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      this.onConsumed(chunk.length);
      resolve({ value: chunk, done: false });
    } else {
      this.chunks.push(chunk);
    }
  }

  /** Ends the body after the chunks already queued. */
  end(): void {
    this.finish(undefined);
  }

  /** Ends the body with an error, thrown to the consumer after the chunks already queued. */
  fail(error: unknown): void {
    this.finish(error ?? new Error("body failed"));
  }

  get isDone(): boolean {
    return this.done;
  }

  private finish(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.failure = error;
    if (this.waiter && this.chunks.length === 0) {
      const waiter = this.waiter;
      this.waiter = undefined;
      if (error === undefined) waiter.resolve({ value: undefined, done: true });
      else waiter.reject(error);
    }
  }

  private next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.chunks.shift();
    if (chunk) {
      this.onConsumed(chunk.length);
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.done) {
      const failure = this.failure;
      this.failure = undefined;
      return failure === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(failure);
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  private stop(): Promise<IteratorResult<Uint8Array>> {
    if (!this.done) {
      this.done = true;
      this.chunks.length = 0;
      this.onStop();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return { next: () => this.next(), return: () => this.stop() };
  }
}
