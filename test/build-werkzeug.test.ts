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
import { startBuilt, WORKERD, type BuiltServer } from "./helpers/built-server.js";
import { writeFiles } from "./helpers/temp-plugin.js";
import { compareVersions, findWerkzeugPython, generateCases, isLegacyDifference, sameHandlerValue, type OracleResult } from "./helpers/werkzeug-oracle.js";
import { answerDifferences, combinedMap, routesPlugin, type MapRequest } from "./helpers/werkzeug-routes.js";

const MAPS = 40;
const found = findWerkzeugPython();
const workerdRuns = spawnSync(WORKERD, ["--version"], { encoding: "utf8" }).status === 0;

/**
 * A Fetch `Request` (what Workers hands a worker) resolves `.` and `..` segments, `%2e` spellings
 * included, before any code sees the path; a server that passes the raw target (Node's) does not.
 */
function hasDotSegment(path: string): boolean {
  return decodePath(path.replace(/%2e/gi, ".")).split("/").some((segment) => segment === "." || segment === "..");
}

describe("routing of the built outputs matches werkzeug", { skip: found ? false : "no Python with werkzeug (apt-get install python3-werkzeug)" }, () => {
  let base: string;
  let requests: MapRequest[] = [];
  let results: OracleResult[] = [];

  before(async () => {
    const map = combinedMap(found!.python, generateCases(20240611, MAPS));
    requests = map.requests;
    results = map.results;
    base = await mkdtemp(join(tmpdir(), "endpoint-kit-build-werkzeug-"));
    const plugin = join(base, "plugin");
    await writeFiles(plugin, routesPlugin(map.rules, "typescript"));
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
          failures.push(...answerDifferences(request, theirs, { status: response.status, text: response.body }, sameHandlerValue));
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
