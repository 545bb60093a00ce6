import assert from "node:assert/strict";
import { test } from "node:test";
import { escaperFor, renderTemplate, TEMPLATE_VARIABLES, type TemplateValues } from "../src/scaffold/render.js";

const values = Object.fromEntries(TEMPLATE_VARIABLES.map((name) => [name, `<${name}>`])) as unknown as TemplateValues;

test("every listed variable is replaced", () => {
  assert.deepEqual(renderTemplate("name: {{plugin_name}} at {{endpoint_path}}", values), { ok: true, text: "name: <plugin_name> at <endpoint_path>" });
});

test("an unknown variable is an error with its offset", () => {
  assert.deepEqual(renderTemplate("ok {{plugin_name}}\n{{nope}}", values), { ok: false, variable: "nope", offset: 19 });
});

test("substitution is one pass: a value that looks like a variable is written literally", () => {
  const tricky = { ...values, description: "{{plugin_name}} and {{unknown}}" };
  assert.deepEqual(renderTemplate("{{description}}", tricky), { ok: true, text: "{{plugin_name}} and {{unknown}}" });
});

test("values are escaped for the file they land in", () => {
  const cases: Array<[string, string, string]> = [
    ["manifest.yaml", 'say "hi" \\ bye', 'say \\"hi\\" \\\\ bye'],
    ["package.json", "a\tb", "a\\tb"],
    ["endpoints/x.py", 'x"', 'x\\"'],
    ["endpoints/x.ts", "é", "é"],
    ["_assets/icon.svg", "<a & 'b'>", "&lt;a &amp; &apos;b&apos;&gt;"],
    ["README.md", 'raw "text" <b>', 'raw "text" <b>'],
  ];
  for (const [path, value, expected] of cases) assert.equal(escaperFor(path)(value), expected, path);
});
