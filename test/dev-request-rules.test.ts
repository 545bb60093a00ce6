/**
 * Table tests of the pure parts of Dify's front door: how the daemon reshapes requests and responses
 * (dify-request.ts), which Host headers may reach the server (host-check.ts), and what `dev` serves
 * from a loaded project (serve-plan.ts).
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { checkPaths } from "../src/project/check.js";
import { forwardHeaders, reencodeQuery, singleValueHeaders } from "../src/pipeline/dify-request.js";
import { hostName, isAllowedHost } from "../src/server/host-check.js";
import { planServing } from "../src/server/serve-plan.js";
import { createTempPlugin, MINIMAL_MANIFEST, type TempPlugin } from "./helpers/temp-plugin.js";

describe("reencodeQuery", () => {
  const cases: Array<[string, string]> = [
    ["", ""],
    ["b=2&a=1", "a=1&b=2"],
    ["a=2&b=1&a=1", "a=2&a=1&b=1"],
    ["q=hello world", "q=hello+world"],
    ["q=hello+world", "q=hello+world"],
    ["q=a%2Fb&p=%7E", "p=~&q=a%2Fb"],
    ["x=!'()*", "x=%21%27%28%29%2A"],
    ["flag&z=", "flag=&z="],
    ["%C3%A9=caf%C3%A9", "%C3%A9=caf%C3%A9"],
    ["B=1&a=1", "B=1&a=1"],
  ];
  for (const [input, expected] of cases) test(JSON.stringify(input), () => assert.equal(reencodeQuery(input), expected));
});

describe("forwardHeaders", () => {
  const hook = ["Dify-Hook-Id", "h"] as const;
  const url = ["Dify-Hook-Url", "http://x/e/h/p"] as const;
  const cases: Array<{ name: string; raw: Array<[string, string]>; headers: Array<readonly [string, string]>; invalid?: string }> = [
    { name: "keeps ordinary headers, adds the hook headers", raw: [["accept", "*/*"], ["X-Custom", "1"]], headers: [["accept", "*/*"], ["X-Custom", "1"], hook, url] },
    {
      name: "drops the proxy headers Dify removes, in any case",
      raw: [["X-Forwarded-For", "1"], ["x-real-ip", "2"], ["X-FORWARDED", "3"], ["x-original-forwarded-for", "4"], ["X-Original-URL", "5"], ["x-original-host", "6"], ["x-forwarded-proto", "https"]],
      headers: [["x-forwarded-proto", "https"], hook, url],
    },
    { name: "drops hop-by-hop headers", raw: [["connection", "keep-alive"], ["transfer-encoding", "chunked"], ["keep-alive", "5"], ["upgrade", "h2c"], ["te", "trailers"]], headers: [hook, url] },
    { name: "a name with `_` makes the request invalid", raw: [["x_api_key", "1"], ["ok", "2"]], headers: [["x_api_key", "1"], ["ok", "2"], hook, url], invalid: "x_api_key" },
    { name: "the first name with `_` is the one reported", raw: [["a_1", "1"], ["b_2", "2"]], headers: [["a_1", "1"], ["b_2", "2"], hook, url], invalid: "a_1" },
    { name: "repeated request headers are all kept", raw: [["accept", "a"], ["accept", "b"]], headers: [["accept", "a"], ["accept", "b"], hook, url] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = forwardHeaders(c.raw, "h", "http://x/e/h/p");
      assert.deepEqual(result.headers, c.headers);
      assert.equal(result.invalidName, c.invalid);
    });
  }
});

describe("singleValueHeaders", () => {
  const cases: Array<{ name: string; input: Array<[string, string]>; kept: Array<[string, string]>; dropped: string[] }> = [
    { name: "distinct names pass through", input: [["a", "1"], ["b", "2"]], kept: [["a", "1"], ["b", "2"]], dropped: [] },
    { name: "the last value wins", input: [["set-cookie", "x=1"], ["set-cookie", "y=2"]], kept: [["set-cookie", "y=2"]], dropped: ["set-cookie"] },
    { name: "names compare case-insensitively", input: [["X-A", "1"], ["x-a", "2"]], kept: [["x-a", "2"]], dropped: ["x-a"] },
    { name: "a name is reported once however many values it lost", input: [["v", "1"], ["v", "2"], ["v", "3"]], kept: [["v", "3"]], dropped: ["v"] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = singleValueHeaders(c.input);
      assert.deepEqual(result.headers, c.kept);
      assert.deepEqual(result.dropped, c.dropped);
    });
  }
});

describe("host check", () => {
  const allowed = new Set(["tunnel.example", "::2"]);
  const cases: Array<[string, boolean]> = [
    ["localhost", true],
    ["localhost:5002", true],
    ["LOCALHOST:5002", true],
    ["127.0.0.1:5002", true],
    ["127.1.2.3", true],
    ["[::1]:5002", true],
    ["[::1]", true],
    ["app.localhost:3000", true],
    ["tunnel.example", true],
    ["Tunnel.Example:443", true],
    ["[::2]:80", true],
    ["attacker.example", false],
    ["localhost.attacker.example", false],
    ["127.0.0.1.attacker.example", false],
    ["sub.tunnel.example", false],
    ["", false],
    [" ", false],
    ["[::3]", false],
    ["0.0.0.0", false],
  ];
  for (const [header, expected] of cases) test(`${JSON.stringify(header)} -> ${expected}`, () => assert.equal(isAllowedHost(header, allowed), expected));

  const names: Array<[string, string]> = [
    ["Example.COM:80", "example.com"],
    ["[::1]:5002", "[::1]"],
    ["host:", "host"],
    ["plain", "plain"],
  ];
  for (const [header, expected] of names) test(`hostName(${JSON.stringify(header)})`, () => assert.equal(hostName(header), expected));
});

describe("planServing", () => {
  const typescriptManifest = MINIMAL_MANIFEST.replace("language: python", "language: typescript");
  const endpoint = (path: string, method: string, sources: string) => `path: "${path}"\nmethod: "${method}"\nextra:\n${sources}`;
  const ts = (file: string) => `  typescript:\n    source: "${file}"\n`;
  const py = (file: string) => `  python:\n    source: "${file}"\n`;
  const plugins: TempPlugin[] = [];

  after(async () => {
    await Promise.all(plugins.map((p) => p.remove()));
  });

  const cases: Array<{ name: string; manifest?: string; files: Record<string, string | null>; served: Array<[string, string, string, string]>; skipped?: RegExp[] }> = [
    {
      name: "a Python endpoint runs in the Python runtime",
      files: {},
      served: [["endpoints/hello.yaml", "/hello", "GET", "python"]],
    },
    {
      name: "a TypeScript source with a TypeScript runner",
      manifest: typescriptManifest,
      files: { "endpoints/hello.yaml": endpoint("/hi", "post", ts("endpoints/hello.ts")), "endpoints/hello.py": null, "endpoints/hello.ts": "export default class {}\n" },
      served: [["endpoints/hello.yaml", "/hi", "POST", "node"]],
    },
    {
      name: "both sources: the runner's language decides (Python)",
      files: { "endpoints/hello.yaml": endpoint("/b", "GET", ts("endpoints/hello.ts") + py("endpoints/hello.py")), "endpoints/hello.ts": "export default class {}\n" },
      served: [["endpoints/hello.yaml", "/b", "GET", "python"]],
    },
    {
      name: "both sources: the runner's language decides (TypeScript)",
      manifest: typescriptManifest,
      files: { "endpoints/hello.yaml": endpoint("/b", "GET", ts("endpoints/hello.ts") + py("endpoints/hello.py")), "endpoints/hello.ts": "export default class {}\n" },
      served: [["endpoints/hello.yaml", "/b", "GET", "node"]],
    },
    {
      name: "a missing source is skipped with the reason",
      files: { "endpoints/hello.py": null },
      served: [],
      skipped: [/endpoints\/hello\.yaml: its source endpoints\/hello\.py cannot be used/],
    },
    {
      name: "no path: skipped",
      files: { "endpoints/hello.yaml": 'method: "GET"\nextra:\n' + py("endpoints/hello.py") },
      served: [],
      skipped: [/no valid path or method/],
    },
    {
      name: "inline endpoints get ids `group.yaml#N`",
      files: {
        "group/hello.yaml": `settings: []\nendpoints:\n  - path: "/one"\n    method: GET\n    extra:\n      python:\n        source: "endpoints/hello.py"\n  - path: "/two"\n    method: GET\n    extra:\n      python:\n        source: "endpoints/hello.py"\n`,
        "endpoints/hello.yaml": null,
      },
      served: [
        ["group/hello.yaml#1", "/one", "GET", "python"],
        ["group/hello.yaml#2", "/two", "GET", "python"],
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const plugin = await createTempPlugin({ ...(c.manifest ? { "manifest.yaml": c.manifest } : {}), ...c.files });
      plugins.push(plugin);
      const check = await checkPaths([plugin.dir], plugin.dir, {});
      const project = check.projects[0];
      assert.ok(project, JSON.stringify(check.unreadable));
      const plan = planServing(project);
      assert.deepEqual(
        plan.endpoints.map((e) => [e.id, e.path, e.method, e.runtime]),
        c.served,
      );
      assert.deepEqual(
        plan.routes.map((r) => [r.endpoint, r.rule, r.method]),
        c.served.map(([id, path, method]) => [id, path, method]),
      );
      const runtimeIds = [...plan.runtimes.node, ...plan.runtimes.python].map((e) => e.id).sort();
      assert.deepEqual(runtimeIds, c.served.map(([id]) => id).sort());
      assert.equal(plan.skipped.length, c.skipped?.length ?? 0, JSON.stringify(plan.skipped));
      c.skipped?.forEach((pattern, i) => assert.match(`${plan.skipped[i]?.id}: ${plan.skipped[i]?.reason}`, pattern));
    });
  }
});
