/**
 * The file watcher behind one `watch()` that returns `close()`. Watches the plugin folder (not single
 * files, which breaks with editors that save by rename) and reports batches of changed paths after
 * a short quiet period, so a burst of saves becomes one reload. With `leading`, the first change after
 * a quiet period is reported at once (with whatever else the same turn of the event loop saw), for a
 * caller that notices a file still being written on its own (`dev` compares mtimes around a build).
 */
import { relative, sep } from "node:path";

export interface WatchOptions {
  root: string;
  /** Extra files outside the root to watch (a settings file given with --settings). */
  extra: string[];
  debounceMs: number;
  /** Report the first change after `debounceMs` of quiet at once instead of waiting for more. */
  leading?: boolean;
  onChange(paths: string[]): void;
  onError(message: string, hint?: string): void;
}

const IGNORED = /(^|[/\\])(node_modules|\.git|\.endpoint-kit|\.venv|venv|__pycache__|dist)([/\\]|$)|\.(pyc|swp|swx|tmp)$|~$|(^|[/\\])\.#/;

export async function watch(options: WatchOptions): Promise<{ close(): Promise<void> }> {
  const { watch: chokidarWatch } = await import("chokidar");
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let lastEvent = Number.NEGATIVE_INFINITY;
  const flush = () => {
    immediate = undefined;
    timer = undefined;
    const batch = [...pending];
    pending.clear();
    if (batch.length > 0) options.onChange(batch);
  };
  const watcher = chokidarWatch([options.root, ...options.extra], {
    ignoreInitial: true,
    ignored: (path: string) => IGNORED.test(relative(options.root, path) || "."),
  });
  const record = (path: string) => {
    pending.add(relative(options.root, path).split(sep).join("/"));
    const now = performance.now();
    const quiet = now - lastEvent >= options.debounceMs;
    lastEvent = now;
    // Already going out this turn: the path joins the batch.
    if (immediate !== undefined) return;
    clearTimeout(timer);
    // A lone save pays no debounce; what follows it within the window is batched as before.
    if (options.leading && quiet) immediate = setImmediate(flush);
    else timer = setTimeout(flush, options.debounceMs);
  };
  for (const event of ["add", "change", "unlink", "addDir", "unlinkDir"] as const) watcher.on(event, record);
  watcher.on("error", (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOSPC" || code === "EMFILE") {
      options.onError("the system's limit on watched files was reached: edits may not reload", "raise it with `sudo sysctl fs.inotify.max_user_watches=524288` (and max_user_instances), then restart dev");
    } else {
      options.onError(`file watcher: ${(error as Error).message ?? String(error)}`);
    }
  });
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return {
    async close() {
      clearTimeout(timer);
      if (immediate !== undefined) clearImmediate(immediate);
      await watcher.close();
    },
  };
}
