/**
 * `endpoint-kit test` speed: 200 fixtures against a freshly `init`ed TypeScript plugin (target
 * under 2 s, whole process) and Python plugin (under 3 s), each beside a bare `node -e 0` measured
 * in the same run and beside one `invoke` (the same plugin load for a single request); and how long `--watch` takes from saving one fixture to its rerun's report
 * (target 100 ms).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, median, printLines, timeNode, type BenchLine } from "./measure.js";

const FIXTURES = 200;
const PYTHON = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["-c", "import werkzeug"], { stdio: "ignore" }).status === 0);

/** A plugin from `init --yes`, its one fixture copied to 200 that each request another path. */
function makePlugin(language: "python" | "typescript"): string {
  const dir = mkdtempSync(join(tmpdir(), "ek-test-bench-"));
  const made = spawnSync(process.execPath, [BIN, "init", "p", "--yes", "--language", language], { cwd: dir, encoding: "utf8" });
  if (made.status !== 0) throw new Error(made.stderr);
  const plugin = join(dir, "p");
  const first = readFileSync(join(plugin, "fixtures/hello.yaml"), "utf8");
  for (let i = 0; i < FIXTURES; i++) {
    writeFileSync(join(plugin, "fixtures", `case-${String(i).padStart(3, "0")}.yaml`), first.replaceAll("world", `name-${i}`));
  }
  rmSync(join(plugin, "fixtures/hello.yaml"));
  return plugin;
}

export async function benchTest(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const bare = timeNode(["-e", "0"], 5);
  lines.push({ name: "node -e 0 (reference)", value: `${bare.toFixed(0)} ms` });
  for (const [language, target] of [["typescript", 2000], ["python", 3000]] as const) {
    if (language === "python" && !PYTHON) {
      lines.push({ name: "python: skipped (no python3 with werkzeug)", value: "-" });
      continue;
    }
    const plugin = makePlugin(language);
    try {
      const args = [BIN, "test", plugin, ...(language === "python" ? ["--python", PYTHON!] : [])];
      const check = spawnSync(process.execPath, args, { encoding: "utf8" });
      if (check.status !== 0 || !check.stdout.includes(`${FIXTURES} passed`)) throw new Error(`the bench plugin does not pass:\n${check.stdout}${check.stderr}`);
      const ms = timeNode(args, 3);
      lines.push({ name: `${language}: ${FIXTURES} fixtures, whole process, median of 3`, value: `${ms.toFixed(0)} ms`, ratio: ms / bare, target: `< ${target} ms`, ok: ms < target });
      // Loading the plugin is most of a small run: one `invoke` pays it too, so this ratio shows what 200 cases add.
      const one = timeNode([BIN, "invoke", "GET", "/hello/x", "--dir", plugin, ...args.slice(3)], 3);
      lines.push({ name: `  ${language}: one request with invoke, median of 3`, value: `${one.toFixed(0)} ms`, ratio: ms / one });
      if (language === "typescript") {
        const rerun = await watchRerun(args, join(plugin, "fixtures/case-000.yaml"));
        lines.push({ name: "typescript: --watch, save of one fixture to its report, median of 10", value: `${rerun.toFixed(0)} ms`, ratio: rerun / bare, target: "< 100 ms", ok: rerun < 100 });
      }
    } finally {
      rmSync(join(plugin, ".."), { recursive: true, force: true });
    }
  }
  printLines(`endpoint-kit test (${FIXTURES} fixtures)`, lines);
  return lines;
}

/** Median time from writing `fixture` to the rerun's summary line on stdout. */
async function watchRerun(args: string[], fixture: string): Promise<number> {
  const child = spawn(process.execPath, [...args, "--watch"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const waitFor = (pattern: RegExp, from: number) =>
    new Promise<void>((resolve) => {
      const check = () => pattern.test(output.slice(from)) && (child.stdout.off("data", check), child.stderr.off("data", check), resolve());
      child.stdout.on("data", check);
      child.stderr.on("data", check);
    });
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  try {
    await waitFor(/watching for changes/, 0);
    const text = readFileSync(fixture, "utf8");
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const at = output.length;
      const saved = performance.now();
      writeFileSync(fixture, `${text}# save ${i}\n`);
      await waitFor(/\(1 fixture\) in/, at);
      times.push(performance.now() - saved);
      // Let the watcher settle so each save is its own batch.
      await new Promise((r) => setTimeout(r, 100));
    }
    return median(times);
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGINT");
    await exited;
  }
}
