/**
 * `endpoint-kit test [dir]`: runs every fixture under `fixtures/` against the plugin's real
 * handlers through `loadPlugin` (no server, no network), prints what differed, and exits 0 when all
 * pass, 1 when any fails or is invalid. `--watch` reruns on every save, with dev's file watcher.
 */
import { constants } from "node:fs";
import { access, stat, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { formatTextEntries } from "../diagnostics/format-text.js";
import { EnvironmentError, EXIT, UsageError } from "../errors.js";
import { readBaseSettings, type BaseSettings } from "../fixtures/base-settings.js";
import { affectedFixtures, type ServedEndpoint } from "../fixtures/affected.js";
import { displayPath } from "../fixtures/find-fixtures.js";
import { formatJsonReport, formatJunitReport, formatTapReport } from "../fixtures/report-machine.js";
import { formatTextReport } from "../fixtures/report-text.js";
import { isSuccess, type RunReport } from "../fixtures/result.js";
import { LoadFailure, type RunnablePlugin } from "../fixtures/run-fixtures.js";
import { runSuite, type SuiteRun } from "../fixtures/run-suite.js";
import { signFixtureExtension } from "../providers/replay-sign.js";
import { UnreadablePathError } from "../project/load.js";
import type { TestFlags } from "../program.js";
import { watch } from "../server/watch.js";
import { useColor, type Io } from "../terminal/io.js";

/** Where a plugin keeps its fixtures unless `--fixtures` says otherwise. */
export const FIXTURES_DIR = "fixtures";

export async function runTest(dir: string, flags: TestFlags, io: Io, signals: NodeJS.EventEmitter = process): Promise<number> {
  const root = resolve(io.cwd, dir);
  const fixturesDir = flags.fixtures === undefined ? join(root, FIXTURES_DIR) : resolve(io.cwd, flags.fixtures);
  if (flags.watch && flags.update) throw new UsageError("--update and --watch do not go together", "record the answers with --update once, then watch");
  if (flags.python?.includes("/") && !(await isExecutable(resolve(io.cwd, flags.python)))) {
    throw new EnvironmentError(`--python ${flags.python}: not an executable file`);
  }
  const settings = await readSettings(root, flags, io);
  if (settings.diagnostics.length > 0) {
    io.stderr.write(formatTextEntries(settings.diagnostics, { sources: new Map(), color: useColor(io, "stderr") }));
    return EXIT.invalid;
  }
  if (!(await isFolder(fixturesDir))) {
    if (flags.fixtures !== undefined) throw new UsageError(`--fixtures ${flags.fixtures}: no such folder`);
    io.stderr.write(`no fixtures: ${displayPath(fixturesDir, io.cwd)}/ does not exist\n`);
    io.stderr.write("hint: record one with `endpoint-kit invoke GET /path --save fixtures/first.yaml`, or see README \"test\"\n");
    return EXIT.invalid;
  }
  const loader = createLoader(root, flags, Boolean(flags.watch));
  const run = (only?: ReadonlySet<string>) =>
    runSuite({
      fixturesDir,
      cwd: io.cwd,
      load: loader.load,
      baseSettings: settings.values,
      secretNames: settings.secretNames,
      ...(flags.grep !== undefined ? { grep: flags.grep } : {}),
      ...(only ? { only } : {}),
      update: Boolean(flags.update),
      jobs: flags.jobs,
      // `sign:` re-signs a provider's request with fresh timestamps on every run (see `send`).
      extensions: [signFixtureExtension],
    });
  if (!flags.watch) {
    const result = await run();
    await report(result, flags, io, true);
    if (result.report.summary.total === 0) {
      io.stderr.write(flags.grep !== undefined ? `hint: no fixture name or file contains ${JSON.stringify(flags.grep)}\n` : `hint: add fixture files (.yaml) under ${displayPath(fixturesDir, io.cwd)}/\n`);
      return EXIT.invalid;
    }
    return isSuccess(result.report.summary) ? EXIT.ok : EXIT.invalid;
  }
  return watchFixtures({ root, fixturesDir, settings, run, loader, flags, io, signals });
}

async function readSettings(root: string, flags: TestFlags, io: Io): Promise<BaseSettings> {
  try {
    return await readBaseSettings(root, flags.settings, io.cwd);
  } catch (error) {
    if (error instanceof UnreadablePathError) throw new UsageError(error.message, "run `endpoint-kit test` in a plugin folder, or pass it: `endpoint-kit test path/to/plugin`");
    throw error;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => stat(path).then((s) => s.isFile()), () => false);
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

/** Loads plugins through `loadPlugin`; in watch mode keeps them loaded between runs until a source changes. */
function createLoader(root: string, flags: TestFlags, keep: boolean) {
  const kept = new Map<string, Promise<RunnablePlugin & { closeNow(): Promise<void> }>>();
  let endpoints: readonly ServedEndpoint[] = [];
  const open = async (settings: Record<string, unknown>) => {
    const { loadPlugin } = await import("../api/load-plugin.js");
    const { PluginLoadError } = await import("../api/plugin-load-error.js");
    try {
      const plugin = await loadPlugin(root, {
        settings,
        timeoutMs: flags.timeout * 1000,
        ...(flags.python !== undefined ? { python: flags.python } : {}),
        // Handler output would interleave with the report: it goes to stderr, as on dev.
      });
      endpoints = plugin.endpoints;
      return { request: (path: string, init: RequestInit) => plugin.request(path, init), close: keep ? async () => {} : () => plugin.close(), closeNow: () => plugin.close() };
    } catch (error) {
      // A worker that cannot even start is the machine's problem (exit 3), not the plugin's.
      if (error instanceof PluginLoadError && error.diagnostics.some((d) => d.rule === "load" && /could not start/.test(d.message))) {
        throw new EnvironmentError(error.message.split("\n")[0] ?? error.message, error.diagnostics.find((d) => d.rule === "load")?.message);
      }
      if (error instanceof PluginLoadError) throw new LoadFailure(error.message.split("\n")[0] ?? error.message, [...error.diagnostics]);
      throw new EnvironmentError(`cannot load the plugin: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return {
    /** The endpoints of the plugin loaded last, for `--watch` to tell which fixtures a source affects. */
    get endpoints(): readonly ServedEndpoint[] {
      return endpoints;
    },
    load(settings: Record<string, unknown>): Promise<RunnablePlugin> {
      if (!keep) return open(settings);
      const key = JSON.stringify(settings);
      let plugin = kept.get(key);
      if (!plugin) {
        plugin = open(settings);
        kept.set(key, plugin);
        plugin.catch(() => kept.delete(key));
      }
      return plugin;
    },
    /** Ends every kept plugin, so the next run loads the code afresh. */
    async reset(): Promise<void> {
      const all = [...kept.values()];
      kept.clear();
      await Promise.all(all.map((p) => p.then((plugin) => plugin.closeNow(), () => undefined)));
    },
  };
}

/** Prints the report: the chosen format to stdout or `--output`, and the text report too when the format goes to a file. */
async function report(result: SuiteRun, flags: TestFlags, io: Io, listPassed: boolean): Promise<void> {
  const text = (color: boolean) => formatTextReport(result.report, { color, sources: result.found.sources, listPassed });
  const rendered = flags.format === "text" ? text(false) : renderMachine(flags.format, result.report);
  if (flags.output !== undefined) {
    try {
      await writeFile(resolve(io.cwd, flags.output), rendered);
    } catch (error) {
      throw new EnvironmentError(`cannot write ${flags.output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (flags.format !== "text") io.stdout.write(text(flags.color && useColor(io, "stdout")));
    return;
  }
  io.stdout.write(flags.format === "text" ? text(flags.color && useColor(io, "stdout")) : rendered);
}

function renderMachine(format: TestFlags["format"], report: RunReport): string {
  if (format === "json") return formatJsonReport(report);
  if (format === "junit") return formatJunitReport(report);
  return formatTapReport(report);
}

interface WatchContext {
  root: string;
  fixturesDir: string;
  settings: BaseSettings;
  run(only?: ReadonlySet<string>): Promise<SuiteRun>;
  loader: ReturnType<typeof createLoader>;
  flags: TestFlags;
  io: Io;
  signals: NodeJS.EventEmitter;
  /** The last run, whose fixtures say which ones a saved source affects. */
  last?: SuiteRun;
}

/**
 * Runs everything once, then on each batch of saves: a fixture file alone reruns just that fixture
 * on the plugin already loaded; any other file (a source, a YAML, the settings) reloads the plugin
 * and reruns every fixture, since any of them may route to what changed.
 */
async function watchFixtures(ctx: WatchContext): Promise<number> {
  const { io, flags } = ctx;
  const first = await ctx.run();
  ctx.last = first;
  await report(first, flags, io, true);
  let queue = Promise.resolve();
  const outside = (path: string | undefined) => path !== undefined && !path.startsWith(ctx.root + sep);
  const watcher = await watch({
    root: ctx.root,
    extra: [ctx.fixturesDir, ctx.settings.path].filter(outside) as string[],
    debounceMs: 25,
    onChange: (paths) => {
      queue = queue.then(() => rerun(ctx, paths)).catch((error: unknown) => {
        io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    },
    onError: (message, hint) => io.stderr.write(`warning: ${message}\n${hint ? `hint: ${hint}\n` : ""}`),
  });
  io.stderr.write("watching for changes (Ctrl+C to stop)\n");
  return new Promise<number>((resolveExit) => {
    const stop = (signal: string) => {
      ctx.signals.off("SIGINT", onInt);
      ctx.signals.off("SIGTERM", onTerm);
      void (async () => {
        await watcher.close();
        await queue;
        await ctx.loader.reset();
        resolveExit(signal === "SIGINT" ? EXIT.cancelled : EXIT.ok);
      })();
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    ctx.signals.on("SIGINT", onInt);
    ctx.signals.on("SIGTERM", onTerm);
  });
}

async function rerun(ctx: WatchContext, changed: string[]): Promise<void> {
  const absolute = changed.map((p) => resolve(ctx.root, p));
  const onlyFixtures = absolute.every((p) => p.startsWith(ctx.fixturesDir + sep) && /\.ya?ml$/i.test(p));
  // The plugin-relative path of every fixture file, so a saved one is recognised.
  const fixtureFiles = new Map([...(ctx.last?.found.paths ?? [])].map(([display, path]) => [relative(ctx.root, path).split(sep).join("/"), display]));
  for (const path of absolute.filter((p) => onlyFixtures && p.startsWith(ctx.fixturesDir + sep))) fixtureFiles.set(relative(ctx.root, path).split(sep).join("/"), displayPath(path, ctx.io.cwd));
  const fixtures = (ctx.last?.found.fixtures ?? []).flatMap((f) => (f.ok ? [f.fixture] : []));
  const only = affectedFixtures(changed.map((p) => p.split(sep).join("/")), fixtures, ctx.loader.endpoints, fixtureFiles);
  if (!onlyFixtures) await ctx.loader.reset();
  const shown = changed.map((p) => relative(ctx.io.cwd, resolve(ctx.root, p)) || p).join(", ");
  const what = onlyFixtures ? "rerunning that fixture" : only ? `reloading the plugin, rerunning the ${only.size === 1 ? "fixture" : `${only.size} fixtures`} it affects` : "reloading the plugin, rerunning every fixture";
  if (only?.size === 0) {
    ctx.io.stdout.write(`\n— ${shown} changed: no fixture routes to it\n`);
    return;
  }
  ctx.io.stdout.write(`\n— ${shown} changed: ${what}\n`);
  const result = await ctx.run(only);
  ctx.last = result;
  await report(result, ctx.flags, ctx.io, only !== undefined);
}
