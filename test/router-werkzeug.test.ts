/**
 * Conformance with real werkzeug: a seeded generator builds maps of rules and requests for them,
 * one Python process matches them all with werkzeug, and the router must give the same answers.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { createRouter, type MatchResult } from "../src/router/index.js";
import { convertRouteValues, flattenRouteValues } from "../src/runtime/node/protocol.js";
import { compareVersions, EDGE_VALUES, findWerkzeugPython, generateCases, isLegacyDifference, ORACLE, sameHandlerValue, sameValue, type OracleResult } from "./helpers/werkzeug-oracle.js";

function compare(ours: MatchResult, theirs: OracleResult): string | undefined {
  if (ours.kind !== theirs.kind) return `kind ${ours.kind} vs ${theirs.kind}`;
  if (ours.kind === "ok" && theirs.kind === "ok") {
    if (ours.endpoint !== theirs.endpoint) return `endpoint ${ours.endpoint} vs ${theirs.endpoint}`;
    const names = Object.keys(theirs.values);
    if (Object.keys(ours.values).sort().join() !== names.sort().join()) return "value names differ";
    for (const name of names) {
      const [type, text] = theirs.values[name] ?? ["", ""];
      const value = ours.values[name];
      if (value?.type !== type || !sameValue(type, value.text, text)) return `value ${name}: ${JSON.stringify(value)} vs ${type} ${text}`;
    }
    // What a TypeScript handler receives from these values.
    const handler = convertRouteValues(flattenRouteValues(ours.values));
    for (const name of names) {
      const [type, text] = theirs.values[name] ?? ["", ""];
      const value = handler[name];
      if (!sameHandlerValue(type, [typeof value, String(value)], text)) return `TypeScript handler value ${name}: ${typeof value} ${String(value)} vs ${type} ${text}`;
    }
  }
  if (ours.kind === "method-not-allowed" && theirs.kind === "method-not-allowed" && ours.allowed.join() !== theirs.allowed.join()) {
    return `allowed ${ours.allowed.join()} vs ${theirs.allowed.join()}`;
  }
  if (ours.kind === "redirect" && theirs.kind === "redirect" && `http://localhost${ours.location}` !== theirs.location) {
    return `location ${ours.location} vs ${theirs.location}`;
  }
  return undefined;
}

test("the router matches exactly as werkzeug does on generated rules and requests", (t) => {
  const found = findWerkzeugPython();
  if (found === undefined) {
    t.skip("no Python with werkzeug (tried python3 and /usr/bin/python3; apt-get install python3-werkzeug)");
    return;
  }
  const isLegacy = compareVersions(found.version, "2.3") < 0;
  const cases = [...generateCases(20240611, 260), EDGE_VALUES];
  const run = spawnSync(found.python, ["-c", ORACLE], { input: JSON.stringify(cases), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const answers = JSON.parse(run.stdout) as Array<{ rejected: number[]; results: OracleResult[] }>;
  const failures: string[] = [];
  let compared = 0;
  let skipped = 0;
  cases.forEach((c, i) => {
    const answer = answers[i];
    assert.ok(answer);
    const router = createRouter(c.rules);
    const rejected = router.rejected.map((r) => r.index);
    if (rejected.join() !== answer.rejected.join()) failures.push(`${JSON.stringify(c.rules)}: rejected ${rejected.join()} vs ${answer.rejected.join()}`);
    c.requests.forEach(([path, method], r) => {
      const theirs = answer.results[r];
      assert.ok(theirs);
      if (isLegacy && isLegacyDifference(c, path)) {
        skipped += 1;
        return;
      }
      compared += 1;
      const difference = compare(router.match(path, method), theirs);
      if (difference !== undefined) failures.push(`${JSON.stringify(c.rules)} ${method} ${JSON.stringify(path)}: ${difference}`);
    });
  });
  const summary = `compared ${compared} requests over ${cases.length} maps with werkzeug ${found.version} (${found.python})`;
  const legacyNote = isLegacy ? `; ${skipped} left out where werkzeug < 2.3 differs from 3.x` : "";
  t.diagnostic(summary + legacyNote);
  console.log(`router-werkzeug: ${summary}${legacyNote}`);
  assert.ok(compared >= 1000, `only ${compared} cases`);
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} differences`);
});
