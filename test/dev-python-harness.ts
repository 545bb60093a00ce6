/**
 * What the Python end-to-end tests (dev-python*.test.ts) share: the Python that has werkzeug, `dev`
 * started with it (through the one dev harness, `helpers/spawn-dev.ts`), and requests made over
 * real sockets whose bodies can be read as they stream.
 */
import { spawnSync } from "node:child_process";
import { request as httpRequest } from "node:http";
import type { ClientRequest, IncomingMessage } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { REPO_ROOT } from "./helpers/repo.js";
import { startDev as startDevProcess } from "./helpers/spawn-dev.js";

/** How long a wait for output or a chunk may take before the test fails with what it saw. */
const GUARD_MS = 20_000;

export const HOOK_ID = "devpythontesthok";
export const DEV_PYTHON_FIXTURE = join(REPO_ROOT, "test", "fixtures", "dev-python", "plugin");

/** The first interpreter that can import werkzeug: `$ENDPOINT_KIT_TEST_PYTHON`, `python3`, `/usr/bin/python3`. */
export function findPython(): string | undefined {
  const candidates = [process.env.ENDPOINT_KIT_TEST_PYTHON, "python3", "/usr/bin/python3"];
  for (const candidate of candidates.filter((name): name is string => Boolean(name))) {
    if (spawnSync(candidate, ["-c", "import werkzeug"], { stdio: "ignore" }).status === 0) return candidate;
  }
  return undefined;
}

export const PYTHON = findPython();
/** `skip` option for the tests: false, or why they cannot run here. */
export const skipWithoutPython: false | string = PYTHON ? false : "no python3 that can import werkzeug (install python3-werkzeug or set ENDPOINT_KIT_TEST_PYTHON)";

export interface DevProcess {
  port: number;
  /** `http://127.0.0.1:<port>/e/<hook><path>` */
  url(path: string): string;
  /** Everything dev printed so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  /** A position in the output: `waitForOutput(re, mark)` only looks at what comes after it. */
  mark(): number;
  /** Resolves with the match once the output (after `from`) matches; rejects, quoting it, after a guard time. */
  waitForOutput(pattern: RegExp, from?: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

/**
 * Starts `endpoint-kit dev <dir> --port 0` with this suite's hook id and Python, through the one
 * dev harness (`helpers/spawn-dev.ts`), and resolves once the banner is out.
 */
export async function startDev(dir: string, extraArgs: string[] = []): Promise<DevProcess> {
  const dev = await startDevProcess(dir, ["--hook-id", HOOK_ID, "--python", PYTHON ?? "python3", ...extraArgs]);
  return {
    port: dev.port,
    url: (path) => `http://127.0.0.1:${dev.port}/e/${HOOK_ID}${path}`,
    output: () => dev.output(),
    mark: () => dev.output().length,
    waitForOutput: (pattern, from) => dev.waitFor(pattern, from) as Promise<RegExpExecArray>,
    stop: () => dev.stop(),
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh connection; the whole body as text. */
export async function send(url: string, method = "GET", body?: string): Promise<Answer> {
  const response = await open(url, method, body);
  return { status: response.status, headers: response.headers, body: await response.rest() };
}

export interface OpenResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** What has arrived so far. */
  received(): string;
  /** Resolves with everything received once it ends with `text`; rejects after a guard time. */
  until(text: string): Promise<string>;
  /** Resolves with the whole body once the response ends. */
  rest(): Promise<string>;
  /** Hangs up: destroys the socket mid-response. */
  hangUp(): void;
}

/** Sends a request and resolves at the response head, leaving its body to be read as it streams. */
export function open(url: string, method = "GET", body?: string): Promise<OpenResponse> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = httpRequest(url, { method, agent: false }, (res: IncomingMessage) => {
      let text = "";
      let ended = false;
      const waiters = new Set<() => void>();
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
        for (const waiter of [...waiters]) waiter();
      });
      res.on("end", () => {
        ended = true;
        for (const waiter of [...waiters]) waiter();
      });
      res.on("error", () => undefined);
      const waitFor = (ready: () => boolean, what: string): Promise<string> =>
        new Promise((resolveWait, rejectWait) => {
          const check = () => {
            if (ready()) finish(() => resolveWait(text));
            else if (ended) finish(() => rejectWait(new Error(`the response ended before ${what}; received ${JSON.stringify(text)}`)));
          };
          const timer = setTimeout(() => finish(() => rejectWait(new Error(`no ${what} yet; received ${JSON.stringify(text)}`))), GUARD_MS);
          const finish = (settle: () => void) => {
            clearTimeout(timer);
            waiters.delete(check);
            settle();
          };
          waiters.add(check);
          check();
        });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        received: () => text,
        until: (suffix) => waitFor(() => text.endsWith(suffix), JSON.stringify(suffix)),
        rest: () => waitFor(() => ended, "end of the response"),
        hangUp: () => req.destroy(),
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Polls `probe` until `check` accepts its value (bounded by the test's timeout, never asserted on time). */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    await sleep(25);
  }
}

/** The 1-based line of the first line of `source` that contains `text`. */
export function lineOf(source: string, text: string): number {
  const index = source.split("\n").findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${JSON.stringify(text)} is not in the source`);
  return index + 1;
}
