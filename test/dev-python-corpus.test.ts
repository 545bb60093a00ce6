/**
 * `endpoint-kit dev` on a copy of a real plugin from the corpus (sdk-example__neko, whose Python
 * sources are stand-ins that raise NotImplementedError): it starts, lists every endpoint, runs the
 * code and answers routing failures with Dify's 404.
 */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CORPUS_DIR } from "./helpers/repo.js";
import { HOOK_ID, lineOf, send, skipWithoutPython, startDev } from "./dev-python-harness.js";
import type { DevProcess } from "./dev-python-harness.js";

const NEKO = join(CORPUS_DIR, "sdk-example__neko");

test("dev serves a copy of the corpus plugin sdk-example__neko", { skip: skipWithoutPython, timeout: 60_000 }, async () => {
  const scratch = mkdtempSync(join(tmpdir(), "ek-dev-neko-"));
  const dir = join(scratch, "neko");
  cpSync(NEKO, dir, { recursive: true });
  let dev: DevProcess | undefined;
  try {
    dev = await startDev(dir);
    const banner = dev.output();
    const listed = [...banner.matchAll(new RegExp(`^ {2}(GET|POST) +http://127\\.0\\.0\\.1:\\d+/e/${HOOK_ID}(\\S+) {2}(\\S+) \\(Python\\)$`, "gm"))].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    assert.deepEqual(listed.sort(), [
      "GET /duck/<app_id> endpoints/duck.yaml",
      "GET /neko endpoints/neko.yaml",
      "GET /pink endpoints/girls.yaml",
      "POST /pink/talk endpoints/girls_talk.yaml",
      "POST /pink/tts endpoints/tts.yaml",
    ]);

    const mark = dev.mark();
    const neko = await send(dev.url("/neko"));
    assert.equal(neko.status, 500);
    assert.equal(neko.body, "Internal Server Error: NotImplementedError");
    const line = lineOf(readFileSync(join(dir, "endpoints", "neko.py"), "utf8"), "raise NotImplementedError");
    await dev.waitForOutput(new RegExp(`endpoints/neko\\.py", line ${line}, in _invoke`), mark);

    const post = await send(dev.url("/neko"), "POST");
    assert.equal(post.status, 404);
    assert.equal(post.body, "Failed to dispatch endpoint request: 405 Method Not Allowed: The method is not allowed for the requested URL.");
  } finally {
    await dev?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
