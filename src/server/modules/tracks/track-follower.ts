import type pg from 'pg';
import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import type { TrackEngine } from './track-engine.js';
import { TRACKS_CHANNEL } from './track-writer.js';

/** A transaction's now() is its start: a row may commit this long after the time it carries. */
const OVERLAP_MS = 5_000;

/**
 * Keeps the engine's memory in step with tracks that another process writes (the CLI simulator,
 * another node): each writer notifies on the tracks channel, and this reads what changed since.
 */
export class TrackFollower {
  private client: pg.PoolClient | null = null;
  private since = new Date(0);
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly engine: TrackEngine,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.since = new Date(Date.now() - OVERLAP_MS);
    const client = await this.db.connectSystemClient();
    client.on('notification', (n) => {
      if (n.channel === TRACKS_CHANNEL && n.payload !== this.engine.nodeId) this.kick();
    });
    client.on('error', (e) => this.db.connectionLost(this.log, e, 'tracks channel connection failed'));
    await client.query(`LISTEN ${TRACKS_CHANNEL}`);
    this.client = client;
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const latest = await this.engine.follow(new Date(this.since.getTime() - OVERLAP_MS));
          if (latest > this.since) this.since = latest;
        } catch (e) {
          this.log.warn({ err: e }, 'could not read tracks written elsewhere');
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
  }

  async stop(): Promise<void> {
    await this.running;
    const c = this.client;
    this.client = null;
    if (c) {
      await c.query(`UNLISTEN ${TRACKS_CHANNEL}`).catch(() => undefined);
      c.release();
    }
  }
}
