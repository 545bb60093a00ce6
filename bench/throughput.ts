/**
 * HTTP throughput for the benchmarks, measured with `wrk` (Debian's package) when it is on the PATH,
 * else with the Node load generator in load.ts (which caps a fast server well below what it can do:
 * the figures say which client was used). With the server's process id, it also reports how busy the
 * server was, so a reader can check that the server, not the client, was the bottleneck.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { load } from "./load.js";

export type LoadClient = "wrk" | "node";

export interface Throughput {
  rps: number;
  errors: number;
  client: LoadClient;
  /** CPU the server's process used during the run, in cores (1.0 = one core busy the whole time). */
  serverCores?: number;
}

let wrkFound: boolean | undefined;

/** Whether `wrk` can run here (checked once). */
export function hasWrk(): boolean {
  wrkFound ??= spawnSync("wrk", ["--version"], { stdio: "ignore" }).error === undefined;
  return wrkFound;
}

/** utime + stime of a process and its threads, in seconds (Linux `/proc`); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Runs `wrk -t1 -c<connections> -d<seconds>s url` and reads its summary. */
async function runWrk(url: string, connections: number, seconds: number): Promise<{ rps: number; errors: number }> {
  const child = spawn("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, url], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  if (code !== 0 || !Number.isFinite(rps)) throw new Error(`wrk failed (${code}):\n${output}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const errors = non2xx + (socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  return { rps, errors };
}

/** Measures one server: a short warm-up, then `seconds` of load from 16 keep-alive connections. */
export async function measureThroughput(url: string, options: { seconds?: number; serverPid?: number; connections?: number } = {}): Promise<Throughput> {
  const seconds = options.seconds ?? 3;
  const connections = options.connections ?? 16;
  if (hasWrk()) {
    await runWrk(url, connections, 1);
    const before = cpuSeconds(options.serverPid);
    const started = performance.now();
    const result = await runWrk(url, connections, seconds);
    const after = cpuSeconds(options.serverPid);
    const wall = (performance.now() - started) / 1000;
    return { ...result, client: "wrk", ...(before !== undefined && after !== undefined ? { serverCores: (after - before) / wall } : {}) };
  }
  const before = cpuSeconds(options.serverPid);
  const started = performance.now();
  const result = await load(url, { connections, requests: 10_000 });
  const after = cpuSeconds(options.serverPid);
  const wall = (performance.now() - started) / 1000;
  return { ...result, client: "node", ...(before !== undefined && after !== undefined ? { serverCores: (after - before) / wall } : {}) };
}
