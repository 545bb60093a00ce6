/**
 * One `dev` session: loads the plugin (validate, settings, runtimes, router), serves it through the
 * app's `current()` and reloads it atomically on edits (when, is `reload-schedule.ts`'s business).
 * Requests in flight keep the state they started with; a failed reload keeps the last good one. A
 * save of sources alone re-checks, rebuilds and re-evaluates only them and keeps the router and settings.
 */
import { isAbsolute, join, relative, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { EnvironmentError, InputError } from "../errors.js";
import type { EndpointRuntime, LoadReport, RuntimeFacts, RuntimeLog } from "../runtime/contract.js";
import { checkPaths, type CheckResult } from "../project/check.js";
import { recheckSources, touchesOnlySources } from "../project/recheck.js";
import type { Project } from "../manifest/model.js";
import type { ServingState } from "../pipeline/index.js";
import { buildServing } from "./serving-build.js";
import { planServing, type RuntimeKind, type ServePlan } from "./serve-plan.js";
import { createMasker } from "../settings/mask.js";
import { loadSettings, type LoadedSettings } from "./settings-file.js";
import { stableHookId } from "./hook-id.js";
import { ReloadSchedule } from "./reload-schedule.js";

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

/** What reloads did, counted (a test checks a code-only save re-checks and rebuilds nothing else). */
export interface ReloadWork {
  /** Whole-plugin loads and checks (the first load, a YAML or settings edit). */
  wholeChecks: number;
  /** Checks of edited sources alone. */
  rechecks: number;
  /** Routers built. */
  routers: number;
  /** Files stat'ed to notice saves still being written or swallowed by the watcher. */
  readonly statted: number;
}

export class DevSession {
  state!: ServingState;
  plan!: ServePlan;
  project!: Project;
  settings!: LoadedSettings;
  mask: (text: string) => string = (text) => text;
  private readonly runtimes: Partial<Record<RuntimeKind, EndpointRuntime>> = {};
  private runtimePlans: Partial<Record<RuntimeKind, string>> = {};
  /** What was last printed for each kind, so an unchanged set is not printed again on every reload. */
  private readonly lastPrinted = new Map<string, string>();
  private readonly schedule = new ReloadSchedule({ root: () => this.project.root, reload: (batch) => this.reloadNow(batch) });
  private readonly counts = { wholeChecks: 0, rechecks: 0, routers: 0 };

  constructor(private readonly options: DevSessionOptions) {}

  /** The state to serve with, once any reload under way (or saved edits about to reload) has finished. */
  readonly current = (): Promise<ServingState> => {
    // The common case, no reload near: one settled promise per state, not two new ones per request.
    if (this.schedule.isSettled) {
      if (this.servedState?.state !== this.state) this.servedState = { state: this.state, promise: Promise.resolve(this.state) };
      return this.servedState.promise;
    }
    return this.schedule.settled().then(() => this.state);
  };
  private servedState: { state: ServingState; promise: Promise<ServingState> } | undefined;

  get root(): string {
    return this.project.root;
  }

  /** Files whose change should reload, for the watcher (beyond the plugin folder). */
  get settingsPath(): string | undefined {
    return this.settings.path;
  }

  get work(): ReloadWork {
    const schedule = this.schedule;
    return { ...this.counts, get statted() { return schedule.statted; } };
  }

  async start(): Promise<void> {
    const ok = await this.build(undefined);
    if (!ok) throw new InputError("nothing to serve", "fix the errors above and start dev again");
  }

  /** Reloads after `changed` (plugin-relative or absolute paths), when `ReloadSchedule` says so. */
  reload(changed: string[]): Promise<void> {
    return this.schedule.changed(changed);
  }

  /** One reload, said in one line: what changed and how long it took, or why it failed. */
  private async reloadNow(batch: string[]): Promise<boolean> {
    const started = performance.now();
    const ok = await this.build(batch);
    const ms = Math.round(performance.now() - started);
    const names = [...new Set(batch.map((p) => this.displayPath(p)))];
    const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
    if (ok && this.lastFailed.length === 0) this.options.out.info(`reloaded (${shown}) in ${ms} ms`);
    else if (ok) this.options.out.warn(`reloaded (${shown}) in ${ms} ms, but ${this.lastFailed.join(", ")} failed: the last good version keeps serving`);
    else this.options.out.warn(`reload failed (${shown}): still serving the last good version`);
    return ok;
  }

  /** Plugin-relative, `/`-separated, for the reload line. */
  private displayPath(path: string): string {
    if (!isAbsolute(path) || !this.project) return path;
    return relative(this.project.root, path).split(sep).join("/");
  }

  private async build(changed: string[] | undefined): Promise<boolean> {
    const { out } = this.options;
    // An edit of sources alone leaves the YAML, hence the plan, as it is: the runtimes load the edited
    // code while it is checked (both wait on esbuild) instead of after.
    const root = this.project?.root;
    const early = changed && root !== undefined && this.isSourceEdit(root, changed) ? this.loadRuntimes(this.plan, root, changed) : undefined;
    early?.catch(() => undefined);
    const { check, sourcesOnly } = await this.check(changed);
    for (const message of check.unreadable) out.warn(message);
    const project = check.projects[0];
    if (!project) {
      await early?.catch(() => undefined);
      if (!changed) throw new EnvironmentError(check.unreadable[0] ?? "no plugin found", "run dev in a plugin folder (with manifest.yaml) or pass its path");
      return false;
    }
    this.printOnce("plugin", check.diagnostics, check.sources);
    const plan = planServing(project, this.plan);
    if (plan.endpoints.length === 0) {
      // On a reload this is almost always a half-made edit (a broken manifest): keep serving the last good version.
      out.warn("no endpoint can be served", plan.skipped.map((s) => `${s.id}: ${s.reason}`).join("; ") || undefined);
      await early?.catch(() => undefined);
      return false;
    }
    // Only sources changed: the YAML, hence the declared settings, is the same, and the settings file was not edited.
    const settings = sourcesOnly && this.settings ? this.settings : await loadSettings(project, this.options.settingsPath, this.options.cwd);
    // Every secret seen in this session stays masked: old code still serving may print an old one.
    for (const secret of settings.secrets) this.secretsSeen.add(secret);
    this.mask = createMasker([...this.secretsSeen]);
    // No sources for the settings file: a snippet could show a secret.
    this.printOnce("settings", settings.diagnostics, new Map());
    // A sources-only edit loaded the runtimes while it was checked (same plan); any other loads them now.
    const loaded = sourcesOnly && early ? await early : (await early?.catch(() => undefined), await this.loadRuntimes(plan, project.root, changed));
    for (const [kind, report] of loaded) {
      this.reportLoad(report);
      if (report.runtime) this.noteRuntime(kind, report.runtime);
    }
    const reports: Partial<Record<RuntimeKind, LoadReport>> = {};
    for (const kind of ["node", "python"] as const) if (plan.runtimes[kind].length > 0) reports[kind] = this.lastReports.get(kind);
    const previous = this.state ? { plan: this.plan, router: this.state.router } : undefined;
    this.project = project;
    this.plan = plan;
    this.settings = settings;
    const hookId = this.options.hookId ?? this.state?.hookId ?? (await stableHookId(project));
    const built = buildServing({ root: project.root, plan, hookId, settings: settings.values, runtimes: this.runtimes, reports, loadedBefore: this.loadedOnce, ...(previous ? { previous } : {}) });
    for (const key of built.loaded) this.loadedOnce.add(key);
    if (built.state.router !== previous?.router) this.counts.routers++;
    this.state = built.state;
    this.lastFailed = [...(plan.kept ?? []), ...built.failed];
    return true;
  }

  /** Loads what `plan` needs into each runtime an edit affects (all of them on the first load), unprinted. */
  private async loadRuntimes(plan: ServePlan, root: string, changed: string[] | undefined): Promise<Array<[RuntimeKind, LoadReport]>> {
    const loaded: Array<[RuntimeKind, LoadReport]> = [];
    for (const kind of ["node", "python"] as const) {
      const entries = plan.runtimes[kind];
      if (entries.length === 0) {
        await this.runtimes[kind]?.close();
        delete this.runtimes[kind];
        delete this.runtimePlans[kind];
        continue;
      }
      const runtime = (this.runtimes[kind] ??= await this.createRuntime(kind, root));
      const planKey = JSON.stringify(entries);
      const affected = !changed || planKey !== this.runtimePlans[kind] || changed.some((p) => (kind === "python" ? PYTHON_AFFECTING : NODE_AFFECTING).test(p) || this.isInputOf(root, p, [kind]));
      if (!affected) continue;
      // The edits let the runtime rebuild only the sources they touch (all of them on the first load).
      const report = await runtime.load({ root, endpoints: entries, ...(changed ? { changed } : {}) });
      this.runtimePlans[kind] = planKey;
      this.lastReports.set(kind, report);
      loaded.push([kind, report]);
    }
    return loaded;
  }

  private isSourceEdit(root: string, changed: string[]): boolean {
    const edited = changed.map((p) => (isAbsolute(p) ? p : join(root, p)));
    return this.lastCheck !== undefined && touchesOnlySources(this.lastCheck, edited, (p) => p !== this.settings?.path && this.isInputOf(root, p));
  }

  /** The plugin checked again: only the edited sources when that is all an edit touched (`recheck.ts`). */
  private async check(changed: string[] | undefined): Promise<{ check: CheckResult; sourcesOnly: boolean }> {
    const root = this.lastCheck?.projects[0]?.root;
    if (changed && this.lastCheck && root !== undefined) {
      const edited = changed.map((p) => (isAbsolute(p) ? p : join(root, p)));
      const rechecked = await recheckSources(this.lastCheck, edited, (p) => p !== this.settings?.path && this.isInputOf(root, p));
      if (rechecked) {
        this.counts.rechecks++;
        return { check: (this.lastCheck = rechecked), sourcesOnly: true };
      }
    }
    this.counts.wholeChecks++;
    const check = await checkPaths([this.options.target], this.options.cwd, {});
    this.lastCheck = check.projects.length === 1 ? check : undefined;
    return { check, sourcesOnly: false };
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
    this.schedule.close();
    await Promise.all(Object.values(this.runtimes).map((r) => r?.close()));
  }
}
