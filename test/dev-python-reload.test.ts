/**
 * `endpoint-kit dev` end to end on a Python plugin while its files change: storage that outlives
 * requests and reloads, a stub file added later, a good edit, a broken edit and its fix. One dev
 * process; the subtests run in order, each starting from what the previous one left.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { createTempPlugin, endpointYaml, groupYaml } from "./helpers/temp-plugin.js";
import { send, skipWithoutPython, startDev } from "./dev-python-harness.js";
import type { DevProcess } from "./dev-python-harness.js";

const endpointOf = (name: string) => endpointYaml({ path: `/${name}`, source: `endpoints/${name}.py` });

const helloSource = (marker: string) => `from dify_plugin import Endpoint
from werkzeug import Response


class Hello(Endpoint):
    def _invoke(self, r, values, settings):
        return Response("${marker}")
`;

/** The same file with a syntax error on line 7. */
const BROKEN_HELLO = helloSource("broken").replace('return Response("broken")', 'return Response("broken"');
const BROKEN_LINE = 7;

const COUNTER = `from dify_plugin import Endpoint
from werkzeug import Response


class Counter(Endpoint):
    def _invoke(self, r, values, settings):
        storage = self.session.storage
        count = int(storage.get("count").decode()) + 1 if storage.exist("count") else 1
        storage.set("count", str(count).encode())
        return Response(str(count))
`;

const ASK = `from dify_plugin import Endpoint
from werkzeug import Response


class Ask(Endpoint):
    def _invoke(self, r, values, settings):
        result = self.session.app.chat.invoke(app_id="app-1", query="hi", inputs={}, response_mode="blocking")
        return Response(result.answer)
`;

const STUBS = JSON.stringify({ "app.chat.invoke": { response: { answer: "stubbed answer" } } });

test("dev reloads a Python plugin on edits", { skip: skipWithoutPython, timeout: 120_000 }, async (t) => {
  const plugin = await createTempPlugin({
    "group/hello.yaml": groupYaml(["endpoints/hello.yaml", "endpoints/counter.yaml", "endpoints/ask.yaml"]),
    "endpoints/hello.py": helloSource("v1"),
    "endpoints/counter.yaml": endpointOf("counter"),
    "endpoints/counter.py": COUNTER,
    "endpoints/ask.yaml": endpointOf("ask"),
    "endpoints/ask.py": ASK,
  });
  const hello = join(plugin.dir, "endpoints", "hello.py");
  let dev: DevProcess | undefined;
  try {
    dev = await startDev(plugin.dir);
    const d = dev;
    const body = async (path: string) => (await send(d.url(path))).body;
    /** Writes `content` to `file` and waits until dev says it reloaded because of it. */
    const edit = async (file: string, content: string, printed: RegExp) => {
      const mark = d.mark();
      await writeFile(file, content);
      await d.waitForOutput(printed, mark);
    };

    await t.test("session.storage persists across requests", async () => {
      assert.equal(await body("/counter"), "1");
      assert.equal(await body("/counter"), "2");
    });

    await t.test("an unstubbed self.session.app.chat.invoke names the call and how to stub it", async () => {
      const answer = await send(d.url("/ask"));
      assert.equal(answer.status, 500);
      assert.equal(
        answer.body,
        'Internal Server Error: session.app.chat.invoke() calls back into Dify, which does not run locally: add "app.chat.invoke": {"response": ...} to endpoint-kit.stubs.json in the plugin folder',
      );
    });

    await t.test("a stub file added later answers the call", async () => {
      await edit(join(plugin.dir, "endpoint-kit.stubs.json"), STUBS, /reloaded \(endpoint-kit\.stubs\.json\)/);
      const answer = await send(d.url("/ask"));
      assert.equal(answer.status, 200);
      assert.equal(answer.body, "stubbed answer");
    });

    await t.test("a good edit is served by the next request", async () => {
      assert.equal(await body("/hello"), "v1");
      await edit(hello, helloSource("v2"), /reloaded \(endpoints\/hello\.py\)/);
      assert.equal(await body("/hello"), "v2");
    });

    await t.test("session.storage persists across a reload", async () => {
      assert.equal(await body("/counter"), "3");
    });

    await t.test("a broken edit keeps the old code serving and prints the traceback with file:line", async () => {
      const mark = d.mark();
      await edit(hello, BROKEN_HELLO, new RegExp(`endpoints/hello\\.py:${BROKEN_LINE}(:\\d+)?: .*SyntaxError`));
      await d.waitForOutput(new RegExp(`endpoints/hello\\.py", line ${BROKEN_LINE}\\n`), mark);
      assert.doesNotMatch(d.output().slice(mark), /endpoint_kit_runtime/, "the traceback shows the plugin's file, not the loader's");
      const answer = await send(d.url("/hello"));
      assert.equal(answer.body, "v2");
      assert.equal(answer.status, 200);
      assert.equal(await body("/counter"), "4");
    });

    await t.test("fixing the edit serves the new code", async () => {
      await edit(hello, helloSource("v3"), /reloaded \(endpoints\/hello\.py\)/);
      assert.equal(await body("/hello"), "v3");
    });
  } finally {
    await dev?.stop();
    await plugin.remove();
  }
});
