/**
 * The file watcher behind one `watch()` that returns `close()`. Watches the plugin folder (not single
 * files, which breaks with editors that save by rename) and reports batches of changed paths after
 * a short quiet period, so a burst of saves becomes one reload.
 */
import { relative, sep } from "node:path";

export interface WatchOptions {
  root: string;
  /** Extra files outside the root to watch (a settings file given with --settings). */
  extra: string[];
  debounceMs: number;
  onChange(paths: string[]): void;
  onError(message: string, hint?: string): void;
}

const IGNORED = /(^|[/\\])(node_modules|\.git|\.endpoint-kit|\.venv|venv|__pycache__|dist)([/\\]|$)|\.(pyc|swp|swx|tmp)$|~$|(^|[/\\])\.#/;

export async function watch(options: WatchOptions): Promise<{ close(): Promise<void> }> {
  const { watch: chokidarWatch } = await import("chokidar");
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher = chokidarWatch([options.root, ...options.extra], {
    ignoreInitial: true,
    ignored: (path: string) => IGNORED.test(relative(options.root, path) || "."),
  });
  const record = (path: string) => {
    pending.add(relative(options.root, path).split(sep).join("/"));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const batch = [...pending];
      pending.clear();
      options.onChange(batch);
    }, options.debounceMs);
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
      await watcher.close();
    },
  };
}
