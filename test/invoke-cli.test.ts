/**
 * `endpoint-kit invoke` end to end: the built bin in a child process, one request per run, the body
 * on stdout as it streams, everything else on stderr, and the exit codes.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { BIN, createDevPlugin, WAIT_MS } from "./helpers/spawn-dev.js";
import { createTempPlugin } from "./helpers/temp-plugin.js";
import { PYTHON, skipWithoutPython } from "./dev-python-harness.js";

const STREAM = `import { Endpoint } from "endpoint-kit";
import { existsSync } from "node:fs";

// Sends "first;", then waits for the file named by ?until= before sending "second".
export default class Slow extends Endpoint {
  _invoke(r: Request): Response {
    const until = new URL(r.url).searchParams.get("until") ?? "";
    const encoder = new TextEncoder();
    return new Response(new ReadableStream({
      async start(controller) {
        controller.enqueue(encoder.encode("first;"));
        while (!existsSync(until)) await new Promise((resolve) => setTimeout(resolve, 10));
        controller.enqueue(encoder.encode("second"));
        controller.close();
      },
    }));
  }
}
`;
const LOUD = `import { Endpoint } from "endpoint-kit";
export default class Loud extends Endpoint {
  _invoke(): Response {
    console.log("a line from the handler");
    return new Response("the body");
  }
}
`;

function invoke(cwd: string, args: string[], input?: string) {
  const run = spawnSync(process.execPath, [BIN, "invoke", ...args], { cwd, encoding: "utf8", input, timeout: WAIT_MS, env: { ...process.env, NO_COLOR: "1" } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("endpoint-kit invoke", async () => {
  const plugin = await createDevPlugin({
    fixture: "http",
    endpoints: [
      { name: "echo", path: "/echo/<int:n>", method: "POST", source: "endpoints/echo.ts" },
      { name: "slow", path: "/slow", method: "GET", source: "endpoints/slow.ts" },
      { name: "loud", path: "/loud", method: "GET", source: "endpoints/loud.ts" },
    ],
    files: { "endpoints/slow.ts": STREAM, "endpoints/loud.ts": LOUD, "payload.json": '{"event":"push"}\n' },
  });
  after(() => plugin.remove());

  test("-i prints the status line and headers, then the body; -d @file and -H reach the handler", () => {
    const run = invoke(plugin.dir, ["POST", "/echo/3?b=1&a=2", "-i", "-d", "@payload.json", "-H", "Content-Type: application/json", "-H", "X-Token: t1"]);
    assert.equal(run.code, 0, run.stderr);
    const [head, body] = run.stdout.split("\r\n\r\n");
    assert.match(head!, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(head!, /\r\nx-echo: yes/);
    const seen = JSON.parse(body!) as { url: string; values: unknown; bodyLength: number; headers: Array<[string, string]> };
    assert.equal(seen.url, "http://localhost/echo/3?a=2&b=1");
    assert.deepEqual(seen.values, { n: 3 });
    assert.equal(seen.bodyLength, 17);
    assert.ok(seen.headers.some(([n, v]) => n === "content-type" && v === "application/json"));
    assert.ok(seen.headers.some(([n, v]) => n === "x-token" && v === "t1"));
  });

  test("a miss is Dify's 404 on stdout: exit 0, or 1 with --fail", () => {
    const plain = invoke(plugin.dir, ["GET", "/nowhere"]);
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /^Failed to dispatch endpoint request: 404 Not Found/);
    const failing = invoke(plugin.dir, ["GET", "/nowhere", "--fail"]);
    assert.equal(failing.code, 1);
    assert.equal(invoke(plugin.dir, ["GET", "/loud", "--fail"]).code, 0);
  });

  test("handler output goes to stderr, the body alone to stdout", () => {
    const run = invoke(plugin.dir, ["GET", "/loud"]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, "the body");
    assert.match(run.stderr, /a line from the handler/);
  });

  test("the body streams to stdout as the handler produces it", async () => {
    const flag = join(plugin.base, "release-flag");
    const child = spawn(process.execPath, [BIN, "invoke", "GET", `/slow?until=${encodeURIComponent(flag)}`], { cwd: plugin.dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    const first = new Promise<void>((resolve) => child.stdout.on("data", (chunk: Buffer) => ((stdout += chunk.toString()), stdout.includes("first;") && resolve())));
    await first;
    assert.equal(stdout, "first;", "the second chunk cannot exist yet");
    writeFileSync(flag, "");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 0);
    assert.equal(stdout, "first;second");
  });

  test("usage errors exit 2, an unreadable plugin 3, an invalid one 1 with its diagnostics on stderr", async () => {
    assert.equal(invoke(plugin.dir, ["GET", "/loud", "-H", "no colon"]).code, 2);
    assert.equal(invoke(plugin.dir, ["GET", "relative"]).code, 2);
    assert.equal(invoke(plugin.dir, ["GET", "/x", "--dir", join(plugin.base, "missing")]).code, 3);
    assert.equal(invoke(plugin.dir, ["POST", "/echo/1", "-d", "@missing.json"]).code, 3);
    const broken = await createTempPlugin({ "endpoints/hello.yaml": 'path: "/<str:x>"\nmethod: GET\nextra:\n  python:\n    source: endpoints/hello.py\n' });
    try {
      const run = invoke(broken.dir, ["GET", "/x"]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /endpoints\/hello\.yaml:1:\d+: error: .*\[endpoint-path\]/);
    } finally {
      await broken.remove();
    }
  });
});

describe("endpoint-kit invoke: a Python endpoint", { skip: skipWithoutPython }, () => {
  test("answers through the Python runtime", async () => {
    const temp = await createTempPlugin({
      "endpoints/hello.py": 'from dify_plugin import Endpoint\nfrom werkzeug import Response\n\n\nclass Hello(Endpoint):\n    def _invoke(self, r, values, settings):\n        print("from python")\n        return Response("hi " + r.args.get("name", "?"), status=201)\n',
    });
    try {
      const run = invoke(temp.dir, ["GET", "/hello?name=Ada", "-i", "--python", PYTHON!]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^HTTP\/1\.1 201 Created\r\n/);
      assert.ok(run.stdout.endsWith("\r\n\r\nhi Ada"));
      assert.match(run.stderr, /from python/);
    } finally {
      await temp.remove();
    }
  });
});
