/**
 * `loadPlugin()` in-process, for a TypeScript and a Python plugin: the same answers as `dev`, the
 * settings checked, a typed error with diagnostics for a plugin that cannot be served, no process
 * left behind after `close()`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import { loadPlugin, PluginLoadError, type LoadedPlugin } from "../src/index.js";
import { createDevPlugin, descendants } from "./helpers/spawn-dev.js";
import { createTempPlugin, endpointYaml, groupYaml, manifestYaml, type SettingSpec } from "./helpers/temp-plugin.js";
import { PYTHON, skipWithoutPython } from "./dev-python-harness.js";

const SETTINGS: SettingSpec[] = [
  { name: "mode", type: "select", required: true, default: "fast", options: ["fast", "slow"] },
  { name: "token", type: "secret-input" },
];

describe("loadPlugin: a TypeScript plugin", async () => {
  const made = await createDevPlugin({
    fixture: "http",
    settings: SETTINGS,
    endpoints: [
      { name: "echo", path: "/echo/<int:n>", method: "POST", source: "endpoints/echo.ts" },
      { name: "throw", path: "/throw", method: "GET", source: "endpoints/throw.ts" },
    ],
  });
  const logs: string[] = [];
  const plugin = await loadPlugin(made.dir, { settings: { mode: "slow" }, hookId: "testhookidabcdef", onLog: (log) => logs.push(log.text) });
  after(async () => {
    await plugin.close();
    await made.remove();
  });

  test("lists its endpoints", () => {
    assert.deepEqual(plugin.endpoints.map((e) => [e.name, e.method, e.path, e.file, e.language]), [
      ["echo", "POST", "/echo/<int:n>", "endpoints/echo.ts", "typescript"],
      ["throw", "GET", "/throw", "endpoints/throw.ts", "typescript"],
    ]);
  });

  test("answers a bare path, a hook URL and a Request alike, with values and settings", async () => {
    for (const input of ["/echo/5?b=1&a=2", "/e/testhookidabcdef/echo/5?b=1&a=2", new Request("http://localhost/echo/5?b=1&a=2")]) {
      const response = await plugin.request(input, { method: "POST", body: "hi" });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("x-echo"), "yes");
      const seen = (await response.json()) as { url: string; values: unknown; mode: string; bodyLength: number; headers: Array<[string, string]> };
      assert.equal(seen.url, "http://localhost/echo/5?a=2&b=1");
      assert.deepEqual(seen.values, { n: 5 });
      assert.equal(seen.mode, "slow");
      assert.equal(seen.bodyLength, 2);
      assert.ok(seen.headers.some(([name, value]) => name === "dify-hook-id" && value === "testhookidabcdef"));
    }
  });

  test("answers misses and failures with Dify's texts", async () => {
    const miss = await plugin.request("/echo/x", { method: "POST" });
    assert.equal(miss.status, 404);
    assert.match(await miss.text(), /^Failed to dispatch endpoint request: 404 Not Found/);
    const wrong = await plugin.request("/echo/5");
    assert.equal(await wrong.text(), "Failed to dispatch endpoint request: 405 Method Not Allowed: The method is not allowed for the requested URL.");
    const thrown = await plugin.request("/throw");
    assert.equal(thrown.status, 500);
    assert.match(await thrown.text(), /^Internal Server Error: /);
  });

  test("keeps the path exactly as typed (a Request would resolve ..)", async () => {
    const response = await plugin.request("/throw/../echo/5", { method: "POST" });
    assert.equal(response.status, 404);
  });

  test("the settings with their defaults, and a setting Dify would refuse is an error", async () => {
    assert.deepEqual(plugin.settings, { mode: "slow" });
    await assert.rejects(loadPlugin(made.dir, { settings: { mode: "medium" } }), (error: unknown) => {
      assert.ok(error instanceof PluginLoadError);
      assert.ok(error.diagnostics.some((d) => d.rule === "settings" && d.severity === "error"), JSON.stringify(error.diagnostics));
      return true;
    });
  });
});

describe("loadPlugin: plugins that cannot be served", () => {
  test("validation errors are a PluginLoadError carrying the diagnostics", async () => {
    const temp = await createTempPlugin({ "endpoints/hello.yaml": 'path: "/<str:x>"\nmethod: get\nextra:\n  python:\n    source: endpoints/hello.py\n' });
    try {
      await assert.rejects(loadPlugin(temp.dir), (error: unknown) => {
        assert.ok(error instanceof PluginLoadError);
        assert.deepEqual([...new Set(error.diagnostics.filter((d) => d.severity === "error").map((d) => d.rule))].sort(), ["endpoint-method", "endpoint-path"]);
        assert.match(error.message, /endpoints\/hello\.yaml:1:\d+: .*\[endpoint-path\]/);
        return true;
      });
    } finally {
      await temp.remove();
    }
  });

  test("a source that fails to load is a PluginLoadError, and no worker is left", async () => {
    const made = await createDevPlugin({ fixture: "http", endpoints: [{ name: "bad", path: "/bad", method: "GET", source: "endpoints/bad.ts" }], files: { "endpoints/bad.ts": 'import { Endpoint } from "endpoint-kit";\nthrow new Error("top-level failure");\nexport default class Bad extends Endpoint { _invoke() { return new Response(""); } }\n' } });
    try {
      await assert.rejects(loadPlugin(made.dir), (error: unknown) => error instanceof PluginLoadError && /top-level failure/.test(error.message));
    } finally {
      await made.remove();
    }
  });

  test("a folder with no plugin", async () => {
    await assert.rejects(loadPlugin("/nonexistent-folder-for-test"), PluginLoadError);
  });
});

/** Child processes other than esbuild's shared build service (unreferenced, it ends with this process). */
function workers(): string[] {
  const commands = descendants(process.pid).map((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {
      return "";
    }
  });
  return commands.filter((command) => command !== "" && !command.includes("esbuild"));
}

describe("loadPlugin: a Python plugin", { skip: skipWithoutPython }, async () => {
  const temp = await createTempPlugin({
    "manifest.yaml": manifestYaml({ language: "python" }),
    "group/hello.yaml": groupYaml(["endpoints/hello.yaml"], SETTINGS),
    "endpoints/hello.yaml": endpointYaml({ path: "/hello/<int:n>", source: "endpoints/hello.py" }),
    "endpoints/hello.py": `import json
from dify_plugin import Endpoint
from werkzeug import Response


class Hello(Endpoint):
    def _invoke(self, r, values, settings):
        if values["n"] == 0:
            raise ValueError("zero is not allowed")
        def chunks():
            yield json.dumps({"n": values["n"], "type": type(values["n"]).__name__, "mode": settings["mode"], "url": r.url})
            yield "!"
        return Response(chunks(), status=200, content_type="application/json")
`,
  });
  let plugin: LoadedPlugin | undefined;
  after(async () => {
    await plugin?.close();
    await temp.remove();
  });

  test("answers as dev does, streaming, and its worker process ends on close", async () => {
    plugin = await loadPlugin(temp.dir, { python: PYTHON });
    assert.deepEqual(plugin.endpoints.map((e) => e.language), ["python"]);
    const response = await plugin.request("/hello/7?z=1&a=2");
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"n": 7, "type": "int", "mode": "fast", "url": "http://localhost/hello/7?a=2&z=1"}!');
    const valueError = await plugin.request("/hello/0");
    assert.equal(valueError.status, 404);
    assert.match(await valueError.text(), /zero is not allowed/);
    const head = await plugin.request("/hello/7", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    assert.ok(workers().length > 0, "a Python worker runs");
    await plugin.close();
    assert.deepEqual(workers(), []);
  });
});
