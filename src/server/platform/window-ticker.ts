import type { Logger } from 'pino';

/** Announces what happened in (since, now]: tracks that went stale, zone versions that came into force. */
export type WindowTask = (since: Date, now: Date) => Promise<number>;

/**
 * Every interval, runs a task over the time window since its last successful run. The window
 * moves on only after a run succeeded, so a failed one (database briefly away) is retried.
 */
export class WindowTicker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private since = new Date();

  constructor(
    private readonly what: string,
    private readonly task: WindowTask,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    // What happened before the start is already in every snapshot.
    this.since = new Date();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** One run now (skipped while one runs); resolves when it is done. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    const now = new Date();
    this.running = this.task(this.since, now)
      .then((n) => {
        this.since = now;
        if (n) this.log.debug({ count: n }, this.what);
      })
      .catch((e: Error) => this.log.warn({ err: e }, `${this.what}: failed; will retry`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
