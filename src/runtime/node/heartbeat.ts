/**
 * Noticing a worker whose event loop is held by synchronous code: while calls are in flight, a ping
 * every `HEARTBEAT_MS`; one left unanswered for `blockedAfterMs` means the loop is blocked. Idle
 * workers are not pinged, so it costs nothing at rest. Reports once per worker.
 */

const HEARTBEAT_MS = 100;

/** What the heartbeat needs of the worker's host. */
export interface HeartbeatHost {
  /** Calls are in flight and the worker still runs: keep beating. */
  busy(): boolean;
  /** Posts a ping: its message id (ids follow the order of posting) and when its pong came back. */
  ping(): { id: number; answered: Promise<unknown> };
}

export class Heartbeat {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The ping awaiting its pong: when it was sent, and its id. */
  private beat: { at: number; id: number } | undefined;
  private blocked = false;

  /** `onBlocked(id)`: the ping `id` went unanswered for `blockedAfterMs`; later messages have not been read. */
  constructor(
    private readonly host: HeartbeatHost,
    private readonly blockedAfterMs: number,
    private readonly onBlocked: (id: number) => void,
  ) {}

  /** Beats until the host is no longer busy (a call was just posted). */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), HEARTBEAT_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (!this.host.busy()) return this.stop();
    const now = performance.now();
    if (this.beat === undefined) {
      const { id, answered } = this.host.ping();
      const beat = { at: now, id };
      this.beat = beat;
      void answered.then(() => {
        if (this.beat === beat) this.beat = undefined;
      });
    } else if (!this.blocked && now - this.beat.at >= this.blockedAfterMs) {
      this.blocked = true;
      this.onBlocked(this.beat.id);
    }
  }
}
