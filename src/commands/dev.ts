/**
 * `endpoint-kit dev`: serve a plugin's endpoints locally as Dify would, reloading on every edit.
 * Resolves with the exit code once the server has shut down (SIGINT/SIGTERM).
 */
import { resolve, sep } from "node:path";
import { EXIT, UsageError } from "../errors.js";
import type { DevFlags } from "../program.js";
import { createDevApp } from "../server/app.js";
import { DevSession } from "../server/dev-session.js";
import { isValidHookId } from "../server/hook-id.js";
import { startServer } from "../server/listen.js";
import { parseAllowedHost } from "../server/host-check.js";
import { parseAllowedOrigin } from "../server/origin-check.js";
import { exposureWarning } from "../server/exposure.js";
import { watch } from "../server/watch.js";
import { createDevPrinter } from "../terminal/dev-output.js";
import { renderBanner, type BannerData } from "../terminal/dev-banner.js";
import { useColor, type Io } from "../terminal/io.js";
import { createDevInspector, reservedPathWarnings } from "../inspector/dev-inspector.js";
import { createHandlerReaper } from "../runtime/node/handler-reaper.js";

export const DEFAULT_PORT = 5002;
const DRAIN_MS = 3000;
const REAPER_AFTER_MS = 1000;

export async function runDev(dir: string, flags: DevFlags, io: Io, signals: NodeJS.EventEmitter = process): Promise<number> {
  if (flags.hookId !== undefined && !isValidHookId(flags.hookId)) throw new UsageError(`--hook-id ${JSON.stringify(flags.hookId)} may only hold letters, digits, _ and -`);
  const allowedHosts = parseFlagValues(flags.allowHost, parseAllowedHost, "host");
  const allowedOrigins = parseFlagValues(flags.allowOrigin ?? [], parseAllowedOrigin, "origin");
  const color = flags.color && useColor(io, "stdout");
  const printer = createDevPrinter(io, color, Boolean(flags.verbose));
  // The inspector reads the session lazily (it changes on every reload) and hears the handlers' output.
  const ref: { session?: DevSession } = {};
  const inspector = flags.inspect === false ? undefined : createDevInspector(() => ref.session!, flags);
  const out = inspector ? { ...printer, runtimeLog: (log: Parameters<typeof printer.runtimeLog>[0]) => (printer.runtimeLog(log), inspector.log(log)) } : printer;
  // Before the runtimes start: their workers, and what handlers spawn, inherit the session's mark.
  const reaper = createHandlerReaper();
  const session = (ref.session = new DevSession({ target: resolve(io.cwd, dir), cwd: io.cwd, hookId: flags.hookId, settingsPath: flags.settings, python: flags.python, out }));
  try {
    await session.start();
  } catch (error) {
    await session.close();
    reaper.stop();
    throw error;
  }
  // Always the session's current masker: a reload that changes the secrets changes what is hidden.
  printer.setMask((text) => session.mask(text));
  for (const warning of inspector ? reservedPathWarnings(session) : []) printer.warn(warning);
  const app = createDevApp({
    current: session.current,
    allowedHosts,
    allowedOrigins,
    deadlineMs: flags.timeout * 1000,
    // The first answer has been given: a fork now delays no one waiting for it (start() runs once).
    log: (entry) => (printer.request(entry), reaper.start()),
    warn: (message) => printer.warn(message),
    verbose: Boolean(flags.verbose),
    ...(inspector ? { inspector } : {}),
  });
  let server;
  try {
    server = await startServer({ listener: app, host: flags.host, port: flags.port ?? DEFAULT_PORT, explicitPort: flags.port !== undefined, onLimit: (message) => printer.warn(message) });
  } catch (error) {
    await session.close();
    reaper.stop();
    throw error;
  }
  const exposure = exposureWarning(flags.host, server.port, allowedHosts);
  if (exposure) printer.warn(exposure.message, exposure.hint);
  if (server.movedFrom !== undefined) printer.warn(`port ${server.movedFrom} is in use, using ${server.port} instead`);
  const watcher = await watch({
    root: session.root,
    extra: session.settingsPath && !session.settingsPath.startsWith(session.root + sep) ? [session.settingsPath] : [],
    debounceMs: 25,
    // The session notices a file still being written (mtimes around each build): no need to wait.
    leading: true,
    onChange: (paths) => void session.reload(paths),
    onError: (message, hint) => printer.warn(message, hint),
  });
  // Only now is the banner's "watching for changes" true: an edit made before the watcher was ready would be missed.
  io.stdout.write(renderBanner({ ...bannerData(session), ...(inspector ? { inspector: "/_endpoint-kit/" } : {}) }, { host: flags.host, port: server.port, color }));
  // Started after the first answer (above) or a second after start-up, so its fork adds nothing to the
  // time to the first answer; what a handler spawned before is marked all the same and found at the end.
  setTimeout(() => reaper.start(), REAPER_AFTER_MS).unref();
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        printer.warn("stopping now");
        resolveExit(EXIT.cancelled);
        return;
      }
      stopping = true;
      printer.info(`${signal}: finishing requests in flight, then stopping (press Ctrl+C again to stop at once)`);
      void (async () => {
        await watcher.close();
        await server.close(DRAIN_MS);
        await session.close();
        reaper.stop();
        signals.off("SIGINT", onInt);
        signals.off("SIGTERM", onTerm);
        printer.flush();
        resolveExit(signal === "SIGINT" ? EXIT.cancelled : EXIT.ok);
      })();
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    signals.on("SIGINT", onInt);
    signals.on("SIGTERM", onTerm);
  });
}

/** Checks repeatable flag values with `parse`; the first bad one is a usage error. */
function parseFlagValues<K extends string>(values: readonly string[], parse: (value: string) => Record<K, string> | { error: string }, key: K): Set<string> {
  const out = new Set<string>();
  for (const value of values) {
    const parsed = parse(value);
    if ("error" in parsed) throw new UsageError(parsed.error);
    out.add((parsed as Record<K, string>)[key]);
  }
  return out;
}

/** The session's current state as the banner's plain data. */
function bannerData(session: DevSession): BannerData {
  return {
    root: session.root,
    hookId: session.state.hookId,
    endpoints: session.plan.endpoints.map((e) => ({ id: e.id, method: e.method, path: e.path, runtime: e.runtime, unavailable: session.state.unavailable.get(e.id) })),
    skipped: session.plan.skipped,
    settings: session.settings,
    runtimeFacts: [...session.runtimeFacts.values()],
    mask: session.mask,
  };
}
