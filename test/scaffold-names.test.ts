import assert from "node:assert/strict";
import { test } from "node:test";
import {
  checkAuthor,
  checkDescription,
  checkEndpointName,
  checkMethod,
  checkPath,
  checkPluginName,
  checkSettingName,
  parseSettingSpec,
  suggestPluginName,
  toClassName,
  toLabel,
} from "../src/scaffold/names.js";

const BAD_NAMES = ["../../x", "/abs/x", "C:\\x", "a\0b", "a\nb", 'a"b', "a'b", "${HOME}", "", "Upper", "a b", "a/b", "x".repeat(129)];

test("plugin names: only what Dify's pattern allows", () => {
  for (const name of BAD_NAMES) assert.match(checkPluginName(name) ?? "", /invalid plugin name/, JSON.stringify(name));
  for (const name of ["neko", "slack-bot", "my_plugin2", "x".repeat(128)]) assert.equal(checkPluginName(name), undefined, name);
});

test("a refused name is shown with its invisible characters visible", () => {
  assert.equal(checkPluginName("a\nb"), 'invalid plugin name "a\\nb": use 1 to 128 lower case letters, digits, "_" or "-"');
});

test("endpoint names: file and module names, no Python keyword for Python", () => {
  const cases: Array<[string, "python" | "typescript", boolean]> = [
    ["hello", "python", true],
    ["girls_talk", "python", true],
    ["v2", "python", true],
    ["2fa", "python", false],
    ["_x", "python", false],
    ["my-endpoint", "python", false],
    ["import", "python", false],
    ["import", "typescript", true],
    ["../x", "typescript", false],
    ["Hello", "typescript", false],
  ];
  for (const [name, language, ok] of cases) assert.equal(checkEndpointName(name, language) === undefined, ok, `${name} (${language})`);
});

test("methods: Dify's six, upper case, with a fix for lower case", () => {
  for (const m of ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"]) assert.equal(checkMethod(m), undefined);
  assert.equal(checkMethod("post"), 'method "post" must be upper case: POST');
  assert.match(checkMethod("PATCH") ?? "", /not one Dify matches/);
  assert.match(checkMethod("ANY") ?? "", /not one Dify matches/);
});

test("paths: werkzeug rules as validate reads them", () => {
  const cases: Array<[string, RegExp | undefined]> = [
    ["/hello/<name>", undefined],
    ["/", undefined],
    ["/items/<int:id>", undefined],
    ["/f/<path:rest>", undefined],
    ["/a/<any(x, y):k>", undefined],
    ["hello", /must start with a slash/],
    ["/x/<str:id>", /unknown converter "str"/],
    ["/x/<id", /malformed rule/],
    ["/messages/", /ends with "\/"/],
    ["/a\nb", /control character/],
  ];
  for (const [rule, expected] of cases) {
    const message = checkPath(rule);
    if (expected === undefined) assert.equal(message, undefined, rule);
    else assert.match(message ?? "", expected, rule);
  }
});

test("authors, descriptions and setting names", () => {
  assert.equal(checkAuthor("langgenius"), undefined);
  assert.match(checkAuthor("Yeuoly") ?? "", /invalid author/);
  assert.equal(checkDescription("Answers webhooks"), undefined);
  assert.match(checkDescription("two\nlines") ?? "", /one line/);
  assert.match(checkDescription("  ") ?? "", /empty/);
  assert.equal(checkSettingName("app-type"), undefined);
  assert.match(checkSettingName("name") ?? "", /collides/);
  assert.match(checkSettingName("api_key", ["api_key"]) ?? "", /already declared/);
});

test("--setting specs", () => {
  assert.deepEqual(parseSettingSpec("api_key:secret-input:required", []), { setting: { name: "api_key", type: "secret-input", required: true } });
  assert.deepEqual(parseSettingSpec("retry:boolean", []), { setting: { name: "retry", type: "boolean", required: false } });
  const errors: Array<[string, RegExp]> = [
    ["api_key", /write name:type/],
    ["a:b:c:d", /write name:type/],
    ["api_key:tool-selector", /unknown type "tool-selector"/],
    ["mode:select", /select needs options/],
    ["api_token:text-input", /looks like a secret/],
    ["Bad:boolean", /invalid setting name/],
  ];
  for (const [spec, expected] of errors) {
    const parsed = parseSettingSpec(spec, []);
    assert.ok("error" in parsed, spec);
    assert.match(parsed.error, expected, spec);
  }
});

test("names derived from folders and endpoints", () => {
  const cases: Array<[string, string]> = [
    ["My Plugin!", "my-plugin"],
    ["slack_bot", "slack_bot"],
    ["--x--", "x"],
    ["日本", "endpoint-plugin"],
    [".", "endpoint-plugin"],
  ];
  for (const [folder, name] of cases) assert.equal(suggestPluginName(folder), name, folder);
  assert.equal(toClassName("girls_talk"), "GirlsTalkEndpoint");
  assert.equal(toClassName("endpoint"), "EndpointEndpoint");
  assert.equal(toLabel("slack-bot"), "Slack Bot");
  assert.equal(toLabel("_"), "_");
});
