/**
 * Runs the built `bin/endpoint-kit.js dev` as a child process for end-to-end tests: waits for its
 * banner, reads the port and hook id from it, records everything it prints, and talks HTTP to it.
 * Also writes small TypeScript endpoint plugins (from `test/fixtures/dev/`) into temporary folders.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest, type Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "./repo.js";
import { endpointYaml, groupYaml, manifestYaml, writeFiles, type SettingSpec } from "./temp-plugin.js";

export const BIN = join(REPO_ROOT, "bin", "endpoint-kit.js");
export const DEV_FIXTURES = fileURLToPath(new URL("../../../test/fixtures/dev/", import.meta.url));

/** Upper bound for anything a test waits for: only there to turn a hang into a failure. */
export const WAIT_MS = 20_000;

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export interface DevProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  hookId: string;
  /** Everything printed so far (stdout, stderr, both interleaved in arrival order). */
  stdout(): string;
  stderr(): string;
  output(): string;
  /** Resolves once `pattern` matched output printed after offset `from` of `output()`; rejects on exit or after WAIT_MS. */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpMatchArray>;
  /** How many times `pattern` (global) matches the output from `from`. */
  count(pattern: RegExp, from?: number): number;
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  request(path: string, options?: RequestOptions): Promise<HttpAnswer>;
  /** Sends a raw request over a fresh socket and resolves with everything the server wrote back. */
  raw(text: string | Buffer): Promise<string>;
  /** SIGTERM, then SIGKILL if it does not end; safe to call twice. */
  stop(): Promise<void>;
}

export interface RequestOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  agent?: Agent;
}

/** Spawns `endpoint-kit dev <plugin> ...args` without waiting for anything. */
export function spawnDev(plugin: string, args: string[] = []): DevProcess {
  const child = spawn(process.execPath, [BIN, "dev", plugin, ...args], {
    cwd: plugin,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return watchChild(child);
}

/** Starts `endpoint-kit dev <plugin> --port 0 ...args` (no --port at all with `defaultPort`) and waits for its banner. */
export async function startDev(plugin: string, args: string[] = [], options: { defaultPort?: boolean } = {}): Promise<DevProcess> {
  const dev = spawnDev(plugin, options.defaultPort ? args : ["--port", "0", ...args]);
  try {
    await dev.waitFor(/watching for changes/);
  } catch (error) {
    await dev.stop();
    throw error;
  }
  const url = /http:\/\/127\.0\.0\.1:(\d+)\/e\/([^/\s]+)\//.exec(dev.stdout());
  if (!url) {
    await dev.stop();
    throw new Error(`no URL in the banner:\n${dev.output()}`);
  }
  dev.port = Number(url[1]);
  dev.hookId = url[2] as string;
  return dev;
}

const spawned = new Set<ChildProcess>();
// A test file that dies before its `after` hooks run must not leave a dev server behind.
process.once("exit", () => spawned.forEach((child) => child.kill("SIGKILL")));

/** Records a spawned dev process's output; `port` and `hookId` are filled in by the caller. */
export function watchChild(child: ChildProcess): DevProcess {
  spawned.add(child);
  let out = "";
  let err = "";
  let all = "";
  const waiters = new Set<() => void>();
  const notify = () => [...waiters].forEach((wake) => wake());
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    out += text;
    all += text;
    notify();
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    err += text;
    all += text;
    notify();
  });
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      ended = true;
      spawned.delete(child);
      notify();
      resolve({ code, signal });
    }),
  );
  const dev: DevProcess = {
    child,
    pid: child.pid ?? 0,
    port: 0,
    hookId: "",
    stdout: () => out,
    stderr: () => err,
    output: () => all,
    exited,
    waitFor(pattern, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = pattern.exec(all.slice(from));
          if (found) return finish(() => resolve(found));
          if (ended) return finish(() => reject(new Error(`dev exited before printing ${pattern}:\n${all}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`dev did not print ${pattern} within ${WAIT_MS} ms:\n${all}`))), WAIT_MS);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    count(pattern, from = 0) {
      return [...all.slice(from).matchAll(pattern)].length;
    },
    request: (path, options) => httpCall(dev.port, path, options),
    raw: (text) => rawCall(dev.port, text),
    async stop() {
      if (ended) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  return dev;
}

/** One HTTP request to 127.0.0.1:port (node:http, so tests may set Host and odd headers). */
export function httpCall(port: number, path: string, options: RequestOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers, agent: options.agent ?? false });
    req.setTimeout(WAIT_MS, () => req.destroy(new Error(`no answer to ${path} within ${WAIT_MS} ms`)));
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.end(options.body);
  });
}

function rawCall(port: number, text: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(WAIT_MS, () => socket.destroy(new Error(`no answer within ${WAIT_MS} ms`)));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? resolve(Buffer.concat(chunks).toString("latin1")) : reject(error)));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.write(text);
  });
}

export interface DevPlugin {
  dir: string;
  /** The temporary folder holding the plugin, for files that must sit outside it. */
  base: string;
  write(relative: string, content: string): Promise<void>;
  remove(): Promise<void>;
}

export interface EndpointSpec {
  name: string;
  path: string;
  method: string;
  /** Source file relative to the plugin (`endpoints/echo.ts`), copied from test/fixtures/dev unless given in `files`. */
  source: string;
  language?: "typescript" | "python";
}

/**
 * A plugin in a new temporary folder: a TypeScript manifest, one group with `settings` (specs, or
 * `settingsYaml`: the list's items as YAML), one YAML per endpoint, and the fixture files of
 * `test/fixtures/dev/<fixture>/`.
 */
export async function createDevPlugin(options: {
  fixture: string;
  endpoints: EndpointSpec[];
  settings?: readonly SettingSpec[];
  settingsYaml?: string;
  files?: Record<string, string>;
}): Promise<DevPlugin> {
  const base = await mkdtemp(join(tmpdir(), "endpoint-kit-dev-"));
  const dir = join(base, "plugin");
  await cp(join(DEV_FIXTURES, options.fixture), dir, { recursive: true });
  const write = (relative: string, content: string) => writeFiles(dir, { [relative]: content });
  const endpointFiles = Object.fromEntries(
    options.endpoints.map((e) => [`endpoints/${e.name}.yaml`, endpointYaml({ path: e.path, method: e.method, source: e.source, language: e.language ?? "typescript" })]),
  );
  await writeFiles(dir, {
    "manifest.yaml": manifestYaml({ name: "devtest", label: "Dev test", group: "group/dev.yaml", language: "typescript" }),
    "_assets/icon.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "group/dev.yaml": groupYaml(options.endpoints.map((e) => `endpoints/${e.name}.yaml`), options.settings ?? options.settingsYaml),
    ...endpointFiles,
    ...options.files,
  });
  return { dir, base, write, remove: () => rm(base, { recursive: true, force: true }) };
}

/** Every process below `pid` (children, grandchildren), from /proc; empty where /proc is missing. */
export function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const parentOf = new Map<number, number>();
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the fields after the last ")" are fixed.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parentOf) {
      if (ppid !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** True while `pid` exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
