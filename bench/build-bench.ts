/**
 * `build` outputs: the hello plugin's worker bundle size, start to first response under `workerd
 * serve` and `node server.mjs`, and the Node output's throughput against the hand-written Hono app
 * on @hono/node-server, measured with `wrk` in alternating rounds (medians).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { buildPlugin } from "../src/build/index.js";
import { makeTypescriptPlugin } from "./dev-bench.js";
import { median, printLines, ROOT, timeNode, type BenchLine } from "./measure.js";

const WORKERD = join(ROOT, "node_modules", ".bin", "workerd");
const ROUNDS = 3;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Spawns a server and resolves with it and the milliseconds from spawn to its first 200 on `path`. */
async function startTimed(command: string, args: string[], cwd: string, port: number, path: string): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env: { ...process.env, PORT: String(port) }, stdio: "ignore" });
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      await response.arrayBuffer();
      if (response.status === 200) return { child, ms: performance.now() - started };
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 20_000 || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`${command} ${args.join(" ")} did not answer ${path}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

function wrk(url: string): number {
  const run = spawnSync("wrk", ["-t1", "-c32", "-d3s", url], { encoding: "utf8" });
  const match = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout);
  if (run.status !== 0 || !match) throw new Error(`wrk failed: ${run.stderr || run.stdout}`);
  return Number(match[1]);
}

export async function benchBuild(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const plugin = makeTypescriptPlugin();
  try {
    const outs = { workers: join(plugin, "dist", "workers"), node: join(plugin, "dist", "node") };
    for (const target of ["workers", "node"] as const) await buildPlugin({ dir: plugin, cwd: plugin, target, out: outs[target] });
    const bundle = readFileSync(join(outs.workers, "worker.js"));
    const kb = bundle.byteLength / 1024;
    lines.push({ name: "build: hello worker.js, minified", value: `${kb.toFixed(1)} KB`, target: "< 60 KB", ok: kb < 60 });
    lines.push({ name: "build: hello worker.js, gzipped", value: `${(gzipSync(bundle).byteLength / 1024).toFixed(1)} KB` });

    const bare = timeNode(["-e", "0"], 5);
    const starts: Record<"workers" | "node", number[]> = { workers: [], node: [] };
    const hasWorkerd = existsSync(WORKERD);
    for (let round = 0; round < ROUNDS; round += 1) {
      if (hasWorkerd) {
        const port = await freePort();
        const workerd = await startTimed(WORKERD, ["serve", "workerd.capnp", "--socket-addr", `http=127.0.0.1:${port}`], outs.workers, port, "/hello/x");
        await stop(workerd.child);
        starts.workers.push(workerd.ms);
      }
      const nodePort = await freePort();
      const node = await startTimed(process.execPath, ["server.mjs"], outs.node, nodePort, "/hello/x");
      await stop(node.child);
      starts.node.push(node.ms);
    }
    if (!hasWorkerd) lines.push({ name: "build: workers output, start to first response", value: "skipped", target: "workerd not installed (npm install)" });
    for (const target of hasWorkerd ? (["workers", "node"] as const) : (["node"] as const)) {
      const ms = median(starts[target]);
      lines.push({ name: `build: ${target} output, start to first response`, value: `${ms.toFixed(0)} ms`, ratio: ms / bare, target: "< 1000 ms", ok: ms < 1000 });
    }

    if (spawnSync("wrk", ["--version"]).error !== undefined) {
      lines.push({ name: "build: node throughput vs Hono", value: "skipped", target: "wrk not installed (apt-get install wrk)" });
    } else {
      const honoScript = fileURLToPath(new URL("./hono-hello.js", import.meta.url));
      const hono = spawn(process.execPath, [honoScript], { stdio: ["ignore", "pipe", "inherit"] });
      const honoPort = await new Promise<string>((resolve) => hono.stdout!.on("data", (c: Buffer) => /listening (\d+)/.test(c.toString()) && resolve(/listening (\d+)/.exec(c.toString())![1]!)));
      const port = await freePort();
      const node = await startTimed(process.execPath, ["server.mjs"], outs.node, port, "/hello/x");
      const reference: number[] = [];
      const ours: number[] = [];
      try {
        for (let round = 0; round < ROUNDS; round += 1) {
          reference.push(wrk(`http://127.0.0.1:${honoPort}/hello/x`));
          ours.push(wrk(`http://127.0.0.1:${port}/hello/x`));
        }
      } finally {
        hono.kill();
        await stop(node.child);
      }
      const ratio = median(ours) / median(reference);
      lines.push({ name: "build: node hello throughput vs Hono (wrk)", value: `${median(ours).toFixed(0)} req/s`, ratio, target: ">= 0.8x", ok: ratio >= 0.8 });
      lines.push({ name: "  reference: Hono on @hono/node-server", value: `${median(reference).toFixed(0)} req/s` });
    }
  } finally {
    rmSync(plugin, { recursive: true, force: true });
  }
  printLines("build (hello plugin)", lines);
  return lines;
}
