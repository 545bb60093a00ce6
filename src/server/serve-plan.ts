/**
 * What `dev` will serve, derived from a loaded project: the routes for the router, which runtime runs
 * each endpoint, and what cannot be served and why. Pure.
 */
import type { Endpoint, Project, YamlFile } from "../manifest/model.js";
import { getIn, getNode, stringOf } from "../manifest/query.js";
import type { RouteRule } from "../router/index.js";
import type { RuntimeEndpoint } from "../runtime/contract.js";

export type RuntimeKind = "node" | "python";

export interface PlannedEndpoint {
  id: string;
  path: string;
  method: string;
  runtime: RuntimeKind;
  source: string;
  hidden: boolean;
}

export interface ServePlan {
  endpoints: PlannedEndpoint[];
  routes: RouteRule[];
  runtimes: Record<RuntimeKind, RuntimeEndpoint[]>;
  /** Endpoints left out, with the reason, for the banner. */
  skipped: Array<{ id: string; reason: string }>;
  /** Endpoints whose YAML no longer parses, served with their last good definition (the reload line names them). */
  kept?: string[];
}

/** A stable id for an endpoint: its YAML file, or `group.yaml#N` for one written inline. */
export function endpointId(endpoint: Endpoint): string {
  if (endpoint.file !== endpoint.group.file) return endpoint.file.relative;
  return `${endpoint.file.relative}#${endpoint.group.endpoints.indexOf(endpoint) + 1}`;
}

/**
 * `previous` is the plan being served: an endpoint file that no longer parses keeps its last good
 * definition, as a source that fails to build keeps its last good code (a typo in one YAML file must
 * not turn its endpoint into a 404 while the others are served).
 */
export function planServing(project: Project, previous?: ServePlan): ServePlan {
  const plan: ServePlan = { endpoints: [], routes: [], runtimes: { node: [], python: [] }, skipped: [] };
  const prefersTypescript = stringOf(getIn(project.manifest?.root, ["meta", "runner", "language"])) === "typescript";
  for (const group of project.groups) {
    for (const endpoint of group.endpoints) {
      const id = endpointId(endpoint);
      const path = stringOf(getNode(endpoint.node, "path"));
      const method = stringOf(getNode(endpoint.node, "method"))?.toUpperCase();
      const ts = stringOf(getIn(endpoint.node, ["extra", "typescript", "source"]));
      const py = stringOf(getIn(endpoint.node, ["extra", "python", "source"]));
      const useTs = ts !== undefined && (py === undefined || prefersTypescript);
      const source = useTs ? ts : py;
      const available = source !== undefined && project.references.some((r) => r.kind === "source" && r.target === source && r.from === endpoint.file && r.status === "ok");
      if (!path || !method) {
        plan.skipped.push({ id, reason: "no valid path or method" });
        continue;
      }
      if (!source || !available) {
        plan.skipped.push({ id, reason: source ? `its source ${source} cannot be used` : "no source" });
        continue;
      }
      const runtime: RuntimeKind = useTs ? "node" : "python";
      const hidden = (getNode(endpoint.node, "hidden") as { value?: unknown } | undefined)?.value === true;
      plan.endpoints.push({ id, path, method, runtime, source, hidden });
      plan.routes.push({ rule: path, method, endpoint: id });
      plan.runtimes[runtime].push({ id, source });
    }
  }
  if (previous !== undefined) keepBrokenEndpoints(project, previous, plan);
  return plan;
}

function keepBrokenEndpoints(project: Project, previous: ServePlan, plan: ServePlan): void {
  const isBroken = (file: YamlFile) => file.problem !== undefined || file.unreadable !== undefined || file.root === undefined;
  const broken = new Set((project.files as YamlFile[]).filter((file) => "role" in file && isBroken(file)).map((file) => file.relative));
  const planned = new Set(plan.endpoints.map((endpoint) => endpoint.id));
  for (const old of previous.endpoints) {
    if (!broken.has(old.id) || planned.has(old.id)) continue;
    plan.endpoints.push(old);
    plan.routes.push({ rule: old.path, method: old.method, endpoint: old.id });
    plan.runtimes[old.runtime].push({ id: old.id, source: old.source });
    (plan.kept ??= []).push(old.id);
  }
}
