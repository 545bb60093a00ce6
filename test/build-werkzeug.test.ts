/**
 * The routing conformance test with real werkzeug, run against `build` outputs over HTTP: generated
 * rule maps become one TypeScript plugin (each map under its own `/c<i>` prefix), built for Node and
 * for Workers, served by `node server.mjs` and `workerd serve`; werkzeug matches the same requests,
 * and every answer must be what Dify would send (and `dev` sends): the endpoint's own answer with
 * werkzeug's values, or the 404 with werkzeug's exception text.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildPlugin } from "../src/build/index.js";
import { decodePath } from "../src/router/path-text.js";
import { createRouter, type RouteRule } from "../src/router/index.js";
import { startBuilt, WORKERD, type BuiltServer } from "./helpers/built-server.js";
import { endpointYaml, groupYaml, manifestYaml, writeFiles } from "./helpers/temp-plugin.js";
import { compareVersions, findWerkzeugPython, generateCases, isLegacyDifference, ORACLE, sameHandlerValue, type Case, type OracleResult } from "./helpers/werkzeug-oracle.js";

const MAPS = 40;
const MISS = "Failed to dispatch endpoint request: ";
const found = findWerkzeugPython();
const workerdRuns = spawnSync(WORKERD, ["--version"], { encoding: "utf8" }).status === 0;

interface Request {
  path: string;
  method: string;
  index: number;
  original: Case;
  originalPath: string;
}

const SOURCE = (j: number) => `import { Endpoint } from "endpoint-kit";
export default class E${j} extends Endpoint {
  _invoke(_r: Request, values: Record<string, unknown>): Response {
    return Response.json({ endpoint: "e${j}", values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [typeof v, String(v)]])) });
  }
}
`;

/**
 * A Fetch `Request` (what Workers hands a worker) resolves `.` and `..` segments, `%2e` spellings
 * included, before any code sees the path; a server that passes the raw target (Node's) does not.
 */
function hasDotSegment(path: string): boolean {
  return decodePath(path.replace(/%2e/gi, ".")).split("/").some((segment) => segment === "." || segment === "..");
}

describe("routing of the built outputs matches werkzeug", { skip: found ? false : "no Python with werkzeug (apt-get install python3-werkzeug)" }, () => {
  let base: string;
  const requests: Request[] = [];
  let results: OracleResult[] = [];

  before(async () => {
    const rules: RouteRule[] = [];
    generateCases(20240611, MAPS).forEach((c, i) => {
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
    results = answer!.results;
    base = await mkdtemp(join(tmpdir(), "endpoint-kit-build-werkzeug-"));
    const plugin = join(base, "plugin");
    const files: Record<string, string> = {
      "manifest.yaml": manifestYaml({ name: "routes", language: "typescript", group: "group/routes.yaml" }),
      "_assets/icon.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
      "group/routes.yaml": groupYaml(rules.map((r) => `endpoints/${r.endpoint}.yaml`)),
    };
    for (let j = 0; j < 5; j += 1) files[`endpoints/e${j}.ts`] = SOURCE(j);
    for (const r of rules) files[`endpoints/${r.endpoint}.yaml`] = endpointYaml({ path: r.rule, method: r.method, source: `endpoints/${r.endpoint.replace(/^c\d+/, "")}.ts`, language: "typescript" });
    await writeFiles(plugin, files);
    for (const target of ["node", "workers"] as const) await buildPlugin({ dir: plugin, cwd: base, target, out: join(base, target) });
  });

  after(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  for (const target of ["node", "workers"] as const) {
    test(`the ${target} output`, { timeout: 120_000, skip: target === "workers" && !workerdRuns ? "workerd does not run here" : false }, async (t) => {
      const server: BuiltServer = await startBuilt(target, join(base, target), {});
      const isLegacy = compareVersions(found!.version, "2.3") < 0;
      const failures: string[] = [];
      let compared = 0;
      let normalized = 0;
      try {
        for (const [n, request] of requests.entries()) {
          const theirs = results[n]!;
          if (theirs.kind === "error" || (isLegacy && isLegacyDifference(request.original, request.originalPath))) continue;
          if (target === "workers" && hasDotSegment(request.path)) {
            normalized += 1;
            continue;
          }
          compared += 1;
          // Host `localhost`, so that a redirect's URL is werkzeug's `http://localhost/...`.
          const response = await server.request(request.path, { method: request.method, headers: { host: "localhost" } });
          const text = response.body;
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
            if (!ours || !sameHandlerValue(type, ours, value)) failures.push(`${where}: value ${name} ${JSON.stringify(ours)} vs ${type} ${value}`);
          }
        }
      } finally {
        await server.stop();
      }
      const note = normalized > 0 ? `; ${normalized} with a dot segment left out (the platform resolves them before the worker runs)` : "";
      t.diagnostic(`compared ${compared} requests with werkzeug ${found!.version}${note}`);
      assert.ok(compared >= 150, `only ${compared} requests`);
      assert.deepEqual(failures.slice(0, 20), [], `${failures.length} differences`);
    });
  }
});
