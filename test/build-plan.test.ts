/**
 * Table tests of `build`'s pure parts: setting names to environment variables, settings read and
 * checked from an environment, and what a plugin plans to (or cannot) build.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { mapSettingsToEnv, variableName } from "../src/build/env-names.js";
import { planBuild } from "../src/build/plan.js";
import { settingsFromEnv, type EnvSetting } from "../src/build/runtime/env-settings.js";
import { checkPaths } from "../src/project/check.js";
import type { DeclaredSetting } from "../src/settings/declared.js";
import { createTempPlugin, groupYaml, manifestYaml, type TempPlugin } from "./helpers/temp-plugin.js";

const setting = (name: string, type = "text-input", extra: Partial<DeclaredSetting> = {}): DeclaredSetting => ({ name, type, required: false, options: [], ...extra });

describe("variableName", () => {
  const cases: Array<[string, string, string?]> = [
    ["api_key", "API_KEY"],
    ["apiKey", "APIKEY"],
    ["Webhook secret", "WEBHOOK_SECRET"],
    ["x-token", "X_TOKEN"],
    ["__weird__name__", "WEIRD_NAME"],
    ["2fa_code", "_2FA_CODE"],
    ["日本", "SETTING"],
    ["key", "PLUGIN_KEY", "PLUGIN_"],
  ];
  for (const [name, variable, prefix] of cases) test(`${JSON.stringify(name)}${prefix ? ` with ${prefix}` : ""} -> ${variable}`, () => assert.equal(variableName(name, prefix), variable));
});

describe("mapSettingsToEnv", () => {
  test("one variable per setting", () => {
    const mapped = mapSettingsToEnv([setting("api_key", "secret-input"), setting("mode", "select")]);
    assert.deepEqual(mapped.problems, []);
    assert.deepEqual(mapped.settings.map((s) => s.variable), ["API_KEY", "MODE"]);
  });
  test("two settings on one variable stop the build", () => {
    const mapped = mapSettingsToEnv([setting("api-key"), setting("api_key")]);
    assert.match(mapped.problems[0] ?? "", /`api-key` and `api_key` would both be read from API_KEY/);
  });
  test("a variable the platform uses stops the build, and a prefix solves it", () => {
    assert.match(mapSettingsToEnv([setting("port")]).problems[0] ?? "", /PORT, which the platform already uses: build with --env-prefix/);
    assert.deepEqual(mapSettingsToEnv([setting("port")], "PLUGIN_").problems, []);
  });
});

describe("settingsFromEnv", () => {
  const specs: EnvSetting[] = [
    { ...setting("api_key", "secret-input", { required: true }), variable: "API_KEY" },
    { ...setting("mode", "select", { default: "fast", options: ["fast", "slow"] }), variable: "MODE" },
    { ...setting("flag", "boolean"), variable: "FLAG" },
    { ...setting("model", "model-selector"), variable: "MODEL" },
  ];
  const cases: Array<{ name: string; env: Record<string, unknown>; values?: Record<string, unknown>; problems: RegExp[] }> = [
    { name: "values typed, defaults applied", env: { API_KEY: "k", FLAG: "True", MODEL: '{"provider":"openai","model":"gpt-4o","model_type":"llm"}' }, values: { api_key: "k", mode: "fast", flag: true, model: { provider: "openai", model: "gpt-4o", model_type: "llm" } }, problems: [] },
    { name: "a missing required setting names its variable", env: {}, values: { mode: "fast" }, problems: [/^required setting `api_key` \(secret-input\) has no value: set API_KEY$/] },
    { name: "a value outside the options", env: { API_KEY: "k", MODE: "turbo" }, problems: [/^setting `mode` is not one of its options \(from MODE\): use one of: fast, slow$/] },
    { name: "a boolean that is not true or false", env: { API_KEY: "k", FLAG: "yes" }, problems: [/^setting `flag` \(from FLAG\) must be true or false$/] },
    { name: "a selector that is not JSON", env: { API_KEY: "k", MODEL: "gpt" }, problems: [/^setting `model` \(from MODEL\) must be JSON$/] },
    { name: "a selector without its keys", env: { API_KEY: "k", MODEL: "{}" }, problems: [/^setting `model` \(model-selector\) must be a mapping/] },
    { name: "Workers vars may already be JSON values", env: { API_KEY: "k", FLAG: false }, values: { api_key: "k", mode: "fast", flag: false }, problems: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = settingsFromEnv(specs, c.env);
      assert.equal(result.problems.length, c.problems.length, result.problems.join("\n"));
      c.problems.forEach((pattern, i) => assert.match(result.problems[i] ?? "", pattern));
      if (c.values) assert.deepEqual(result.values, c.values);
      for (const value of Object.values(c.env)) if (typeof value === "string" && value.length > 1) assert.ok(!result.problems.join("").includes(value), "no value is quoted");
    });
  }
});

describe("planBuild", () => {
  const plugins: TempPlugin[] = [];
  after(async () => Promise.all(plugins.map((p) => p.remove())));
  const plan = async (files: Record<string, string>) => {
    const plugin = await createTempPlugin(files);
    plugins.push(plugin);
    const check = await checkPaths([plugin.dir], plugin.dir, {});
    return planBuild(check.projects[0]!);
  };
  const endpoint = (path: string, sources: string) => `path: "${path}"\nmethod: GET\nextra:\n${sources}`;

  test("only Python sources: refused, pointing to package", async () => {
    const result = await plan({});
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.problems[0] ?? "", /only Python sources/);
      assert.match(result.hint ?? "", /endpoint-kit package/);
    }
  });

  test("TypeScript sources are built; a Python-only endpoint is routed to a 500 and named", async () => {
    const result = await plan({
      "manifest.yaml": manifestYaml({ language: "typescript" }),
      "group/hello.yaml": groupYaml(["endpoints/a.yaml", "endpoints/b.yaml"]),
      "endpoints/a.yaml": endpoint("/a", '  typescript:\n    source: "endpoints/a.ts"\n  python:\n    source: "endpoints/a.py"\n'),
      "endpoints/a.ts": 'import { Endpoint } from "endpoint-kit";\nexport default class A extends Endpoint { _invoke() { return new Response("a"); } }\n',
      "endpoints/a.py": "from dify_plugin import Endpoint\n\nclass A(Endpoint):\n    def _invoke(self, r, values, settings):\n        pass\n",
      "endpoints/b.yaml": endpoint("/b", '  python:\n    source: "endpoints/a.py"\n'),
    });
    assert.equal(result.ok, true, JSON.stringify(result));
    if (result.ok) {
      assert.deepEqual(result.plan.routes.map((r) => [r.rule, r.source]), [["/a", "endpoints/a.ts"], ["/b", undefined]]);
      assert.match(result.plan.warnings[0] ?? "", /GET \/b .* has only a Python source/);
      assert.match(result.plan.hookId, /^[a-z]{16}$/);
    }
  });
});
