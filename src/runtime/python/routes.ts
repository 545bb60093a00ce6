/**
 * Which worker serves which endpoint after a (re)load. Pure: a source that loaded in the new worker
 * is served there; one that failed keeps its last good version (an older worker that is still
 * alive) or becomes unavailable with the reason.
 */
import type { LoadReport, RuntimeLoadPlan, SourceLoadResult } from "../contract.js";

export type Route<W> = { kind: "worker"; worker: W; source: string } | { kind: "unavailable"; message: string };

/** The plan's sources in order, each with the endpoints it serves. */
export function groupSources(plan: RuntimeLoadPlan): Array<{ source: string; endpoints: string[] }> {
  const bySource = new Map<string, string[]>();
  for (const endpoint of plan.endpoints) {
    const list = bySource.get(endpoint.source) ?? [];
    list.push(endpoint.id);
    bySource.set(endpoint.source, list);
  }
  return [...bySource].map(([source, endpoints]) => ({ source, endpoints }));
}

/** `file:line: message`, the way a failed source is named to whoever calls one of its endpoints. */
export function describeFailure(result: SourceLoadResult): string {
  const error = result.error;
  if (!error) return `${result.source} failed to load`;
  const place = error.file ? `${error.file}${error.line ? `:${error.line}` : ""}: ` : "";
  return `${result.source} failed to load: ${place}${error.message}`;
}

/** Every source failed for one reason (the new worker never finished loading). */
export function failedReport(plan: RuntimeLoadPlan, message: string): LoadReport {
  return {
    sources: groupSources(plan).map(({ source }) => ({ source, ok: false, inputs: [source], error: { message } })),
  };
}

export function planRoutes<W>(input: {
  plan: RuntimeLoadPlan;
  results: SourceLoadResult[];
  fresh: W | undefined;
  previous: ReadonlyMap<string, Route<W>>;
  canKeep: (worker: W) => boolean;
}): Map<string, Route<W>> {
  const bySource = new Map(input.results.map((result) => [result.source, result]));
  const routes = new Map<string, Route<W>>();
  for (const endpoint of input.plan.endpoints) {
    const result = bySource.get(endpoint.source);
    if (result?.ok && input.fresh !== undefined) {
      routes.set(endpoint.id, { kind: "worker", worker: input.fresh, source: endpoint.source });
      continue;
    }
    const before = input.previous.get(endpoint.id);
    if (before?.kind === "worker" && before.source === endpoint.source && input.canKeep(before.worker)) {
      routes.set(endpoint.id, before);
      continue;
    }
    const message = result ? describeFailure(result) : `${endpoint.source} is not loaded`;
    routes.set(endpoint.id, { kind: "unavailable", message });
  }
  return routes;
}
