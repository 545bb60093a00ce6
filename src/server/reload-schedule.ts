/**
 * When `dev` reloads, the scheduling half of a session: an edit on its own reloads at once; edits
 * that keep coming (autosave, a formatter, a checkout) are merged into one reload once they stop;
 * requests wait for a reload under way and for saved edits about to be reloaded; a file still being
 * written while it was built is built again. Only the files an edit names are stat'ed, never every
 * watched file: the cost of a save does not grow with the plugin.
 */
import { isAbsolute, resolve } from "node:path";
import { changedFiles, snapshot, type Snapshot } from "./file-snapshot.js";

/**
 * Saves that keep coming right after a reload are a burst: they wait until none has come for this
 * long and become one reload, instead of one reload per save. Longer than the watcher's gap between
 * events for one file (chokidar reports a path at most every 50 ms).
 */
const BURST_QUIET_MS = 150;
/** The longest a request waits for saved edits to be reloaded while files keep changing. */
const MAX_EDIT_WAIT_MS = 1000;
/** When the files of the last reloads are looked at once more, for a save the watcher swallowed. */
const VERIFY_AFTER_MS = 120;
/**
 * A save is usually a truncation then a write, and the watcher reports the truncation: an edited
 * file found empty is most likely still being written, so the build waits up to this long for its
 * content (looking every `EMPTY_POLL_MS`). A file saved empty on purpose only pays this wait.
 */
const EMPTY_WAIT_MS = 50;
const EMPTY_POLL_MS = 5;

export interface ReloadScheduleOptions {
  /** Absolute plugin root, which the watcher's relative paths are relative to. */
  root(): string;
  /** Reloads after the edits in `batch` (absolute paths); true when the new state is served. */
  reload(batch: string[]): Promise<boolean>;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}

const isEmpty = (signature: string): boolean => signature.endsWith(":0");

export class ReloadSchedule {
  /** Files stat'ed so far (a test checks a save stats only what it names). */
  statted = 0;
  private gate: Promise<void> | undefined;
  private deferred: Set<string> | undefined;
  private deferTimer: NodeJS.Timeout | undefined;
  /** Settles when the deferred edits start reloading (requests then wait on `gate`). */
  private deferredDone: Promise<void> | undefined;
  private releaseDeferred: (() => void) | undefined;
  private lastReloadEnd = Number.NEGATIVE_INFINITY;
  private reloading = false;
  /** What the files of recent reloads looked like when they were built, for the verification pass. */
  private recent: Snapshot = new Map();
  private verifyTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: ReloadScheduleOptions) {}

  /** No reload is under way and no saved edit waits for one: requests are served with the current state now. */
  get isSettled(): boolean {
    return this.gate === undefined && this.deferredDone === undefined;
  }

  /**
   * Resolves once any reload under way has finished. A request that arrives while saved edits wait
   * for their quiet moment waits for them too (an edit is served by the next request), but never
   * longer than `MAX_EDIT_WAIT_MS` while files keep changing.
   */
  async settled(): Promise<void> {
    if (this.isSettled) return;
    const until = performance.now() + MAX_EDIT_WAIT_MS;
    for (;;) {
      if (this.gate) await this.gate;
      else if (this.deferredDone && performance.now() < until) await Promise.race([this.deferredDone, delay(until - performance.now())]);
      else return;
    }
  }

  /**
   * Reloads after `changed` (plugin-relative or absolute paths). An edit on its own reloads at once;
   * changes that arrive during a reload or soon after one wait for a quiet moment and are merged.
   */
  async changed(changed: string[]): Promise<void> {
    if (this.closed) return;
    if (this.reloading || this.deferred !== undefined || performance.now() - this.lastReloadEnd < BURST_QUIET_MS) {
      this.defer(changed);
      return;
    }
    await this.run(changed);
  }

  private defer(changed: string[]): void {
    this.deferredDone ??= new Promise<void>((resolve) => (this.releaseDeferred = resolve));
    this.deferred ??= new Set();
    for (const path of changed) this.deferred.add(path);
    clearTimeout(this.deferTimer);
    this.deferTimer = setTimeout(() => {
      if (this.closed) return;
      if (this.reloading) return this.defer([]);
      const batch = [...(this.deferred ?? [])];
      const release = this.releaseDeferred;
      this.deferred = undefined;
      this.deferredDone = undefined;
      // Requests waiting on the edits now wait on the reload's own gate, set synchronously by run().
      void this.run(batch);
      release?.();
    }, BURST_QUIET_MS);
  }

  private async run(changed: string[]): Promise<void> {
    if (this.closed) return;
    this.reloading = true;
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    let moved: string[] = [];
    try {
      const root = this.options.root();
      const batch = [...new Set(changed.map((path) => (isAbsolute(path) ? path : resolve(root, path))))];
      let before = this.stat(batch);
      for (const until = performance.now() + EMPTY_WAIT_MS; [...before.values()].some(isEmpty) && performance.now() < until; ) {
        await new Promise((resolve) => setTimeout(resolve, EMPTY_POLL_MS));
        before = this.stat(batch);
      }
      await this.options.reload(batch);
      // A file that changed while it was being built (a save still being written) is built again.
      moved = changedFiles(before, this.stat(batch));
      for (const [path, sig] of before) this.recent.set(path, sig);
    } finally {
      this.reloading = false;
      this.gate = undefined;
      this.lastReloadEnd = performance.now();
      release();
    }
    if (moved.length > 0) this.defer(moved);
    this.scheduleVerify();
  }

  private stat(paths: string[]): Snapshot {
    this.statted += paths.length;
    return snapshot(paths);
  }

  /**
   * The watcher drops a second save of a path that lands within 50 ms of the first: look at the
   * files of the last reloads once more a little later (only those can have been swallowed).
   */
  private scheduleVerify(): void {
    clearTimeout(this.verifyTimer);
    this.verifyTimer = setTimeout(() => {
      if (this.closed || this.reloading) return;
      const seen = this.recent;
      this.recent = new Map();
      const moved = changedFiles(seen, this.stat([...seen.keys()]));
      if (moved.length > 0) void this.changed(moved);
    }, VERIFY_AFTER_MS);
    this.verifyTimer.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.verifyTimer);
    clearTimeout(this.deferTimer);
    this.releaseDeferred?.();
  }
}
