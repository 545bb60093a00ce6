/** Pure parts of the Python runtime: frames, worker messages, routing after a reload, deadlines. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { remainingMs } from "../src/runtime/python/call-table.js";
import { encodeFrame, FrameDecoder } from "../src/runtime/python/frames.js";
import { parseWorkerMessage } from "../src/runtime/python/messages.js";
import { groupSources, planRoutes } from "../src/runtime/python/routes.js";
import type { Route } from "../src/runtime/python/routes.js";

test("frames survive any split of the byte stream", () => {
  const bytes = Buffer.concat([
    encodeFrame({ t: "chunk", id: 1 }, new Uint8Array([0, 1, 2, 255])),
    encodeFrame({ t: "end", id: 1, text: "é" }),
  ]);
  for (let cut = 0; cut <= bytes.length; cut += 1) {
    const decoder = new FrameDecoder();
    const frames = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
    assert.deepEqual(
      frames.map((frame) => [frame.header, [...frame.body]]),
      [
        [{ t: "chunk", id: 1 }, [0, 1, 2, 255]],
        [{ t: "end", id: 1, text: "é" }, []],
      ],
      `cut at ${cut}`,
    );
  }
});

test("worker messages are narrowed; anything else is ignored", () => {
  const cases: Array<[unknown, unknown]> = [
    [{ t: "head", id: 3, status: 201, headers: [["A", "b"], ["bad"]] }, { t: "head", id: 3, status: 201, headers: [["A", "b"]] }],
    [{ t: "error", id: 2, kind: "value-error", message: "m", detail: "d" }, { t: "error", id: 2, kind: "value-error", message: "m", detail: "d" }],
    [{ t: "error", id: 2, kind: "other" }, { t: "error", id: 2, kind: "exception", message: "", detail: "" }],
    [{ t: "log", endpoint: null, stream: "stdout", text: "x" }, { t: "log", endpoint: undefined, stream: "stdout", text: "x" }],
    [{ t: "loaded", results: [{ source: "a.py", ok: false, inputs: ["a.py", 3], error: { message: "boom", line: 2 } }, "junk"] },
      { t: "loaded", results: [{ source: "a.py", ok: false, inputs: ["a.py"], error: { message: "boom", line: 2 } }] }],
    [{ t: "nope" }, undefined],
    [["t", "head"], undefined],
    [null, undefined],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseWorkerMessage(input), expected, JSON.stringify(input));
});

test("after a reload, failed sources keep a live older worker or become unavailable", () => {
  const plan = {
    root: "/p",
    endpoints: [
      { id: "a.yaml", source: "a.py" },
      { id: "a2.yaml", source: "a.py" },
      { id: "b.yaml", source: "b.py" },
      { id: "c.yaml", source: "c.py" },
    ],
  };
  assert.deepEqual(groupSources(plan), [
    { source: "a.py", endpoints: ["a.yaml", "a2.yaml"] },
    { source: "b.py", endpoints: ["b.yaml"] },
    { source: "c.py", endpoints: ["c.yaml"] },
  ]);
  const previous = new Map<string, Route<string>>([
    ["b.yaml", { kind: "worker", worker: "old", source: "b.py" }],
    ["c.yaml", { kind: "worker", worker: "dead", source: "c.py" }],
  ]);
  const routes = planRoutes({
    plan,
    results: [
      { source: "a.py", ok: true, inputs: ["a.py"] },
      { source: "b.py", ok: false, inputs: ["b.py"], error: { message: "SyntaxError", file: "b.py", line: 4 } },
      { source: "c.py", ok: false, inputs: ["c.py"], error: { message: "ImportError" } },
    ],
    fresh: "new",
    previous,
    canKeep: (worker) => worker !== "dead",
  });
  assert.deepEqual(Object.fromEntries(routes), {
    "a.yaml": { kind: "worker", worker: "new", source: "a.py" },
    "a2.yaml": { kind: "worker", worker: "new", source: "a.py" },
    "b.yaml": { kind: "worker", worker: "old", source: "b.py" },
    "c.yaml": { kind: "unavailable", message: "c.py failed to load: ImportError" },
  });
});

test("deadlines are durations, clamped to what setTimeout accepts", () => {
  assert.equal(remainingMs(5000), 5000);
  assert.equal(remainingMs(-5), 0);
  assert.equal(remainingMs(1_700_000_005_000), 2 ** 31 - 1);
});
