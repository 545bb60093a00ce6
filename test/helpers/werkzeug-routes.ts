/**
 * The routing conformance tests' shared half: generated rule maps joined into one map (each under
 * `/c<i>`) with werkzeug's answer to every request, that map as a plugin whose handlers echo their
 * typed values, and the check of one answer against werkzeug's. `loadPlugin` and `build` run it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRouter, type RouteRule } from "../../src/router/index.js";
import { endpointYaml, groupYaml, manifestYaml, type PluginFiles } from "./temp-plugin.js";
import { ORACLE, type Case, type OracleResult } from "./werkzeug-oracle.js";

/** One request of a combined map, and the case it came from. */
export interface MapRequest {
  path: string;
  method: string;
  index: number;
  original: Case;
  originalPath: string;
}

const MISS = "Failed to dispatch endpoint request: ";

/** The cases as one map (each under `/c<i>`), with werkzeug's answer to each request. */
export function combinedMap(python: string, cases: readonly Case[]): { rules: RouteRule[]; requests: MapRequest[]; results: OracleResult[] } {
  const rules: RouteRule[] = [];
  const requests: MapRequest[] = [];
  cases.forEach((c, i) => {
    const rejected = new Set(createRouter(c.rules).rejected.map((r) => r.index));
    const seen = new Set<string>();
    c.rules.forEach((rule, j) => {
      const key = `${rule.rule} ${rule.method}`;
      if (rejected.has(j) || seen.has(key)) return;
      seen.add(key);
      rules.push({ rule: `/c${i}${rule.rule}`, method: rule.method, endpoint: `c${i}e${j}` });
    });
    for (const [path, method] of c.requests) requests.push({ path: `/c${i}${path}`, method, index: i, original: c, originalPath: path });
  });
  const run = spawnSync(python, ["-c", ORACLE], { input: JSON.stringify([{ rules, requests: requests.map((r) => [r.path, r.method]) }]), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const [answer] = JSON.parse(run.stdout) as Array<{ rejected: number[]; results: OracleResult[] }>;
  assert.deepEqual(answer!.rejected, []);
  return { rules, requests, results: answer!.results };
}

const TYPESCRIPT_SOURCE = (j: number) => `import { Endpoint } from "endpoint-kit";
export default class E${j} extends Endpoint {
  _invoke(_r: Request, values: Record<string, unknown>): Response {
    return Response.json({ endpoint: "e${j}", values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [typeof v, String(v)]])) });
  }
}
`;
const PYTHON_SOURCE = (j: number) => `import json
from dify_plugin import Endpoint
from werkzeug import Response


class E${j}(Endpoint):
    def _invoke(self, r, values, settings):
        typed = {k: [type(v).__name__, str(v)] for k, v in values.items()}
        return Response(json.dumps({"endpoint": "e${j}", "values": typed}), content_type="application/json")
`;

/** The map as a plugin: each rule an endpoint whose handler answers its name and its values as `[type, text]`. */
export function routesPlugin(rules: readonly RouteRule[], language: "typescript" | "python"): PluginFiles {
  const extension = language === "typescript" ? "ts" : "py";
  const files: PluginFiles = {
    "manifest.yaml": manifestYaml({ name: "routes", language, group: "group/routes.yaml" }),
    "_assets/icon.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "group/routes.yaml": groupYaml(rules.map((r) => `endpoints/${r.endpoint}.yaml`)),
  };
  for (let j = 0; j < 5; j += 1) files[`endpoints/e${j}.${extension}`] = language === "typescript" ? TYPESCRIPT_SOURCE(j) : PYTHON_SOURCE(j);
  for (const r of rules) files[`endpoints/${r.endpoint}.yaml`] = endpointYaml({ path: r.rule, method: r.method, source: `endpoints/${r.endpoint.replace(/^c\d+/, "")}.${extension}`, language });
  return files;
}

/**
 * How our answer to `request` differs from werkzeug's (`theirs`): Dify's 404 with werkzeug's
 * exception text for a miss, else the right endpoint with the same values; empty when it agrees.
 */
export function answerDifferences(
  request: MapRequest,
  theirs: OracleResult,
  answer: { status: number; text: string },
  sameValue: (type: string, ours: [string, string], theirs: string) => boolean,
): string[] {
  const where = `${request.method} ${JSON.stringify(request.path)}`;
  const { status, text } = answer;
  if (theirs.kind === "error") return [];
  if (theirs.kind !== "ok") {
    const reason = theirs.kind === "redirect" ? `308 Permanent Redirect: ${theirs.location}` : theirs.kind === "method-not-allowed" ? "405 Method Not Allowed: " : "404 Not Found: ";
    return status !== 404 || (request.method !== "HEAD" && !text.startsWith(MISS + reason)) ? [`${where}: ${status} ${text} vs ${theirs.kind}`] : [];
  }
  if (status !== 200) return [`${where}: ${status} ${text} vs ${theirs.endpoint}`];
  if (request.method === "HEAD") return [];
  const failures: string[] = [];
  const body = JSON.parse(text) as { endpoint: string; values: Record<string, [string, string]> };
  if (`c${request.index}${body.endpoint}` !== theirs.endpoint) failures.push(`${where}: endpoint c${request.index}${body.endpoint} vs ${theirs.endpoint}`);
  for (const [name, [type, value]] of Object.entries(theirs.values)) {
    const ours = body.values[name];
    if (!ours || !sameValue(type, ours, value)) failures.push(`${where}: value ${name} ${JSON.stringify(ours)} vs ${type} ${value}`);
  }
  return failures;
}
