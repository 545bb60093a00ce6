/**
 * The server thread's handle on one worker thread: posts calls and modules, routes the worker's
 * messages back to the right call, enforces deadlines, and kills the worker when it stops answering
 * (an endless loop). node-runtime.ts replaces a host that exited with a fresh one.
 */
import type { Worker } from "node:worker_threads";
import { InvokeError, type InvokeCall, type InvokeResult, type RuntimeLog } from "../contract.js";
import { flattenPairs, flattenRouteValues, pairFlat, type FromWorker, type ModuleError, type ToWorker } from "./protocol.js";
import { onAbort } from "./abort-listeners.js";
import { CallsById } from "./calls-by-id.js";
import { EarliestDeadline } from "./earliest-deadline.js";
import { Heartbeat, type HeartbeatHost } from "./heartbeat.js";
import { createOutbox } from "./outbox.js";
import { ResponseBody } from "./response-body.js";
import { wholeBody } from "../../pipeline/whole-body.js";
import { LineBuffer } from "../line-buffer.js";
import { startWorker } from "./worker-start.js";

// setTimeout's largest delay; longer deadlines (or none) mean no timer.
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface HostOptions {
  onLog: (log: RuntimeLog) => void;
  onExit: (host: WorkerHost) => void;
  /** How long a worker may stay silent after a missed deadline before it is killed. */
  stuckGraceMs: number;
  /**
   * The worker left a heartbeat unanswered for `blockedAfterMs` while calls were in flight: synchronous
   * code holds its event loop. The runtime sends new calls elsewhere; `reclaimed` are calls posted
   * after that heartbeat, which the worker has therefore not started, to run on another worker.
   */
  onBlocked?: (host: WorkerHost, reclaimed: ReclaimedCall[]) => void;
  /** Default 500 ms: an event loop that is not blocked answers in microseconds. */
  blockedAfterMs?: number;
}

const EMPTY = new Uint8Array(0);

/** A call the worker never started, taken back to run on another worker: `settle` hands over that run's answer. */
export interface ReclaimedCall {
  call: InvokeCall;
  signal: AbortSignal;
  deadlineMs: number;
  remainingMs: number;
  settle(result: Promise<InvokeResult>): void;
}

/** A module to evaluate: `file` is the absolute path of the source. */
export interface ModuleBuild {
  source: string;
  file: string;
  code: string;
  map: string;
}

/** `lost`: the worker exited or stopped answering before it reported on this module. */
export type ModuleOutcome = { status: "ok" } | { status: "error"; error: ModuleError } | { status: "lost" };

interface PendingCall {
  endpoint: string;
  /** Kept to run the call elsewhere if it is reclaimed. */
  call: InvokeCall;
  signal: AbortSignal;
  /** The call's whole deadline (named in its timeout error), and when it passes (`performance.now()` time). */
  deadlineMs: number;
  deadline: number;
  resolve: (result: InvokeResult | Promise<InvokeResult>) => void;
  reject: (error: unknown) => void;
  body: ResponseBody | undefined;
  dispose: () => void;
}

export class WorkerHost {
  private readonly worker: Worker;
  private readonly calls = new CallsById<PendingCall>();
  private readonly replies = new Map<number, (message: FromWorker | undefined) => void>();
  private nextId = 1;
  private liveness: Promise<boolean> | undefined;
  private exitReason: string | undefined;
  private exited = false;
  private killed = false;
  private retired = false;
  /** Set when the runtime wants to know of a blocked worker (`onBlocked`). */
  private readonly heartbeat: Heartbeat | undefined;
  /** One timer for the deadlines of the calls in flight. */
  private readonly deadlines = new EarliestDeadline((now) => this.expireCalls(now));
  /**
   * Shared with the worker: calls with an id above the value stored here were reclaimed and must not
   * start, even if the worker gets to them later (0: none reclaimed).
   */
  private readonly reclaimedAbove = new Int32Array(new SharedArrayBuffer(4));
  readonly whenExited: Promise<void>;

  constructor(private readonly options: HostOptions) {
    this.worker = startWorker({ reclaimedAbove: this.reclaimedAbove });
    const onBlocked = options.onBlocked;
    if (onBlocked !== undefined) {
      const host: HeartbeatHost = {
        busy: () => this.calls.size > 0 && !this.exited,
        ping: () => {
          let id = 0;
          const answered = this.request((given) => ((id = given), ["ping", given]));
          return { id, answered };
        },
      };
      this.heartbeat = new Heartbeat(host, options.blockedAfterMs ?? 500, (id) => onBlocked(this, this.reclaim(id)));
    }
    this.worker.on("message", (batch: FromWorker[]) => {
      for (const message of batch) this.receive(message);
    });
    this.send = createOutbox<ToWorker>((batch, transfer) => {
      if (this.exited) return;
      // A batch with nothing to transfer (every call without a body) crosses as one JSON string: V8
      // writes arrays of strings to JSON faster than the structured clone walks them, and cloning a
      // string is a copy. The worker parses it, off the server thread.
      if (transfer.length === 0) this.worker.postMessage(JSON.stringify(batch));
      else this.worker.postMessage(batch, transfer);
    });
    for (const stream of ["stdout", "stderr"] as const) {
      // Whole lines: a secret written in two `process.stdout.write` calls is masked as one.
      const lines = new LineBuffer((text) => options.onLog({ stream, text }));
      this.worker[stream].setEncoding("utf8");
      this.worker[stream].on("data", (text: string) => lines.push(text));
      this.worker[stream].on("end", () => lines.flush());
    }
    this.worker.on("error", (error) => (this.exitReason ??= `the worker failed: ${error.message}`));
    this.whenExited = new Promise((resolve) => {
      this.worker.on("exit", (code) => {
        this.exited = true;
        this.heartbeat?.stop();
        this.exitReason ??= `the worker exited with code ${code}`;
        this.settleAll(new InvokeError("crashed", this.exitReason));
        options.onExit(this);
        resolve();
      });
    });
  }

  get isAlive(): boolean {
    return !this.exited;
  }

  /** True when this host ended the worker itself (it hung, or the runtime closed). */
  get wasKilled(): boolean {
    return this.killed;
  }

  /** Why the worker ended (undefined while it runs). */
  get endReason(): string | undefined {
    return this.exited ? this.exitReason : undefined;
  }

  /** Evaluates modules in order; stops waiting when the worker stays silent for `idleTimeoutMs`. */
  async loadModules(modules: readonly ModuleBuild[], idleTimeoutMs: number): Promise<ModuleOutcome[]> {
    let timer: NodeJS.Timeout | undefined;
    const restartTimer = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => this.kill(`evaluating a module took longer than ${idleTimeoutMs} ms`), idleTimeoutMs);
    };
    restartTimer();
    try {
      return await Promise.all(
        modules.map(async (module): Promise<ModuleOutcome> => {
          const reply = await this.request((id) => ["load", id, module.source, module.file, module.code, module.map]);
          if (reply?.[0] !== "loaded") return { status: "lost" };
          restartTimer();
          return reply[2] === null ? { status: "ok" } : { status: "error", error: reply[2] };
        }),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  drop(sources: string[]): void {
    if (sources.length > 0) this.post(["drop", sources]);
  }

  async heap(collectGarbage: boolean): Promise<{ heapUsed: number; heapTotal: number }> {
    const reply = await this.request((id) => ["stats", id, collectGarbage]);
    if (reply?.[0] !== "stats") throw new InvokeError("crashed", this.exitReason ?? "the worker exited");
    return { heapUsed: reply[2], heapTotal: reply[3] };
  }

  /** `remainingMs` is what is left of the call's `deadlineMs` (the figure its timeout error names). */
  invoke(call: InvokeCall, source: string, signal: AbortSignal, deadlineMs: number, remainingMs = deadlineMs): Promise<InvokeResult> {
    if (this.exited) return Promise.reject(new InvokeError("crashed", this.exitReason ?? "the worker exited"));
    const id = this.nextId++;
    // Prepared before anything is registered, so a failure here leaves no timer or listener behind.
    const settings = JSON.stringify(call.settings);
    // A copy, so the caller's bytes (maybe a view into a pooled buffer) are never detached.
    // `new Uint8Array(view)` copies; a Buffer's slice() would not.
    const body = call.body.byteLength > 0 ? new Uint8Array(call.body).buffer : null;
    return new Promise<InvokeResult>((resolve, reject) => {
      const deadline = Number.isFinite(remainingMs) && remainingMs <= MAX_TIMER_MS ? performance.now() + Math.max(0, remainingMs) : Infinity;
      const pending: PendingCall = { endpoint: call.endpoint, call, signal, deadlineMs, deadline, resolve, reject, body: undefined, dispose: () => undefined };
      const abort = (): void => {
        const timedOut = signal.reason instanceof DOMException && signal.reason.name === "TimeoutError";
        this.abandon(id, new InvokeError(timedOut ? "timeout" : "unavailable", "the call was cancelled"));
      };
      const stopWatching = onAbort(signal, abort);
      pending.dispose = () => {
        stopWatching();
        this.calls.delete(id);
        if (this.calls.size === 0) this.deadlines.stop();
        if (this.retired && this.calls.size === 0) void this.kill("retired");
      };
      this.calls.set(id, pending);
      this.deadlines.watch(deadline);
      this.heartbeat?.start();
      this.post(
        [
          "call", id, call.endpoint, source, call.method, call.url, flattenPairs(call.headers), body,
          flattenRouteValues(call.values), settings,
        ],
        body === null ? undefined : [body],
      );
      if (signal.aborted) abort();
    });
  }

  /** Abandons the calls past their deadline; returns the next deadline among the others. */
  private expireCalls(now: number): number {
    let next = Infinity;
    for (const [id, call] of this.calls) {
      if (call.deadline <= now) this.abandon(id, new InvokeError("timeout", `${call.endpoint} did not finish within ${Math.round(call.deadlineMs)} ms`));
      else if (call.deadline < next) next = call.deadline;
    }
    return next;
  }

  /** No new calls come: the worker ends once its calls are over (or when they are abandoned). */
  retire(): void {
    this.retired = true;
    if (this.calls.size === 0) void this.kill("retired");
  }

  /** Calls in flight. */
  get callCount(): number {
    return this.calls.size;
  }

  /**
   * Takes back the calls posted after the heartbeat `after`: messages are handled in order, so the
   * worker has not started them, and the shared mark keeps it from starting them later.
   */
  private reclaim(after: number): ReclaimedCall[] {
    Atomics.store(this.reclaimedAbove, 0, after);
    const out: ReclaimedCall[] = [];
    const now = performance.now();
    for (const [id, pending] of this.calls) {
      if (id <= after) continue;
      pending.dispose();
      const { call, signal, deadlineMs, resolve } = pending;
      out.push({ call, signal, deadlineMs, remainingMs: pending.deadline - now, settle: resolve });
    }
    return out;
  }

  /** Ends the worker; in-flight calls reject with `crashed` and this reason. */
  kill(reason: string): Promise<void> {
    this.exitReason ??= reason;
    this.killed = true;
    void this.worker.terminate();
    return this.whenExited;
  }

  private abandon(id: number, error: InvokeError): void {
    const call = this.calls.get(id);
    if (call === undefined) return;
    this.fail(call, error);
    this.post(["cancel", id]);
    this.checkLiveness(`a call to ${call.endpoint} was stopped and the worker did not answer within ${this.options.stuckGraceMs} ms (an endless loop?)`);
  }

  /** A worker that cannot answer a ping is stuck in synchronous code: only terminating it stops that. */
  private checkLiveness(reason: string): void {
    if (this.liveness !== undefined || this.exited) return;
    const timer = setTimeout(() => void this.kill(reason), this.options.stuckGraceMs);
    this.liveness = this.request((id) => ["ping", id]).then((reply) => {
      clearTimeout(timer);
      this.liveness = undefined;
      return reply !== undefined;
    });
  }

  /**
   * While the worker is suspected of hanging (a call passed its deadline), resolves with whether it
   * answered the ping (true) or was killed (false); undefined when there is no doubt. The runtime
   * waits on it instead of sending new calls into a worker about to be killed.
   */
  get suspected(): Promise<boolean> | undefined {
    return this.liveness;
  }

  private request(build: (id: number) => ToWorker): Promise<FromWorker | undefined> {
    if (this.exited) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.post(build(id));
    });
  }

  private readonly send: (message: ToWorker, transfer?: ArrayBuffer[]) => void;

  private post(message: ToWorker, transfer?: ArrayBuffer[]): void {
    if (!this.exited) this.send(message, transfer);
  }

  private fail(call: PendingCall, error: InvokeError): void {
    call.dispose();
    if (call.body === undefined) call.reject(error);
    else call.body.fail(error);
  }

  private receive(message: FromWorker): void {
    switch (message[0]) {
      case "head": {
        const [, id, status, headers] = message;
        const call = this.calls.get(id);
        if (call === undefined) return;
        const body = new ResponseBody(
          (chunks) => this.post(["credit", id, chunks]),
          () => {
            call.dispose();
            this.post(["cancel", id]);
          },
        );
        call.body = body;
        call.resolve({ status, headers: pairFlat(headers), body });
        return;
      }
      case "whole": {
        const [, id, status, headers, data] = message;
        const call = this.calls.get(id);
        if (call === undefined) return;
        call.dispose();
        // Whole: the writer sends it with its length at once, with no chunk-by-chunk read.
        call.resolve({ status, headers: pairFlat(headers), body: wholeBody(data === null ? EMPTY : new Uint8Array(data)) });
        return;
      }
      case "chunk":
        this.calls.get(message[1])?.body?.push(new Uint8Array(message[2]));
        return;
      case "end": {
        const call = this.calls.get(message[1]);
        if (call === undefined) return;
        call.dispose();
        call.body?.end();
        return;
      }
      case "fail": {
        const [, id, kind, text, stack] = message;
        const call = this.calls.get(id);
        if (call !== undefined) this.fail(call, new InvokeError(kind, text, stack === "" ? undefined : stack));
        return;
      }
      case "log": {
        const [, stream, text, endpoint] = message;
        this.options.onLog(endpoint === null ? { stream, text } : { endpoint, stream, text });
        return;
      }
      case "loaded":
      case "pong":
      case "stats": {
        const reply = this.replies.get(message[1]);
        this.replies.delete(message[1]);
        reply?.(message);
        return;
      }
    }
  }

  private settleAll(error: InvokeError): void {
    for (const call of [...this.calls.values()]) this.fail(call, error);
    for (const reply of this.replies.values()) reply(undefined);
    this.replies.clear();
  }
}
