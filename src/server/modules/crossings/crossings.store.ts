import { sql } from 'kysely';
import type { CrossingStatus } from '../../../domain/crossings.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';

export interface CrossingRow extends MarkingColumns {
  id: string;
  name: string;
  zone_id: string | null;
  lon: number;
  lat: number;
  status: CrossingStatus;
  reason: string | null;
  opens_at: string | null;
  closes_at: string | null;
  status_until: Date | null;
  daily_truck_target: number;
  updated_at: Date;
  version: number;
}

export interface StatusHistoryRow {
  id: string;
  status: string;
  reason: string | null;
  opens_at: string | null;
  closes_at: string | null;
  status_until: Date | null;
  actor: string | null;
  at: Date;
}

/** One day's screened consignments at one crossing. */
export interface ThroughputRow {
  day: string;
  crossing_id: string;
  trucks: number;
  tonnes: number;
  pallets: number;
}

export interface NewCrossing extends MarkingColumns {
  name: string;
  zone_id: string | null;
  lon: number;
  lat: number;
  daily_truck_target: number;
}

const COLUMNS = sql`id, name, zone_id, lon, lat, status, reason, opens_at, closes_at, status_until,
  daily_truck_target, updated_at, version, classification, releasable_to, caveats`;

/** The UTC day of a time, as the dashboard and the board count by. */
export const utcDay = (column: string) => sql.raw(`(${column} AT TIME ZONE 'UTC')::date`);

export const crossingsStore = {
  async insertMany(tx: Tx, rows: readonly NewCrossing[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      INSERT INTO crossings (name, zone_id, lon, lat, daily_truck_target, classification, releasable_to, caveats)
      SELECT name, zone_id, lon, lat, daily_truck_target, classification, releasable_to, coalesce(caveats, '{}')
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(name text, zone_id uuid,
        lon double precision, lat double precision, daily_truck_target integer, classification smallint,
        releasable_to text[], caveats text[])
      ON CONFLICT (name) DO NOTHING`.execute(tx);
  },

  /** Zones of kind crossing (current version): where crossings are drawn. */
  async crossingZones(tx: Tx): Promise<{ id: string; name: string; geometry: unknown }[]> {
    const r = await sql<{ id: string; name: string; geometry: unknown }>`
      SELECT z.id, v.name, v.geometry FROM zones z
      JOIN zone_versions v ON v.zone_id = z.id AND v.version = z.head_version
      WHERE v.kind = 'crossing' AND z.deleted_at IS NULL AND NOT v.deleted ORDER BY v.name`.execute(tx);
    return r.rows;
  },

  async list(tx: Tx): Promise<CrossingRow[]> {
    const r = await sql<CrossingRow>`SELECT ${COLUMNS} FROM crossings ORDER BY name`.execute(tx);
    return r.rows;
  },

  async get(tx: Tx, id: string, lock = false): Promise<CrossingRow | undefined> {
    const r = await sql<CrossingRow>`SELECT ${COLUMNS} FROM crossings WHERE id = ${id}
      ${lock ? sql`FOR UPDATE` : sql``}`.execute(tx);
    return r.rows[0];
  },

  /** Sets the status and keeps it in the history; returns the history row's id. */
  async setStatus(
    tx: Tx,
    c: CrossingRow,
    s: {
      status: CrossingStatus;
      reason: string | null;
      opensAt: string | null;
      closesAt: string | null;
      until: string | null;
      actor: string;
    },
  ): Promise<string> {
    await sql`UPDATE crossings SET status = ${s.status}, reason = ${s.reason}, opens_at = ${s.opensAt},
      closes_at = ${s.closesAt}, status_until = ${s.until}, updated_at = now(), version = version + 1
      WHERE id = ${c.id}`.execute(tx);
    const r = await sql<{ id: string }>`
      INSERT INTO crossing_status_history (crossing_id, status, reason, opens_at, closes_at, status_until,
        actor, classification, releasable_to, caveats)
      VALUES (${c.id}, ${s.status}, ${s.reason}, ${s.opensAt}, ${s.closesAt}, ${s.until}, ${s.actor},
        ${c.classification}, ${c.releasable_to}, ${c.caveats})
      RETURNING id::text AS id`.execute(tx);
    return r.rows[0]!.id;
  },

  async history(tx: Tx, id: string, limit = 100): Promise<StatusHistoryRow[]> {
    const r = await sql<StatusHistoryRow>`
      SELECT h.id::text AS id, h.status, h.reason, h.opens_at, h.closes_at, h.status_until,
        u.username AS actor, h.at
      FROM crossing_status_history h LEFT JOIN users u ON u.id = h.actor
      WHERE h.crossing_id = ${id} ORDER BY h.id DESC LIMIT ${limit}`.execute(tx);
    return r.rows;
  },

  /**
   * Trucks, tonnes and pallets of the consignments screened at each crossing per UTC day in
   * [from, to): a consignment counts once, on the day of its move to `screened`.
   */
  async throughput(tx: Tx, from: Date, to: Date, crossingId?: string): Promise<ThroughputRow[]> {
    const r = await sql<ThroughputRow>`
      SELECT ${utcDay('a.at')}::text AS day, c.crossing_id, sum(c.trucks)::int AS trucks,
        sum(c.tonnes)::float8 AS tonnes, sum(c.pallets)::int AS pallets
      FROM consignment_actions a JOIN consignments c ON c.id = a.consignment_id
      WHERE a.to_state = 'screened' AND a.at >= ${from} AND a.at < ${to}
        ${crossingId ? sql`AND c.crossing_id = ${crossingId}` : sql``}
      GROUP BY 1, 2 ORDER BY 1, 2`.execute(tx);
    return r.rows;
  },

  /** The distinct markings of what throughput() counted: the aggregate's marking comes from them. */
  async throughputMarkings(tx: Tx, from: Date, to: Date): Promise<MarkingColumns[]> {
    const r = await sql<MarkingColumns>`
      SELECT DISTINCT c.classification, c.releasable_to, c.caveats
      FROM consignment_actions a JOIN consignments c ON c.id = a.consignment_id
      WHERE a.to_state = 'screened' AND a.at >= ${from} AND a.at < ${to}`.execute(tx);
    return r.rows;
  },

  /** Consignments waiting at each crossing now. */
  async queued(tx: Tx): Promise<(MarkingColumns & { crossing_id: string; n: number; trucks: number })[]> {
    const r = await sql<MarkingColumns & { crossing_id: string; n: number; trucks: number }>`
      SELECT crossing_id, count(*)::int AS n, sum(trucks)::int AS trucks, classification, releasable_to, caveats
      FROM consignments WHERE state = 'queued-at-crossing'
      GROUP BY crossing_id, classification, releasable_to, caveats`.execute(tx);
    return r.rows;
  },
};
