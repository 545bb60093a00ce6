import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { InvokeError, type InvokeCall, type InvokeResult, type RuntimeLoadPlan, type RuntimeLog } from "../src/runtime/contract.js";
import { createNodeRuntime, type NodeRuntime } from "../src/runtime/node/node-runtime.js";

const FIXTURES = fileURLToPath(new URL("../../test/fixtures/node/", import.meta.url));
const SOURCE = "endpoints/version.ts";
const ENDPOINT = "endpoints/version.yaml";
const decoder = new TextDecoder();

function copyFixture(name: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), `ek-node-${name}-`));
  cpSync(path.join(FIXTURES, name), root, { recursive: true });
  return root;
}

const call: InvokeCall = { endpoint: ENDPOINT, method: "GET", url: "http://localhost/", headers: [], body: new Uint8Array(), values: {}, settings: {} };

async function answer(runtime: NodeRuntime): Promise<string> {
  return readText(await runtime.invoke(call, { signal: new AbortController().signal, deadlineMs: 10_000 }));
}

async function readText(result: InvokeResult): Promise<string> {
  let text = "";
  for await (const chunk of result.body) text += decoder.decode(chunk);
  return text;
}

/** The fixture with its VERSION and GATE constants replaced, and optional extra top-level code. */
function versionSource(template: string, version: string, gate = "", extra = ""): string {
  return template
    .replace('const VERSION = "v1";', `const VERSION = ${JSON.stringify(version)};`)
    .replace('const GATE = "";', `const GATE = ${JSON.stringify(gate)};${extra}`);
}

describe("node runtime: reloads", () => {
  const logs: RuntimeLog[] = [];
  let runtime: NodeRuntime;
  let root: string;
  let template: string;
  let plan: RuntimeLoadPlan;

  const write = (text: string): void => writeFileSync(path.join(root, SOURCE), text);

  before(async () => {
    root = copyFixture("reload");
    template = readFileSync(path.join(root, SOURCE), "utf8");
    runtime = createNodeRuntime({ onLog: (log) => logs.push(log), loadTimeoutMs: 1_000 });
    plan = { root, endpoints: [{ id: ENDPOINT, source: SOURCE }] };
    const report = await runtime.load(plan);
    assert.deepEqual(report.sources, [{ source: SOURCE, ok: true, inputs: [SOURCE] }]);
  });

  after(async () => {
    await runtime.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("a good edit is served after load()", async () => {
    assert.equal(await answer(runtime), "v1");
    write(versionSource(template, "v2"));
    assert.equal((await runtime.load(plan)).sources[0]?.ok, true);
    assert.equal(await answer(runtime), "v2");
  });

  test("a build error is positioned, keeps the last good code serving, and a fix recovers", async () => {
    write(versionSource(template, "good"));
    await runtime.load(plan);
    const broken = versionSource(template, "bad").replace("export default class", 'const café = "é"; const broken = ;\nexport default class');
    write(broken);
    const lines = broken.split("\n");
    const line = lines.findIndex((text) => text.includes("const broken")) + 1;
    const column = (lines[line - 1] ?? "").indexOf(" ;") + 2;
    const [result] = (await runtime.load(plan)).sources;
    assert.equal(result?.ok, false);
    assert.deepEqual({ ...result?.error, message: undefined }, { message: undefined, file: SOURCE, line, column });
    assert.match(result?.error?.message ?? "", /Unexpected ";"/);
    assert.deepEqual(result?.inputs, [SOURCE]);
    assert.equal(await answer(runtime), "good");
    write(versionSource(template, "fixed"));
    assert.equal((await runtime.load(plan)).sources[0]?.ok, true);
    assert.equal(await answer(runtime), "fixed");
  });

  test("an edit of an imported file is picked up and reported as an input", async () => {
    writeFileSync(path.join(root, "endpoints/label.ts"), 'export const label = "from-import-1";\n');
    write(`import { label } from "./label";\n${versionSource(template, "unused").replace("new Response(VERSION)", "new Response(label)")}`);
    const [result] = (await runtime.load(plan)).sources;
    assert.deepEqual(result?.inputs, ["endpoints/label.ts", SOURCE]);
    assert.equal(await answer(runtime), "from-import-1");
    writeFileSync(path.join(root, "endpoints/label.ts"), 'export const label = "from-import-2";\n');
    await runtime.load(plan);
    assert.equal(await answer(runtime), "from-import-2");
  });

  test("an in-flight call finishes on the old code while new calls get the new code", async () => {
    const gate = `reload-gate-${process.pid}`;
    write(versionSource(template, "old", gate));
    await runtime.load(plan);
    const inFlight = answer(runtime);
    while (!logs.some((log) => log.text === `waiting at ${gate}`)) await new Promise((resolve) => setTimeout(resolve, 5));
    write(versionSource(template, "new"));
    assert.equal((await runtime.load(plan)).sources[0]?.ok, true);
    assert.equal(await answer(runtime), "new");
    const channel = new BroadcastChannel(gate);
    channel.postMessage("go");
    channel.close();
    assert.equal(await inFlight, "old");
  });

  test("a call made while load() runs waits for it and gets the new code", async () => {
    write(versionSource(template, "before"));
    await runtime.load(plan);
    write(versionSource(template, "during"));
    const loading = runtime.load(plan);
    const served = answer(runtime);
    await loading;
    assert.equal(await served, "during");
  });

  test("a module whose top level never ends fails to load and the old code keeps serving", async () => {
    write(versionSource(template, "steady"));
    await runtime.load(plan);
    write(versionSource(template, "stuck", "", "\nfor (;;) {}"));
    const [result] = (await runtime.load(plan)).sources;
    assert.equal(result?.ok, false);
    assert.match(result?.error?.message ?? "", /longer than 1000 ms/);
    assert.equal(await answer(runtime), "steady");
  });

  test("a reload while a call blocks the worker replaces the worker and loads the edit", async () => {
    write(versionSource(template, "before-block"));
    await runtime.load(plan);
    const blocked = runtime
      .invoke({ ...call, url: "http://localhost/loop" }, { signal: new AbortController().signal, deadlineMs: 60_000 })
      .then(() => "served", (error: unknown) => error);
    write(versionSource(template, "after-block"));
    const [result] = (await runtime.load(plan)).sources;
    assert.equal(result?.ok, true, JSON.stringify(result));
    const outcome = await blocked;
    assert.ok(outcome instanceof InvokeError && outcome.kind === "crashed", String(outcome));
    assert.equal(await answer(runtime), "after-block");
  });

  test("an endpoint dropped from the plan is no longer served", async () => {
    await runtime.load({ root, endpoints: [] });
    await assert.rejects(answer(runtime), (error) => error instanceof InvokeError && error.kind === "unavailable");
    write(versionSource(template, "back"));
    await runtime.load(plan);
    assert.equal(await answer(runtime), "back");
  });

  test("300 reloads keep the worker's heap flat", async (t) => {
    const reload = async (index: number): Promise<void> => {
      write(versionSource(template, `heap-${index}-${"x".repeat(index % 7)}`));
      const [result] = (await runtime.load(plan)).sources;
      assert.equal(result?.ok, true);
    };
    for (let index = 0; index < 20; index += 1) await reload(index);
    const { heapUsed: start, workerStarts } = await runtime.stats({ collectGarbage: true });
    const began = performance.now();
    for (let index = 20; index < 320; index += 1) await reload(index);
    const perReload = (performance.now() - began) / 300;
    assert.equal(await answer(runtime), `heap-319-${"x".repeat(319 % 7)}`);
    const end = await runtime.stats({ collectGarbage: true });
    const growthMb = (end.heapUsed - start) / 2 ** 20;
    t.diagnostic(`heap ${(start / 2 ** 20).toFixed(1)} MB -> ${(end.heapUsed / 2 ** 20).toFixed(1)} MB; ${perReload.toFixed(1)} ms per reload`);
    assert.equal(end.workerStarts, workerStarts, "the reloads must reuse the worker");
    assert.ok(growthMb < 40, `the heap grew by ${growthMb.toFixed(1)} MB`);
  });
});

describe("node runtime: incremental reloads", () => {
  let runtime: NodeRuntime;
  let root: string;
  const files = {
    a: "endpoints/a.ts",
    b: "endpoints/b.ts",
    shared: "endpoints/shared.ts",
  };
  const plan = (): RuntimeLoadPlan => ({ root, endpoints: [{ id: "a.yaml", source: files.a }, { id: "b.yaml", source: files.b }] });
  const endpointSource = (body: string, importShared = false): string =>
    `import { Endpoint } from "endpoint-kit";\n${importShared ? 'import { WORD } from "./shared";\n' : ""}export default class E extends Endpoint {\n  _invoke(): Response {\n    return new Response(${body});\n  }\n}\n`;
  const write = (file: string, text: string): void => writeFileSync(path.join(root, file), text);
  const ask = async (endpoint: string): Promise<string> => readText(await runtime.invoke({ ...call, endpoint }, { signal: new AbortController().signal, deadlineMs: 10_000 }));
  const builds = async (): Promise<number> => (await runtime.stats()).builds;

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "ek-node-incremental-"));
    mkdirSync(path.join(root, "endpoints"));
    write(files.shared, 'export const WORD = "shared-1";\n');
    write(files.a, endpointSource("`a ${WORD}`", true));
    write(files.b, endpointSource('"b-1"'));
    runtime = createNodeRuntime({ onLog: () => undefined, loadTimeoutMs: 1_000 });
    const report = await runtime.load(plan());
    assert.deepEqual(report.sources.map((s) => s.ok), [true, true]);
    assert.equal(await builds(), 2);
  });

  after(async () => {
    await runtime.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("an edit rebuilds only the source it belongs to; the other keeps its build and inputs", async () => {
    write(files.b, endpointSource('"b-2"'));
    const report = await runtime.load({ ...plan(), changed: [path.join(root, files.b)] });
    assert.equal(await builds(), 3);
    assert.deepEqual(report.sources, [
      { source: files.a, ok: true, inputs: [files.a, files.shared] },
      { source: files.b, ok: true, inputs: [files.b] },
    ]);
    assert.equal(await ask("b.yaml"), "b-2");
    assert.equal(await ask("a.yaml"), "a shared-1");
  });

  test("an edit of an imported file rebuilds the sources that import it", async () => {
    write(files.shared, 'export const WORD = "shared-2";\n');
    await runtime.load({ ...plan(), changed: [files.shared] });
    assert.equal(await builds(), 4);
    assert.equal(await ask("a.yaml"), "a shared-2");
  });

  test("an edit no source depends on rebuilds nothing", async () => {
    await runtime.load({ ...plan(), changed: ["endpoints/a.yaml", "README.md"] });
    assert.equal(await builds(), 4);
  });

  test("a failed source is built again on every load until it is fixed, the last good one serving", async () => {
    write(files.b, endpointSource('"b-3'));
    const broken = await runtime.load({ ...plan(), changed: [files.b] });
    assert.equal(broken.sources[1]?.ok, false);
    const again = await runtime.load({ ...plan(), changed: [] });
    assert.equal(again.sources[1]?.ok, false, "a failure must not be forgotten by a load that did not touch it");
    assert.equal(await builds(), 6);
    assert.equal(await ask("b.yaml"), "b-2");
    write(files.b, endpointSource('"b-4"'));
    await runtime.load({ ...plan(), changed: [] });
    assert.equal(await ask("b.yaml"), "b-4");
  });

  test("a tsconfig edit, or a load without a list of edits, rebuilds every source", async () => {
    const before = await builds();
    await runtime.load({ ...plan(), changed: ["tsconfig.json"] });
    assert.equal(await builds(), before + 2);
    await runtime.load(plan());
    assert.equal(await builds(), before + 4);
  });
});
