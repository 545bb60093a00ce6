/**
 * One "looks secret" check: `init --setting name:text-input` refuses exactly the names that
 * `validate` (rule setting-secret) warns about.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { looksSecret } from "../src/manifest/patterns.js";
import { checkSettingType } from "../src/scaffold/names.js";
import { runCliCaptured } from "./helpers/run-cli.js";
import { createTempPlugin, groupYaml } from "./helpers/temp-plugin.js";

const SECRET = ["api_key", "apiKey", "APIKEY", "bot-token", "client_secret", "passwd", "db_password", "access_keys", "pwd"];
const NOT_SECRET = ["monkey", "keyboard_layout", "tokenizer", "secretary_name", "greeting", "donkey-count", "turkey"];

test("the predicate takes whole words (and apikey/passwd/password anywhere)", () => {
  for (const name of SECRET) assert.equal(looksSecret(name), true, name);
  for (const name of NOT_SECRET) assert.equal(looksSecret(name), false, name);
});

test("init refuses and validate warns about the same names", async () => {
  const names = [...SECRET, ...NOT_SECRET];
  const settings = names.map((name) => ({ name, type: "text-input", label: name }));
  const plugin = await createTempPlugin({ "group/hello.yaml": groupYaml(["endpoints/hello.yaml"], settings) });
  try {
    const run = await runCliCaptured(["validate", plugin.dir, "--format", "json"], { cwd: plugin.dir });
    const report = JSON.parse(run.stdout) as { diagnostics: Array<{ rule: string; message: string }> };
    const warned = new Set(report.diagnostics.filter((d) => d.rule === "setting-secret").map((d) => /setting `([^`]+)`/.exec(d.message)?.[1]));
    for (const name of names) {
      const refused = checkSettingType(name, "text-input") !== undefined;
      assert.equal(warned.has(name), refused, `${name}: validate ${warned.has(name) ? "warns" : "is silent"}, init ${refused ? "refuses" : "accepts"}`);
      assert.equal(refused, SECRET.includes(name), name);
    }
  } finally {
    await plugin.remove();
  }
});
