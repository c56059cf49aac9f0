import { sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Marking } from '../../../domain/marking.js';
import type { ValidReport } from '../../../domain/position-reports.js';
import type { TrackState } from '../../../domain/tracks.js';
import { type Db, failureLevel, type Tx } from '../../db/database.js';
import { tracksStore as store } from './tracks.store.js';

/** The channel on which a process that wrote tracks tells the others (the CLI simulator, other nodes). */
export const TRACKS_CHANNEL = 'concord_tracks';
const UNIQUE_VIOLATION = '23505';
const DEADLOCK = '40P01';
const LANES = 2;
const codeOf = (e: unknown) => (e as { code?: string } | null)?.code;

/** What one ingest request needs written before it may be acknowledged. */
export interface WriteJob {
  created: { state: TrackState; organisationId: string }[];
  /** States whose attributes (not only position) changed: written at once, they decide who sees what. */
  changed: TrackState[];
  positions: { report: ValidReport; marking: Marking }[];
}

export interface WriteResult {
  /** New uids another process created first: the job's reports about them were not stored. */
  lost: Set<string>;
}

interface Pending {
  job: WriteJob;
  resolve(r: WriteResult): void;
  reject(e: unknown): void;
}

/**
 * Group commit for position reports: jobs that arrive while the transactions (two lanes) are
 * running wait for the next one, so a busy server writes thousands of reports per round trip while
 * an idle one commits a lone report at once. The history goes by COPY. Positions that only move a
 * track are written to `tracks` at most every `stateEveryMs`, in a transaction of their own so that
 * they never hold back an acknowledgement: the history holds every observation at once, and the
 * current state lives in memory, where the API reads it. Each state carries its version and a row
 * is only ever moved forward, so all these transactions may commit in any order.
 */
export class TrackWriter {
  private queue: Pending[] = [];
  private dirty = new Map<string, TrackState>();
  private readonly running = new Set<Promise<void>>();
  private moving: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly nodeId: string,
    private readonly stateEveryMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.writeMoves(), this.stateEveryMs);
    this.timer.unref();
  }

  write(job: WriteJob): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.kick();
    });
  }

  /** A track moved: its row is brought up to date with the next state write. */
  moved(state: TrackState): void {
    this.dirty.set(state.uid, state);
  }

  /** Writes everything still waiting (at shutdown). */
  async drain(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.running.size || this.moving) {
      await Promise.all(this.running);
      await this.moving;
    }
    this.writeMoves();
    await this.moving;
  }

  /**
   * Two transactions may run at once, so that one batch is sent while the one before commits: with
   * one, the server sat idle through every commit. Their order does not matter (see above).
   */
  private kick(): void {
    if (this.running.size >= LANES) return;
    const lane: Promise<void> = this.loop().finally(() => {
      this.running.delete(lane);
    });
    this.running.add(lane);
  }

  private async loop(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      try {
        const lost = await this.store(batch).catch((e: unknown) =>
          // Two batches changing the same tracks' rows in another order: the one PostgreSQL stopped goes again.
          codeOf(e) === DEADLOCK ? this.store(batch) : Promise.reject(e),
        );
        for (const p of batch) p.resolve({ lost });
      } catch (e) {
        this.log.error({ err: e, jobs: batch.length }, 'could not store position reports');
        for (const p of batch) p.reject(e);
      }
    }
  }

  private async store(batch: Pending[]): Promise<Set<string>> {
    try {
      // Mere observations of known tracks, the steady state: one COPY, atomic on its own.
      if (batch.every((p) => !p.job.created.length && !p.job.changed.length)) {
        const positions = batch.flatMap((p) => p.job.positions);
        await this.db.withSystemClient((client) => store.copyPositions(client, positions));
        return new Set();
      }
      return await this.db.asSystemWithClient((tx, client) => this.flush(tx, batch, client));
    } catch (e) {
      // A report repeated from an earlier batch: COPY cannot skip it, INSERT … ON CONFLICT can.
      if (codeOf(e) !== UNIQUE_VIOLATION) throw e;
      return this.db.asSystem((tx) => this.flush(tx, batch, null));
    }
  }

  private writeMoves(): void {
    if (this.moving || !this.dirty.size) return;
    const states = [...this.dirty.values()];
    this.dirty.clear();
    this.moving = this.db
      .asSystem(async (tx) => {
        await store.updateStates(tx, states);
        await sql`SELECT pg_notify(${TRACKS_CHANNEL}, ${this.nodeId})`.execute(tx);
      })
      .catch((e: unknown) => {
        // Stopping: the history holds these moves, and the next start takes them from there.
        const level = failureLevel(this.db, e);
        this.log[level]({ err: e, tracks: states.length }, 'could not write track positions; will retry');
        // Written with the next round, unless a newer state of the track is waiting already.
        for (const s of states) if (!this.dirty.has(s.uid)) this.dirty.set(s.uid, s);
      })
      .finally(() => {
        this.moving = null;
      });
  }

  /** Writes a batch; with a connection, the history goes by COPY. */
  private async flush(tx: Tx, batch: Pending[], client: pg.ClientBase | null): Promise<Set<string>> {
    const created = batch.flatMap((p) => p.job.created);
    const lost = new Set<string>();
    if (created.length) {
      const inserted = new Set(await store.insertOwned(tx, created));
      for (const c of created) if (!inserted.has(c.state.uid)) lost.add(c.state.uid);
    }
    const positions = batch.flatMap((p) => p.job.positions);
    const kept = lost.size ? positions.filter((p) => !lost.has(p.report.uid)) : positions;
    if (client) await store.copyPositions(client, kept);
    else await store.insertPositions(tx, kept);
    // The latest state per uid: attribute changes (who may see it, what it is) are written now.
    const latest = new Map<string, TrackState>();
    for (const p of batch) for (const s of p.job.changed) if (!lost.has(s.uid)) latest.set(s.uid, s);
    await store.updateStates(tx, [...latest.values()]);
    if (created.length || latest.size)
      await sql`SELECT pg_notify(${TRACKS_CHANNEL}, ${this.nodeId})`.execute(tx);
    return lost;
  }
}
