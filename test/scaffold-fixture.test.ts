import assert from "node:assert/strict";
import { test } from "node:test";
import { compareAnswer } from "../src/fixtures/compare.js";
import { parseFixture } from "../src/fixtures/parse-fixture.js";
import { planEndpointFixture } from "../src/scaffold/fixture-plan.js";
import { checkSettings } from "../src/settings/check-settings.js";
import { parseYamlMapping } from "../src/manifest/yaml.js";

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

test("the init fixture requests the example path and expects the template handler's answer", () => {
  const settings = [
    { name: "api_key", type: "secret-input" },
    { name: "mode", type: "select", options: ["fast", "slow"] },
    { name: "model", type: "model-selector" },
  ];
  const file = planEndpointFixture({ name: "items", path: "/items/<int:id>", method: "POST" }, settings);
  assert.equal(file.path, "fixtures/items.yaml");
  const parsed = parseFixture(decode(file.bytes), { file: file.path, defaultName: file.path });
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.fixture.request, { method: "POST", path: "/items/1", headers: [] });
  assert.deepEqual(parsed.fixture.expect?.body, { kind: "json", value: { endpoint: "items", method: "POST", values: { id: 1 }, settings: ["api_key", "mode", "model"] } });
  // The values it gives pass Dify's checks for the declared types.
  const declared = settings.map((s) => ({ required: true, options: [], ...s }));
  const root = parseYamlMapping(decode(file.bytes));
  assert.ok(root.ok);
  const node = root.root.pairs.find((p) => p.key === "settings")?.value;
  assert.deepEqual(checkSettings(declared, node?.kind === "map" ? node : undefined).problems, []);
});

test("HEAD expects an empty body; a rule with no example gets no expect yet", () => {
  const head = parseFixture(decode(planEndpointFixture({ name: "h", path: "/h", method: "HEAD" }, []).bytes), { file: "f", defaultName: "f" });
  assert.ok(head.ok);
  assert.deepEqual(compareAnswer(head.fixture.expect, { status: 200, headers: [["Content-Type", "application/json"]], chunks: [] }), []);
  assert.equal(head.fixture.settings, undefined);
  const none = parseFixture(decode(planEndpointFixture({ name: "x", path: "/x/<int(min=5000000000000):id>", method: "GET" }, []).bytes), { file: "f", defaultName: "f" });
  assert.ok(none.ok);
  assert.equal(none.fixture.expect, undefined);
});
