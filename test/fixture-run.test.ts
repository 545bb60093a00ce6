import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { formatJsonReport, formatJunitReport, formatTapReport } from "../src/fixtures/report-machine.js";
import { formatTextReport } from "../src/fixtures/report-text.js";
import { LoadFailure, type RunnablePlugin } from "../src/fixtures/run-fixtures.js";
import { runSuite } from "../src/fixtures/run-suite.js";

/** A fake plugin: echoes the request as JSON, after a delay that makes later files finish first. */
function fakeLoad(loads: Array<Record<string, unknown>>) {
  return async (settings: Record<string, unknown>): Promise<RunnablePlugin> => {
    loads.push(settings);
    return {
      async request(path, init) {
        const delay = Number(/delay=(\d+)/.exec(path)?.[1] ?? 0);
        await new Promise((r) => setTimeout(r, delay));
        if (path.startsWith("/boom")) throw new Error(`handler crashed with ${String(settings.api_key)}`);
        if (path.startsWith("/stream")) {
          const body = new ReadableStream({
            start(c) {
              c.enqueue(new TextEncoder().encode("a"));
              c.enqueue(new TextEncoder().encode("b"));
              c.close();
            },
          });
          return new Response(body, { headers: { "content-type": "text/plain" } });
        }
        const body = init.body ? new TextDecoder().decode(init.body as Uint8Array) : null;
        return Response.json({ path, method: init.method, body, key: settings.api_key ?? null });
      },
      async close() {},
    };
  };
}

async function withFixtures(files: Record<string, string>, run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "ek-fixtures-"));
  try {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, "fixtures", name, ".."), { recursive: true });
      await writeFile(join(dir, "fixtures", name), text);
    }
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const pass = (path: string) => `request: {method: GET, path: "${path}"}\nexpect:\n  status: 200\n  body:\n    json: {path: "${path}", method: GET, body: null, key: secret-value}\n`;

test("runs every fixture in parallel, reports them in file order, one load per distinct settings", async () => {
  const files = {
    "a.yaml": pass("/a?delay=30"),
    "b/c.yaml": pass("/c?delay=1"),
    "d.yaml": "request: {method: POST, path: /d, body: {json: {x: 1}}}\nsettings: {api_key: other}\nexpect:\n  body: {contains: '\"key\":\"other\"'}\n",
    "e.yaml": "request: {method: GET, path: /e}\nexpect: {status: 201}\n",
    "f.yaml": "request: {method: PATCH, path: /f}\n",
    "g.yaml": "skip: not yet\nrequest: {method: GET, path: /g}\n",
    "h.yaml": "request: {method: GET, path: /boom}\nexpect: {status: 200}\n",
    "i.yaml": "request: {method: GET, path: /stream}\nexpect:\n  body: ab\n  chunks: [a, b]\n",
  };
  await withFixtures(files, async (dir) => {
    const loads: Array<Record<string, unknown>> = [];
    const { report, found } = await runSuite({
      fixturesDir: join(dir, "fixtures"),
      cwd: dir,
      load: fakeLoad(loads),
      baseSettings: { api_key: "secret-value" },
      secretNames: ["api_key"],
      update: false,
      jobs: 4,
    });
    assert.deepEqual(
      report.cases.map((c) => [c.file, c.status]),
      [
        ["fixtures/a.yaml", "passed"],
        ["fixtures/b/c.yaml", "passed"],
        ["fixtures/d.yaml", "passed"],
        ["fixtures/e.yaml", "failed"],
        ["fixtures/f.yaml", "invalid"],
        ["fixtures/g.yaml", "skipped"],
        ["fixtures/h.yaml", "error"],
        ["fixtures/i.yaml", "passed"],
      ],
    );
    assert.deepEqual(loads, [{ api_key: "secret-value" }, { api_key: "other" }]);
    assert.deepEqual(report.summary, { ...report.summary, total: 8, passed: 4, failed: 1, invalid: 1, skipped: 1, errors: 1, updated: 0 });
    const error = report.cases.find((c) => c.status === "error")?.error ?? "";
    assert.equal(error, "handler crashed with ****", "secret-input values are masked");
    const invalid = report.cases.find((c) => c.status === "invalid");
    assert.deepEqual(invalid?.diagnostics.map((d) => [d.line, d.column, d.rule]), [[1, 19, "fixture"]]);

    const text = formatTextReport(report, { color: false, sources: found.sources });
    assert.match(text, /^✓ fixtures\/a\.yaml [\d.]+ m?s$/m);
    assert.match(text, /^✗ fixtures\/e\.yaml [\d.]+ m?s\n {4}status: expected 201, got 200$/m);
    assert.match(text, /fixtures\/f\.yaml:1:19: error: Dify never routes the method "PATCH" to an endpoint \[fixture\]\n\s+1 \| request: \{method: PATCH, path: \/f\}\n\s+\|\s+\^~~~~/);
    assert.match(text, /^1 failed, 1 errored, 1 invalid, 1 skipped, 4 passed \(8 fixtures\) in [\d.]+ m?s$/m);

    const junit = formatJunitReport(report);
    assert.match(junit, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="endpoint-kit test" tests="8" failures="1" errors="2" skipped="1" time="[\d.]+">/);
    assert.match(junit, /<testcase name="fixtures\/e\.yaml" classname="fixtures\/e\.yaml" file="fixtures\/e\.yaml" time="[\d.]+">\n\s+<failure message="status: expected 201, got 200" type="status">/);
    assert.match(junit, /<testcase name="fixtures\/f\.yaml"[^>]*>\n\s+<error message="Dify never routes the method &quot;PATCH&quot; to an endpoint" type="invalid-fixture">/);
    assert.match(junit, /<testcase name="fixtures\/g\.yaml"[^>]*>\n\s+<skipped message="not yet"\/>/);

    const tap = formatTapReport(report);
    assert.match(tap, /^TAP version 13\n1\.\.8\nok 1 - fixtures\/a\.yaml\n/);
    assert.match(tap, /^not ok 4 - fixtures\/e\.yaml\n {2}---\n {2}message: "status: expected 201, got 200"\n/m);
    assert.match(tap, /^ok 6 - fixtures\/g\.yaml # SKIP not yet$/m);

    const json = JSON.parse(formatJsonReport(report)) as { summary: { total: number }; cases: Array<{ status: string; failures: unknown[] }> };
    assert.equal(json.summary.total, 8);
    assert.deepEqual(json.cases[3]?.failures, [{ part: "status", name: null, message: "status: expected 201, got 200", detail: null }]);
  });
});

test("--grep keeps the cases whose name or file matches", async () => {
  await withFixtures({ "a.yaml": `name: Refund\n${pass("/a")}`, "b.yaml": pass("/b") }, async (dir) => {
    const { report } = await runSuite({ fixturesDir: join(dir, "fixtures"), cwd: dir, load: fakeLoad([]), baseSettings: { api_key: "secret-value" }, secretNames: [], grep: "refund", update: false, jobs: 1 });
    assert.deepEqual(report.cases.map((c) => c.name), ["Refund"]);
  });
});

test("--update rewrites failing cases only, and reports them updated", async () => {
  const failing = "# keep me\nrequest: {method: GET, path: /x}\nexpect:\n  status: 200 # status\n  body:\n    json: {path: /old}\n";
  await withFixtures({ "a.yaml": pass("/a"), "x.yaml": failing }, async (dir) => {
    const { report } = await runSuite({ fixturesDir: join(dir, "fixtures"), cwd: dir, load: fakeLoad([]), baseSettings: { api_key: "secret-value" }, secretNames: [], update: true, jobs: 2 });
    assert.deepEqual(report.cases.map((c) => c.status), ["passed", "updated"]);
    assert.equal(await readFile(join(dir, "fixtures/a.yaml"), "utf8"), pass("/a"), "a passing case is not touched");
    assert.equal(
      await readFile(join(dir, "fixtures/x.yaml"), "utf8"),
      "# keep me\nrequest: {method: GET, path: /x}\nexpect:\n  status: 200 # status\n  body:\n    json:\n      path: /x\n      method: GET\n      body: null\n      key: secret-value\n",
    );
  });
});

test("a plugin that cannot load makes its cases errors that say why", async () => {
  await withFixtures({ "a.yaml": pass("/a") }, async (dir) => {
    const load = async (): Promise<RunnablePlugin> => {
      throw new LoadFailure("the plugin cannot be served", [{ file: "manifest.yaml", line: 2, column: 3, severity: "error", rule: "manifest-type", message: "type is wrong" }]);
    };
    const { report } = await runSuite({ fixturesDir: join(dir, "fixtures"), cwd: dir, load, baseSettings: {}, secretNames: [], update: false, jobs: 1 });
    assert.equal(report.cases[0]?.status, "error");
    assert.equal(report.cases[0]?.error, "the plugin cannot be served\nmanifest.yaml:2:3: type is wrong [manifest-type]");
  });
});
