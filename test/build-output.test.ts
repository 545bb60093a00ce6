/**
 * End to end: `endpoint-kit build` outputs for Node and Workers, run as their README says (`node
 * server.mjs`, `workerd serve workerd.capnp`) from a folder with no node_modules, give the answers
 * `dev` gives (dev-http.test.ts): URL forms, misses, HEAD/OPTIONS, the request as the handler sees
 * it, typed values, settings from the environment, one value per header, streaming, the 10 MiB cut.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdir, readFile, rm, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request as httpRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import { buildPlugin } from "../src/build/index.js";
import { hookIdFor } from "../src/build/plan.js";
import { canRun, startBuilt, type BuiltServer, type RunnableTarget } from "./helpers/built-server.js";
import type { SettingSpec } from "./helpers/temp-plugin.js";
import { BIN, createDevPlugin, WAIT_MS, type DevPlugin, type EndpointSpec } from "./helpers/spawn-dev.js";

const SECRET = "sk-live-5f3c9a1e77d2";
const FILE_SECRET = "sk-file-0a9b8c7d6e5f";

const ENDPOINTS: EndpointSpec[] = [
  { name: "echo", path: "/echo/<int:n>", method: "GET", source: "endpoints/echo.ts" },
  { name: "echo-post", path: "/echo/<int:n>/body", method: "POST", source: "endpoints/echo.ts" },
  { name: "typed", path: "/typed/<int:i>/<float:f>/<uuid:u>/<name>", method: "GET", source: "endpoints/echo.ts" },
  { name: "branch", path: "/branch/", method: "GET", source: "endpoints/echo.ts" },
  { name: "preflight", path: "/cors", method: "OPTIONS", source: "endpoints/echo.ts" },
  { name: "cors-get", path: "/cors", method: "GET", source: "endpoints/echo.ts" },
  { name: "throw", path: "/throw", method: "GET", source: "endpoints/throw.ts" },
  { name: "multi", path: "/multi", method: "GET", source: "endpoints/multi.ts" },
  { name: "stream", path: "/stream/<int:ms>", method: "GET", source: "endpoints/stream.ts" },
];

const SETTINGS: SettingSpec[] = [
  { name: "api_key", type: "secret-input", required: true, label: "API key" },
  { name: "mode", type: "select", default: "fast", options: ["fast", "slow"] },
  { name: "flag", type: "boolean" },
];

interface EchoBody {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  values: Record<string, unknown>;
  valueTypes: Record<string, string>;
  settingNames: string[];
  mode: string;
  flag: boolean | null;
  bodyLength: number;
}

const header = (echo: EchoBody, name: string) => echo.headers.filter(([key]) => key === name).map(([, value]) => value);

let plugin: DevPlugin;
let outBase: string;
const TARGETS: RunnableTarget[] = ["node", "workers", "bun", "deno"];
const outs: Record<RunnableTarget, string> = { node: "", workers: "", bun: "", deno: "" };

before(async () => {
  plugin = await createDevPlugin({ fixture: "../build", endpoints: ENDPOINTS, settings: SETTINGS });
  // A local settings file sits in the plugin: its secret must never reach the output.
  await writeFile(join(plugin.dir, "settings.local.yaml"), `api_key: "${FILE_SECRET}"\n`);
  // Outside the plugin and any node_modules: the output must run on its own.
  outBase = await mkdtemp(join(tmpdir(), "endpoint-kit-built-"));
  for (const target of TARGETS) {
    outs[target] = join(outBase, target);
    await buildPlugin({ dir: plugin.dir, cwd: plugin.dir, target, out: outs[target], difyUrls: true });
  }
});

after(async () => {
  await plugin?.remove();
  if (outBase) await rm(outBase, { recursive: true, force: true });
});

test("the build writes no secret and no node: import into the output", async () => {
  for (const target of TARGETS) {
    for (const name of await readdir(outs[target])) {
      const text = await readFile(join(outs[target], name), "utf8");
      assert.ok(!text.includes(FILE_SECRET), `${target}/${name} holds the local settings' secret`);
    }
    const worker = await readFile(join(outs[target], target === "workers" ? "worker.js" : "worker.mjs"), "utf8");
    assert.doesNotMatch(worker, /from\s*"node:|require\(/, `${target}: the worker module is platform-neutral`);
  }
  const readme = await readFile(join(outs.workers, "README.md"), "utf8");
  assert.match(readme, /wrangler secret put API_KEY/);
  assert.match(readme, /`MODE`: setting `mode` \(select, one of `fast`, `slow`; default "fast"\)/);
  assert.match(await readFile(join(outs.workers, "workerd.capnp"), "utf8"), /\(name = "API_KEY", fromEnvironment = "API_KEY"\)/);
});

// Bun and Deno run only where they are installed (not in CI): their entries are also checked for shape in build-init.test.ts.
for (const target of TARGETS) {
  describe(`the ${target} output answers as Dify (and dev) do`, { skip: canRun(target) ? false : `${target === "workers" ? "workerd" : target} does not run here` }, () => {
    let server: BuiltServer;
    before(async () => {
      server = await startBuilt(target, outs[target], { API_KEY: SECRET, FLAG: "true" });
    });
    after(async () => server?.stop());

    test("both /e/<any id><path> and <path> reach the endpoint, which sees the path without the prefix", async () => {
      const forms: Array<[string, string, string]> = [
        ["/e/abcdefghijklmnop/echo/7", "abcdefghijklmnop", `http://127.0.0.1:${server.port}/e/abcdefghijklmnop/echo/7`],
        ["/echo/7", hookIdFor("devtest"), `http://127.0.0.1:${server.port}/e/${hookIdFor("devtest")}/echo/7`],
      ];
      for (const [path, hookId, hookUrl] of forms) {
        const answer = await server.request(path);
        assert.equal(answer.status, 200, `${path}: ${answer.body}`);
        assert.equal(answer.headers["x-echo"], "yes");
        const echo = JSON.parse(answer.body) as EchoBody;
        assert.equal(new URL(echo.url).pathname, "/echo/7", path);
        assert.deepEqual(header(echo, "dify-hook-id"), [hookId]);
        assert.deepEqual(header(echo, "dify-hook-url"), [hookUrl]);
      }
    });

    const misses: Array<[string, string, string, RegExp]> = [
      ["no rule", "GET", "/nothing/here", /^404 Not Found/],
      ["a method not allowed (werkzeug's 405)", "POST", "/echo/7", /^405 Method Not Allowed/],
      ["a missing trailing slash (werkzeug's 308)", "GET", "/branch?x=1", /^308 Permanent Redirect: http:\/\/127\.0\.0\.1:\d+\/branch\/\?x=1$/],
      ["a trailing slash the rule does not have", "GET", "/echo/7/", /^404 Not Found/],
      ["a double slash (werkzeug's 308)", "GET", "/echo//7", /^308 Permanent Redirect/],
      ["a converter that does not match", "GET", "/echo/x", /^404 Not Found/],
      ["OPTIONS with no OPTIONS endpoint", "OPTIONS", "/echo/7", /^405 Method Not Allowed/],
      ["PUT", "PUT", "/cors", /^405 Method Not Allowed/],
    ];
    for (const [name, method, path, text] of misses) {
      test(`a miss is a 404 "Failed to dispatch endpoint request": ${name}`, async () => {
        const answer = await server.request(path, { method });
        assert.equal(answer.status, 404);
        assert.ok(answer.body.startsWith("Failed to dispatch endpoint request: "), answer.body);
        assert.match(answer.body.slice("Failed to dispatch endpoint request: ".length), text);
        assert.equal(answer.headers.location, undefined, "no redirect");
      });
    }

    test("HEAD is served by the GET rule, without a body; OPTIONS only where declared", async () => {
      const head = await server.request("/echo/3", { method: "HEAD" });
      assert.equal(head.status, 200);
      assert.equal(head.headers["x-echo"], "yes");
      assert.equal(head.body, "");
      const declared = await server.request("/cors", { method: "OPTIONS", headers: { origin: "http://app.example", "access-control-request-method": "GET" } });
      assert.equal(declared.status, 200);
      assert.equal((JSON.parse(declared.body) as EchoBody).method, "OPTIONS");
      assert.equal(declared.headers["access-control-allow-origin"], undefined);
    });

    test("a handler that throws is a 500 `Internal Server Error: <message>`, and the next request is served", async () => {
      const answer = await server.request("/throw");
      assert.equal(answer.status, 500);
      assert.equal(answer.body, `Internal Server Error: upstream refused key ${SECRET}`);
      assert.equal((await server.request("/echo/1")).status, 200);
    });

    test("the request as the handler sees it: proxy headers removed, hook headers added, query sorted", async () => {
      const answer = await server.request("/echo/5?b=2&a=z&a=1&c=x%20y&%C3%A9=%2F", {
        headers: { "x-forwarded-for": "10.0.0.1", "x-real-ip": "10.0.0.2", "x-original-url": "/x", "x-custom": "kept" },
      });
      assert.equal(answer.status, 200);
      const echo = JSON.parse(answer.body) as EchoBody;
      const names = echo.headers.map(([name]) => name);
      for (const dropped of ["x-forwarded-for", "x-real-ip", "x-original-url", "connection"]) assert.ok(!names.includes(dropped), `${dropped} reached the handler`);
      assert.deepEqual(header(echo, "x-custom"), ["kept"]);
      assert.equal(new URL(echo.url).search, "?a=z&a=1&b=2&c=x+y&%C3%A9=%2F");
    });

    test("a request header name with `_` is refused with a 500", async () => {
      const answer = await server.request("/echo/1", { headers: { x_custom: "1" } });
      assert.equal(answer.status, 500);
      assert.match(answer.body, /^Internal Server Error: .*x_custom/);
    });

    test("path values are typed; settings come from the environment, typed, with defaults applied", async () => {
      const uuid = "123e4567-e89b-12d3-a456-426614174000";
      const echo = JSON.parse((await server.request(`/typed/42/1.5/${uuid}/caf%C3%A9`)).body) as EchoBody;
      assert.deepEqual(echo.values, { i: 42, f: 1.5, u: uuid, name: "café" });
      assert.deepEqual(echo.valueTypes, { i: "number", f: "number", u: "string", name: "string" });
      assert.deepEqual(echo.settingNames, ["api_key", "flag", "mode"]);
      assert.equal(echo.mode, "fast");
      assert.equal(echo.flag, true);
    });

    test("a response header keeps one value (the last Set-Cookie); a text body's length is its UTF-8 bytes", async () => {
      const answer = await server.request("/multi");
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.headers["set-cookie"], ["second=2"]);
      assert.equal(answer.headers["x-single"], "only");
      assert.equal(answer.body, "multi ✓");
      assert.equal(answer.headers["content-length"], "9");
    });

    test("a streaming body reaches the client chunk by chunk", async () => {
      const received: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: server.port, path: "/stream/400", agent: false }, (res) => {
          assert.equal(res.statusCode, 200);
          res.on("data", (chunk: Buffer) => received.push(chunk.toString("utf8")));
          res.on("end", resolve);
          res.on("error", reject);
        });
        req.setTimeout(WAIT_MS, () => req.destroy(new Error("no stream")));
        req.on("error", reject);
        req.end();
      });
      assert.equal(received[0], "first;", "the first chunk arrived on its own, before the second was made");
      assert.equal(received.join(""), "first;second");
    });

    test("a 12 MiB body: the handler sees exactly 10 MiB", async () => {
      const answer = await server.request("/echo/1/body", { method: "POST", body: Buffer.alloc(12 * 1024 * 1024, 97) });
      assert.equal(answer.status, 200);
      assert.equal((JSON.parse(answer.body) as EchoBody).bodyLength, 10 * 1024 * 1024);
    });

    test("without a required setting every request is a 500 naming it and its variable, never a value", async () => {
      const bare = await startBuilt(target, outs[target], { MODE: "turbo" });
      try {
        const answer = await bare.request("/echo/1");
        assert.equal(answer.status, 500);
        assert.match(answer.body, /required setting `api_key` \(secret-input\) has no value: set API_KEY/);
        assert.match(answer.body, /setting `mode` is not one of its options \(from MODE\)/);
        assert.ok(!answer.body.includes("turbo"), "the value is not quoted");
        if (target !== "workers") assert.match(bare.output(), /settings: required setting `api_key`/, "checked at start-up");
      } finally {
        await bare.stop();
      }
    });
  });
}

test("a plugin whose endpoints have only Python sources is refused with a pointer to `package`", async () => {
  const python = await createDevPlugin({ fixture: "../build", endpoints: [{ name: "py", path: "/py", method: "GET", source: "endpoints/py.py", language: "python" }], files: { "endpoints/py.py": "from dify_plugin import Endpoint\n\nclass Py(Endpoint):\n    def _invoke(self, r, values, settings):\n        pass\n" } });
  try {
    const run = spawnSync(process.execPath, [BIN, "build", python.dir, "--target", "workers"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /only Python sources/);
    assert.match(run.stderr, /endpoint-kit package/);
  } finally {
    await python.remove();
  }
});

test("an endpoint source that imports a Node built-in is refused, naming the import and the file", async () => {
  const nodeish = await createDevPlugin({
    fixture: "../build",
    endpoints: [{ name: "hash", path: "/hash", method: "GET", source: "endpoints/hash.ts" }],
    files: { "endpoints/hash.ts": 'import { Endpoint } from "endpoint-kit";\nimport { createHash } from "node:crypto";\n\nexport default class Hash extends Endpoint {\n  _invoke(): Response {\n    return new Response(createHash("sha256").update("x").digest("hex"));\n  }\n}\n' },
  });
  try {
    const run = spawnSync(process.execPath, [BIN, "build", nodeish.dir, "--target", "node"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /endpoints\/hash\.ts:2:\d+: "node:crypto" is a Node built-in/);
    assert.match(run.stderr, /crypto\.subtle/);
  } finally {
    await nodeish.remove();
  }
});
