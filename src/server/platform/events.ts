import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { ChangeEvent } from '../../domain/events.js';
import type { Marking } from '../../domain/marking.js';
import { type Db, failureLevel, type Tx } from '../db/database.js';
import { columnsToMarking, markingToColumns } from '../db/marking-columns.js';
import type { EventsTable } from '../db/schema.js';

const CHANNEL = 'concord_events';
/** Serialises outbox inserts so that event ids commit in order and a resume by id never skips one. */
const OUTBOX_LOCK = 724042;

export interface NewEvent {
  actor: string | null;
  kind: ChangeEvent['kind'];
  layer: string;
  entityId: string;
  payload: unknown;
  marking: Marking;
  prevMarking: Marking | null;
}

/** Writes the event in the caller's transaction; PostgreSQL delivers the NOTIFY only on commit. */
export async function recordEvent(tx: Tx, e: NewEvent): Promise<string> {
  const [id] = await recordEvents(tx, [e]);
  return id!;
}

/** Writes many events with one INSERT: a batch of 10,000 track changes is one round trip, not 10,000. */
export async function recordEvents(tx: Tx, events: readonly NewEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  await sql`SELECT pg_advisory_xact_lock(${OUTBOX_LOCK})`.execute(tx);
  const ids: string[] = [];
  // Chunks keep each statement under PostgreSQL's 65,535 bind parameters (13 per row).
  for (let i = 0; i < events.length; i += 4000) {
    const rows = await tx
      .insertInto('events')
      .values(events.slice(i, i + 4000).map(toRow))
      .returning('id')
      .execute();
    for (const r of rows) ids.push(String(r.id));
  }
  await sql`SELECT pg_notify(${CHANNEL}, ${ids.at(-1)!})`.execute(tx);
  return ids;
}

function toRow(e: NewEvent) {
  const prev = e.prevMarking ? markingToColumns(e.prevMarking) : null;
  return {
    actor: e.actor,
    kind: e.kind,
    layer: e.layer,
    entity_id: e.entityId,
    payload: JSON.stringify(e.payload),
    ...markingToColumns(e.marking),
    prev_classification: prev?.classification ?? null,
    prev_releasable_to: prev?.releasable_to ?? null,
    prev_caveats: prev?.caveats ?? null,
  };
}

type EventRow = {
  [K in keyof EventsTable]: K extends 'id' ? string : K extends 'at' ? Date : EventsTable[K];
};

export function toChangeEvent(r: EventRow): ChangeEvent {
  return {
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    kind: r.kind as ChangeEvent['kind'],
    layer: r.layer,
    entityId: r.entity_id,
    payload: r.payload,
    marking: columnsToMarking(r),
    prevMarking:
      r.prev_classification === null
        ? null
        : columnsToMarking({
            classification: r.prev_classification,
            releasable_to: r.prev_releasable_to ?? [],
            caveats: r.prev_caveats ?? [],
          }),
  };
}

/** Events after `afterId` as the query's viewer sees them (RLS applies on the app pool). */
export async function eventsAfter(q: Tx, afterId: string, limit: number): Promise<ChangeEvent[]> {
  const rows = await q
    .selectFrom('events')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => toChangeEvent(r as unknown as EventRow));
}

/** The highest event id at or below `upTo` visible to the query's viewer (0 when none). */
export async function lastEventIdUpTo(q: Tx, upTo: string): Promise<string> {
  const r = await q
    .selectFrom('events')
    .select('id')
    .where('id', '<=', upTo)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? String(r.id) : '0';
}

/**
 * Feeds committed events to in-process listeners, in id order. LISTEN wakes it within
 * milliseconds; a slow poll covers a lost notification or a reconnect.
 */
export class EventRelay extends EventEmitter<{ event: [ChangeEvent] }> {
  private lastId = '0';
  private client: Awaited<ReturnType<Db['connectSystemClient']>> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {
    super();
    this.setMaxListeners(0);
  }

  get lastEventId(): string {
    return this.lastId;
  }

  async start(): Promise<void> {
    const r = await this.db.asSystem((tx) =>
      sql<{ max: string | null }>`SELECT max(id)::text AS max FROM events`.execute(tx),
    );
    this.lastId = r.rows[0]?.max ?? '0';
    this.client = await this.db.connectSystemClient();
    this.client.on('notification', () => this.wake());
    this.client.on('error', (e) => this.db.connectionLost(this.log, e, 'event listener connection failed'));
    await this.client.query(`LISTEN ${CHANNEL}`);
    this.timer = setInterval(() => this.wake(), 1000);
    this.timer.unref();
  }

  /** Resolves once every event committed before the call has been emitted. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.draining) {
      // The running drain may have read the outbox before this call: wait for one more after it.
      this.next ??= this.draining.then(() => {
        this.next = null;
        return this.wake();
      });
      return this.next;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const batch = await this.db.asSystem((tx) => eventsAfter(tx, this.lastId, 1000));
        for (const e of batch) {
          this.lastId = e.id;
          this.emit('event', e);
        }
        if (batch.length < 1000) return;
      }
    } catch (e) {
      if (this.stopped) return;
      // Ctrl+C reaches the embedded PostgreSQL too: a read it cuts short while Concord stops is expected.
      const level = failureLevel(this.db, e);
      this.log[level]({ err: e }, 'event relay could not read the outbox; will retry');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.draining;
    if (this.client) {
      this.client.removeAllListeners('notification');
      await this.client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      this.client.release();
      this.client = null;
    }
  }
}
