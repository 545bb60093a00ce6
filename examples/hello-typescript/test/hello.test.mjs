// Serves the plugin in-process exactly as `endpoint-kit dev` would: the request goes by URL through
// Dify's routing, settings and answers, with no port open. Run with `npm test`.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadPlugin } from "endpoint-kit";

const root = fileURLToPath(new URL("../", import.meta.url));
// Test values for the endpoint settings: the example file has one of the right shape for each.
const example = fileURLToPath(new URL("../settings.local.example.yaml", import.meta.url));
const plugin = await loadPlugin(root, existsSync(example) ? { settings: example } : {});
after(() => plugin.close());

test("hello answers at its path with the values it matched", async () => {
  const response = await plugin.request("/hello/world", { method: "GET" });
  assert.equal(response.status, 200);
  if (response.body !== null) {
    const body = await response.json();
    assert.equal(body.endpoint, "hello");
    assert.deepEqual(body.values, JSON.parse("{\"name\":\"world\"}"));
  }
});

test("hello answers at its Dify URL too (/e/<hook_id>/...)", async () => {
  const response = await plugin.request(`/e/${plugin.hookId}/hello/world`, { method: "GET" });
  assert.equal(response.status, 200);
});
