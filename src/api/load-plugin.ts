/**
 * `loadPlugin()`: a plugin served in-process, for tests and tools. It validates the plugin, checks
 * its settings, starts its runtimes and answers Fetch requests through the same pipeline `dev`
 * serves HTTP with, so a request gets exactly the answer `dev` would give, with no port open.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Project } from "../manifest/model.js";
import { parseYamlMapping } from "../manifest/yaml.js";
import { createLineIndex } from "../manifest/position.js";
import { loadEsbuild } from "../esbuild-loader.js";
import { createFetchHandler, createPipeline, type ObserveRequest } from "../pipeline/index.js";
import { splitTarget } from "../pipeline/target.js";
import { checkPaths } from "../project/check.js";
import type { EndpointRuntime, LoadReport, RuntimeLog } from "../runtime/contract.js";
import { isValidHookId, stableHookId } from "../server/hook-id.js";
import { planServing, type RuntimeKind, type ServePlan } from "../server/serve-plan.js";
import { buildServing } from "../server/serving-build.js";
import { loadSettings } from "../server/settings-file.js";
import { checkSettings } from "../settings/check-settings.js";
import { declaredSettings } from "../settings/declared.js";
import { createMasker } from "../settings/mask.js";
import { PluginLoadError } from "./plugin-load-error.js";

export interface LoadPluginOptions {
  /**
   * The endpoint settings: an object of plain values, or the path of a settings YAML file. Without
   * it, `settings.local.yaml` in the plugin is read when it exists (as `dev` does). Checked as Dify
   * checks them when an endpoint is created; defaults are applied.
   */
  settings?: Record<string, unknown> | string;
  /** The Python interpreter for Python endpoints (default: as `dev` chooses it). */
  python?: string;
  /** The hook id in `/e/<hook_id>/...` (default: the one `dev` derives from the plugin). */
  hookId?: string;
  /** How long a handler may take before the answer is a 504 (default 600 000, Dify's 600 s). */
  timeoutMs?: number;
  /** What handlers print (default: written to stderr, secrets masked). */
  onLog?: (log: RuntimeLog) => void;
  /** What Dify would change in a request or answer: a body cut at 10 MiB, a header value dropped (default: stderr). */
  onWarning?: (message: string) => void;
  /** Watches each request: match, forwarded call, head, chunks, outcome. */
  observe?: ObserveRequest;
}

/** One endpoint the plugin serves. */
export interface PluginEndpoint {
  /** The endpoint file's name without extension (`duck` for `endpoints/duck.yaml`). */
  name: string;
  /** The endpoint YAML, plugin-relative (`group.yaml#2` for one written inline). */
  id: string;
  method: string;
  /** The werkzeug rule, as declared. */
  path: string;
  /** The source that runs it, plugin-relative. */
  file: string;
  language: "typescript" | "python";
}

/** A loaded plugin: ask it with `request`, end it with `close` (or `await using`). */
export interface LoadedPlugin extends AsyncDisposable {
  /** The plugin's absolute root folder. */
  readonly root: string;
  readonly hookId: string;
  readonly endpoints: readonly PluginEndpoint[];
  /** The settings values `_invoke` receives (checked, defaults applied). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Warnings found while loading (validation and settings). */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Serves one request as `dev` would answer it. `input` is a path (`/items/1`, `/e/<hook>/items/1`,
   * kept exactly as typed), a URL, or a `Request`; `init` as for `fetch`.
   */
  request(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Ends the plugin's workers; safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 600_000;

/** Validates and loads the plugin at `dir`; throws `PluginLoadError` with the diagnostics when it cannot be served. */
export async function loadPlugin(dir: string, options: LoadPluginOptions = {}): Promise<LoadedPlugin> {
  const cwd = process.cwd();
  if (options.hookId !== undefined && !isValidHookId(options.hookId)) throw new TypeError(`hookId ${JSON.stringify(options.hookId)} may only hold letters, digits, _ and -`);
  let mask = (text: string) => text;
  const onLog = options.onLog ? (log: RuntimeLog) => options.onLog!({ ...log, text: mask(log.text) }) : (log: RuntimeLog) => process.stderr.write(mask(log.text.endsWith("\n") ? log.text : `${log.text}\n`));
  const runtimes: Partial<Record<RuntimeKind, EndpointRuntime>> = {};
  const closeAll = () => Promise.all(Object.values(runtimes).map((r) => r.close())).then(() => undefined);
  try {
    // The worker thread starts while the plugin is validated (both take a while; they overlap).
    const warm = await warmNodeRuntime(dir, cwd, onLog);
    if (warm) runtimes.node = warm;
    const check = await checkPaths([dir], cwd, {});
    const project = check.projects[0];
    if (!project) throw new PluginLoadError(check.unreadable[0] ?? `no plugin found at ${dir}`, [], "not-found");
    const plan = planServing(project);
    const settings = await readSettings(project, options.settings, cwd);
    mask = createMasker(settings.secrets);
    const diagnostics = [...check.diagnostics, ...settings.diagnostics];
    if (diagnostics.some((d) => d.severity === "error")) throw new PluginLoadError(`the plugin at ${dir} cannot be served`, diagnostics);
    if (plan.endpoints.length === 0) throw new PluginLoadError(`the plugin at ${dir} has no endpoint that can be served${plan.skipped.length ? `: ${plan.skipped.map((s) => `${s.id}: ${s.reason}`).join("; ")}` : ""}`, diagnostics);
    const reports: Partial<Record<RuntimeKind, LoadReport>> = {};
    for (const kind of ["node", "python"] as const) {
      const entries = plan.runtimes[kind];
      if (entries.length === 0) {
        await runtimes[kind]?.close();
        delete runtimes[kind];
        continue;
      }
      const runtime = (runtimes[kind] ??= await createRuntime(kind, project.root, onLog, options.python));
      reports[kind] = await runtime.load({ root: project.root, endpoints: entries });
    }
    const loadProblems = Object.values(reports).flatMap((report) => report.sources.filter((s) => !s.ok).map((s): Diagnostic => ({
      file: s.error?.file ?? s.source, line: s.error?.line ?? 0, column: s.error?.column ?? 0, severity: "error", rule: "load", message: mask(s.error?.message ?? "the source failed to load"),
    })));
    if (loadProblems.length > 0) throw new PluginLoadError(`the plugin at ${dir} cannot be served: a source failed to load`, [...loadProblems, ...diagnostics]);
    return await servePlugin(project, plan, settings, diagnostics, runtimes, reports, closeAll, options);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function servePlugin(
  project: Project, plan: ServePlan, settings: { values: Record<string, unknown> }, diagnostics: Diagnostic[],
  runtimes: Partial<Record<RuntimeKind, EndpointRuntime>>, reports: Partial<Record<RuntimeKind, LoadReport>>, closeAll: () => Promise<void>, options: LoadPluginOptions,
): Promise<LoadedPlugin> {
  const hookId = options.hookId ?? (await stableHookId(project));
  const { state } = buildServing({ root: project.root, plan, hookId, settings: settings.values, runtimes, reports, loadedBefore: new Set() });
  const warn = options.onWarning ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const handle = createPipeline({ current: async () => state, deadlineMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, warn, ...(options.observe ? { observe: options.observe } : {}) });
  const fetch = createFetchHandler(handle);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= closeAll());
  return {
    root: project.root,
    hookId,
    endpoints: plan.endpoints.map((e) => ({ name: endpointName(e.id), id: e.id, method: e.method, path: e.path, file: e.source, language: e.runtime === "node" ? "typescript" : "python" })),
    settings: settings.values,
    diagnostics,
    async request(input, init) {
      if (closing) throw new Error("the plugin was closed");
      if (input instanceof Request) return fetch(init ? new Request(input, init) : input);
      if (input instanceof URL) return fetch(new Request(input, init));
      // A path or URL typed as text keeps its exact target (a Request would resolve `..` and `//`).
      const url = input.startsWith("/") ? `http://localhost${input}` : input;
      const { path, query } = splitTarget(input);
      return fetch(new Request(url, init), { target: query || input.includes("?") ? `${path}?${query}` : path });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function readSettings(project: Parameters<typeof loadSettings>[0], given: LoadPluginOptions["settings"], cwd: string) {
  if (typeof given === "string" || given === undefined) return loadSettings(project, given, cwd);
  // An object is checked like a file holding it: JSON is YAML, so positions point into its JSON text.
  const text = JSON.stringify(given, null, 2) ?? "{}";
  const parsed = parseYamlMapping(text);
  if (!parsed.ok) throw new TypeError("settings must be an object of plain values");
  const result = checkSettings(declaredSettings(project.groups[0]), parsed.root);
  const locate = createLineIndex(text);
  const diagnostics = result.problems.map((p): Diagnostic => ({ file: "settings", ...locate(p.start), severity: p.severity, rule: "settings", message: p.message, ...(p.hint ? { hint: p.hint } : {}) }));
  return { values: result.values, secrets: result.secrets, diagnostics };
}

/**
 * A Node runtime already starting its worker, when the manifest says TypeScript: a cheap look at the
 * text, only to overlap the worker's start with validation (a wrong guess costs a worker, nothing else).
 */
async function warmNodeRuntime(dir: string, cwd: string, onLog: (log: RuntimeLog) => void): Promise<EndpointRuntime | undefined> {
  const root = resolve(cwd, dir);
  const manifest = await readFile(join(root, "manifest.yaml"), "utf8").catch(() => "");
  if (!/^\s+language:\s*["']?typescript/m.test(manifest)) return undefined;
  // esbuild's service is a process of its own that takes a while to start: start it now, so the
  // syntax check and the build find it ready instead of waiting for it in turn.
  loadEsbuild().transform("").catch(() => undefined);
  const runtime = await createRuntime("node", root, onLog, undefined);
  runtime.load({ root, endpoints: [] }).catch(() => undefined);
  return runtime;
}

async function createRuntime(kind: RuntimeKind, root: string, onLog: (log: RuntimeLog) => void, python: string | undefined): Promise<EndpointRuntime> {
  if (kind === "node") {
    const { createNodeRuntime } = await import("../runtime/node/node-runtime.js");
    return createNodeRuntime({ onLog });
  }
  const { createPythonRuntime } = await import("../runtime/python/python-runtime.js");
  return createPythonRuntime({ onLog, root, python });
}

function endpointName(id: string): string {
  const file = id.split("#")[0]!.split("/").pop()!;
  return id.includes("#") ? id : file.replace(/\.ya?ml$/, "");
}
