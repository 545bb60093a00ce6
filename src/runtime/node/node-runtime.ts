/**
 * The TypeScript/JavaScript runtime: bundles each endpoint source with esbuild and runs its class in
 * one worker thread, so handler code can never block or crash the server. A reload evaluates the new
 * bundles in the same worker; a worker that dies or hangs is replaced and given the last good code.
 */
import path from "node:path";
import {
  InvokeError,
  type EndpointRuntime,
  type InvokeCall,
  type InvokeResult,
  type LoadReport,
  type RuntimeLoadPlan,
  type RuntimeOptions,
  type SourceLoadResult,
} from "../contract.js";
import { createBuilder, type BuildProblem } from "./build.js";
import type { ModuleError } from "./protocol.js";
import { staleSources, toPosix } from "./stale-sources.js";
import { WorkerHost, type ModuleBuild, type ReclaimedCall } from "./worker-host.js";

export interface NodeRuntimeOptions extends RuntimeOptions {
  /** How long evaluating a module's top level may take before its worker is replaced (default 10 s). */
  loadTimeoutMs?: number;
  /**
   * How long a worker may leave a ping unanswered after a missed deadline before it is killed (default
   * 250 ms: an idle event loop answers in microseconds, and new calls wait on this verdict).
   */
  stuckGraceMs?: number;
}

/** Diagnostics for tests and benchmarks. */
export interface NodeRuntimeStats {
  /** The worker's V8 heap in bytes. */
  heapUsed: number;
  heapTotal: number;
  /** Workers started so far (1 + restarts). */
  workerStarts: number;
  /** esbuild builds of a source so far: a reload rebuilds only the sources its edits touch. */
  builds: number;
}

export interface NodeRuntime extends EndpointRuntime {
  /** The current worker's heap; `collectGarbage` runs a full collection first, for stable figures. */
  stats(options?: { collectGarbage?: boolean }): Promise<NodeRuntimeStats>;
}

interface GoodSource extends ModuleBuild {
  inputs: string[];
}

/** Creates the runtime; `deadlineMs` of `invoke` is the time the call may take, counted from `invoke`. */
export function createNodeRuntime(options: NodeRuntimeOptions): NodeRuntime {
  return new NodeWorkerRuntime(options);
}

class NodeWorkerRuntime implements NodeRuntime {
  private readonly builder = createBuilder();
  private readonly loadTimeoutMs: number;
  private readonly stuckGraceMs: number;
  private root = "";
  /** Endpoint id to source, as of the last load. */
  private endpoints = new Map<string, string>();
  private readonly good = new Map<string, GoodSource>();
  /** Why a source without a good version cannot serve. */
  private readonly failures = new Map<string, string>();
  private host: WorkerHost | undefined;
  private hostStarting: Promise<WorkerHost> | undefined;
  private loads: Promise<unknown> = Promise.resolve();
  /** Loads queued or running. */
  private loading = 0;
  private workerStarts = 0;
  /** Workers blocked by synchronous code: they get no new calls and end once theirs are over. */
  private readonly retiring = new Set<WorkerHost>();
  private builds = 0;
  /** Sources whose last build or evaluation failed: they are built again on every load. */
  private readonly lastFailed = new Set<string>();
  private closed = false;

  constructor(private readonly options: NodeRuntimeOptions) {
    this.loadTimeoutMs = options.loadTimeoutMs ?? 10_000;
    this.stuckGraceMs = options.stuckGraceMs ?? 250;
  }

  load(plan: RuntimeLoadPlan): Promise<LoadReport> {
    const run = this.loads.then(() => this.reload(plan));
    this.loading += 1;
    this.loads = run.catch(() => undefined).finally(() => (this.loading -= 1));
    return run;
  }

  invoke(call: InvokeCall, options: { signal: AbortSignal; deadlineMs: number }): Promise<InvokeResult> {
    // The common case (a running worker, no reload, no doubt about the worker) goes straight to it:
    // no async frame and no extra promise on the server thread per call.
    const host = this.host;
    if (host !== undefined && host.isAlive && host.suspected === undefined && this.loading === 0 && !this.closed) {
      const source = this.endpoints.get(call.endpoint);
      if (source !== undefined && this.good.has(source)) return host.invoke(call, source, options.signal, options.deadlineMs);
    }
    return this.invokeWhenReady(call, options.signal, options.deadlineMs, options.deadlineMs);
  }

  /** Waits for a reload, a worker, or the verdict on a suspected one, then calls; `remainingMs` of `deadlineMs` is left. */
  private async invokeWhenReady(call: InvokeCall, signal: AbortSignal, deadlineMs: number, remainingMs: number): Promise<InvokeResult> {
    const startedAt = performance.now();
    if (this.closed) throw new InvokeError("unavailable", "the runtime is closed");
    // Calls that arrive during a reload wait for it, and are served by the new code.
    if (this.loading > 0) await this.loads;
    if (signal.aborted) throw new InvokeError("unavailable", "the call was cancelled");
    const source = this.endpoints.get(call.endpoint);
    if (source === undefined) throw new InvokeError("unavailable", `no endpoint ${call.endpoint} is loaded`);
    if (!this.good.has(source)) {
      throw new InvokeError("unavailable", this.failures.get(source) ?? `${source} is not loaded`);
    }
    let host = this.host?.isAlive === true ? this.host : await this.ensureHost();
    // A worker whose last call hung is being checked: wait for the verdict, and for its replacement.
    while (host.suspected !== undefined && !(await host.suspected)) host = await this.ensureHost();
    return host.invoke(call, source, signal, deadlineMs, remainingMs - (performance.now() - startedAt));
  }

  async stats(options: { collectGarbage?: boolean } = {}): Promise<NodeRuntimeStats> {
    const host = await this.ensureHost();
    const heap = await host.heap(options.collectGarbage ?? false);
    return { ...heap, workerStarts: this.workerStarts, builds: this.builds };
  }

  async close(): Promise<void> {
    this.closed = true;
    const starting = this.hostStarting?.catch(() => undefined);
    await Promise.all([
      this.builder.dispose(),
      this.host?.kill("the runtime was closed"),
      ...[...this.retiring].map((host) => host.kill("the runtime was closed")),
      starting?.then((host) => host?.kill("the runtime was closed")),
    ]);
  }

  private async reload(plan: RuntimeLoadPlan): Promise<LoadReport> {
    if (this.closed) throw new Error("the runtime is closed");
    if (plan.root !== this.root) this.forgetPlugin(plan.root);
    const root = plan.root;
    const sources = [...new Set(plan.endpoints.map((endpoint) => endpoint.source))];
    // The first worker starts while esbuild builds.
    this.ensureHost().catch(() => undefined);
    const results = new Map<string, SourceLoadResult>();
    const stale = staleSources(root, sources, plan.changed, this.good, this.lastFailed);
    for (const source of sources) {
      const good = this.good.get(source);
      if (!stale.has(source) && good !== undefined) results.set(source, { source, ok: true, inputs: good.inputs });
    }
    const rebuilt = sources.filter((source) => !results.has(source));
    this.builds += rebuilt.length;
    const [builds] = await Promise.all([
      Promise.all(rebuilt.map((source) => this.builder.build(root, source))),
      this.builder.retain(root, sources),
    ]);
    const changed: GoodSource[] = [];
    builds.forEach((outcome, index) => {
      const source = rebuilt[index] as string;
      if (!outcome.ok) {
        results.set(source, this.failed(source, outcome.error));
        return;
      }
      const previous = this.good.get(source);
      if (previous !== undefined && previous.code === outcome.code && previous.map === outcome.map) {
        previous.inputs = outcome.inputs;
        results.set(source, { source, ok: true, inputs: outcome.inputs });
        return;
      }
      changed.push({ source, file: path.resolve(root, source), code: outcome.code, map: outcome.map, inputs: outcome.inputs });
    });
    await this.evaluate(changed, results);
    const removed = [...this.good.keys()].filter((source) => !sources.includes(source));
    for (const source of removed) this.good.delete(source);
    for (const source of [...this.failures.keys()]) if (!sources.includes(source)) this.failures.delete(source);
    this.host?.drop(removed);
    this.endpoints = new Map(plan.endpoints.map((endpoint) => [endpoint.id, endpoint.source]));
    this.lastFailed.clear();
    for (const [source, result] of results) if (!result.ok) this.lastFailed.add(source);
    return { sources: sources.map((source) => results.get(source) as SourceLoadResult) };
  }

  /**
   * Evaluates new bundles. When the worker dies or hangs, the first module without an answer is
   * tried once more in a fresh worker (the hang may have been a call's), then fails; the rest are retried.
   */
  private async evaluate(modules: GoodSource[], results: Map<string, SourceLoadResult>): Promise<void> {
    const retried = new Set<string>();
    let pending = modules;
    while (pending.length > 0) {
      const host = await this.ensureHost();
      const outcomes = await host.loadModules(pending, this.loadTimeoutMs);
      const retry: GoodSource[] = [];
      let culpritFound = false;
      outcomes.forEach((outcome, index) => {
        const module = pending[index] as GoodSource;
        if (outcome.status === "ok") {
          this.good.set(module.source, module);
          this.failures.delete(module.source);
          results.set(module.source, { source: module.source, ok: true, inputs: module.inputs });
        } else if (outcome.status === "error") {
          results.set(module.source, this.failed(module.source, this.evaluationProblem(outcome.error), module.inputs));
        } else if (!culpritFound && retried.has(module.source)) {
          // First in line without an answer, twice: this module is what hangs or ends the worker.
          culpritFound = true;
          const reason = host.endReason ?? "the worker stopped";
          results.set(module.source, this.failed(module.source, { message: `evaluating the module failed: ${reason}`, file: module.source }, module.inputs));
        } else {
          if (!culpritFound) retried.add(module.source);
          culpritFound = true;
          retry.push(module);
        }
      });
      pending = retry;
    }
  }

  private evaluationProblem([message, stack, file, line, column]: ModuleError): BuildProblem & { stack?: string } {
    const problem: BuildProblem & { stack?: string } = { message, file: toPosix(path.relative(this.root, file)) };
    if (line > 0) Object.assign(problem, { line, column });
    if (stack !== "") problem.stack = stack;
    return problem;
  }

  /** A failed source keeps its last good version serving, and stays watched (with the failing file). */
  private failed(source: string, error: BuildProblem & { stack?: string }, builtInputs: string[] = []): SourceLoadResult {
    const inputs = new Set([...(this.good.get(source)?.inputs ?? []), ...builtInputs, source]);
    if (error.file !== undefined && !error.file.startsWith("..") && !path.isAbsolute(error.file)) inputs.add(error.file);
    if (!this.good.has(source)) this.failures.set(source, `${source} failed to load: ${error.message}`);
    return { source, ok: false, inputs: [...inputs].sort(), error };
  }

  private forgetPlugin(root: string): void {
    this.host?.drop([...this.good.keys()]);
    this.good.clear();
    this.failures.clear();
    this.endpoints.clear();
    this.root = root;
  }

  private ensureHost(): Promise<WorkerHost> {
    if (this.host?.isAlive === true) return Promise.resolve(this.host);
    this.hostStarting ??= this.startHost().finally(() => (this.hostStarting = undefined));
    return this.hostStarting;
  }

  private async startHost(): Promise<WorkerHost> {
    if (this.closed) throw new InvokeError("unavailable", "the runtime is closed");
    const host = new WorkerHost({
      onLog: this.options.onLog,
      onExit: (exited) => this.onHostExit(exited),
      stuckGraceMs: this.stuckGraceMs,
      onBlocked: (blocked, reclaimed) => this.onHostBlocked(blocked, reclaimed),
      blockedAfterMs: BLOCKED_AFTER_MS,
    });
    this.workerStarts += 1;
    const replay = [...this.good.values()];
    const outcomes = replay.length === 0 ? [] : await host.loadModules(replay, this.loadTimeoutMs);
    outcomes.forEach((outcome, index) => {
      if (outcome.status !== "error") return;
      const source = (replay[index] as GoodSource).source;
      this.options.onLog({ stream: "stderr", text: `${source} failed to load in a new worker: ${outcome.error[0]}` });
    });
    this.host = host;
    return host;
  }

  /**
   * A call holds its worker's event loop (an endless loop, a long synchronous computation): that
   * call keeps its worker until it ends or its deadline kills the worker; every other call goes to a
   * fresh worker, started now with the same code.
   */
  private onHostBlocked(host: WorkerHost, reclaimed: ReclaimedCall[]): void {
    if (host === this.host) {
      this.host = undefined;
      this.retiring.add(host);
      this.options.onLog({ stream: "stderr", text: `a call has blocked the TypeScript worker for over ${BLOCKED_AFTER_MS} ms (synchronous code: an endless loop?); other requests go to a new worker, and the blocked call ends at its deadline` });
      host.retire();
      if (!this.closed) this.ensureHost().catch(() => undefined);
    }
    // The worker was blocked before it started these calls: they run on the one that replaces it.
    for (const taken of reclaimed) taken.settle(this.invokeWhenReady(taken.call, taken.signal, taken.deadlineMs, taken.remainingMs));
  }

  private onHostExit(host: WorkerHost): void {
    this.retiring.delete(host);
    if (host !== this.host) return;
    this.host = undefined;
    // A worker killed for hanging is replaced at once, so the next call finds one ready; other exits
    // wait for the next call (a module that exits the worker on start must not cause a restart loop).
    if (!this.closed && host.wasKilled) this.ensureHost().catch(() => undefined);
  }
}

const BLOCKED_AFTER_MS = 500;
