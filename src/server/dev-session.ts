/**
 * One `dev` session: loads the plugin (validate, settings, runtimes, router), serves it through the
 * app's `current()` and reloads it atomically on edits. Requests that arrive during a reload wait for
 * it; requests in flight keep the state they started with; a failed reload keeps the last good one.
 */
import { isAbsolute, join, relative, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { EnvironmentError, InputError } from "../errors.js";
import type { EndpointRuntime, LoadReport, RuntimeFacts, RuntimeLog } from "../runtime/contract.js";
import { checkPaths, type CheckResult } from "../project/check.js";
import { recheckSources } from "../project/recheck.js";
import type { Project } from "../manifest/model.js";
import type { ServingState } from "../pipeline/index.js";
import { buildServing } from "./serving-build.js";
import { planServing, type RuntimeKind, type ServePlan } from "./serve-plan.js";
import { createMasker } from "../settings/mask.js";
import { loadSettings, type LoadedSettings } from "./settings-file.js";
import { stableHookId } from "./hook-id.js";
import { changedFiles, snapshot, type Snapshot } from "./file-snapshot.js";

export interface DevOutput {
  info(line: string): void;
  warn(message: string, hint?: string): void;
  diagnostics(diagnostics: Diagnostic[], sources: Map<string, string>): void;
  runtimeLog(log: RuntimeLog): void;
}

export interface DevSessionOptions {
  target: string;
  cwd: string;
  hookId?: string;
  settingsPath?: string;
  python?: string;
  out: DevOutput;
}

const PYTHON_AFFECTING = /\.(py|ya?ml|txt|json|cfg|toml)$/;
const NODE_AFFECTING = /\.(ts|mts|cts|js|mjs|cjs|json|ya?ml)$/;
/**
 * Saves that keep coming right after a reload (autosave, a formatter, a checkout) are a burst: they
 * wait until none has come for this long and become one reload, instead of one reload per save.
 * Longer than the watcher's gap between events for one file (chokidar reports a path at most every 50 ms).
 */
const BURST_QUIET_MS = 150;
/** The longest a request waits for saved edits to be reloaded while files keep changing. */
const MAX_EDIT_WAIT_MS = 1000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}

export class DevSession {
  state!: ServingState;
  plan!: ServePlan;
  project!: Project;
  settings!: LoadedSettings;
  mask: (text: string) => string = (text) => text;
  private gate: Promise<void> | undefined;
  private readonly runtimes: Partial<Record<RuntimeKind, EndpointRuntime>> = {};
  private runtimePlans: Partial<Record<RuntimeKind, string>> = {};
  private deferred: Set<string> | undefined;
  private deferTimer: NodeJS.Timeout | undefined;
  /** Settles when the deferred edits start reloading (requests then wait on `gate`). */
  private deferredDone: Promise<void> | undefined;
  private releaseDeferred: (() => void) | undefined;
  private lastReloadEnd = Number.NEGATIVE_INFINITY;
  private reloading = false;
  /** What was last printed for each kind, so an unchanged set is not printed again on every reload. */
  private readonly lastPrinted = new Map<string, string>();
  private watched: Snapshot = new Map();
  private verifyTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: DevSessionOptions) {}

  /**
   * The state to serve with, once any reload under way has finished. A request that arrives while
   * saved edits wait for their quiet moment waits for them too (an edit is served by the next
   * request), but never longer than `MAX_EDIT_WAIT_MS` while files keep changing.
   */
  readonly current = async (): Promise<ServingState> => {
    const until = performance.now() + MAX_EDIT_WAIT_MS;
    for (;;) {
      if (this.gate) await this.gate;
      else if (this.deferredDone && performance.now() < until) await Promise.race([this.deferredDone, delay(until - performance.now())]);
      else return this.state;
    }
  };

  get root(): string {
    return this.project.root;
  }

  /** Files whose change should reload, for the watcher (beyond the plugin folder). */
  get settingsPath(): string | undefined {
    return this.settings.path;
  }

  async start(): Promise<void> {
    const ok = await this.build(undefined);
    if (!ok) throw new InputError("nothing to serve", "fix the errors above and start dev again");
  }

  /**
   * Reloads after `changed` (plugin-relative or absolute paths). An edit on its own reloads at once;
   * changes that arrive during a reload or soon after one wait for a quiet moment and are merged.
   */
  async reload(changed: string[]): Promise<void> {
    if (this.closed) return;
    if (this.reloading || this.deferred !== undefined || performance.now() - this.lastReloadEnd < BURST_QUIET_MS) {
      this.defer(changed);
      return;
    }
    await this.run(changed);
  }

  private defer(changed: string[]): void {
    this.deferredDone ??= new Promise<void>((resolve) => (this.releaseDeferred = resolve));
    this.deferred ??= new Set();
    for (const path of changed) this.deferred.add(path);
    clearTimeout(this.deferTimer);
    this.deferTimer = setTimeout(() => {
      if (this.closed) return;
      if (this.reloading) return this.defer([]);
      const batch = [...(this.deferred ?? [])];
      const release = this.releaseDeferred;
      this.deferred = undefined;
      this.deferredDone = undefined;
      // Requests waiting on the edits now wait on the reload's own gate, set synchronously by run().
      void this.run(batch);
      release?.();
    }, BURST_QUIET_MS);
  }

  private async run(batch: string[]): Promise<void> {
    if (this.closed) return;
    this.reloading = true;
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    let moved: string[] = [];
    try {
      const started = performance.now();
      const before = await snapshot([...this.watched.keys()]);
      const ok = await this.build(batch);
      const ms = Math.round(performance.now() - started);
      const names = [...new Set(batch.map((p) => this.displayPath(p)))];
      const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
      if (ok && this.lastFailed.length === 0) this.options.out.info(`reloaded (${shown}) in ${ms} ms`);
      else if (ok) this.options.out.warn(`reloaded (${shown}) in ${ms} ms, but ${this.lastFailed.join(", ")} failed: the last good version keeps serving`);
      else this.options.out.warn(`reload failed (${shown}): still serving the last good version`);
      // A file that changed while it was being built (a save still being written) is built again.
      moved = changedFiles(before, await snapshot([...before.keys()]));
    } finally {
      this.reloading = false;
      this.gate = undefined;
      this.lastReloadEnd = performance.now();
      release();
    }
    if (moved.length > 0) this.defer(moved);
    this.scheduleVerify();
  }

  /** Plugin-relative, `/`-separated, for the reload line. */
  private displayPath(path: string): string {
    if (!isAbsolute(path) || !this.project) return path;
    return relative(this.project.root, path).split(sep).join("/");
  }

  /** The watcher may swallow a save that lands right after another; look once more a little later. */
  private scheduleVerify(): void {
    clearTimeout(this.verifyTimer);
    this.verifyTimer = setTimeout(async () => {
      if (this.closed || this.reloading) return;
      const now = await snapshot([...this.watched.keys()]);
      const moved = changedFiles(this.watched, now);
      if (moved.length > 0) void this.reload(moved);
    }, 120);
    this.verifyTimer.unref();
  }

  private async build(changed: string[] | undefined): Promise<boolean> {
    const { out } = this.options;
    const check = await this.check(changed);
    for (const message of check.unreadable) out.warn(message);
    const project = check.projects[0];
    if (!project) {
      if (!changed) throw new EnvironmentError(check.unreadable[0] ?? "no plugin found", "run dev in a plugin folder (with manifest.yaml) or pass its path");
      return false;
    }
    this.printOnce("plugin", check.diagnostics, check.sources);
    const plan = planServing(project, this.plan);
    if (plan.endpoints.length === 0) {
      // On a reload this is almost always a half-made edit (a broken manifest): keep serving the last good version.
      out.warn("no endpoint can be served", plan.skipped.map((s) => `${s.id}: ${s.reason}`).join("; ") || undefined);
      return false;
    }
    const settings = await loadSettings(project, this.options.settingsPath, this.options.cwd);
    // Every secret seen in this session stays masked: old code still serving may print an old one.
    for (const secret of settings.secrets) this.secretsSeen.add(secret);
    this.mask = createMasker([...this.secretsSeen]);
    // No sources for the settings file: a snippet could show a secret.
    this.printOnce("settings", settings.diagnostics, new Map());
    const inputs: string[] = project.files.map((f) => f.path);
    if (settings.path) inputs.push(settings.path);
    const reports: Partial<Record<RuntimeKind, LoadReport>> = {};
    for (const kind of ["node", "python"] as const) {
      const entries = plan.runtimes[kind];
      if (entries.length === 0) {
        await this.runtimes[kind]?.close();
        delete this.runtimes[kind];
        delete this.runtimePlans[kind];
        continue;
      }
      const runtime = (this.runtimes[kind] ??= await this.createRuntime(kind, project.root));
      const planKey = JSON.stringify(entries);
      const affected = !changed || planKey !== this.runtimePlans[kind] || changed.some((p) => (kind === "python" ? PYTHON_AFFECTING : NODE_AFFECTING).test(p) || this.isInputOf(project.root, p, [kind]));
      if (affected) {
        // The edits let the runtime rebuild only the sources they touch (all of them on the first load).
        const report = await runtime.load({ root: project.root, endpoints: entries, ...(changed ? { changed } : {}) });
        this.runtimePlans[kind] = planKey;
        this.reportLoad(report);
        if (report.runtime) this.noteRuntime(kind, report.runtime);
        this.lastReports.set(kind, report);
      }
      reports[kind] = this.lastReports.get(kind);
    }
    this.project = project;
    this.plan = plan;
    this.settings = settings;
    const hookId = this.options.hookId ?? this.state?.hookId ?? (await stableHookId(project));
    const built = buildServing({ root: project.root, plan, hookId, settings: settings.values, runtimes: this.runtimes, reports, loadedBefore: this.loadedOnce });
    for (const key of built.loaded) this.loadedOnce.add(key);
    inputs.push(...built.inputs);
    this.state = built.state;
    this.watched = await snapshot([...new Set(inputs)]);
    this.lastFailed = [...(plan.kept ?? []), ...built.failed];
    return true;
  }

  /** The plugin checked again: only the edited sources when that is all an edit touched (`recheck.ts`). */
  private async check(changed: string[] | undefined): Promise<CheckResult> {
    const root = this.lastCheck?.projects[0]?.root;
    if (changed && this.lastCheck && root !== undefined) {
      const edited = changed.map((p) => (isAbsolute(p) ? p : join(root, p)));
      const rechecked = await recheckSources(this.lastCheck, edited, (p) => p !== this.settings?.path && this.isInputOf(root, p));
      if (rechecked) return (this.lastCheck = rechecked);
    }
    const check = await checkPaths([this.options.target], this.options.cwd, {});
    this.lastCheck = check.projects.length === 1 ? check : undefined;
    return check;
  }

  private lastCheck: CheckResult | undefined;

  /** Whether `file` is one of the inputs a runtime last reported (an imported `.txt`, say). */
  private isInputOf(root: string, file: string, kinds: RuntimeKind[] = ["node", "python"]): boolean {
    const relativePath = (isAbsolute(file) ? relative(root, file) : file).split(sep).join("/");
    return kinds.some((kind) => this.lastReports.get(kind)?.sources.some((source) => source.inputs.includes(relativePath)));
  }

  /** Sources, and endpoint YAML files, that failed in the last build (their last good version, if any, still serves). */
  lastFailed: string[] = [];
  private readonly loadedOnce = new Set<string>();
  private readonly secretsSeen = new Set<string>();

  private readonly lastReports = new Map<RuntimeKind, LoadReport>();
  /** What each runtime runs on (the banner shows it); its warnings are printed once per session. */
  readonly runtimeFacts = new Map<RuntimeKind, RuntimeFacts>();
  private readonly runtimeWarned = new Set<string>();

  private noteRuntime(kind: RuntimeKind, facts: RuntimeFacts): void {
    this.runtimeFacts.set(kind, facts);
    for (const warning of facts.warnings) {
      if (this.runtimeWarned.has(warning.message)) continue;
      this.runtimeWarned.add(warning.message);
      this.options.out.warn(this.mask(warning.message), warning.detail ? this.mask(warning.detail) : undefined);
    }
  }

  private printOnce(kind: string, diagnostics: Diagnostic[], sources: Map<string, string>): void {
    const key = JSON.stringify(diagnostics);
    if (key === (this.lastPrinted.get(kind) ?? "[]")) return;
    this.lastPrinted.set(kind, key);
    this.options.out.diagnostics(diagnostics, sources);
  }

  private reportLoad(report: LoadReport): void {
    for (const source of report.sources) {
      if (source.ok || !source.error) continue;
      const error = source.error;
      const where = error.file ? `${error.file}:${error.line ?? 1}:${error.column ?? 1}` : source.source;
      this.options.out.warn(this.mask(`${where}: ${error.message}`), error.stack ? this.mask(error.stack) : undefined);
    }
  }

  private async createRuntime(kind: RuntimeKind, root: string): Promise<EndpointRuntime> {
    const onLog = (log: RuntimeLog) => this.options.out.runtimeLog({ ...log, text: this.mask(log.text) });
    if (kind === "node") {
      const { createNodeRuntime } = await import("../runtime/node/node-runtime.js");
      return createNodeRuntime({ onLog });
    }
    const { createPythonRuntime } = await import("../runtime/python/python-runtime.js");
    return createPythonRuntime({ onLog, root, python: this.options.python });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.verifyTimer);
    clearTimeout(this.deferTimer);
    this.releaseDeferred?.();
    await Promise.all(Object.values(this.runtimes).map((r) => r?.close()));
  }
}
