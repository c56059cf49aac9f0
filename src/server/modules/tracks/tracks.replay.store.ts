import { sql } from 'kysely';
import type { BBox } from '../../../domain/geometry.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';
import { withinBbox } from '../../db/sql-filters.js';

/** One observation of a replay window; `ms` counts from the window's start. */
export interface ReplayPositionRow extends MarkingColumns {
  uid: string;
  ms: number;
  lon: number;
  lat: number;
  course: number | null;
  speed: number | null;
}

export interface ReplayTrackRow extends MarkingColumns {
  uid: string;
  kind: string;
  affiliation: string;
  sidc: string;
  callsign: string;
  stale_ms: number;
}

export interface ReplayFilter {
  from: Date;
  to: Date;
  bbox?: BBox;
  uids?: readonly string[];
  limit: number;
}

export const replayStore = {
  /**
   * Observations in [from, to), in time order so that a limit cuts the window at a time and what
   * comes back is a complete prefix of it. Both tables are under row-level security: a position
   * comes back only when the viewer may see it and its track. Times arrive as numbers (ms after
   * `from`) rather than Dates: at hundreds of thousands of rows that parsing is most of the cost.
   */
  async positions(tx: Tx, f: ReplayFilter): Promise<ReplayPositionRow[]> {
    const b = f.bbox;
    const r = await sql<ReplayPositionRow>`
      SELECT p.uid, round(extract(epoch FROM p.observed_at - ${f.from}::timestamptz) * 1000)::float8 AS ms,
        p.lon, p.lat, p.course, p.speed, p.classification, p.releasable_to, p.caveats
      FROM track_positions p JOIN tracks t ON t.uid = p.uid
      WHERE p.observed_at >= ${f.from} AND p.observed_at < ${f.to}
        ${f.uids ? sql`AND p.uid = ANY(${f.uids}::text[])` : sql``}
        ${withinBbox('p', b)}
      ORDER BY p.observed_at, p.uid
      LIMIT ${f.limit}`.execute(tx);
    return r.rows;
  },

  /** The attributes of these tracks, with how long a report of each stays current. */
  async tracks(tx: Tx, uids: readonly string[]): Promise<ReplayTrackRow[]> {
    if (!uids.length) return [];
    const r = await sql<ReplayTrackRow>`
      SELECT uid, kind, affiliation, sidc, callsign,
        greatest(extract(epoch FROM stale_at - observed_at) * 1000, 0)::float8 AS stale_ms,
        classification, releasable_to, caveats
      FROM tracks WHERE uid = ANY(${uids}::text[])
      ORDER BY uid`.execute(tx);
    return r.rows;
  },
};
