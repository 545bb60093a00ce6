/**
 * The routing conformance test with real werkzeug, run end to end through `loadPlugin()` in-process:
 * generated rule maps become one TypeScript and one Python plugin (each map under its own `/c<i>`
 * prefix), werkzeug matches the same requests, and every answer must be what Dify would send: the
 * endpoint's own answer with werkzeug's values, or the 404 with werkzeug's exception text.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadPlugin } from "../src/index.js";
import { writeFiles } from "./helpers/temp-plugin.js";
import { compareVersions, EDGE_VALUES, findWerkzeugPython, generateCases, isLegacyDifference, sameHandlerValue, sameValue } from "./helpers/werkzeug-oracle.js";
import { answerDifferences, combinedMap, routesPlugin } from "./helpers/werkzeug-routes.js";

const MAPS = 40;
const found = findWerkzeugPython();

const PYTHON_TYPES: Record<string, string> = { int: "int", float: "float", uuid: "UUID", string: "str" };

function sameTypedValue(language: "typescript" | "python", type: string, ours: [string, string], theirs: string): boolean {
  if (language === "python") return ours[0] === PYTHON_TYPES[type] && sameValue(type, ours[1], theirs);
  return sameHandlerValue(type, ours, theirs);
}

describe("routing through loadPlugin matches werkzeug", { skip: found ? false : "no Python with werkzeug (apt-get install python3-werkzeug)" }, () => {
  for (const language of ["typescript", "python"] as const) {
    test(`a ${language} plugin`, { timeout: 120_000 }, async (t) => {
      // Upper-case UUIDs and ints beyond 2^53 always among them, for both languages.
      const { rules, requests, results } = combinedMap(found!.python, [...generateCases(20240611, MAPS), EDGE_VALUES]);
      const base = await mkdtemp(join(tmpdir(), "endpoint-kit-werkzeug-"));
      await writeFiles(base, routesPlugin(rules, language));
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
          failures.push(...answerDifferences(request, theirs, { status: response.status, text }, (type, ours, value) => sameTypedValue(language, type, ours, value)));
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
