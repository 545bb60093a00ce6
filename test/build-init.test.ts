/**
 * A TypeScript plugin fresh from `init` builds for every target with the real CLI; the Workers output
 * answers under `workerd serve` with its settings given as bindings. Bun and Deno are not installed
 * where these tests run, so their entries are checked for shape (and parsed by Node).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startBuilt, WORKERD } from "./helpers/built-server.js";
import { BIN } from "./helpers/spawn-dev.js";

let base: string;
const plugin = () => join(base, "hello");
const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: base, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

before(async () => {
  base = await mkdtemp(join(tmpdir(), "endpoint-kit-build-init-"));
  const init = cli(["init", "hello", "--name", "hello", "--language", "typescript", "--author", "me", "--yes", "--setting", "api_key:secret-input:required", "--setting", "greeting:text-input"]);
  assert.equal(init.status, 0, init.stderr);
});

after(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

const FILES: Record<string, string[]> = {
  workers: ["README.md", "worker.js", "worker.js.map", "workerd.capnp", "wrangler.jsonc"],
  node: ["README.md", "server.mjs", "worker.mjs", "worker.mjs.map"],
  bun: ["README.md", "server.mjs", "worker.mjs", "worker.mjs.map"],
  deno: ["README.md", "server.mjs", "worker.mjs", "worker.mjs.map"],
};

for (const target of Object.keys(FILES)) {
  test(`a fresh TypeScript plugin builds for ${target}`, async () => {
    const run = cli(["build", "hello", "--target", target]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Built hello for ${target} in hello/dist/${target}/`));
    assert.match(run.stdout, /API_KEY +api_key +secret-input +required/);
    assert.match(run.stdout, /GREETING +greeting +text-input +optional/);
    const out = join(plugin(), "dist", target);
    assert.deepEqual((await readdir(out)).sort(), FILES[target]);
    const server = await readFile(join(out, target === "workers" ? "worker.js" : "server.mjs"), "utf8");
    if (target === "workers") assert.match(server, /export\s*\{\s*\w+ as default\s*\}/);
    if (target !== "workers") assert.equal(spawnSync(process.execPath, ["--check", join(out, "server.mjs")]).status, 0, "server.mjs parses");
    if (target === "bun") assert.match(server, /Bun\.serve\(\{ port, hostname, fetch: \(request\) => worker\.fetch\(request, env\) \}\)/);
    if (target === "deno") assert.match(server, /Deno\.serve\(\{ port, hostname,[^]*worker\.fetch\(request, env\)/);
    if (target === "bun" || target === "deno") {
      assert.match(server, /import worker from "\.\/worker\.mjs"/);
      assert.match(server, /env\.PORT \|\| 8787/);
      assert.match(server, /env\.HOST \|\| "127\.0\.0\.1"/);
      assert.match(server, /SIGTERM/);
    }
  });
}

test("the Workers output of the fresh plugin answers under workerd, its setting a binding", { skip: spawnSync(WORKERD, ["--version"]).status === 0 ? false : "workerd does not run here" }, async () => {
  const run = cli(["build", "hello", "--target", "workers", "--dify-urls"]);
  assert.equal(run.status, 0, run.stderr);
  const server = await startBuilt("workers", join(plugin(), "dist", "workers"), { API_KEY: "sk-test-1234" });
  try {
    for (const path of ["/hello/world", "/e/abcdefghijklmnop/hello/world"]) {
      const answer = await server.request(path);
      assert.equal(answer.status, 200, answer.body);
      assert.deepEqual(JSON.parse(answer.body), { endpoint: "hello", method: "GET", values: { name: "world" }, settings: ["api_key"] });
    }
  } finally {
    await server.stop();
  }
});
