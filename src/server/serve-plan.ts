/**
 * What `dev` will serve, derived from a loaded project: the routes for the router, which runtime runs
 * each endpoint, and what cannot be served and why. Pure.
 */
import type { Endpoint, Project } from "../manifest/model.js";
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
}

/** A stable id for an endpoint: its YAML file, or `group.yaml#N` for one written inline. */
export function endpointId(endpoint: Endpoint): string {
  if (endpoint.file !== endpoint.group.file) return endpoint.file.relative;
  return `${endpoint.file.relative}#${endpoint.group.endpoints.indexOf(endpoint) + 1}`;
}

export function planServing(project: Project): ServePlan {
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
  return plan;
}
