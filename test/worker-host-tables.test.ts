/**
 * The worker host's bookkeeping of calls in flight: the calls by id (a dictionary, not a `Map`, see
 * calls-by-id.ts), the one timer for their deadlines, and the abort handlers shared per signal. Both are on every request's path, so
 * their semantics are pinned here: order, size, removal, and aborts reaching every waiting call.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { onAbort } from "../src/runtime/node/abort-listeners.js";
import { CallsById } from "../src/runtime/node/calls-by-id.js";
import { EarliestDeadline } from "../src/runtime/node/earliest-deadline.js";

describe("calls by id", () => {
  test("keeps calls in the order their ids were given, counts them, and forgets removed ones", () => {
    const calls = new CallsById<string>();
    for (const id of [3, 1, 12, 2]) calls.set(id, `call ${id}`);
    calls.set(12, "call 12 again");
    assert.equal(calls.size, 4);
    assert.deepEqual([...calls], [[1, "call 1"], [2, "call 2"], [3, "call 3"], [12, "call 12 again"]]);
    calls.delete(2);
    calls.delete(2);
    calls.delete(99);
    assert.equal(calls.size, 3);
    assert.equal(calls.get(2), undefined);
    assert.deepEqual(calls.values(), ["call 1", "call 3", "call 12 again"]);
  });

  test("entries removed while iterating are skipped, and an emptied table starts afresh", () => {
    const calls = new CallsById<number>();
    for (let id = 1; id <= 5; id += 1) calls.set(id, id * 10);
    const seen: number[] = [];
    for (const [id, value] of calls) {
      seen.push(value);
      if (id === 2) calls.delete(3);
    }
    assert.deepEqual(seen, [10, 20, 40, 50]);
    for (const id of [1, 2, 4, 5]) calls.delete(id);
    assert.equal(calls.size, 0);
    assert.deepEqual([...calls], []);
    calls.set(6, 60);
    assert.deepEqual([...calls], [[6, 60]]);
  });
});

describe("abort listeners", () => {
  test("an abort reaches every call still listening, and only those", () => {
    const controller = new AbortController();
    const ran: string[] = [];
    const stopA = onAbort(controller.signal, () => ran.push("a"));
    onAbort(controller.signal, () => ran.push("b"));
    const stopC = onAbort(controller.signal, () => ran.push("c"));
    onAbort(controller.signal, () => ran.push("d"));
    stopA();
    stopA();
    stopC();
    controller.abort();
    assert.deepEqual(ran.sort(), ["b", "d"]);
  });

  test("one listener on the signal however many calls come and go", () => {
    const controller = new AbortController();
    let added = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added += 1;
      add(...args);
    }) as typeof add;
    for (let i = 0; i < 1000; i += 1) onAbort(controller.signal, () => undefined)();
    let last = false;
    onAbort(controller.signal, () => (last = true));
    controller.abort();
    assert.equal(added, 1);
    assert.equal(last, true);
  });
});

describe("earliest deadline", () => {
  test("one timer serves many deadlines: it is set again after each, so every one is expired, once", async () => {
    const start = performance.now();
    const pending = new Map([["late", start + 60], ["early", start + 5], ["middle", start + 25]]);
    const expired: string[] = [];
    let firings = 0;
    await new Promise<void>((resolve) => {
      const deadlines = new EarliestDeadline((now) => {
        firings += 1;
        let next = Infinity;
        for (const [name, at] of pending) {
          if (at <= now) {
            expired.push(name);
            pending.delete(name);
          } else next = Math.min(next, at);
        }
        if (pending.size === 0) resolve();
        return next;
      });
      for (const at of pending.values()) deadlines.watch(at);
    });
    // A busy machine may fire late and expire several at once; each is still expired exactly once.
    assert.deepEqual([...expired].sort(), ["early", "late", "middle"]);
    assert.ok(firings >= 1);
  });

  test("stop() leaves no timer behind", async () => {
    let fired = false;
    const deadlines = new EarliestDeadline(() => ((fired = true), Infinity));
    deadlines.watch(performance.now() + 5);
    deadlines.stop();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(fired, false);
  });
});
