/**
 * The Python runtime says what it runs: the banner's interpreter, SDK and werkzeug facts, a broken
 * `dify_plugin` reported once while the stand-in really serves, a ValueError's traceback behind its
 * 404, and path values (upper-case UUIDs, ints beyond 2^53) as werkzeug hands them over.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DEV_PYTHON_FIXTURE, lineOf, PYTHON, send, skipWithoutPython, startDev } from "./dev-python-harness.js";
import type { DevProcess } from "./dev-python-harness.js";
import { compareVersions } from "../src/runtime/python/facts.js";

/** A `dify_plugin` 0.7.4 that is installed (with its metadata) but fails to import, as on pydantic 1. */
function writeBrokenSdk(folder: string): void {
  mkdirSync(join(folder, "dify_plugin"), { recursive: true });
  writeFileSync(join(folder, "dify_plugin", "__init__.py"), 'raise ImportError("dify_plugin needs pydantic 2 (broken-sdk-marker)")\n');
  mkdirSync(join(folder, "dify_plugin-0.7.4.dist-info"));
  writeFileSync(join(folder, "dify_plugin-0.7.4.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: dify_plugin\nVersion: 0.7.4\n");
}

function probe(code: string): string {
  return spawnSync(PYTHON ?? "python3", ["-c", code], { encoding: "utf8" }).stdout.trim();
}

test("the Python runtime says what it runs, and a broken SDK leaves the stand-in serving", { skip: skipWithoutPython, timeout: 120_000 }, async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), "ek-dev-python-facts-"));
  const dir = join(scratch, "plugin");
  cpSync(DEV_PYTHON_FIXTURE, dir, { recursive: true });
  const sdkFolder = join(scratch, "site");
  writeBrokenSdk(sdkFolder);
  const previous = process.env.PYTHONPATH;
  process.env.PYTHONPATH = sdkFolder;
  let dev: DevProcess | undefined;
  try {
    dev = await startDev(dir);
    const d = dev;
    const pythonVersion = probe("import platform; print(platform.python_version())");
    const werkzeugVersion = probe("import importlib.metadata as m; print(m.version('werkzeug'))");

    await t.test("the banner names the interpreter and its version, the SDK and werkzeug's version", () => {
      const output = d.output();
      assert.match(output, new RegExp(`python +CPython ${pythonVersion.replaceAll(".", "\\.")} \\(`));
      assert.match(output, /sdk +dify_plugin stand-in bundled with endpoint-kit/);
      assert.match(output, new RegExp(`werkzeug +${werkzeugVersion.replaceAll(".", "\\.")}`));
      const warned = /werkzeug [\d.]+ is older than 3\.1\.8/.test(output);
      assert.equal(warned, compareVersions(werkzeugVersion, "3.1.8") < 0, output);
    });

    await t.test("an installed dify_plugin that fails to import is reported with its error, and the stand-in serves", async () => {
      assert.match(d.output(), /dify_plugin 0\.7\.4 is installed for .* but cannot be imported \(ImportError: dify_plugin needs pydantic 2 \(broken-sdk-marker\)\); the bundled stand-in serves instead/);
      const answer = await send(d.url("/values/1/2.5/6ba7b810-9dad-11d1-80b4-00c04fd430c8/x"));
      assert.equal(answer.status, 200, answer.body);
    });

    await t.test("a reload does not report the broken SDK again", async () => {
      const mark = d.mark();
      const file = join(dir, "endpoints", "values.py");
      writeFileSync(file, `${readFileSync(file, "utf8")}\n# edited\n`);
      await d.waitForOutput(/reloaded/, mark);
      assert.equal(d.output().match(/but cannot be imported/g)?.length, 1, d.output());
    });

    await t.test("path values reach Python as werkzeug gives them: exact big ints, upper-case UUIDs as uuid.UUID", async () => {
      const answer = await send(d.url("/values/9007199254740993/2.5/6BA7B810-9DAD-11D1-80B4-00C04FD430C8/x"));
      assert.equal(answer.status, 200, answer.body);
      assert.deepEqual(JSON.parse(answer.body), { i: ["int", "9007199254740993"], f: ["float", "2.5"], u: ["UUID", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"], s: ["str", "x"] });
    });

    await t.test("a ValueError that becomes a 404 prints its traceback", async () => {
      const mark = d.mark();
      const answer = await send(d.url("/fail/value?name=Bob"));
      assert.equal(answer.status, 404);
      const source = readFileSync(join(dir, "endpoints", "fail.py"), "utf8");
      await d.waitForOutput(new RegExp(`endpoints/fail\\.py", line ${lineOf(source, "raise ValueError")}, in _invoke`), mark);
      await d.waitForOutput(/ValueError: no duck named Bob/, mark);
    });
  } finally {
    if (previous === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = previous;
    await dev?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
