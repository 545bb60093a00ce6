/**
 * Settings for `dev`: the pure check against the declared settings (table tests), the masker, and
 * end to end a real dev process given broken settings files (RELIABILITY.md, settings).
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseYamlMapping } from "../src/manifest/yaml.js";
import { checkSettings } from "../src/settings/check-settings.js";
import type { DeclaredSetting } from "../src/settings/declared.js";
import { createMasker, MASK } from "../src/settings/mask.js";
import { createDevPlugin, startDev, type DevPlugin, type DevProcess } from "./helpers/spawn-dev.js";
import { endpointYaml, groupYaml, type SettingSpec } from "./helpers/temp-plugin.js";

const DECLARED: DeclaredSetting[] = [
  { name: "api_key", type: "secret-input", required: true, options: [] },
  { name: "region", type: "text-input", required: false, default: "eu", options: [] },
  { name: "mode", type: "select", required: false, options: ["fast", "slow"] },
  { name: "verbose", type: "boolean", required: false, options: [] },
  { name: "app", type: "app-selector", required: false, options: [] },
  { name: "model", type: "model-selector", required: false, options: [] },
];

function check(yaml: string | undefined) {
  if (yaml === undefined) return checkSettings(DECLARED, undefined);
  const parsed = parseYamlMapping(yaml);
  assert.ok(parsed.ok, `test YAML does not parse: ${yaml}`);
  return checkSettings(DECLARED, parsed.root);
}

describe("checkSettings (pure)", () => {
  const cases: Array<{ name: string; yaml: string | undefined; errors: RegExp[]; warnings?: RegExp[]; values?: Record<string, unknown>; at?: string }> = [
    { name: "all good, defaults applied", yaml: 'api_key: "k1"\nmode: fast\nverbose: true\n', errors: [], values: { api_key: "k1", region: "eu", mode: "fast", verbose: true } },
    { name: "no file: the required one is missing", yaml: undefined, errors: [/required setting `api_key` \(secret-input\) has no value/], values: { region: "eu" } },
    { name: "required absent", yaml: "region: us\n", errors: [/required setting `api_key`/], values: { region: "us" } },
    { name: "required but empty: one error, that it has no value", yaml: "api_key:\n", errors: [/required setting `api_key` \(secret-input\) has no value/] },
    { name: "secret not a string", yaml: "api_key: 42\n", errors: [/`api_key` \(secret-input\) must be a string/], at: "42" },
    { name: "select not among options", yaml: 'api_key: "k"\nmode: turbo\n', errors: [/`mode` is not one of its options/], at: "turbo" },
    { name: "select not a string", yaml: 'api_key: "k"\nmode: 3\n', errors: [/`mode` \(select\) must be a string/], at: "3" },
    { name: "boolean given as text", yaml: 'api_key: "k"\nverbose: "yes"\n', errors: [/`verbose` \(boolean\) must be true or false/], at: '"yes"' },
    { name: "app-selector without app_id", yaml: 'api_key: "k"\napp: { id: x }\n', errors: [/`app` \(app-selector\) must be a mapping with `app_id`/] },
    { name: "app-selector right", yaml: 'api_key: "k"\napp: { app_id: x }\n', errors: [], values: { api_key: "k", region: "eu", app: { app_id: "x" } } },
    { name: "model-selector missing model_type", yaml: 'api_key: "k"\nmodel: { provider: openai, model: gpt }\n', errors: [/`model` \(model-selector\) must be a mapping with `provider`, `model` and `model_type`/] },
    { name: "int stays a number", yaml: 'api_key: "k"\nretries: 3\n', errors: [], warnings: [/`retries` is not a declared setting/], values: { api_key: "k", region: "eu", retries: 3 } },
    { name: "undeclared key is a warning, passed on", yaml: 'api_key: "k"\napi_kye: x\n', errors: [], warnings: [/`api_kye` is not a declared setting/], values: { api_key: "k", region: "eu", api_kye: "x" }, at: "api_kye" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = check(c.yaml);
      const errors = result.problems.filter((p) => p.severity === "error");
      const warnings = result.problems.filter((p) => p.severity === "warning");
      assert.equal(errors.length, c.errors.length, JSON.stringify(errors));
      c.errors.forEach((pattern, i) => assert.match(errors[i]?.message ?? "", pattern));
      assert.equal(warnings.length, c.warnings?.length ?? 0, JSON.stringify(warnings));
      c.warnings?.forEach((pattern, i) => assert.match(warnings[i]?.message ?? "", pattern));
      if (c.values) assert.deepEqual(result.values, c.values);
      if (c.at !== undefined && c.yaml !== undefined) {
        const problem = result.problems[0];
        assert.ok(problem);
        assert.equal(c.yaml.slice(problem.start, problem.end), c.at, "the problem points at the offending text");
      }
      for (const p of result.problems) assert.ok(!/\bk1\b/.test(p.message), "messages never quote a value");
    });
  }

  test("secret-input values are collected for masking, other values are not", () => {
    const result = check('api_key: "sk-abc"\nregion: "sk-not-secret"\n');
    assert.deepEqual(result.secrets, ["sk-abc"]);
  });

  test("a did-you-mean hint for a misspelt key", () => {
    const result = check('api_key: "k"\nregoin: us\n');
    assert.match(result.problems[0]?.hint ?? "", /region/);
  });
});

describe("createMasker (pure)", () => {
  const cases: Array<[string, string[], string, string]> = [
    ["no secrets: text unchanged", [], "key sk-1", "key sk-1"],
    ["every occurrence", ["sk-1"], "sk-1 and sk-1", `${MASK} and ${MASK}`],
    ["longest first", ["abc", "abcdef"], "abcdef abc", `${MASK} ${MASK}`],
    ["regex characters are literal", ["a.b*c"], "a.b*c axbbc", `${MASK} axbbc`],
    ["one-character secrets are ignored (they would mask everything)", ["a"], "banana", "banana"],
    ["inside a stack trace", ["tok"], "Error: bad tok\n    at f (x.ts:1:1)", `Error: bad ${MASK}\n    at f (x.ts:1:1)`],
  ];
  for (const [name, secrets, text, expected] of cases) test(name, () => assert.equal(createMasker(secrets)(text), expected));
});

describe("dev with a settings file (end to end)", () => {
  const SECRET = "sk-do-not-print-6b0f";
  const SETTINGS: SettingSpec[] = [
    { name: "api_key", type: "secret-input", required: true, label: "API key" },
    { name: "region", type: "text-input", required: true },
    { name: "mode", type: "select", options: ["fast", "slow"] },
    { name: "greeting", type: "text-input", default: "hello" },
  ];
  let plugin: DevPlugin;
  const running: DevProcess[] = [];

  before(async () => {
    plugin = await createDevPlugin({
      fixture: "lifecycle",
      settings: SETTINGS,
      endpoints: [{ name: "hello", path: "/hello", method: "GET", source: "endpoints/hello.ts" }],
      files: {
        "endpoints/settings.ts": 'import { Endpoint } from "endpoint-kit";\n\nexport default class S extends Endpoint {\n  _invoke(_r: Request, _v: Record<string, unknown>, settings: Record<string, unknown>): Response {\n    return Response.json(settings);\n  }\n}\n',
      },
    });
    await plugin.write("group/dev.yaml", groupYaml(["endpoints/hello.yaml", "endpoints/settings.yaml"], SETTINGS));
    await plugin.write("endpoints/settings.yaml", endpointYaml({ path: "/settings", source: "endpoints/settings.ts", language: "typescript" }));
  });

  after(async () => {
    await Promise.all(running.map((dev) => dev.stop()));
    await plugin?.remove();
  });

  async function devWith(name: string, content: string): Promise<DevProcess> {
    const file = join(plugin.base, name);
    await writeFile(file, content);
    const dev = await startDev(plugin.dir, ["--settings", file]);
    running.push(dev);
    return dev;
  }

  test("a syntax error on the line after a secret: positioned, and the secret appears in no output", async () => {
    const dev = await devWith("syntax.yaml", `api_key: "${SECRET}"\nregion: [eu\nmode: fast\n`);
    assert.match(dev.stderr(), /syntax\.yaml:\d+:\d+: error: /);
    assert.ok(!dev.output().includes(SECRET), `the secret was printed:\n${dev.output()}`);
    assert.ok(!dev.output().includes("[eu"), "no neighbouring text is quoted either");
    assert.equal((await dev.request("/hello")).body, "hello", "dev still serves");
  });

  test("each problem is positioned: required missing, wrong type, select not among options, undeclared key", async () => {
    const dev = await devWith("problems.yaml", `api_key: 12345\nmode: turbo\nretries: 3\n`);
    const err = dev.stderr();
    assert.match(err, /problems\.yaml:1:10: error: setting `api_key` \(secret-input\) must be a string/);
    assert.match(err, /problems\.yaml:2:7: error: setting `mode` is not one of its options/);
    assert.match(err, /hint: use one of: fast, slow/);
    assert.match(err, /problems\.yaml:3:1: warning: `retries` is not a declared setting/);
    assert.match(err, /problems\.yaml:1:1: error: required setting `region` \(text-input\) has no value/);
    assert.ok(!err.includes("12345"), "a value that may be a secret is never quoted");
  });

  test("defaults are applied and the banner masks the secret", async () => {
    const dev = await devWith("good.yaml", `api_key: "${SECRET}"\nregion: eu\n`);
    assert.deepEqual(JSON.parse((await dev.request("/settings")).body), { api_key: SECRET, region: "eu", greeting: "hello" });
    assert.match(dev.stdout(), /api_key = \*\*\*\*/);
    assert.match(dev.stdout(), /region = "eu"/);
    assert.match(dev.stdout(), /greeting = "hello"/);
    assert.doesNotMatch(dev.stderr(), /good\.yaml:\d+:\d+/, "no problem reported");
    assert.ok(!dev.output().includes(SECRET));
  });

  test("--settings naming a missing file: an error that names it", async () => {
    const dev = await startDev(plugin.dir, ["--settings", join(plugin.base, "nope.yaml")]);
    running.push(dev);
    assert.match(dev.stderr(), /nope\.yaml.*the settings file does not exist/);
  });
});
