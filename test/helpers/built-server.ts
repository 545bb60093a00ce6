/**
 * Runs a `build` output the way its README says: `node server.mjs` for the Node target, `workerd serve
 * workerd.capnp` (the workerd dev dependency) for the Workers target, each on a free loopback port
 * with the settings in its environment (bindings `fromEnvironment` on workerd).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";
import { httpCall, type HttpAnswer, type RequestOptions, WAIT_MS } from "./spawn-dev.js";
import { REPO_ROOT } from "./repo.js";

export const WORKERD = join(REPO_ROOT, "node_modules", ".bin", "workerd");

export interface BuiltServer {
  port: number;
  child: ChildProcess;
  output(): string;
  request(path: string, options?: RequestOptions): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the kernel's pick for port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type RunnableTarget = "node" | "workers" | "bun" | "deno";

/** Whether this machine can run a target's output (bun and deno only when on PATH). */
export function canRun(target: RunnableTarget): boolean {
  if (target === "node") return true;
  const command = target === "workers" ? WORKERD : target;
  return spawnSync(command, ["--version"], { encoding: "utf8" }).status === 0;
}

/** Starts `out` (a `dist/<target>` folder) as its README says and resolves once it answers HTTP. */
export async function startBuilt(target: RunnableTarget, out: string, env: Record<string, string>): Promise<BuiltServer> {
  const port = await freePort();
  const childEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env, PORT: String(port) };
  const [command, ...args] = {
    node: [process.execPath, "server.mjs"],
    workers: [WORKERD, "serve", "workerd.capnp", "--socket-addr", `http=127.0.0.1:${port}`],
    bun: ["bun", "server.mjs"],
    deno: ["deno", "run", "--allow-net", "--allow-env", "server.mjs"],
  }[target] as [string, ...string[]];
  const child = spawn(command, args, { cwd: out, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = once(child, "exit");
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ${target} output exited (${child.exitCode}):\n${output}`);
    try {
      await httpCall(port, "/", { method: "GET" });
      break;
    } catch {
      if (Date.now() - started > WAIT_MS) {
        await stop();
        throw new Error(`the ${target} output did not answer within ${WAIT_MS} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { port, child, output: () => output, request: (path, options) => httpCall(port, path, options), stop };
}
