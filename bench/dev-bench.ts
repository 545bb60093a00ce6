/**
 * `dev` speed for TypeScript endpoints: save-to-new-response latency, the last of a burst of saves
 * served, throughput against a hand-written Hono app, memory over 200 reloads, start to first answer.
 */
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeHelloPlugin, startDev, waitForBody } from "./dev-process.js";
import { measureThroughput, type Throughput } from "./throughput.js";
import { median, printLines, timeNode, type BenchLine } from "./measure.js";


function source(marker: string): string {
  return `import { Endpoint } from "endpoint-kit";\n\nexport default class Hello extends Endpoint {\n  _invoke(_r: Request, values: Record<string, unknown>): Response {\n    return new Response(\`hello \${String(values.name)} ${marker}\\n\`);\n  }\n}\n`;
}

export function makeTypescriptPlugin(): string {
  return makeHelloPlugin("typescript", source("v0"));
}

async function startHono(): Promise<{ origin: string; pid: number | undefined; stop(): void }> {
  const script = fileURLToPath(new URL("./hono-hello.js", import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) => child.stdout.on("data", (c: Buffer) => /listening (\d+)/.test(c.toString()) && resolve(/listening (\d+)/.exec(c.toString())![1]!)));
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill() };
}

export async function benchDev(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const bare = timeNode(["-e", "0"], 5);
  const plugin = makeTypescriptPlugin();
  const file = join(plugin, "endpoints", "hello.ts");
  try {
    const started = performance.now();
    const dev = await startDev(plugin);
    await waitForBody(`${dev.origin}/hello/x`, "v0");
    const firstResponse = performance.now() - started;
    lines.push({ name: "node -e 0 (reference)", value: `${bare.toFixed(0)} ms` });
    lines.push({ name: "dev: start to first response", value: `${firstResponse.toFixed(0)} ms`, ratio: firstResponse / bare, target: "< 1000 ms", ok: firstResponse < 1000 });

    const latencies: number[] = [];
    for (let i = 1; i <= 30; i++) {
      const marker = `edit${i}`;
      const saved = performance.now();
      writeFileSync(file, source(marker));
      await waitForBody(`${dev.origin}/hello/x`, marker);
      latencies.push(performance.now() - saved);
      // Edits a person makes, apart; a burst of saves is measured below.
      await new Promise((r) => setTimeout(r, 300));
    }
    const p50 = median(latencies);
    lines.push({ name: "dev: save to new response, median of 30", value: `${p50.toFixed(1)} ms`, target: "<= 50 ms", ok: p50 <= 50 });

    let burstsOk = 0;
    for (let burst = 0; burst < 5; burst++) {
      await new Promise((r) => setTimeout(r, 300));
      for (let i = 0; i < 10; i++) {
        writeFileSync(file, source(`burst${burst}-${i}`));
        await new Promise((r) => setTimeout(r, 3 + ((i * 7) % 11)));
      }
      await waitForBody(`${dev.origin}/hello/x`, `burst${burst}-9`, 5000).then(() => burstsOk++, () => undefined);
    }
    lines.push({ name: "dev: last save of a burst served (5 bursts of 10)", value: `${burstsOk}/5`, target: "5/5", ok: burstsOk === 5 });

    const hono = await startHono();
    try {
      // Alternating rounds, medians: both servers see the same moments of a busy machine.
      const reference: Throughput[] = [];
      const ours: Throughput[] = [];
      for (let round = 0; round < 3; round++) {
        reference.push(await measureThroughput(`${hono.origin}/hello/x`, { serverPid: hono.pid }));
        ours.push(await measureThroughput(`${dev.origin}/hello/x`, { serverPid: dev.child.pid }));
      }
      const rps = (runs: Throughput[]) => median(runs.map((r) => r.rps));
      const cores = (runs: Throughput[]) => median(runs.map((r) => r.serverCores ?? NaN));
      const client = reference[0]?.client === "wrk" ? "wrk -t1 -c16" : "the Node load generator (no wrk on PATH: it caps the reference)";
      const errors = ours.reduce((sum, r) => sum + r.errors, 0);
      const ratio = rps(ours) / rps(reference);
      lines.push({ name: "load client", value: client });
      // About 1.0 core: the reference server is the bottleneck, not the client.
      lines.push({ name: "hand-written Hono app (reference), median of 3", value: `${rps(reference).toFixed(0)} req/s`, target: "server-bound: >= 0.9 core busy", ok: cores(reference) >= 0.9 });
      lines.push({ name: "  reference server CPU during the run", value: `${cores(reference).toFixed(2)} cores` });
      lines.push({ name: "dev: hello endpoint throughput, median of 3", value: `${rps(ours).toFixed(0)} req/s`, ratio, target: ">= 0.5x", ok: ratio >= 0.5 && errors === 0 });
      lines.push({ name: "  dev server CPU during the run", value: `${cores(ours).toFixed(2)} cores` });
    } finally {
      hono.stop();
    }

    const before = dev.rss();
    for (let i = 0; i < 200; i++) {
      writeFileSync(file, source(`mem${i}`) + `// ${"x".repeat(1000)}\n`);
      await waitForBody(`${dev.origin}/hello/x`, `mem${i}`);
    }
    const growth = (dev.rss() - before) / 1024 / 1024;
    lines.push({ name: "dev: memory growth over 200 reloads (RSS)", value: `${growth.toFixed(1)} MB`, target: "< 50 MB", ok: growth < 50 });
    await dev.stop();
  } finally {
    rmSync(plugin, { recursive: true, force: true });
  }
  printLines("dev (TypeScript)", lines);
  return lines;
}
