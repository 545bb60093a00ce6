/**
 * What the request inspector's capture costs: `dev` throughput with capture on against the same
 * plugin with `--no-inspect`, measured with wrk (Debian's package). The two run in pairs of rounds
 * back to back, the order swapped from one pair to the next (off-on, on-off, ...), so a change of
 * machine load falls on both sides of a pair; the figure is the median of the pairs' ratios.
 * Target: capture keeps at least 90% of the throughput.
 *
 * On a machine of two or more cores, wrk runs on one core and both servers on the others (taskset,
 * util-linux). Left to the scheduler, where wrk and dev's threads land at a server's start moved its
 * throughput by up to a third for the whole run, in either direction: the ratio then told which
 * server started luckier. Pinned, both servers run under the same conditions, and the ratio is what
 * capture costs dev.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { makeTypescriptPlugin } from "./dev-bench.js";
import { startDev, waitForBody } from "./dev-process.js";
import { median, printLines, type BenchLine } from "./measure.js";

/**
 * Pairs of rounds. On a shared machine the speed of both servers drifts over seconds: short rounds
 * keep the two of a pair under the same conditions, and many pairs keep the median steady.
 */
const PAIRS = 15;
const ROUND_SECONDS = 1;
/** Long enough for the store to fill and the heap to reach its steady rhythm of collections. */
const WARM_SECONDS = 2;

/** Where wrk and the servers run: the last core for wrk, the others for dev; none without taskset or a second core. */
function placement(): { client: string; servers: string } | undefined {
  const cores = availableParallelism();
  if (cores < 2 || spawnSync("taskset", ["-c", "0", "true"]).status !== 0) return undefined;
  return { client: String(cores - 1), servers: cores === 2 ? "0" : `0-${cores - 2}` };
}

/** Requests per second wrk reports for `url` (16 connections, one thread, `seconds` long), on `cpu` if given. */
function wrk(url: string, seconds: number, cpu?: string): number {
  const args = ["-t1", "-c16", `-d${seconds}s`, url];
  const out = cpu === undefined ? execFileSync("wrk", args, { encoding: "utf8" }) : execFileSync("taskset", ["-c", cpu, "wrk", ...args], { encoding: "utf8" });
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
  const cores = placement();
  const round = (origin: string, seconds: number) => wrk(`${origin}/hello/x`, seconds, cores?.client);
  try {
    const on = await startDev(plugin, ["--inspect-max-requests", "1000"], cores?.servers);
    const off = await startDev(plugin, ["--no-inspect"], cores?.servers);
    try {
      await waitForBody(`${on.origin}/hello/x`, "v0");
      await waitForBody(`${off.origin}/hello/x`, "v0");
      round(on.origin, WARM_SECONDS);
      round(off.origin, WARM_SECONDS);
      const withCapture: number[] = [];
      const without: number[] = [];
      const ratios: number[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        const offFirst = pair % 2 === 0;
        const first = round((offFirst ? off : on).origin, ROUND_SECONDS);
        const second = round((offFirst ? on : off).origin, ROUND_SECONDS);
        const [capturing, reference] = offFirst ? [second, first] : [first, second];
        withCapture.push(capturing);
        without.push(reference);
        ratios.push(capturing / reference);
      }
      const ratio = median(ratios);
      const spread = `pairs ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
      lines.push({ name: "dev --no-inspect (reference)", value: `${median(without).toFixed(0)} req/s` });
      lines.push({ name: "dev with the inspector capturing", value: `${median(withCapture).toFixed(0)} req/s (${spread})`, ratio, target: ">= 0.90 of --no-inspect", ok: ratio >= 0.9 });
    } finally {
      await on.stop();
      await off.stop();
    }
  } finally {
    rmSync(plugin, { recursive: true, force: true });
  }
  const where = cores ? `, wrk on core ${cores.client}, dev on ${cores.servers}` : "";
  printLines(`inspector capture (wrk, median ratio of ${PAIRS} back-to-back pairs of ${ROUND_SECONDS} s rounds, order alternating${where})`, lines);
  return lines;
}
