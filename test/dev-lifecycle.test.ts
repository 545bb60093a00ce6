/**
 * End to end: how a real `endpoint-kit dev` process starts and stops (RELIABILITY.md): ports in use,
 * SIGINT/SIGTERM with requests in flight and idle keep-alive clients, no child process left behind,
 * a stable hook id across restarts, and plugins that are partly or wholly broken.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { Agent, request as httpRequest } from "node:http";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createDevPlugin, descendants, httpCall, isRunning, spawnDev, startDev, WAIT_MS, type DevPlugin, type EndpointSpec, type HttpAnswer } from "./helpers/spawn-dev.js";

const ENDPOINTS: EndpointSpec[] = [
  { name: "hello", path: "/hello", method: "GET", source: "endpoints/hello.ts" },
  { name: "slow", path: "/slow", method: "GET", source: "endpoints/slow.ts" },
  { name: "py", path: "/py", method: "GET", source: "endpoints/py.py", language: "python" },
];

let plugin: DevPlugin;

before(async () => {
  plugin = await createDevPlugin({ fixture: "lifecycle", endpoints: ENDPOINTS });
});

after(async () => {
  await plugin?.remove();
});

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

const closeServer = (server: Server | undefined) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

/** Resolves when the port refuses connections (the server is gone), rejects after WAIT_MS. */
async function refused(port: number): Promise<boolean> {
  try {
    await httpCall(port, "/hello");
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ECONNREFUSED";
  }
}

describe("dev: ports", () => {
  test("an explicitly given port in use: exit 3 with a hint, before anything is served", async () => {
    const taken = await listen(0);
    try {
      const address = taken?.address();
      assert.ok(address && typeof address === "object");
      const dev = spawnDev(plugin.dir, ["--port", String(address.port)]);
      const { code } = await dev.exited;
      assert.equal(code, 3, dev.output());
      assert.match(dev.stderr(), new RegExp(`port ${address.port} .*already in use`));
      assert.match(dev.stderr(), /^hint: .*--port/m);
      assert.doesNotMatch(dev.stdout(), /watching for changes/);
    } finally {
      await closeServer(taken);
    }
  });

  test("the default port in use: dev moves to the next free one and says so", async () => {
    // Hold 5002 ourselves; if something else already holds it, dev must move all the same.
    const held = await listen(5002);
    const dev = await startDev(plugin.dir, [], { defaultPort: true });
    try {
      const moved = /port 5002 is in use, using (\d+) instead/.exec(dev.output());
      assert.ok(moved, dev.output());
      assert.equal(dev.port, Number(moved[1]));
      assert.notEqual(dev.port, 5002);
      assert.equal((await dev.request("/hello")).body, "hello");
    } finally {
      await dev.stop();
      await closeServer(held);
    }
  });
});

describe("dev: shutdown", () => {
  let firstHookId = "";

  test("SIGINT: idle keep-alive connections close, the request in flight finishes, then exit 130", async () => {
    const dev = await startDev(plugin.dir);
    try {
      firstHookId = dev.hookId;
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const idle = await new Promise<{ answer: string; closed: Promise<void> }>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: dev.port, path: "/hello", agent }, (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (text: string) => (body += text));
          res.on("end", () => resolve({ answer: body, closed: new Promise((done) => req.socket?.once("close", () => done())) }));
        });
        req.on("error", reject);
        req.end();
      });
      assert.equal(idle.answer, "hello");
      const gate = join(plugin.base, "sigint-gate");
      const from = dev.output().length;
      const inFlight: Promise<HttpAnswer> = dev.request(`/slow?gate=${encodeURIComponent(gate)}`);
      await dev.waitFor(/slow request started/, from);
      dev.child.kill("SIGINT");
      await dev.waitFor(/SIGINT: finishing requests in flight/, from);
      await idle.closed;
      assert.equal(dev.child.exitCode, null, "dev waits for the request in flight");
      await writeFile(gate, "open");
      const answer = await inFlight;
      assert.equal(answer.status, 200);
      assert.equal(answer.body, "slow done");
      const { code } = await dev.exited;
      assert.equal(code, 130);
      assert.ok(await refused(dev.port), "the port is freed");
      agent.destroy();
    } finally {
      await dev.stop();
    }
  });

  test("SIGTERM: exit 0, no worker or Python process left, and the hook id is the same as before", async () => {
    const dev = await startDev(plugin.dir);
    try {
      assert.equal(dev.hookId, firstHookId, "the hook id is stable across restarts");
      assert.equal((await dev.request(`/e/${dev.hookId}/py`)).body, "from python");
      assert.equal((await dev.request("/hello")).body, "hello");
      const children = descendants(dev.pid);
      if (process.platform === "linux") assert.ok(children.length > 0, "the Python endpoint runs in a child process");
      dev.child.kill("SIGTERM");
      const { code } = await dev.exited;
      assert.equal(code, 0, dev.output());
      const deadline = Date.now() + WAIT_MS;
      while (children.some(isRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(children.filter(isRunning), [], "processes started by dev outlived it");
      assert.ok(await refused(dev.port));
    } finally {
      await dev.stop();
    }
  });

  test("a second SIGINT stops at once, even with a request that would never finish", async () => {
    const dev = await startDev(plugin.dir);
    try {
      const from = dev.output().length;
      const never = dev.request(`/slow?gate=${encodeURIComponent(join(plugin.base, "never-opened"))}`).catch((error: Error) => error);
      await dev.waitFor(/slow request started/, from);
      dev.child.kill("SIGINT");
      await dev.waitFor(/SIGINT: finishing/, from);
      dev.child.kill("SIGINT");
      const { code } = await dev.exited;
      assert.equal(code, 130);
      assert.ok((await never) instanceof Error, "the hanging request was cut");
    } finally {
      await dev.stop();
    }
  });
});

describe("dev: broken plugins", () => {
  test("a plugin with some errors starts, serves what it can, and says what is missing", async () => {
    const broken = await createDevPlugin({
      fixture: "lifecycle",
      endpoints: [
        ...ENDPOINTS.slice(0, 1),
        { name: "missing", path: "/missing", method: "GET", source: "endpoints/missing.ts" },
        { name: "syntax", path: "/syntax", method: "GET", source: "endpoints/syntax.ts" },
      ],
      files: { "endpoints/syntax.ts": 'import { Endpoint } from "endpoint-kit";\n\nexport default class Syntax extends Endpoint {\n  _invoke(): Response {\n    return new Response("x";\n  }\n}\n' },
    });
    const dev = await startDev(broken.dir);
    try {
      assert.equal((await dev.request("/hello")).body, "hello");
      assert.match(dev.stderr(), /endpoints\/missing\.yaml:\d+:\d+: error: .*missing\.ts/);
      assert.match(dev.stdout(), /skip +endpoints\/missing\.yaml: its source endpoints\/missing\.ts cannot be used/);
      assert.match(dev.stderr(), /endpoints\/syntax\.ts:5:\d+: /);
      assert.match(dev.stdout(), /\/syntax +endpoints\/syntax\.yaml \(TypeScript\) \(cannot run: see above\)/);
      const syntax = await dev.request("/syntax");
      assert.equal(syntax.status, 500);
      assert.match(syntax.body, /^Internal Server Error: endpoints\/syntax\.ts:5:\d+/);
      assert.equal((await dev.request("/missing")).status, 404);
    } finally {
      await dev.stop();
      await broken.remove();
    }
  });

  test("a plugin with nothing to serve: exit 1, saying why", async () => {
    const empty = await createDevPlugin({ fixture: "lifecycle", endpoints: [{ name: "gone", path: "/gone", method: "GET", source: "endpoints/gone.ts" }] });
    try {
      const dev = spawnDev(empty.dir, ["--port", "0"]);
      const { code } = await dev.exited;
      assert.equal(code, 1, dev.output());
      assert.match(dev.stderr(), /no endpoint can be served/);
      assert.match(dev.stderr(), /gone\.ts/);
      assert.match(dev.stderr(), /error: nothing to serve/);
    } finally {
      await empty.remove();
    }
  });
});
