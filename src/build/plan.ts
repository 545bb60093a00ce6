/**
 * Planning, the pure half of `build`: a loaded plugin in, what the output serves out (each endpoint's
 * route and TypeScript source, the settings and their variables, the hook id for bare paths), or the
 * reasons it cannot be built (a plugin with only Python sources points to `package`).
 */
import { createHash } from "node:crypto";
import type { Project } from "../manifest/model.js";
import { getIn, getNode, stringOf } from "../manifest/query.js";
import { endpointId } from "../server/serve-plan.js";
import { declaredSettings } from "../settings/declared.js";
import { mapSettingsToEnv } from "./env-names.js";
import type { EnvSetting } from "./runtime/env-settings.js";

export const TARGETS = ["workers", "node", "bun", "deno"] as const;
export type BuildTarget = (typeof TARGETS)[number];

export interface PlannedRoute {
  id: string;
  rule: string;
  method: string;
  /** Plugin-relative TypeScript/JavaScript source, or undefined when the endpoint has only Python. */
  source: string | undefined;
}

export interface BuildPlan {
  name: string;
  routes: PlannedRoute[];
  settings: EnvSetting[];
  hookId: string;
  /** Endpoints the output answers with a 500 (only a Python source), with the reason. */
  warnings: string[];
}

export type PlanResult = { ok: true; plan: BuildPlan } | { ok: false; problems: string[]; hint?: string };

export function planBuild(project: Project, options: { envPrefix?: string } = {}): PlanResult {
  const name = stringOf(getNode(project.manifest?.root, "name")) ?? "plugin";
  const routes: PlannedRoute[] = [];
  const warnings: string[] = [];
  for (const group of project.groups) {
    for (const endpoint of group.endpoints) {
      const id = endpointId(endpoint);
      const rule = stringOf(getNode(endpoint.node, "path"));
      const method = stringOf(getNode(endpoint.node, "method"))?.toUpperCase();
      if (rule === undefined || method === undefined) continue;
      const source = stringOf(getIn(endpoint.node, ["extra", "typescript", "source"]));
      if (source === undefined) warnings.push(`${method} ${rule} (${id}) has only a Python source: the output answers it with a 500`);
      routes.push({ id, rule, method, source });
    }
  }
  if (!routes.some((route) => route.source !== undefined)) {
    const problem = routes.length === 0 ? "the plugin declares no endpoint to build" : "the plugin's endpoints have only Python sources: `build` bundles TypeScript endpoints (extra.typescript.source)";
    return { ok: false, problems: [problem], hint: routes.length === 0 ? undefined : "Dify runs Python plugins itself: make a package for it with `endpoint-kit package`" };
  }
  const mapping = mapSettingsToEnv(declaredSettings(project.groups[0]), options.envPrefix);
  if (mapping.problems.length > 0) return { ok: false, problems: mapping.problems };
  return { ok: true, plan: { name, routes, settings: mapping.settings, hookId: hookIdFor(name), warnings } };
}

/** 16 lower-case letters like Dify's hook ids, stable per plugin name (the same on every build and machine). */
export function hookIdFor(name: string): string {
  const digest = createHash("sha256").update(`endpoint-kit build\0${name}`).digest();
  return Array.from(digest.subarray(0, 16), (byte) => String.fromCharCode(97 + (byte % 26))).join("");
}
