/**
 * One timer for many deadlines, set for the earliest of them. A timer per call (set, then cleared
 * microseconds later when the call answers) was a large share of a small call's cost on the server
 * thread; this one is reset only when an earlier deadline arrives or nothing is left to watch.
 */
export class EarliestDeadline {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private at = Infinity;

  /** `expire(now)` handles what is past `now` and returns the next deadline to watch (Infinity: none). */
  constructor(private readonly expire: (now: number) => number) {}

  /** Watches `at` (a `performance.now()` time) too; Infinity watches nothing. */
  watch(at: number): void {
    if (at >= this.at) return;
    clearTimeout(this.timer);
    this.at = at;
    // Whole milliseconds, rounded up; the timer may still fire a little early by `performance.now()`
    // (Node counts from the loop's cached time): `expire` then finds nothing past and sets it again.
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(at - performance.now())));
  }

  /** Nothing is left to watch: no timer keeps the process alive. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Infinity;
  }

  private fire(): void {
    this.timer = undefined;
    this.at = Infinity;
    this.watch(this.expire(performance.now()));
  }
}
