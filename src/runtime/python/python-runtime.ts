/**
 * The Python runtime: runs a plugin's Dify `Endpoint` classes in long-lived Python worker processes.
 * A reload loads the new code into a pre-started (warm) worker and swaps it in only once every source
 * is imported; the old worker finishes its calls, then exits. A crashed worker is restarted; a worker
 * with a call stuck past its deadline is replaced. Used by the dev server through `EndpointRuntime`.
 */
import { cancelledCall, InvokeError } from "../contract.js";
import type { EndpointRuntime, InvokeCall, InvokeResult, LoadReport, RuntimeLoadPlan, RuntimeOptions } from "../contract.js";
import { describePythonFacts } from "./facts.js";
import { choosePython, findWorkerScript } from "./interpreter.js";
import { describeFailure, failedReport, groupSources, planRoutes } from "./routes.js";
import type { Route } from "./routes.js";
import { BLOCKED_AFTER_MS, PythonWorker } from "./worker-process.js";
import { CallReclaimed } from "./call-table.js";

export interface PythonRuntimeOptions extends RuntimeOptions {
  /** Absolute plugin root: the workers' working directory, where `.venv/bin/python` is looked for. */
  root: string;
  /** The interpreter; default: `<root>/.venv/bin/python` if it exists, else `python3`. */
  python?: string;
  /** How long importing the plugin may take before a (re)load is given up. Default 120 s. */
  loadTimeoutMs?: number;
}

const DEFAULT_LOAD_TIMEOUT_MS = 120_000;

/** Creates a runtime; no process starts before the first `load`. */
export function createPythonRuntime(options: PythonRuntimeOptions): EndpointRuntime {
  return new PythonRuntime(options);
}

class PythonRuntime implements EndpointRuntime {
  private readonly python: string;
  private readonly script: string;
  private readonly workers = new Set<PythonWorker>();
  private routes = new Map<string, Route<PythonWorker>>();
  private spare: PythonWorker | undefined;
  private loading: PythonWorker | undefined;
  private lastPlan: RuntimeLoadPlan | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly replacing = new Set<PythonWorker>();
  private closed = false;

  constructor(private readonly options: PythonRuntimeOptions) {
    this.python = choosePython(options.root, options.python);
    this.script = findWorkerScript();
  }

  load(plan: RuntimeLoadPlan): Promise<LoadReport> {
    this.lastPlan = plan;
    return this.enqueue(() => this.swapIn(plan, new Set()));
  }

  /** `deadlineMs` counts from this call, time spent waiting for a reload included. */
  async invoke(call: InvokeCall, options: { signal: AbortSignal; deadlineMs: number }): Promise<InvokeResult> {
    const startedAt = performance.now();
    await this.queue;
    if (this.closed) throw new InvokeError("unavailable", "the Python runtime is closed");
    if (options.signal.aborted) throw cancelledCall(options.signal, call.endpoint);
    const route = this.routes.get(call.endpoint);
    if (!route) throw new InvokeError("unavailable", `${call.endpoint} is not loaded in the Python runtime`);
    if (route.kind === "unavailable") throw new InvokeError("unavailable", route.message);
    const deadlineMs = Math.max(0, options.deadlineMs - (performance.now() - startedAt));
    try {
      return await route.worker.invoke(call, route.source, { signal: options.signal, deadlineMs });
    } catch (error) {
      // Its worker was blocked before reading it: the call goes to the worker replacing it.
      if (!(error instanceof CallReclaimed)) throw error;
      return this.invoke(call, { signal: options.signal, deadlineMs: Math.max(0, options.deadlineMs - (performance.now() - startedAt)) });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.routes = new Map();
    const all = [...this.workers];
    if (this.spare) all.push(this.spare);
    if (this.loading) all.push(this.loading);
    this.spare = undefined;
    await Promise.all(all.map((worker) => worker.kill()));
    await this.queue;
  }

  /** Runs loads one at a time; calls wait for the one under way (`invoke` awaits the queue). */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private startWorker(): PythonWorker {
    return new PythonWorker({
      python: this.python,
      script: this.script,
      cwd: this.options.root,
      onLog: this.options.onLog,
      onUnexpectedExit: (worker, reason) => this.onUnexpectedExit(worker, reason),
      onStuck: (worker) => this.replace(worker, "a call is stuck past its deadline"),
      onBlocked: (worker) => this.replace(worker, `a call has held the Python worker (the GIL) for over ${BLOCKED_AFTER_MS} ms; the blocked call ends at its deadline`),
      onSettled: () => this.reap(),
    });
  }

  private takeSpare(): PythonWorker {
    const worker = this.spare?.isAlive ? this.spare : this.startWorker();
    if (this.spare && this.spare !== worker) void this.spare.kill();
    this.spare = this.closed ? undefined : this.startWorker();
    return worker;
  }

  private async swapIn(plan: RuntimeLoadPlan, exclude: ReadonlySet<PythonWorker>): Promise<LoadReport> {
    if (this.closed) return failedReport(plan, "the Python runtime is closed");
    // Not in `workers` until it has loaded: reap() must not take it for an idle, unrouted worker.
    const worker = this.takeSpare();
    this.loading = worker;
    const canKeep = (old: PythonWorker): boolean => old.isAlive && !exclude.has(old);
    let report: LoadReport;
    try {
      const results = await worker.load(plan.root, groupSources(plan), this.options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS);
      report = { sources: results, ...(worker.facts ? { runtime: describePythonFacts(worker.facts) } : {}) };
      this.workers.add(worker);
      if (!this.closed) this.routes = planRoutes({ plan, results, fresh: worker, previous: this.routes, canKeep });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report = failedReport(plan, message);
      void worker.kill();
      if (!this.closed) this.routes = planRoutes({ plan, results: report.sources, fresh: undefined, previous: this.routes, canKeep });
    } finally {
      this.loading = undefined;
    }
    this.reap();
    return report;
  }

  /** Kills workers that no endpoint routes to once their calls are over. */
  private reap(): void {
    const used = new Set<PythonWorker>();
    for (const route of this.routes.values()) if (route.kind === "worker") used.add(route.worker);
    for (const worker of this.workers) {
      if (used.has(worker) || worker.activeCalls > 0) continue;
      this.workers.delete(worker);
      this.replacing.delete(worker);
      void worker.kill();
    }
  }

  private isRouted(worker: PythonWorker): boolean {
    for (const route of this.routes.values()) if (route.kind === "worker" && route.worker === worker) return true;
    return false;
  }

  /** Loads the latest plan into a fresh worker and moves `worker`'s endpoints to it. */
  private replace(worker: PythonWorker, why: string): void {
    const plan = this.lastPlan;
    if (this.closed || !plan || this.replacing.has(worker) || !this.isRouted(worker)) return;
    this.replacing.add(worker);
    this.options.onLog({ stream: "stderr", text: `python: ${why}; starting a new worker` });
    void this.enqueue(async () => {
      const report = await this.swapIn(plan, new Set([worker]));
      for (const result of report.sources) {
        if (!result.ok) this.options.onLog({ stream: "stderr", text: `python: ${describeFailure(result)}` });
      }
    });
  }

  private onUnexpectedExit(worker: PythonWorker, reason: string): void {
    if (worker === this.spare) this.spare = undefined;
    if (worker === this.loading) return; // its load() rejects: swapIn reports it
    const routed = this.isRouted(worker);
    this.workers.delete(worker);
    if (routed) this.replace(worker, `the worker exited (${reason})`);
  }
}
