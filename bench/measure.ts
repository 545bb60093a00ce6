/**
 * Small timing helpers for the benchmarks: run a command several times and keep the median, so a
 * ratio against a reference measured in the same run means something on a busy machine.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/endpoint-kit.js", import.meta.url));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time in ms of running `node args...` `runs` times (after one warm-up). */
export function timeNode(args: string[], runs: number, cwd = ROOT): number {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    const elapsed = performance.now() - started;
    if (result.status !== 0 && result.status !== 1) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    if (i > 0) times.push(elapsed);
  }
  return median(times);
}

export interface BenchLine {
  name: string;
  value: string;
  ratio?: number;
  target?: string;
  ok?: boolean;
}

export function printLines(title: string, lines: BenchLine[]): void {
  console.log(`\n${title}`);
  for (const line of lines) {
    const ratio = line.ratio === undefined ? "" : `  ratio ${line.ratio.toFixed(2)}`;
    const target = line.target ? `  (target ${line.target}: ${line.ok ? "met" : "MISSED"})` : "";
    console.log(`  ${line.name.padEnd(46)} ${line.value.padStart(12)}${ratio}${target}`);
  }
}
