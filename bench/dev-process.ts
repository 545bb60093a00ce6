/**
 * Starting and stopping a real `endpoint-kit dev` for the benchmarks: a child process on a free
 * port, with its endpoint base URL read from the banner.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN } from "./measure.js";

export interface DevProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  output(): string;
  /** Resident memory of the dev process (its main process only), in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

/** `cpus`: the cores dev may run on (`taskset -c` syntax), for a bench that keeps the client off them. */
export async function startDev(plugin: string, extra: string[] = [], cpus?: string): Promise<DevProcess> {
  const command = [process.execPath, BIN, "dev", plugin, "--port", "0", "--no-color", ...extra];
  // taskset replaces itself with the command: the child's pid is dev's.
  const child = cpus === undefined ? spawn(command[0]!, command.slice(1), { stdio: ["ignore", "pipe", "pipe"] }) : spawn("taskset", ["-c", cpus, ...command], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match && output.includes("watching for changes")) {
        clearInterval(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    }, 5);
    child.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`dev exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    origin,
    output: () => output,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) * 1024,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Polls `url` until its body contains `marker`; resolves with the elapsed ms. */
export async function waitForBody(url: string, marker: string, limitMs = 10_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const body = await fetch(url).then((r) => r.text(), () => "");
    if (body.includes(marker)) return performance.now() - started;
    if (performance.now() - started > limitMs) throw new Error(`${url} never served ${marker}; last body: ${body}`);
  }
}

/** A one-endpoint plugin (`GET /hello/<name>`) in a temp folder, its source in the given language. */
export function makeHelloPlugin(language: "python" | "typescript", source: string): string {
  const ext = language === "python" ? "py" : "ts";
  const dir = mkdtempSync(join(tmpdir(), `ek-bench-${language}-`));
  for (const sub of ["group", "endpoints", "_assets"]) mkdirSync(join(dir, sub));
  const runner = language === "python" ? 'language: python\n    version: "3.12"' : 'language: typescript\n    version: "20"';
  writeFileSync(join(dir, "manifest.yaml"), `version: 0.0.1\ntype: plugin\nauthor: bench\nname: bench\nlabel:\n  en_US: Bench\ndescription:\n  en_US: Bench\nicon: icon.svg\ncreated_at: "2024-01-01T00:00:00Z"\nresource:\n  memory: 1048576\n  permission:\n    endpoint:\n      enabled: true\nplugins:\n  endpoints:\n    - group/bench.yaml\nmeta:\n  version: 0.0.1\n  arch: [amd64]\n  runner:\n    ${runner}\n    entrypoint: main\n`);
  writeFileSync(join(dir, "_assets", "icon.svg"), "<svg/>");
  writeFileSync(join(dir, "group", "bench.yaml"), "settings: []\nendpoints:\n  - endpoints/hello.yaml\n");
  writeFileSync(join(dir, "endpoints", "hello.yaml"), `path: "/hello/<name>"\nmethod: GET\nextra:\n  ${language}:\n    source: endpoints/hello.${ext}\n`);
  writeFileSync(join(dir, "endpoints", `hello.${ext}`), source);
  return dir;
}
