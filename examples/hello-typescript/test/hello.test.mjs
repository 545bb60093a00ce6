// Runs the endpoint's class directly, without a server: `npm test`.
// Node cannot import TypeScript by itself, so esbuild compiles the source first.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
const outfile = fileURLToPath(new URL(".endpoint-kit/compiled/hello.mjs", root));
await build({
  entryPoints: [fileURLToPath(new URL("endpoints/hello.ts", root))],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  packages: "external",
  logLevel: "silent",
});
const { default: EndpointClass } = await import(pathToFileURL(outfile).href);

test("hello answers with its path values", async () => {
  const values = JSON.parse("{\"name\":\"world\"}");
  const request = new Request("http://127.0.0.1:5002/hello/world", { method: "GET" });
  const response = await new EndpointClass()._invoke(request, values, {});
  assert.equal(response.status, 200);
  if (request.method !== "HEAD") {
    const body = await response.json();
    assert.equal(body.endpoint, "hello");
    assert.deepEqual(body.values, values);
  }
});
