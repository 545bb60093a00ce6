/**
 * `invoke` and `loadPlugin()` speed for a hello TypeScript endpoint: one whole `invoke` process
 * against a bare `node -e 0`, and `plugin.request()` in a loop against the same requests sent to
 * `dev` over HTTP with the same concurrency (both measured in this run).
 */
import { rmSync } from "node:fs";
import { makeTypescriptPlugin } from "./dev-bench.js";
import { startDev } from "./dev-process.js";
import { load } from "./load.js";
import { BIN, median, printLines, timeNode, type BenchLine } from "./measure.js";

const REQUESTS = 5000;
const CONNECTIONS = 8;

export async function benchInvoke(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const plugin = makeTypescriptPlugin();
  try {
    const bare = timeNode(["-e", "0"], 10);
    const invoke = timeNode([BIN, "invoke", "GET", "/hello/x", "--dir", plugin], 10);
    const ratio = invoke / bare;
    lines.push({ name: "invoke: whole process, median of 10", value: `${invoke.toFixed(0)} ms`, ratio, target: "<= 4x node -e 0", ok: ratio <= 4 });

    const { loadPlugin } = await import("../src/index.js");
    const loaded = await loadPlugin(plugin);
    const dev = await startDev(plugin);
    try {
      const inProcess: number[] = [];
      const http: number[] = [];
      for (let round = 0; round < 3; round++) {
        inProcess.push(await requestLoop(loaded.request.bind(loaded), REQUESTS, CONNECTIONS));
        http.push((await load(`${dev.origin}/hello/x`, { connections: CONNECTIONS, requests: REQUESTS })).rps);
      }
      const rps = median(inProcess);
      const ratioHttp = rps / median(http);
      lines.push({ name: "loadPlugin: plugin.request() loop, median of 3", value: `${rps.toFixed(0)} req/s`, ratio: ratioHttp, target: ">= 1x dev over HTTP", ok: ratioHttp >= 1 });
      lines.push({ name: "  the same requests through dev over HTTP", value: `${median(http).toFixed(0)} req/s` });
    } finally {
      await dev.stop();
      await loaded.close();
    }
  } finally {
    rmSync(plugin, { recursive: true, force: true });
  }
  printLines("invoke and loadPlugin (hello TypeScript endpoint)", lines);
  return lines;
}

/** `connections` loops each sending requests (bodies read) until `total` are answered; requests per second. */
async function requestLoop(request: (path: string) => Promise<Response>, total: number, connections: number): Promise<number> {
  for (let i = 0; i < connections * 4; i++) await (await request("/hello/x")).text();
  let sent = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (sent < total) {
      sent++;
      const response = await request("/hello/x");
      await response.text();
      if (response.status !== 200) throw new Error(`status ${response.status}`);
    }
  }));
  return total / ((performance.now() - started) / 1000);
}
