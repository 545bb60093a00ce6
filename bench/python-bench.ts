/**
 * `dev` speed for Python endpoints: edit-to-new-response latency over 20 edits, and the throughput
 * of a hello endpoint through `dev` against the same endpoint served by werkzeug's own
 * `run_simple(threaded=True)`, both measured in this run with the same client (wrk when installed).
 */
import { spawn, spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeHelloPlugin, startDev, waitForBody } from "./dev-process.js";
import { measureThroughput } from "./throughput.js";
import { median, printLines, ROOT, type BenchLine } from "./measure.js";

const EDITS = 20;
const EDIT_PAUSE_MS = 500;
const ROUNDS = 3;


function source(marker: string): string {
  return `from dify_plugin import Endpoint\nfrom werkzeug import Request, Response\n\n\nclass Hello(Endpoint):\n    def _invoke(self, r: Request, values, settings) -> Response:\n        return Response("hello " + values["name"] + " ${marker}\\n", content_type="text/plain")\n`;
}

/** The same endpoint class behind werkzeug's routing Map and its development server. */
const WERKZEUG_SERVER = `import sys

root, stub = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
sys.path.append(stub)

from werkzeug import Request
from werkzeug.routing import Map, Rule
from werkzeug.serving import run_simple

from endpoints.hello import Hello

rules = Map([Rule("/hello/<name>", endpoint="hello")])


@Request.application
def app(request):
    _, values = rules.bind_to_environ(request.environ).match()
    return Hello(None)._invoke(request, values, {})


run_simple("127.0.0.1", 0, app, threaded=True)
`;

function findPython(): string | undefined {
  const candidates = [process.env.ENDPOINT_KIT_BENCH_PYTHON, "python3", "/usr/bin/python3"];
  return candidates.filter((name): name is string => Boolean(name)).find((name) => spawnSync(name, ["-c", "import werkzeug"], { stdio: "ignore" }).status === 0);
}

function makePythonPlugin(): string {
  return makeHelloPlugin("python", source("v0"));
}

async function startWerkzeug(python: string, plugin: string): Promise<{ origin: string; stop(): void }> {
  const script = join(plugin, "..", `${plugin.split(/[\\/]/).pop()}-werkzeug.py`);
  writeFileSync(script, WERKZEUG_SERVER);
  const child = spawn(python, [script, plugin, join(ROOT, "python", "sdk_stub")], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let output = "";
  const port = await new Promise<string>((resolve, reject) => {
    // Its stderr carries one log line per request: keep reading it so the pipe never fills.
    child.stderr.on("data", (chunk: Buffer) => {
      if (output.length < 10_000) output += chunk.toString();
      const match = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`werkzeug run_simple exited with ${code}:\n${output}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () => {
      child.kill();
      rmSync(script, { force: true });
    },
  };
}

export async function benchPython(): Promise<BenchLine[]> {
  const python = findPython();
  if (!python) {
    const lines = [{ name: "python: skipped (no python3 that can import werkzeug)", value: "-" }];
    printLines("dev (Python)", lines);
    return lines;
  }
  const lines: BenchLine[] = [];
  const plugin = makePythonPlugin();
  const file = join(plugin, "endpoints", "hello.py");
  const dev = await startDev(plugin, ["--python", python]);
  try {
    const url = `${dev.origin}/hello/x`;
    await waitForBody(url, "v0");

    const latencies: number[] = [];
    for (let i = 1; i <= EDITS; i++) {
      const marker = `edit${i}`;
      const saved = performance.now();
      writeFileSync(file, source(marker));
      await waitForBody(url, marker);
      latencies.push(performance.now() - saved);
      // Past dev's burst window (saves soon after a reload are merged): each edit is measured on its own.
      await new Promise((r) => setTimeout(r, EDIT_PAUSE_MS));
    }
    const p50 = median(latencies);
    lines.push({ name: `python: edit to new response, median of ${EDITS}`, value: `${p50.toFixed(1)} ms`, target: "<= 250 ms", ok: p50 <= 250 });

    const werkzeug = await startWerkzeug(python, plugin);
    try {
      const reference: number[] = [];
      const ours: number[] = [];
      let errors = 0;
      let client = "";
      // Alternating rounds, so a slow moment of the machine hurts both sides alike.
      for (let round = 0; round < ROUNDS; round++) {
        const ref = await measureThroughput(`${werkzeug.origin}/hello/x`);
        const mine = await measureThroughput(url);
        client = ref.client;
        reference.push(ref.rps);
        ours.push(mine.rps);
        errors += ref.errors + mine.errors;
      }
      const ratio = median(ours) / median(reference);
      lines.push({ name: "load client", value: client === "wrk" ? "wrk -t1 -c16" : "Node load generator (no wrk)" });
      lines.push({ name: "werkzeug run_simple, threaded (reference)", value: `${median(reference).toFixed(0)} req/s` });
      lines.push({ name: "dev: Python hello endpoint throughput", value: `${median(ours).toFixed(0)} req/s`, ratio, target: ">= 1.0x", ok: ratio >= 1 && errors === 0 });
      if (errors > 0) lines.push({ name: "python: failed requests during the load", value: String(errors), target: "0", ok: false });
    } finally {
      werkzeug.stop();
    }
  } finally {
    await dev.stop();
    rmSync(plugin, { recursive: true, force: true });
  }
  printLines("dev (Python)", lines);
  return lines;
}
