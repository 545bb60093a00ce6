/**
 * Building what is served, the pure half of a (re)load: the project's serve plan, the settings, the
 * runtimes and what each reported on loading in, the `ServingState` the pipeline serves with out
 * (plus the files it was built from, for the watcher). `dev` calls it on every reload; `loadPlugin()`
 * once. Scheduling reloads and running runtimes are somebody else's business.
 */
import { isAbsolute, join } from "node:path";
import type { ServedEndpoint, ServingState } from "../pipeline/index.js";
import { createRouter, type RouteRule, type Router } from "../router/index.js";
import type { EndpointInvoker, LoadReport } from "../runtime/contract.js";
import type { RuntimeKind, ServePlan } from "./serve-plan.js";

export interface ServingInputs {
  /** Absolute plugin root. */
  root: string;
  plan: ServePlan;
  hookId: string;
  settings: Record<string, unknown>;
  runtimes: Partial<Record<RuntimeKind, EndpointInvoker>>;
  /** Each runtime's latest load report (the last one, when this build did not reload it). */
  reports: Partial<Record<RuntimeKind, LoadReport>>;
  /** `kind:source` of sources that loaded at some point: their last good version keeps serving. */
  loadedBefore: ReadonlySet<string>;
  /** The plan and router being served: the router is kept when the routes are the same (a code-only save). */
  previous?: { plan: ServePlan; router: Router };
}

export interface BuiltServing {
  state: ServingState;
  /** Absolute paths of every file the served code came from. */
  inputs: string[];
  /** Sources that failed in this build (a good version, if any, still serves). */
  failed: string[];
  /** `kind:source` of sources that loaded in this build. */
  loaded: string[];
}

export function buildServing(inputs: ServingInputs): BuiltServing {
  const { root, plan } = inputs;
  const endpoints = new Map<string, ServedEndpoint>();
  const unavailable = new Map<string, string>();
  const files: string[] = [];
  const failed: string[] = [];
  const loaded: string[] = [];
  for (const kind of ["node", "python"] as const) {
    const entries = plan.runtimes[kind];
    const runtime = inputs.runtimes[kind];
    if (entries.length === 0 || !runtime) continue;
    for (const entry of entries) endpoints.set(entry.id, { id: entry.id, runtime });
    for (const source of inputs.reports[kind]?.sources ?? []) {
      files.push(...source.inputs.map((p) => (isAbsolute(p) ? p : join(root, p))));
      const key = `${kind}:${source.source}`;
      if (source.ok) {
        loaded.push(key);
        continue;
      }
      failed.push(source.source);
      // A source with a good version keeps serving it (the runtime holds on to it); one that never
      // loaded cannot answer, and says why.
      if (inputs.loadedBefore.has(key)) continue;
      const where = source.error?.file ? `${source.error.file}:${source.error.line ?? 1}:${source.error.column ?? 1}: ` : "";
      for (const entry of entries) if (entry.source === source.source) unavailable.set(entry.id, `${where}${source.error?.message ?? "the source failed to load"}`);
    }
  }
  const previous = inputs.previous;
  const router = previous !== undefined && sameRoutes(previous.plan.routes, plan.routes) ? previous.router : createRouter(plan.routes);
  const state: ServingState = { hookId: inputs.hookId, router, endpoints, unavailable, settings: inputs.settings };
  return { state, inputs: files, failed, loaded };
}

/** Whether two route lists build the same router (same rules, methods and endpoints, in the same order). */
export function sameRoutes(a: readonly RouteRule[], b: readonly RouteRule[]): boolean {
  return a.length === b.length && a.every((route, i) => route.rule === b[i]?.rule && route.method === b[i]?.method && route.endpoint === b[i]?.endpoint);
}
