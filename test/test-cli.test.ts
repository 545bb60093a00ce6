import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { REPO_ROOT } from "./helpers/repo.js";

const bin = join(REPO_ROOT, "bin/endpoint-kit.js");
const base = await mkdtemp(join(tmpdir(), "ek-test-cli-"));
after(() => rm(base, { recursive: true, force: true }));
const env = { ...process.env, NO_COLOR: "1", USER: "tester" };
const PYTHON = [process.env.ENDPOINT_KIT_TEST_PYTHON, "python3", "/usr/bin/python3"].find((p) => p && spawnSync(p, ["-c", "import werkzeug"], { stdio: "ignore" }).status === 0);

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const LANGUAGES = [
  // [language, handler file, the edit that breaks it (a changed value and a secret in the answer)]
  ["typescript", "endpoints/hello.ts", (s: string) => s.replace('endpoint: "hello",', 'endpoint: "changed", key: settings.api_key,')],
  ["python", "endpoints/hello.py", (s: string) => s.replace('"endpoint": "hello",', '"endpoint": "changed", "key": settings.get("api_key"),')],
] as const;

for (const [language, handler, breakIt] of LANGUAGES) {
  const skip = language === "python" && !PYTHON ? "no python3 that can import werkzeug" : false;
  const py = language === "python" && PYTHON ? ["--python", PYTHON] : [];

  test(`${language}: a fresh plugin passes; a broken handler fails with a diff, JUnit and exit 1; --update records it`, { skip, timeout: 120_000 }, async () => {
    const cwd = await mkdtemp(join(base, `${language}-`));
    assert.equal(run(["init", "p", "--yes", "--language", language], cwd).code, 0);
    assert.equal(run(["init", "endpoint", "items", "--path", "/items/<int:id>", "--method", "POST", "--dir", "p"], cwd).code, 0);
    const passing = run(["test", "p", ...py], cwd);
    assert.equal(passing.code, 0, passing.stdout + passing.stderr);
    assert.match(passing.stdout, /^✓ hello answers with its path values \(p\/fixtures\/hello\.yaml\) [\d.]+ m?s$/m);
    assert.match(passing.stdout, /^2 passed \(2 fixtures\) in [\d.]+ m?s$/m);

    const source = join(cwd, "p", handler);
    await writeFile(source, breakIt(await readFile(source, "utf8")));
    const failing = run(["test", "p", ...py, "--format", "junit", "--output", "report.xml"], cwd);
    assert.equal(failing.code, 1, failing.stderr);
    // The text report still reaches the log; the secret from the fixture's settings is masked.
    assert.match(failing.stdout, /^✗ hello answers with its path values \(p\/fixtures\/hello\.yaml\) [\d.]+ m?s\n {4}body: the JSON differs in 2 places\n {6}\$\.endpoint: expected "hello", got "changed"\n {6}\$\.key: expected missing, got "\*\*\*\*"\n/m);
    assert.doesNotMatch(failing.stdout, /test-api-key/);
    assert.match(failing.stdout, /^1 failed, 1 passed \(2 fixtures\)/m);

    const junit = await readFile(join(cwd, "report.xml"), "utf8");
    assert.match(junit, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="endpoint-kit test" tests="2" failures="1" errors="0" skipped="0" time="\d+\.\d{3}">\n {2}<testsuite name="endpoint-kit test" tests="2" failures="1" errors="0" skipped="0" time="\d+\.\d{3}">\n/);
    assert.match(junit, /<testcase name="hello answers with its path values" classname="p\/fixtures\/hello\.yaml" file="p\/fixtures\/hello\.yaml" time="\d+\.\d{3}">\n {6}<failure message="body: the JSON differs in 2 places" type="body">body: the JSON differs in 2 places\n\$\.endpoint: expected &quot;hello&quot;, got &quot;changed&quot;\n/);
    assert.match(junit, /<testcase name="items answers with its path values" classname="p\/fixtures\/items\.yaml" file="p\/fixtures\/items\.yaml" time="\d+\.\d{3}"\/>/);
    assert.doesNotMatch(junit, /test-api-key/);

    const fixture = join(cwd, "p/fixtures/hello.yaml");
    const before = await readFile(fixture, "utf8");
    const items = await readFile(join(cwd, "p/fixtures/items.yaml"), "utf8");
    const updated = run(["test", "p", ...py, "--update"], cwd);
    assert.equal(updated.code, 0, updated.stdout + updated.stderr);
    assert.match(updated.stdout, /^↻ hello answers with its path values \(p\/fixtures\/hello\.yaml\) updated$/m);
    const after = await readFile(fixture, "utf8");
    assert.equal(after.slice(0, after.indexOf("  body:")), before.slice(0, before.indexOf("  body:")), "comments, request and status kept byte for byte");
    assert.match(after, /^ {6}endpoint: changed\n {6}key: test-api-key\n/m);
    assert.equal(await readFile(join(cwd, "p/fixtures/items.yaml"), "utf8"), items, "a passing case is not touched");
    assert.equal(run(["test", "p", ...py], cwd).code, 0);
  });

  test(`${language}: json and tap formats, --grep, an invalid fixture (exit 1), usage (exit 2) and environment (exit 3), invoke --save`, { skip, timeout: 120_000 }, async () => {
    const cwd = await mkdtemp(join(base, `${language}-`));
    assert.equal(run(["init", "p", "--yes", "--language", language], cwd).code, 0);
    await writeFile(join(cwd, "p/fixtures/bad.yaml"), "request:\n  method: PATCH\n  path: /hello/world\nexpect:\n  stauts: 200\n");

    const json = run(["test", "p", ...py, "--format", "json"], cwd);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { summary: Record<string, number>; cases: Array<{ file: string; status: string; diagnostics: Array<{ line: number; column: number; message: string; hint: string | null }> }> };
    assert.deepEqual({ total: report.summary.total, passed: report.summary.passed, invalid: report.summary.invalid }, { total: 2, passed: 1, invalid: 1 });
    assert.deepEqual(report.cases.map((c) => [c.file, c.status]), [["p/fixtures/bad.yaml", "invalid"], ["p/fixtures/hello.yaml", "passed"]]);
    assert.deepEqual(report.cases[0]?.diagnostics.map((d) => [d.line, d.column, d.hint]), [[2, 11, "use one of HEAD, GET, POST, PUT, DELETE, OPTIONS"], [5, 3, "did you mean `status`?"]]);

    const text = run(["test", "p", ...py], cwd);
    assert.match(text.stdout, /^! p\/fixtures\/bad\.yaml invalid fixture\n {4}p\/fixtures\/bad\.yaml:2:11: error: Dify never routes the method "PATCH" to an endpoint \[fixture\]\n {6}2 \| {3}method: PATCH\n/m);

    const tap = run(["test", "p", ...py, "--format", "tap", "--grep", "HELLO"], cwd);
    assert.equal(tap.code, 0, tap.stderr);
    assert.equal(tap.stdout, "TAP version 13\n1..1\nok 1 - hello answers with its path values (p/fixtures/hello.yaml)\n");

    const none = run(["test", "p", ...py, "--grep", "nothing-matches"], cwd);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no fixture name or file contains "nothing-matches"/);

    const saved = run(["invoke", "GET", "/hello/ada?x=1", "--dir", "p", ...py, "--save", "p/fixtures/saved/ada.yaml"], cwd);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stderr, /^saved p\/fixtures\/saved\/ada\.yaml: `endpoint-kit test` replays it$/m);
    const replayed = run(["test", "p", ...py, "--grep", "saved/"], cwd);
    assert.equal(replayed.code, 0, replayed.stdout);
    assert.match(replayed.stdout, /^✓ p\/fixtures\/saved\/ada\.yaml [\d.]+ m?s\n\n1 passed \(1 fixture\)/m);

    assert.equal(run(["test", "p", "--fixtures", "missing"], cwd).code, 2);
    assert.equal(run(["test", "p", "--format", "xml"], cwd).code, 2);
    assert.equal(run(["test", "p", "--update", "--watch"], cwd).code, 2);
    const noPython = run(["test", "p", "--python", join(cwd, "no-such-python")], cwd);
    assert.equal(noPython.code, 3, noPython.stderr);
    const unwritable = run(["test", "p", ...py, "--grep", "hello", "--format", "junit", "--output", join(cwd, "no/such/dir/r.xml")], cwd);
    assert.equal(unwritable.code, 3, unwritable.stderr);
  });

  test(`${language}: --watch reruns the saved fixture, then the fixtures a saved source affects`, { skip, timeout: 120_000 }, async () => {
    const cwd = await mkdtemp(join(base, `${language}-`));
    assert.equal(run(["init", "p", "--yes", "--language", language], cwd).code, 0);
    const child = spawn(process.execPath, [bin, "test", "p", "--watch", ...py], { cwd, env });
    let output = "";
    const waitFor = (pattern: RegExp, from: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output.slice(from))) {
            child.stdout.off("data", check);
            child.stderr.off("data", check);
            resolve();
          }
        };
        child.stdout.on("data", check);
        child.stderr.on("data", check);
        child.once("exit", () => reject(new Error(`exited before ${String(pattern)}:\n${output}`)));
        check();
      });
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    try {
      await waitFor(/watching for changes/, 0);
      assert.match(output, /^1 passed \(1 fixture\)/m);
      const fixture = join(cwd, "p/fixtures/hello.yaml");
      let at = output.length;
      await writeFile(fixture, (await readFile(fixture, "utf8")).replace("status: 200", "status: 201"));
      await waitFor(/\(1 fixture\) in/, at);
      assert.match(output.slice(at), /fixtures\/hello\.yaml changed: rerunning that fixture\n✗ hello answers with its path values \(p\/fixtures\/hello\.yaml\) [\d.]+ m?s\n {4}status: expected 201, got 200\n/);
      at = output.length;
      const source = join(cwd, "p", handler);
      await writeFile(source, (await readFile(source, "utf8")).replace("hello", "renamed"));
      await waitFor(/\(1 fixture\) in/, at);
      assert.match(output.slice(at), /changed: reloading the plugin, rerunning the fixture it affects\n/);
      assert.match(output.slice(at), /\$\.endpoint: expected "hello", got "renamed"/);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      assert.equal(await exited, 130);
    }
  });
}
