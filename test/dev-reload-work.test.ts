/**
 * What a reload does, counted rather than timed: a save of one TypeScript source re-checks that
 * source alone, keeps the router and settings, and stats only the saved file; a YAML edit loads and
 * checks the whole plugin and builds the router again. Answers are checked through the runtime.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { DevSession } from "../src/server/dev-session.js";
import { createTempPlugin, manifestYaml, type TempPlugin } from "./helpers/temp-plugin.js";

const NAMES = ["a", "b", "c"];
const source = (name: string, text: string): string =>
  `import { Endpoint } from "endpoint-kit";\n\nexport default class ${name.toUpperCase()} extends Endpoint {\n  _invoke(): Response {\n    return new Response(${JSON.stringify(text)});\n  }\n}\n`;
const endpointYaml = (name: string, path = `/${name}`): string => `path: "${path}"\nmethod: GET\nextra:\n  typescript:\n    source: endpoints/${name}.ts\n`;

let plugin: TempPlugin;
let session: DevSession;
const printed: Diagnostic[][] = [];
const lines: string[] = [];

/** What the endpoint at `path` answers, through the router and the runtime `dev` serves with. */
async function answer(path: string): Promise<string> {
  const state = await session.current();
  const match = state.router.match(path, "GET");
  assert.equal(match.kind, "ok", `${path} must match`);
  if (match.kind !== "ok") return "";
  const result = await state.endpoints.get(match.endpoint)!.runtime.invoke(
    { endpoint: match.endpoint, method: "GET", url: `http://127.0.0.1${path}`, headers: [], body: new Uint8Array(), values: match.values, settings: state.settings },
    { signal: new AbortController().signal, deadlineMs: 10_000 },
  );
  let text = "";
  for await (const chunk of result.body) text += Buffer.from(chunk).toString();
  return text;
}

before(async () => {
  const files: Record<string, string | null> = {
    "manifest.yaml": manifestYaml({ language: "typescript" }),
    "group/hello.yaml": `settings: []\nendpoints:\n${NAMES.map((n) => `  - endpoints/${n}.yaml`).join("\n")}\n`,
    "endpoints/hello.yaml": null,
    "endpoints/hello.py": null,
  };
  for (const name of NAMES) {
    files[`endpoints/${name}.yaml`] = endpointYaml(name);
    files[`endpoints/${name}.ts`] = source(name, `${name}1`);
  }
  plugin = await createTempPlugin(files);
  session = new DevSession({
    target: plugin.dir,
    cwd: plugin.dir,
    out: { info: (line) => lines.push(line), warn: (line) => lines.push(line), diagnostics: (d) => printed.push(d), runtimeLog: () => undefined },
  });
  await session.start();
});

after(async () => {
  await session?.close();
  await plugin?.remove();
});

test("a save of one source re-checks it alone, keeps the router and settings, and stats only that file", async () => {
  assert.equal(await answer("/b"), "b1");
  const { router, settings } = session.state;
  const start = { ...session.work };
  assert.equal(start.wholeChecks, 1);
  await writeFile(join(plugin.dir, "endpoints/b.ts"), source("b", "b2"));
  await session.reload(["endpoints/b.ts"]);
  const work = { ...session.work };
  assert.equal(await answer("/b"), "b2");
  assert.equal(await answer("/a"), "a1");
  assert.equal(work.wholeChecks, start.wholeChecks, "no whole check");
  assert.equal(work.rechecks, start.rechecks + 1);
  assert.equal(work.routers, start.routers, "no router built");
  assert.equal(session.state.router, router);
  assert.equal(session.state.settings, settings);
  // Before and after the build, to notice a save still being written: that file and no other.
  assert.equal(work.statted - start.statted, 2);
});

test("a broken save of one source is reported for that source, and the others keep serving", async () => {
  await new Promise((resolve) => setTimeout(resolve, 200)); // past the burst window: the save reloads at once
  await writeFile(join(plugin.dir, "endpoints/c.ts"), "export default class {{\n");
  await session.reload(["endpoints/c.ts"]);
  assert.deepEqual(session.lastFailed, ["endpoints/c.ts"]);
  assert.ok(printed.at(-1)?.some((d) => d.file === "endpoints/c.ts" && d.rule === "source-typescript"), JSON.stringify(printed.at(-1)));
  assert.equal(await answer("/c"), "c1", "the last good version keeps serving");
  assert.equal(await answer("/a"), "a1");
  await new Promise((resolve) => setTimeout(resolve, 200));
  await writeFile(join(plugin.dir, "endpoints/c.ts"), source("c", "c2"));
  await session.reload(["endpoints/c.ts"]);
  assert.deepEqual(session.lastFailed, []);
  assert.deepEqual(printed.at(-1), [], "the fixed source's error is cleared");
  assert.equal(await answer("/c"), "c2");
  lines.length = 0;
});

test("a save reported between its truncation and its write is built with its content", async () => {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const file = join(plugin.dir, "endpoints/a.ts");
  const shown = printed.length;
  await writeFile(file, "");
  const reloading = session.reload([file]);
  // The write lands while the reload waits for the emptied file's content (a timer due before its next look).
  setTimeout(() => writeFileSync(file, source("a", "a3")), 1);
  await reloading;
  assert.deepEqual(session.lastFailed, [], "the empty file was not built");
  assert.deepEqual(printed.slice(shown), [], "nor checked");
  assert.ok(!lines.some((line) => line.includes("failed")), lines.join("\n"));
  assert.equal(await answer("/a"), "a3");
});

test("a YAML edit checks the whole plugin again and builds the router again", async () => {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const start = { ...session.work };
  await writeFile(join(plugin.dir, "endpoints/a.yaml"), endpointYaml("a", "/a2"));
  await session.reload(["endpoints/a.yaml"]);
  assert.equal(session.work.wholeChecks, start.wholeChecks + 1);
  assert.equal(session.work.routers, start.routers + 1);
  assert.equal(await answer("/a2"), "a3");
  assert.equal(session.state.router.match("/a", "GET").kind === "ok", false);
});
