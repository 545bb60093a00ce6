/**
 * The dev banner from plain data: no session, no server.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderBanner } from "../src/terminal/dev-banner.js";

test("the banner lists each endpoint's URLs, what cannot run or be served, and the settings with secrets masked", () => {
  const text = renderBanner(
    {
      root: "/work/plugin",
      hookId: "abcdefghijklmnop",
      endpoints: [
        { id: "endpoints/hello.yaml", method: "GET", path: "/hello/<name>", runtime: "node" },
        { id: "endpoints/orders.yaml", method: "POST", path: "/orders", runtime: "python", unavailable: "orders.py: SyntaxError" },
      ],
      skipped: [{ id: "endpoints/old.yaml", reason: "no source" }],
      settings: { path: "settings.local.yaml", values: { api_key: "sk-secret", mode: "fast" }, secrets: ["sk-secret"] },
      runtimeFacts: [{ lines: [["python", "/usr/bin/python3 (3.11.2)"], ["werkzeug", "3.1.8"]] }],
      mask: (t) => t.replaceAll("sk-secret", "****"),
    },
    { host: "127.0.0.1", port: 5002, color: false },
  );
  assert.match(text, /^ {2}GET {3}http:\/\/127\.0\.0\.1:5002\/e\/abcdefghijklmnop\/hello\/<name> {2}endpoints\/hello\.yaml \(TypeScript\)$/m);
  assert.match(text, /also http:\/\/127\.0\.0\.1:5002\/hello\/<name>$/m);
  assert.match(text, /endpoints\/orders\.yaml \(Python\) \(cannot run: see above\)$/m);
  assert.match(text, /^ {2}skip {2}endpoints\/old\.yaml: no source$/m);
  assert.match(text, /^ {4}api_key = \*\*\*\*$/m);
  assert.match(text, /^ {4}mode = "fast"$/m);
  assert.match(text, /^ {2}python {4}\/usr\/bin\/python3 \(3\.11\.2\)$/m);
  assert.match(text, /^ {2}werkzeug {2}3\.1\.8$/m);
  assert.ok(!text.includes("sk-secret"));
});
