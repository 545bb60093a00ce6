/**
 * dev's request log: one line per request, but no more than REQUEST_LINES_PER_SECOND a second;
 * the rest are summed up by status once the second is over. Failures and --verbose are always listed.
 */
import assert from "node:assert/strict";
import { Readable, Writable } from "node:stream";
import { test } from "node:test";
import { createDevPrinter, REQUEST_LINES_PER_SECOND } from "../src/terminal/dev-output.js";

function printer(verbose: boolean) {
  let clock = 5_000;
  let out = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out += chunk.toString();
      callback();
    },
  });
  const print = createDevPrinter({ cwd: "/", env: {}, stdout: sink, stderr: sink, stdin: Readable.from([]) }, false, verbose, () => clock);
  return {
    print,
    tick: (ms: number) => (clock += ms),
    lines: () => {
      print.flush();
      return out.split("\n").filter((line) => line !== "");
    },
  };
}

const ok = { method: "GET", path: "/hello/x", endpoint: "endpoints/hello.yaml", status: 200, ms: 1.2 };

test("a busy second lists its first requests and every failure, then sums up the rest by status", () => {
  const log = printer(false);
  for (let i = 0; i < 200; i += 1) log.print.request(i % 50 === 7 ? { ...ok, status: 500, detail: "Traceback: boom" } : i % 2 ? ok : { ...ok, status: 404 });
  log.tick(1000);
  log.print.request(ok);
  const lines = log.lines();
  const requestLines = lines.filter((line) => /GET \/hello\/x/.test(line));
  const failures = requestLines.filter((line) => / 500 /.test(line));
  assert.equal(failures.length, 4, "every failure is listed");
  // The budget, the four failures past it, and the first request of the next second.
  assert.equal(requestLines.length, REQUEST_LINES_PER_SECOND + 3 + 1);
  const summary = lines.find((line) => line.includes("more requests that second"));
  assert.ok(summary, lines.join("\n"));
  const hidden = 200 - (REQUEST_LINES_PER_SECOND + 3);
  assert.match(summary, new RegExp(`and ${hidden} more requests that second \\((\\d+) × 200, (\\d+) × 404\\)`));
  const [, twoHundreds, fourOhFours] = /\((\d+) × 200, (\d+) × 404\)/.exec(summary) ?? [];
  assert.equal(Number(twoHundreds) + Number(fourOhFours), hidden);
  // The summary comes before the next second's lines.
  assert.ok(lines.indexOf(summary) < lines.length - 1);
});

test("a quiet second lists everything, and --verbose lists everything however busy", () => {
  const quiet = printer(false);
  for (let i = 0; i < REQUEST_LINES_PER_SECOND; i += 1) quiet.print.request(ok);
  assert.equal(quiet.lines().length, REQUEST_LINES_PER_SECOND);
  const verbose = printer(true);
  for (let i = 0; i < 3 * REQUEST_LINES_PER_SECOND; i += 1) verbose.print.request(ok);
  const lines = verbose.lines();
  assert.equal(lines.filter((line) => line.includes("GET /hello/x")).length, 3 * REQUEST_LINES_PER_SECOND);
  assert.ok(!lines.some((line) => line.includes("more requests")));
});
