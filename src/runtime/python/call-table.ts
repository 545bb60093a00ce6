/**
 * The calls in flight on one Python worker: each waits for its head, then streams its body. Owns
 * the deadline and abort handling of a call, and spots calls stuck past their deadline (Python
 * threads cannot be killed, so the worker that runs one must be replaced).
 */
import { cancelledCall, InvokeError } from "../contract.js";
import type { InvokeResult } from "../contract.js";
import { BodyQueue } from "./body-queue.js";

/** How long a call past its deadline (or cancelled) may take to wind down before its worker is replaced. */
export const STUCK_GRACE_MS = 1000;

interface CallState {
  endpoint: string;
  resolveHead: ((result: InvokeResult) => void) | undefined;
  rejectHead: ((error: Error) => void) | undefined;
  body: BodyQueue | undefined;
  stuck: boolean;
  timers: NodeJS.Timeout[];
  cleanup: () => void;
}

export interface CallTableHooks {
  send: (header: Record<string, unknown>) => void;
  onStuck: () => void;
  /** A call ended or became stuck: the worker may now be idle. */
  onSettled: () => void;
}

/** `deadlineMs` is a duration (every caller passes one), clamped to what `setTimeout` accepts. */
export function remainingMs(deadlineMs: number): number {
  return Math.max(0, Math.min(deadlineMs, 2 ** 31 - 1));
}

/** Rejects a call its worker never read, so that the runtime sends it to another worker. */
export class CallReclaimed extends Error {
  constructor() {
    super("the call moved to another worker");
  }
}

export class CallTable {
  private readonly calls = new Map<number, CallState>();
  private nextId = 1;

  /** The id of the last call opened (0 before the first). */
  get lastId(): number {
    return this.nextId - 1;
  }

  /** Takes back every call above `id` that has no head yet: each rejects with `CallReclaimed`. */
  reclaimAbove(id: number): void {
    for (const [callId, call] of [...this.calls]) {
      if (callId <= id || !call.rejectHead) continue;
      this.calls.delete(callId);
      for (const timer of call.timers) clearTimeout(timer);
      call.cleanup();
      call.rejectHead(new CallReclaimed());
    }
  }

  constructor(private readonly hooks: CallTableHooks) {}

  /** Calls that have not ended, those stuck past their deadline excepted. */
  get activeCount(): number {
    let count = 0;
    for (const call of this.calls.values()) if (!call.stuck) count += 1;
    return count;
  }

  /** Registers a call; `start(id)` sends it. Resolves at the head, rejects with `InvokeError` before it. */
  open(endpoint: string, options: { signal: AbortSignal; deadlineMs: number }, start: (id: number) => void): Promise<InvokeResult> {
    const id = this.nextId++;
    return new Promise<InvokeResult>((resolve, reject) => {
      const onAbort = (): void => this.cancel(id, cancelledCall(options.signal, endpoint));
      const state: CallState = {
        endpoint,
        resolveHead: resolve,
        rejectHead: reject,
        body: undefined,
        stuck: false,
        timers: [],
        cleanup: () => options.signal.removeEventListener("abort", onAbort),
      };
      this.calls.set(id, state);
      const deadline = setTimeout(() => this.expire(id, options.deadlineMs), remainingMs(options.deadlineMs));
      deadline.unref();
      state.timers.push(deadline);
      if (options.signal.aborted) {
        onAbort();
        return;
      }
      options.signal.addEventListener("abort", onAbort, { once: true });
      start(id);
    });
  }

  head(id: number, status: number, headers: Array<[string, string]>): void {
    const call = this.calls.get(id);
    if (!call?.resolveHead) return;
    const body = new BodyQueue({
      onConsumed: (bytes) => {
        if (this.calls.has(id)) this.hooks.send({ t: "ack", id, n: bytes });
      },
      onStop: () => this.cancel(id, undefined),
    });
    call.body = body;
    const resolve = call.resolveHead;
    call.resolveHead = undefined;
    call.rejectHead = undefined;
    resolve({ status, headers, body });
  }

  chunk(id: number, bytes: Uint8Array): void {
    this.calls.get(id)?.body?.push(bytes);
  }

  /** The worker is done with the call: its body ends (or, before a head, it fails with `error`). */
  finish(id: number, error?: InvokeError): void {
    const call = this.calls.get(id);
    if (!call) return;
    this.calls.delete(id);
    for (const timer of call.timers) clearTimeout(timer);
    call.cleanup();
    if (call.rejectHead) call.rejectHead(error ?? new InvokeError("exception", `${call.endpoint} ended without a response`));
    call.body?.end();
    this.hooks.onSettled();
  }

  /** The worker is gone: every call still open fails with `error`. */
  failAll(error: InvokeError): void {
    for (const [id, call] of [...this.calls]) {
      this.calls.delete(id);
      for (const timer of call.timers) clearTimeout(timer);
      call.cleanup();
      call.rejectHead?.(error);
      call.body?.fail(error);
    }
  }

  private cancel(id: number, error: InvokeError | undefined): void {
    const call = this.calls.get(id);
    if (!call) return;
    this.hooks.send({ t: "cancel", id });
    if (call.rejectHead && error) {
      call.rejectHead(error);
      call.resolveHead = undefined;
      call.rejectHead = undefined;
    }
    if (error) call.body?.fail(error);
    else call.body?.end();
  }

  private expire(id: number, deadlineMs: number): void {
    const call = this.calls.get(id);
    if (!call) return;
    this.cancel(id, new InvokeError("timeout", `${call.endpoint} did not finish within ${Math.round(deadlineMs)} ms`));
    const grace = setTimeout(() => {
      if (!this.calls.has(id) || call.stuck) return;
      call.stuck = true;
      this.hooks.onStuck();
      this.hooks.onSettled();
    }, STUCK_GRACE_MS);
    grace.unref();
    call.timers.push(grace);
  }
}
