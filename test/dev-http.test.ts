/**
 * End to end: a real `endpoint-kit dev` process answering HTTP as Dify's front door does (URL forms,
 * misses, HEAD/OPTIONS, the request as the handler sees it, single-valued headers, typed values,
 * streaming) and staying up under bad input and bad handlers (RELIABILITY.md, dev (HTTP)).
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { Agent, request as httpRequest } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createDevPlugin, startDev, WAIT_MS, type DevPlugin, type DevProcess, type EndpointSpec } from "./helpers/spawn-dev.js";
import type { SettingSpec } from "./helpers/temp-plugin.js";

const SECRET = "sk-live-5f3c9a1e77d2";

const ENDPOINTS: EndpointSpec[] = [
  { name: "echo", path: "/echo/<int:n>", method: "GET", source: "endpoints/echo.ts" },
  { name: "echo-post", path: "/echo/<int:n>/body", method: "POST", source: "endpoints/echo.ts" },
  { name: "typed", path: "/typed/<int:i>/<float:f>/<uuid:u>/<name>", method: "GET", source: "endpoints/echo.ts" },
  { name: "branch", path: "/branch/", method: "GET", source: "endpoints/echo.ts" },
  { name: "preflight", path: "/cors", method: "OPTIONS", source: "endpoints/echo.ts" },
  { name: "cors-get", path: "/cors", method: "GET", source: "endpoints/echo.ts" },
  { name: "throw", path: "/throw", method: "GET", source: "endpoints/throw.ts" },
  { name: "multi", path: "/multi", method: "GET", source: "endpoints/multi.ts" },
  { name: "stream", path: "/stream", method: "GET", source: "endpoints/stream.ts" },
  { name: "release", path: "/release", method: "GET", source: "endpoints/release.ts" },
  { name: "hits", path: "/hits/<key>", method: "GET", source: "endpoints/hits.ts" },
  { name: "faults", path: "/faults/<mode>", method: "GET", source: "endpoints/faults.ts" },
];

const SETTINGS: SettingSpec[] = [
  { name: "api_key", type: "secret-input", required: true, label: "API key" },
  { name: "mode", type: "select", default: "fast", options: ["fast", "slow"] },
];

interface EchoBody {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  values: Record<string, unknown>;
  valueTypes: Record<string, string>;
  settingNames: string[];
  mode: string;
  bodyLength: number;
}

const header = (echo: EchoBody, name: string) => echo.headers.filter(([key]) => key === name).map(([, value]) => value);

let plugin: DevPlugin;
let dev: DevProcess;

before(async () => {
  plugin = await createDevPlugin({ fixture: "http", endpoints: ENDPOINTS, settings: SETTINGS });
  const settingsFile = join(plugin.base, "settings.yaml");
  await writeFile(settingsFile, `api_key: "${SECRET}"\n`);
  // The CORS tests call from a front end the developer allowed.
  dev = await startDev(plugin.dir, ["--settings", settingsFile, "--allow-origin", "http://app.example"]);
});

after(async () => {
  await dev?.stop();
  await plugin?.remove();
});

describe("dev over HTTP: Dify's answers", () => {
  test("the banner lists both URL forms and the settings, the secret masked and the default applied", () => {
    assert.match(dev.hookId, /^[a-z]{16}$/);
    assert.match(dev.stdout(), new RegExp(`GET +http://127\\.0\\.0\\.1:${dev.port}/e/${dev.hookId}/echo/<int:n>`));
    assert.match(dev.stdout(), new RegExp(`also http://127\\.0\\.0\\.1:${dev.port}/echo/<int:n>`));
    assert.match(dev.stdout(), /api_key = \*\*\*\*/);
    assert.match(dev.stdout(), /mode = "fast"/);
    assert.doesNotMatch(dev.stdout(), /port 0 is in use/);
  });

  test("both /e/<hook_id><path> and <path> reach the endpoint, which sees the path without the prefix", async () => {
    for (const path of [`/e/${dev.hookId}/echo/7`, "/echo/7"]) {
      const answer = await dev.request(path);
      assert.equal(answer.status, 200, path);
      assert.equal(answer.headers["x-echo"], "yes");
      const echo = JSON.parse(answer.body) as EchoBody;
      assert.equal(new URL(echo.url).pathname, "/echo/7", path);
      assert.deepEqual(header(echo, "dify-hook-id"), [dev.hookId]);
      assert.deepEqual(header(echo, "dify-hook-url"), [`http://127.0.0.1:${dev.port}/e/${dev.hookId}/echo/7`]);
    }
  });

  const misses: Array<[string, string, string]> = [
    ["no rule", "GET", "/nothing/here"],
    ["a wrong hook id", "GET", "/e/wronghookidxxxxx/echo/7"],
    ["a method not allowed (werkzeug's 405)", "POST", "/echo/7"],
    ["a missing trailing slash (werkzeug's 308)", "GET", "/branch"],
    ["a trailing slash the rule does not have", "GET", "/echo/7/"],
    ["a double slash (werkzeug's 308)", "GET", "/echo//7"],
    ["a converter that does not match", "GET", "/echo/x"],
    ["OPTIONS with no OPTIONS endpoint", "OPTIONS", "/echo/7"],
    ["PUT", "PUT", "/cors"],
  ];
  for (const [name, method, path] of misses) {
    test(`a miss is a 404 "Failed to dispatch endpoint request": ${name}`, async () => {
      const answer = await dev.request(path, { method });
      assert.equal(answer.status, 404);
      assert.match(answer.body, /^Failed to dispatch endpoint request: \S/);
      assert.equal(answer.headers.location, undefined, "no redirect");
    });
  }

  test("HEAD is served by the GET rule, without a body", async () => {
    const answer = await dev.request("/echo/3", { method: "HEAD" });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers["x-echo"], "yes");
    assert.equal(answer.body, "");
    const raw = await dev.raw("HEAD /echo/3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert.match(raw, /^HTTP\/1\.1 200/);
    assert.equal(raw.split("\r\n\r\n")[1], "", "no body bytes after the head");
  });

  test("OPTIONS is answered only where an OPTIONS endpoint is declared", async () => {
    const declared = await dev.request("/cors", { method: "OPTIONS", headers: { origin: "http://app.example", "access-control-request-method": "GET" } });
    assert.equal(declared.status, 200);
    assert.equal((JSON.parse(declared.body) as EchoBody).method, "OPTIONS");
    assert.equal(declared.headers["access-control-allow-origin"], undefined, "dev adds no CORS headers of its own");
  });

  test("a handler that throws is a 500 `Internal Server Error: <message>`", async () => {
    const answer = await dev.request("/throw");
    assert.equal(answer.status, 500);
    assert.equal(answer.body, `Internal Server Error: upstream refused key ${SECRET}`);
    const ok = await dev.request("/echo/1");
    assert.equal(ok.status, 200, "the next request is served");
  });

  test("the terminal masks the secret in the handler's logs and stack trace", async () => {
    const from = dev.output().length;
    await dev.request("/throw");
    await dev.waitFor(/upstream refused key \*\*\*\*/, from);
    await dev.waitFor(/calling upstream with key \*\*\*\*/, 0);
    await dev.waitFor(/at .*endpoints\/throw\.ts:\d+:\d+/, from);
    assert.ok(!dev.output().includes(SECRET), `the secret was printed:\n${dev.output()}`);
  });

  test("the request as the handler sees it: proxy headers removed, hook headers added, query sorted", async () => {
    const answer = await dev.request("/echo/5?b=2&a=z&a=1&c=x%20y&%C3%A9=%2F", {
      headers: {
        "X-Forwarded-For": "10.0.0.1",
        "X-Real-IP": "10.0.0.2",
        "X-Forwarded": "for=10.0.0.3",
        "X-Original-Forwarded-For": "10.0.0.4",
        "X-Original-Url": "/elsewhere",
        "X-Original-Host": "elsewhere.example",
        "X-Custom": "kept",
      },
    });
    assert.equal(answer.status, 200);
    const echo = JSON.parse(answer.body) as EchoBody;
    const names = echo.headers.map(([name]) => name);
    for (const dropped of ["x-forwarded-for", "x-real-ip", "x-forwarded", "x-original-forwarded-for", "x-original-url", "x-original-host"]) {
      assert.ok(!names.includes(dropped), `${dropped} reached the handler`);
    }
    assert.deepEqual(header(echo, "x-custom"), ["kept"]);
    assert.deepEqual(header(echo, "dify-hook-id"), [dev.hookId]);
    assert.equal(new URL(echo.url).search, "?a=z&a=1&b=2&c=x+y&%C3%A9=%2F");
  });

  test("a request header name with `_` is refused with a 500", async () => {
    const answer = await dev.request("/hits/underscore", { headers: { x_custom: "1" } });
    assert.equal(answer.status, 500);
    assert.match(answer.body, /^Internal Server Error: .*x_custom/);
    assert.equal((await dev.request("/hits/underscore")).body, "1", "the handler was not called for the refused request");
  });

  test("path values are typed: int and float are numbers, uuid and string are strings", async () => {
    const uuid = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";
    const answer = await dev.request(`/typed/42/1.5/${uuid}/caf%C3%A9`);
    assert.equal(answer.status, 200);
    const echo = JSON.parse(answer.body) as EchoBody;
    assert.deepEqual(echo.values, { i: 42, f: 1.5, u: uuid, name: "café" });
    assert.deepEqual(echo.valueTypes, { i: "number", f: "number", u: "string", name: "string" });
  });

  test("settings reach the handler with defaults applied", async () => {
    const echo = JSON.parse((await dev.request("/echo/1")).body) as EchoBody;
    assert.deepEqual(echo.settingNames, ["api_key", "mode"]);
    assert.equal(echo.mode, "fast");
  });

  test("a response header keeps one value, and the terminal says which was dropped", async () => {
    const from = dev.output().length;
    const answer = await dev.request("/multi");
    assert.equal(answer.status, 200);
    const cookies = [];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) if (answer.rawHeaders[i]?.toLowerCase() === "set-cookie") cookies.push(answer.rawHeaders[i + 1]);
    assert.deepEqual(cookies, ["second=2"], "the last value is kept, as the daemon's map does");
    assert.equal(answer.headers["x-single"], "only");
    await dev.waitFor(/one value per response header.*set-cookie/i, from);
  });
});

describe("dev over HTTP: streaming", () => {
  for (const kind of ["stream", "generator"]) {
    test(`a ${kind} body reaches the client chunk by chunk`, async () => {
      const gate = `gate-${kind}`;
      const received: string[] = [];
      const release = () => void dev.request(`/release?gate=${gate}`);
      const done = new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: dev.port, path: `/stream?kind=${kind}&gate=${gate}`, agent: false });
        req.setTimeout(WAIT_MS, () => req.destroy(new Error("the stream stalled")));
        req.on("error", reject);
        req.on("response", (res) => {
          assert.equal(res.statusCode, 200);
          res.setEncoding("utf8");
          res.on("data", (text: string) => {
            received.push(text);
            // The second chunk cannot exist before the gate opens: receiving the first proves no buffering.
            if (received.length === 1) release();
          });
          res.on("end", resolve);
          res.on("error", reject);
        });
        req.end();
      });
      await done;
      const expected = kind === "stream" ? ["first;", "second"] : ["gen-first;", "gen-second"];
      assert.equal(received.join(""), expected.join(""));
      assert.equal(received[0], expected[0], "the first chunk arrived on its own");
    });
  }

  test("a client that goes away mid-download: no crash, the stream is cancelled, the next request is served", async () => {
    const from = dev.output().length;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: dev.port, path: "/stream?kind=endless&gate=abort1", agent: false });
      req.on("error", () => resolve());
      req.on("response", (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.byteLength;
          if (bytes > 256 * 1024) {
            req.destroy();
            resolve();
          }
        });
        res.on("error", () => resolve());
        res.on("end", () => reject(new Error("an endless stream ended")));
      });
      req.end();
    });
    await dev.waitFor(/endless stream abort1 cancelled/, from);
    assert.equal((await dev.request("/echo/1")).status, 200);
    assert.equal(dev.child.exitCode, null);
  });
});

describe("dev over HTTP: safety", () => {
  const BIG = 12 * 1024 * 1024;
  const LIMIT = 10 * 1024 * 1024;

  test("a 12 MiB body with Content-Length: the handler sees exactly 10 MiB, a warning is printed", async () => {
    const from = dev.output().length;
    const answer = await dev.request("/echo/1/body", { method: "POST", body: Buffer.alloc(BIG, 97) });
    assert.equal(answer.status, 200);
    assert.equal((JSON.parse(answer.body) as EchoBody).bodyLength, LIMIT);
    await dev.waitFor(/cut at 10 MiB/, from);
  });

  test("a 12 MiB chunked body: the handler sees exactly 10 MiB, a warning is printed", async () => {
    const from = dev.output().length;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: dev.port, path: "/echo/1/body", method: "POST", agent: false, headers: { "transfer-encoding": "chunked" } });
      req.on("error", reject);
      req.on("response", (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (text: string) => (body += text));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      const piece = Buffer.alloc(1024 * 1024, 98);
      for (let i = 0; i < 12; i++) req.write(piece);
      req.end();
    });
    assert.equal(answer.status, 200);
    assert.equal((JSON.parse(answer.body) as EchoBody).bodyLength, LIMIT);
    await dev.waitFor(/cut at 10 MiB/, from);
  });

  test("a client that goes away mid-upload: no crash, the next request is served", async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest({ host: "127.0.0.1", port: dev.port, path: "/echo/1/body", method: "POST", agent: false, headers: { "content-length": String(4 * 1024 * 1024) } });
      req.on("error", () => resolve());
      req.write(Buffer.alloc(256 * 1024, 99), () => {
        req.destroy();
        resolve();
      });
    });
    assert.equal((await dev.request("/echo/1")).status, 200);
    assert.equal(dev.child.exitCode, null);
  });

  test("conflicting Content-Length and Transfer-Encoding: 400, then the server goes on", async () => {
    const raw = await dev.raw("POST /echo/1/body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    assert.match(raw, /^HTTP\/1\.1 400/);
    assert.equal((await dev.request("/echo/1")).status, 200);
  });

  test("a 20 KB header: 431", async () => {
    const raw = await dev.raw(`GET /echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(20 * 1024)}\r\nConnection: close\r\n\r\n`);
    assert.match(raw, /^HTTP\/1\.1 431/);
    assert.equal((await dev.request("/echo/1")).status, 200);
  });

  test("Host: attacker.example is refused with a 403 before the handler runs", async () => {
    const refused = await dev.request("/hits/host", { headers: { host: "attacker.example" } });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /--allow-host attacker\.example/);
    const absolute = await dev.raw("GET http://localhost/hits/host HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
    assert.match(absolute, /^HTTP\/1\.1 403/, "an absolute-form target does not stand in for the Host header");
    assert.equal((await dev.request("/hits/host")).body, "1", "the refused requests never reached the handler");
    for (const host of ["localhost", `localhost:${dev.port}`, "127.0.0.1", "[::1]:80", "app.localhost"]) {
      assert.equal((await dev.request("/echo/1", { headers: { host } })).status, 200, host);
    }
  });

  test("an unawaited rejection and a throw from a timer do not take the server down", async () => {
    const answer = await dev.request("/faults/unawaited");
    assert.equal(answer.status, 200);
    assert.equal(answer.body, "answered anyway");
    assert.equal((await dev.request("/echo/1")).status, 200);
    assert.equal((await dev.request("/faults/fine")).body, "fine");
    assert.equal(dev.child.exitCode, null);
  });

  test("100 concurrent connections, 5 requests each, on the echo endpoint: every answer right", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 100 });
    try {
      const clients = Array.from({ length: 100 }, async (_, client) => {
        for (let i = 0; i < 5; i++) {
          const answer = await dev.request(`/echo/${client * 10 + i}?client=${client}`, { agent });
          assert.equal(answer.status, 200);
          assert.equal((JSON.parse(answer.body) as EchoBody).values.n, client * 10 + i);
        }
      });
      await Promise.all(clients);
    } finally {
      agent.destroy();
    }
    assert.equal(dev.child.exitCode, null);
    assert.doesNotMatch(dev.stderr(), /\b(5\d\d)\b.*echo\.yaml/);
  });

  test("nothing printed holds the secret", () => {
    assert.ok(!dev.output().includes(SECRET));
  });
});

describe("dev over HTTP: deadlines, --hook-id and --allow-host", () => {
  let strict: DevProcess;

  before(async () => {
    strict = await startDev(plugin.dir, ["--timeout", "1", "--hook-id", "my-hook", "--allow-host", "Attacker.Example", "--settings", join(plugin.base, "settings.yaml")]);
  });

  after(async () => {
    await strict?.stop();
  });

  test("--hook-id sets the /e/<hook_id> prefix", async () => {
    assert.equal(strict.hookId, "my-hook");
    assert.equal((await strict.request("/e/my-hook/echo/2")).status, 200);
    assert.equal((await strict.request(`/e/${dev.hookId}/echo/2`)).status, 404);
  });

  test("--allow-host lets that Host through", async () => {
    const answer = await strict.request("/echo/2", { headers: { host: "attacker.example" } });
    assert.equal(answer.status, 200);
    assert.deepEqual(header(JSON.parse(answer.body) as EchoBody, "dify-hook-url"), ["http://attacker.example/e/my-hook/echo/2"]);
    assert.equal((await strict.request("/echo/2", { headers: { host: "other.example" } })).status, 403);
  });

  test("a handler that never answers: 504 after the deadline, then the next request is served", async () => {
    const answer = await strict.request("/faults/never");
    assert.equal(answer.status, 504);
    assert.match(answer.body, /Gateway Timeout/);
    assert.equal((await strict.request("/faults/fine")).body, "fine");
  });

  test("an endless loop: 504, the worker is replaced, and the server goes on serving", async () => {
    const answer = await strict.request("/faults/loop");
    assert.equal(answer.status, 504);
    assert.equal((await strict.request("/echo/2")).status, 200);
    assert.equal(strict.child.exitCode, null);
  });

  test("a request that arrives while a looping worker is being replaced is served by the new worker", async () => {
    assert.equal((await strict.request("/faults/loop")).status, 504);
    const next = await strict.request("/faults/fine");
    assert.equal(next.status, 200);
    assert.equal(next.body, "fine");
  });
});
