/**
 * One Python worker process: spawns `python/endpoint_kit_worker.py`, speaks frames with it over fds
 * 3 and 4, loads a plugin into it once and runs calls on it. The runtime (python-runtime.ts) decides
 * which worker serves what; this file only knows one process.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { InvokeError } from "../contract.js";
import type { InvokeCall, InvokeResult, RuntimeLog, SourceLoadResult } from "../contract.js";
import { CallTable } from "./call-table.js";
import { LineBuffer } from "../line-buffer.js";
import { encodeFrame, FrameDecoder } from "./frames.js";
import { parseWorkerMessage } from "./messages.js";
import type { WorkerMessage } from "./messages.js";
import type { PythonFacts } from "./facts.js";

export interface WorkerOptions {
  python: string;
  script: string;
  cwd: string;
  onLog: (log: RuntimeLog) => void;
  /** The process ended without `kill()` being called. */
  onUnexpectedExit: (worker: PythonWorker, reason: string) => void;
  /** A call outlived its deadline: this worker should be replaced. */
  onStuck: (worker: PythonWorker) => void;
  /** A call ended: a retiring worker may be idle now. */
  onSettled: (worker: PythonWorker) => void;
  /**
   * The worker left a heartbeat unanswered for BLOCKED_AFTER_MS while calls were in flight: code
   * holding the GIL (a catastrophic regex, a C loop) stops every thread of the process.
   */
  onBlocked?: (worker: PythonWorker) => void;
}

const HEARTBEAT_MS = 100;
export const BLOCKED_AFTER_MS = 500;

export interface SourceToLoad {
  source: string;
  endpoints: string[];
}

const STDERR_TAIL = 4096;

export class PythonWorker {
  /** Resolves once werkzeug is imported (the worker is warm); rejects if the worker cannot run. */
  readonly ready: Promise<void>;
  /** What the worker runs on, once it is ready. */
  facts: PythonFacts | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private readonly toWorker: Writable;
  private readonly control: Writable;
  /** The last call id sent before the heartbeat awaiting its pong. */
  private lastIdBeforePing = 0;
  private readonly calls: CallTable;
  private readonly decoder = new FrameDecoder();
  private killed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private pingSentAt: number | undefined;
  private blocked = false;
  private exitReason: string | undefined;
  private stderrTail = "";
  private pendingLoad: { resolve: (results: SourceLoadResult[]) => void; reject: (error: Error) => void } | undefined;
  private markReady: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(private readonly options: WorkerOptions) {
    this.ready = new Promise((resolve, reject) => {
      this.markReady = { resolve, reject };
    });
    this.ready.catch(() => undefined);
    this.calls = new CallTable({
      send: (header) => this.send(header),
      onStuck: () => options.onStuck(this),
      onSettled: () => options.onSettled(this),
    });
    this.child = spawn(options.python, [options.script], {
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe", "pipe", "pipe", "pipe"],
      // Its own process group: Ctrl+C is the server's to handle, and kill() reaches grandchildren too.
      detached: process.platform !== "win32",
      env: { ...process.env, PYTHONUNBUFFERED: "1", PYTHONIOENCODING: "utf-8" },
    });
    const [, stdout, stderr, toWorker, fromWorker, control] = this.child.stdio as Array<Readable | Writable | null>;
    this.toWorker = toWorker as Writable;
    this.control = control as Writable;
    this.control.on("error", () => undefined);
    this.toWorker.on("error", () => undefined);
    (fromWorker as Readable).on("data", (chunk: Buffer) => this.receive(chunk));
    this.forwardRaw(stdout as Readable, "stdout");
    this.forwardRaw(stderr as Readable, "stderr");
    this.exited = new Promise((resolve) => {
      let spawnError: Error | undefined;
      this.child.on("error", (error) => {
        spawnError = error;
        if (this.child.pid === undefined) this.onExit(`could not start ${options.python} (${error.message})`, resolve);
      });
      this.child.on("exit", (code, signal) => {
        // Frames already written may still be in the pipe: read them before failing the calls.
        const stream = fromWorker as Readable;
        const reason = spawnError?.message ?? (signal ? `killed by ${signal}` : `exit code ${code ?? "?"}`);
        const timer = setTimeout(() => this.onExit(reason, resolve), 200);
        stream.once("close", () => {
          clearTimeout(timer);
          this.onExit(reason, resolve);
        });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isAlive(): boolean {
    return this.exitReason === undefined && !this.killed;
  }

  /** Calls in flight, not counting those stuck past their deadline. */
  get activeCalls(): number {
    return this.calls.activeCount;
  }

  /** Imports the plugin's sources; resolves with one result per source. */
  async load(root: string, sources: SourceToLoad[], timeoutMs: number): Promise<SourceLoadResult[]> {
    await this.ready;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the Python worker did not finish importing the plugin within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      const done = <T>(settle: (value: T) => void) => (value: T) => {
        clearTimeout(timer);
        this.pendingLoad = undefined;
        settle(value);
      };
      this.pendingLoad = { resolve: done(resolve), reject: done(reject) };
      this.send({ t: "load", root, sources });
    });
  }

  invoke(call: InvokeCall, source: string, options: { signal: AbortSignal; deadlineMs: number }): Promise<InvokeResult> {
    if (!this.isAlive) return Promise.reject(new InvokeError("crashed", "the Python worker is not running", this.stderrTail));
    return this.calls.open(call.endpoint, options, (id) => {
      const header = {
        t: "invoke",
        id,
        endpoint: call.endpoint,
        source,
        method: call.method,
        url: call.url,
        headers: call.headers,
        values: call.values,
        settings: call.settings,
      };
      this.send(header, call.body);
      this.startHeartbeat();
    });
  }

  /** While calls are in flight, a ping every HEARTBEAT_MS; none while idle, so no cost at rest. */
  private startHeartbeat(): void {
    if (this.heartbeat !== undefined || this.options.onBlocked === undefined) return;
    this.heartbeat = setInterval(() => {
      if (this.calls.activeCount === 0 || !this.isAlive) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
        this.pingSentAt = undefined;
        return;
      }
      const now = performance.now();
      if (this.pingSentAt === undefined) {
        this.pingSentAt = now;
        this.lastIdBeforePing = this.calls.lastId;
        this.send({ t: "ping" });
      } else if (!this.blocked && now - this.pingSentAt >= BLOCKED_AFTER_MS) {
        this.blocked = true;
        this.options.onBlocked?.(this);
        // Calls sent after the ping were not read (frames are read in order): they move to the new
        // worker, and the out-of-band mark keeps this one from starting them if it ever unblocks.
        const mark = Buffer.alloc(4);
        mark.writeUInt32BE(this.lastIdBeforePing);
        this.control.write(mark);
        this.calls.reclaimAbove(this.lastIdBeforePing);
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Ends the process (and anything it started); resolves once it is gone. */
  kill(): Promise<void> {
    this.killed = true;
    const pid = this.child.pid;
    if (pid !== undefined && this.exitReason === undefined) {
      try {
        if (process.platform === "win32") this.child.kill("SIGKILL");
        else process.kill(-pid, "SIGKILL");
      } catch {
        this.child.kill("SIGKILL");
      }
    }
    return this.exited;
  }

  private send(header: Record<string, unknown>, body?: Uint8Array): void {
    if (this.exitReason !== undefined || !this.toWorker.writable) return;
    this.toWorker.write(encodeFrame(header, body));
  }

  private receive(chunk: Buffer): void {
    let frames;
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.options.onLog({ stream: "stderr", text: `python worker: unreadable frame (${String(error)}); stopping it` });
      void this.kill();
      return;
    }
    for (const frame of frames) {
      const message = parseWorkerMessage(frame.header);
      if (message) this.handle(message, frame.body);
    }
  }

  private handle(message: WorkerMessage, body: Uint8Array): void {
    switch (message.t) {
      case "ready":
        this.facts = message.facts;
        this.markReady?.resolve();
        return;
      case "pong":
        this.pingSentAt = undefined;
        return;
      case "fatal":
        this.markReady?.reject(new Error(message.message));
        return;
      case "loaded":
        this.pendingLoad?.resolve(message.results);
        return;
      case "head":
        this.calls.head(message.id, message.status, message.headers);
        return;
      case "chunk":
        this.calls.chunk(message.id, body);
        return;
      case "end":
        this.calls.finish(message.id);
        return;
      case "error":
        this.calls.finish(message.id, new InvokeError(message.kind, message.message, message.detail));
        return;
      case "log":
        this.options.onLog(message.endpoint === undefined ? { stream: message.stream, text: message.text } : { endpoint: message.endpoint, stream: message.stream, text: message.text });
        return;
    }
  }

  private forwardRaw(stream: Readable, name: "stdout" | "stderr"): void {
    // Whole lines, found in linear time with bounded memory (a 100 MB line is cut, not accumulated).
    const lines = new LineBuffer((text) => this.options.onLog({ stream: name, text }));
    stream.setEncoding("utf8");
    stream.on("data", (text: string) => {
      if (name === "stderr") this.stderrTail = (this.stderrTail + text.slice(-STDERR_TAIL)).slice(-STDERR_TAIL);
      lines.push(text);
    });
    stream.on("end", () => lines.flush());
  }

  private onExit(reason: string, resolve: () => void): void {
    if (this.exitReason !== undefined) return;
    this.exitReason = reason;
    clearInterval(this.heartbeat);
    const detail = this.stderrTail.trim() || undefined;
    const message = `the Python worker exited (${reason})`;
    this.markReady?.reject(new Error(detail ? `${message}: ${detail}` : message));
    this.pendingLoad?.reject(new Error(detail ? `${message} while importing the plugin: ${detail}` : `${message} while importing the plugin`));
    this.calls.failAll(new InvokeError("crashed", `${message} while answering`, detail));
    resolve();
    if (!this.killed) this.options.onUnexpectedExit(this, reason);
  }
}
