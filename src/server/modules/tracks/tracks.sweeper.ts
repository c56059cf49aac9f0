import type { Logger } from 'pino';
import type { TracksService } from './tracks.service.js';

export const DEFAULT_SWEEP_MS = 5_000;

/**
 * Every interval, announces the tracks whose stale time passed since the last sweep. The window
 * moves on only after a sweep succeeded, so a failed one (database briefly away) is retried.
 */
export class StaleTrackSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private since = new Date();

  constructor(
    private readonly tracks: Pick<TracksService, 'sweepStale'>,
    private readonly log: Logger,
    private readonly intervalMs = DEFAULT_SWEEP_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    // Tracks already stale at start are in no snapshot, so nobody needs to hear that they went.
    this.since = new Date();
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  /** One sweep now (skipped while one runs); resolves when it is done. */
  sweep(): Promise<void> {
    if (this.running) return this.running;
    const now = new Date();
    this.running = this.tracks
      .sweepStale(this.since, now)
      .then((n) => {
        this.since = now;
        if (n) this.log.debug({ tracks: n }, 'stale tracks removed from live maps');
      })
      .catch((e: Error) => this.log.warn({ err: e }, 'stale track sweep failed; will retry'))
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
