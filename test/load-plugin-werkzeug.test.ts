/**
 * The routing conformance test with real werkzeug, run end to end through `loadPlugin()` in-process:
 * generated rule maps become one TypeScript and one Python plugin (each map under its own `/c<i>`
 * prefix), werkzeug matches the same requests, and every answer must be what Dify would send: the
 * endpoint's own answer with werkzeug's values, or the 404 with werkzeug's exception text.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadPlugin } from "../src/index.js";
import { createRouter, type RouteRule } from "../src/router/index.js";
import { endpointYaml, groupYaml, manifestYaml, writeFiles } from "./helpers/temp-plugin.js";
import { compareVersions, EDGE_VALUES, findWerkzeugPython, generateCases, isLegacyDifference, ORACLE, sameHandlerValue, sameValue, type Case, type OracleResult } from "./helpers/werkzeug-oracle.js";

const MAPS = 40;
const found = findWerkzeugPython();
const MISS = "Failed to dispatch endpoint request: ";

/** The generated maps as one map (each under `/c<i>`), with werkzeug's answer to each request. */
function combinedMap(): { rules: RouteRule[]; requests: Array<{ path: string; method: string; index: number; original: Case; originalPath: string }>; results: OracleResult[] } {
  // Upper-case UUIDs and ints beyond 2^53 always among them, for both languages.
  const cases = [...generateCases(20240611, MAPS), EDGE_VALUES];
  const rules: RouteRule[] = [];
  const requests: Array<{ path: string; method: string; index: number; original: Case; originalPath: string }> = [];
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
  const run = spawnSync(found!.python, ["-c", ORACLE], { input: JSON.stringify([{ rules, requests: requests.map((r) => [r.path, r.method]) }]), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
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

const PYTHON_TYPES: Record<string, string> = { int: "int", float: "float", uuid: "UUID", string: "str" };

function sameTypedValue(language: "typescript" | "python", type: string, ours: [string, string], theirs: string): boolean {
  if (language === "python") return ours[0] === PYTHON_TYPES[type] && sameValue(type, ours[1], theirs);
  return sameHandlerValue(type, ours, theirs);
}

describe("routing through loadPlugin matches werkzeug", { skip: found ? false : "no Python with werkzeug (apt-get install python3-werkzeug)" }, () => {
  for (const language of ["typescript", "python"] as const) {
    test(`a ${language} plugin`, { timeout: 120_000 }, async (t) => {
      const { rules, requests, results } = combinedMap();
      const base = await mkdtemp(join(tmpdir(), "endpoint-kit-werkzeug-"));
      const extension = language === "typescript" ? "ts" : "py";
      const files: Record<string, string> = {
        "manifest.yaml": manifestYaml({ name: "routes", language, group: "group/routes.yaml" }),
        "_assets/icon.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
        "group/routes.yaml": groupYaml(rules.map((r) => `endpoints/${r.endpoint}.yaml`)),
      };
      for (let j = 0; j < 5; j += 1) files[`endpoints/e${j}.${extension}`] = language === "typescript" ? TYPESCRIPT_SOURCE(j) : PYTHON_SOURCE(j);
      for (const r of rules) files[`endpoints/${r.endpoint}.yaml`] = endpointYaml({ path: r.rule, method: r.method, source: `endpoints/${r.endpoint.replace(/^c\d+/, "")}.${extension}`, language });
      await writeFiles(base, files);
      const plugin = await loadPlugin(base, { python: found!.python });
      const isLegacy = compareVersions(found!.version, "2.3") < 0;
      const failures: string[] = [];
      let compared = 0;
      try {
        for (const [n, request] of requests.entries()) {
          const theirs = results[n]!;
          if (theirs.kind === "error" || (isLegacy && isLegacyDifference(request.original, request.originalPath))) continue;
          compared += 1;
          const response = await plugin.request(request.path, { method: request.method });
          const text = request.method === "HEAD" ? "" : await response.text();
          const where = `${request.method} ${JSON.stringify(request.path)}`;
          if (theirs.kind !== "ok") {
            const reason = theirs.kind === "redirect" ? `308 Permanent Redirect: ${theirs.location}` : theirs.kind === "method-not-allowed" ? "405 Method Not Allowed: " : "404 Not Found: ";
            if (response.status !== 404 || (request.method !== "HEAD" && !text.startsWith(MISS + reason))) failures.push(`${where}: ${response.status} ${text} vs ${theirs.kind}`);
            continue;
          }
          if (response.status !== 200) {
            failures.push(`${where}: ${response.status} ${text} vs ${theirs.endpoint}`);
            continue;
          }
          if (request.method === "HEAD") continue;
          const body = JSON.parse(text) as { endpoint: string; values: Record<string, [string, string]> };
          if (`c${request.index}${body.endpoint}` !== theirs.endpoint) failures.push(`${where}: endpoint c${request.index}${body.endpoint} vs ${theirs.endpoint}`);
          for (const [name, [type, value]] of Object.entries(theirs.values)) {
            const ours = body.values[name];
            if (!ours || !sameTypedValue(language, type, ours, value)) failures.push(`${where}: value ${name} ${JSON.stringify(ours)} vs ${type} ${value}`);
          }
        }
      } finally {
        await plugin.close();
        await rm(base, { recursive: true, force: true });
      }
      t.diagnostic(`compared ${compared} requests over ${rules.length} endpoints with werkzeug ${found!.version}`);
      assert.ok(compared >= 150, `only ${compared} requests`);
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} differences`);
    });
  }
});
