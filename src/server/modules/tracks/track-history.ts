import type { Logger } from 'pino';
import { type Db, failureLevel } from '../../db/database.js';
import { tracksStore as store } from './tracks.store.js';

const HOUR_MS = 60 * 60_000;

/**
 * Keeps the position history's daily partitions ready a few days ahead (so reports never pile
 * up in the default partition) and drops the days older than the retention period.
 */
export class HistoryKeeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    /** Days of history to keep; 0 keeps it all. */
    private readonly retentionDays: number,
  ) {}

  async run(): Promise<{ created: number; dropped: number }> {
    return this.db.asSystem(async (tx) => {
      const created = await store.ensurePartitions(tx, 1, 3);
      const dropped = this.retentionDays > 0 ? await store.dropHistoryBefore(tx, this.retentionDays) : 0;
      if (created || dropped) this.log.info({ created, dropped }, 'position history partitions');
      return { created, dropped };
    });
  }

  start(): void {
    const tick = () =>
      void this.run().catch((e: unknown) =>
        this.log[failureLevel(this.db, e)]({ err: e }, 'history maintenance failed; will retry'),
      );
    tick();
    this.timer = setInterval(tick, HOUR_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
