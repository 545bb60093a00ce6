/**
 * What the request inspector's capture costs: `dev` throughput with capture on against the same
 * plugin with `--no-inspect`, measured with wrk (Debian's package) in alternating rounds so both see
 * the same machine load. Target: capture keeps at least 90% of the throughput.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { makeTypescriptPlugin } from "./dev-bench.js";
import { startDev, waitForBody } from "./dev-process.js";
import { median, printLines, type BenchLine } from "./measure.js";

const ROUNDS = 3;

/** Requests per second wrk reports for `url` (16 connections, one thread, `seconds` long). */
function wrk(url: string, seconds: number): number {
  const out = execFileSync("wrk", ["-t1", "-c16", `-d${seconds}s`, url], { encoding: "utf8" });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1];
  if (!rps) throw new Error(`no Requests/sec in wrk's output:\n${out}`);
  return Number(rps);
}

export async function benchInspect(): Promise<BenchLine[]> {
  if (spawnSync("wrk", ["--version"]).error) {
    console.log("\ninspector capture: skipped (no wrk: apt-get install -y wrk)");
    return [];
  }
  const plugin = makeTypescriptPlugin();
  const lines: BenchLine[] = [];
  try {
    const on = await startDev(plugin, ["--inspect-max-requests", "1000"]);
    const off = await startDev(plugin, ["--no-inspect"]);
    try {
      await waitForBody(`${on.origin}/hello/x`, "v0");
      await waitForBody(`${off.origin}/hello/x`, "v0");
      wrk(`${on.origin}/hello/x`, 1);
      wrk(`${off.origin}/hello/x`, 1);
      const withCapture: number[] = [];
      const without: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        without.push(wrk(`${off.origin}/hello/x`, 3));
        withCapture.push(wrk(`${on.origin}/hello/x`, 3));
      }
      const ratio = median(withCapture) / median(without);
      lines.push({ name: "dev --no-inspect (reference)", value: `${median(without).toFixed(0)} req/s` });
      lines.push({ name: "dev with the inspector capturing", value: `${median(withCapture).toFixed(0)} req/s`, ratio, target: ">= 0.90 of --no-inspect", ok: ratio >= 0.9 });
    } finally {
      await on.stop();
      await off.stop();
    }
  } finally {
    rmSync(plugin, { recursive: true, force: true });
  }
  printLines("inspector capture (wrk, median of 3 alternating 3 s rounds)", lines);
  return lines;
}
