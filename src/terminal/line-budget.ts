/**
 * How many request lines `dev` lists each second. Beyond the budget, requests are counted by status
 * and summed up in one line when the second is over: under a load test or a webhook storm, thousands
 * of lines a second scroll past unread, slow the terminal, and cost the server more than the
 * requests themselves. Failures are always listed; the inspector keeps every request either way.
 */
export class LineBudget {
  private second = -1;
  private listed = 0;
  private readonly skipped = new Map<number, number>();
  private skippedCount = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param perSecond lines listed in full each second
   * @param summarize called with the requests of a past second that were not listed
   * @param clock milliseconds (Date.now by default)
   */
  constructor(
    private readonly perSecond: number,
    private readonly summarize: (count: number, byStatus: ReadonlyMap<number, number>) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether a request with `status` is listed now; when not, it is counted for the summary. */
  admit(status: number, always: boolean): boolean {
    const now = this.clock();
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.flush();
      this.second = second;
      this.listed = 0;
    }
    if (always || this.listed < this.perSecond) {
      this.listed += 1;
      return true;
    }
    this.skippedCount += 1;
    this.skipped.set(status, (this.skipped.get(status) ?? 0) + 1);
    // The summary comes when the second is over, even if no request follows.
    this.timer ??= setTimeout(() => this.flush(), 1000 - (now % 1000)).unref();
    return false;
  }

  /** Sums up the requests not listed so far (nothing when there are none). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.skippedCount === 0) return;
    const count = this.skippedCount;
    const byStatus = new Map([...this.skipped].sort(([a], [b]) => a - b));
    this.skippedCount = 0;
    this.skipped.clear();
    this.summarize(count, byStatus);
  }
}
