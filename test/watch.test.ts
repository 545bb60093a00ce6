/**
 * The file watcher's batching: with `leading`, the first save after a quiet moment is reported
 * without waiting for the debounce; saves that follow are batched and none is lost.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { watch } from "../src/server/watch.js";

let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "ek-watch-"));
  for (const name of ["a", "b", "c", "d"]) await writeFile(join(root, `${name}.ts`), "0");
});

after(() => rm(root, { recursive: true, force: true }));

/** Watches `root`, collecting batches; `until` resolves once the batches seen so far satisfy `done`. */
async function collect(options: { debounceMs: number; leading: boolean }) {
  const batches: string[][] = [];
  let check = (): void => undefined;
  const watcher = await watch({ root, extra: [], ...options, onChange: (paths) => (batches.push(paths), check()), onError: (message) => assert.fail(message) });
  const until = (done: (seen: Set<string>) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`not reported: ${JSON.stringify(batches)}`)), 10_000);
      check = () => {
        if (!done(new Set(batches.flat()))) return;
        clearTimeout(guard);
        resolve();
      };
      check();
    });
  return { batches, until, close: () => watcher.close() };
}

test("with leading, a lone save is reported at once, not after the debounce", async () => {
  // A debounce far longer than the guard: only the leading report can make this pass.
  const watcher = await collect({ debounceMs: 60_000, leading: true });
  try {
    await writeFile(join(root, "a.ts"), "1");
    await watcher.until((seen) => seen.has("a.ts"));
    assert.deepEqual(watcher.batches[0], ["a.ts"]);
  } finally {
    await watcher.close();
  }
});

test("with leading, the saves that follow a reported one are batched and every one is reported", async () => {
  const watcher = await collect({ debounceMs: 200, leading: true });
  try {
    await writeFile(join(root, "a.ts"), "2");
    await watcher.until((seen) => seen.has("a.ts"));
    for (const name of ["b", "c", "d"]) await writeFile(join(root, `${name}.ts`), "2");
    await watcher.until((seen) => ["b.ts", "c.ts", "d.ts"].every((name) => seen.has(name)));
    assert.ok(watcher.batches.length >= 2, "the first save went out on its own");
  } finally {
    await watcher.close();
  }
});
