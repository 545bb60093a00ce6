/**
 * Ends the processes that handlers started once `dev` is gone, however it ended (`kill -9` included).
 *
 * TypeScript handlers run in worker threads inside the dev process, so what they spawn are dev's own
 * children: when dev dies the kernel hands them to init and nothing would ever end them. (Python
 * workers lead their own process group and take it down with them; this covers them too.) So `dev`
 * puts a random token in its environment, which every process it or a handler starts inherits,
 * grandchildren included, and starts a small shell process that holds a pipe from dev. Dev never
 * writes to it: when the pipe closes (dev exited or was killed) the shell kills every process whose
 * environment carries the token, and exits. It costs one idle `sh` (about a megabyte), no polling,
 * and nothing before the server listens. Linux only (it reads `/proc/<pid>/environ`); elsewhere
 * nothing is started and nothing changes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";

/** The environment variable that marks processes started under one dev session. */
export const SESSION_VARIABLE = "ENDPOINT_KIT_DEV_SESSION";

// `$1` is the token. The loop returns at end of input; the passes catch processes forked while the
// previous one was being killed. A killed process is a zombie with an empty environ, so it stops matching.
const SCRIPT = [
  "trap '' INT HUP QUIT",
  "while read -r _; do :; done",
  `mark="${SESSION_VARIABLE}=$1"`,
  "for pass in 1 2 3; do",
  "  pids=",
  '  for file in $(grep -lzxF -e "$mark" /proc/[0-9]*/environ 2>/dev/null); do',
  "    pid=${file#/proc/}; pids=\"$pids ${pid%/environ}\"",
  "  done",
  '  [ -z "$pids" ] && exit 0',
  "  kill -KILL $pids 2>/dev/null",
  "done",
].join("\n");

export interface HandlerReaper {
  /** Starts the watching process (once; call it after the server listens, it is not needed sooner). */
  start(): void;
  /** A normal shutdown: the watcher (started now if need be) ends what handlers started and exits; the mark is removed. */
  stop(): void;
}

/**
 * Marks `env` (the process's own, so worker threads and children inherit it) with a fresh token;
 * must run before the runtimes start their workers. A no-op outside Linux.
 */
export function createHandlerReaper(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): HandlerReaper {
  if (platform !== "linux") return { start: () => undefined, stop: () => undefined };
  const token = randomBytes(12).toString("hex");
  env[SESSION_VARIABLE] = token;
  let watcher: ChildProcess | undefined;
  const start = (): void => {
    if (watcher || env[SESSION_VARIABLE] !== token) return;
    // The watcher itself must not carry the mark, or it would kill itself and its grep.
    const own = { ...env };
    delete own[SESSION_VARIABLE];
    try {
      // Its own session: Ctrl+C in the terminal must not end it before dev is gone.
      watcher = spawn("/bin/sh", ["-c", SCRIPT, "endpoint-kit-reaper", token], { stdio: ["pipe", "ignore", "ignore"], detached: true, env: own });
    } catch {
      return;
    }
    watcher.on("error", () => undefined);
    watcher.stdin?.on("error", () => undefined);
    // Neither the process nor its pipe may keep dev's event loop alive.
    watcher.unref();
    (watcher.stdin as { unref?: () => void } | null)?.unref?.();
  };
  return {
    start,
    stop() {
      // Not started yet (a stop in the first second): started now, it ends what is marked at once.
      start();
      if (env[SESSION_VARIABLE] === token) delete env[SESSION_VARIABLE];
      watcher?.stdin?.end();
    },
  };
}
