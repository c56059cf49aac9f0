import { sql } from 'kysely';
import type { BBox } from '../../../domain/geometry.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';
import { withinBbox } from '../../db/sql-filters.js';

export interface FacilityColumns extends MarkingColumns {
  name: string;
  kind: string;
  operator: string;
  lon: number;
  lat: number;
  status: string;
  notes: string | null;
}

/** A stored facility: what was written, with its identity and version. */
export interface FacilityRow extends FacilityColumns {
  id: string;
  updated_at: Date;
  version: number;
}

const COLUMNS = sql`f.id, f.name, f.kind, f.operator, f.lon, f.lat, f.status, f.notes, f.updated_at, f.version,
  f.classification, f.releasable_to, f.caveats`;

/** All SQL of facilities; RLS filters every statement run as a viewer. */
export const facilitiesStore = {
  async insert(tx: Tx, c: FacilityColumns, createdBy: string | null): Promise<string> {
    const r = await sql<{ id: string }>`
      INSERT INTO facilities (name, kind, operator, lon, lat, status, notes, created_by,
        classification, releasable_to, caveats)
      VALUES (${c.name}, ${c.kind}, ${c.operator}, ${c.lon}, ${c.lat}, ${c.status}, ${c.notes}, ${createdBy},
        ${c.classification}, ${c.releasable_to}, ${c.caveats})
      RETURNING id`.execute(tx);
    return r.rows[0]!.id;
  },

  async list(tx: Tx, f: { bbox?: BBox; kinds?: readonly string[]; limit: number }): Promise<FacilityRow[]> {
    const b = f.bbox;
    const r = await sql<FacilityRow>`
      SELECT ${COLUMNS} FROM facilities f
      WHERE true
        ${withinBbox('f', b)}
        ${f.kinds?.length ? sql`AND f.kind = ANY(${[...f.kinds]}::text[])` : sql``}
      ORDER BY f.name, f.id
      LIMIT ${f.limit}`.execute(tx);
    return r.rows;
  },

  async get(tx: Tx, id: string): Promise<FacilityRow | undefined> {
    const r = await sql<FacilityRow>`SELECT ${COLUMNS} FROM facilities f WHERE f.id = ${id}`.execute(tx);
    return r.rows[0];
  },

  async lock(tx: Tx, id: string): Promise<{ version: number } | undefined> {
    const r = await sql<{ version: number }>`
      SELECT version FROM facilities WHERE id = ${id} FOR UPDATE`.execute(tx);
    return r.rows[0];
  },

  async update(tx: Tx, id: string, c: FacilityColumns): Promise<void> {
    await sql`
      UPDATE facilities SET name = ${c.name}, kind = ${c.kind}, operator = ${c.operator}, lon = ${c.lon},
        lat = ${c.lat}, status = ${c.status}, notes = ${c.notes}, classification = ${c.classification},
        releasable_to = ${c.releasable_to}, caveats = ${c.caveats}, updated_at = now(), version = version + 1
      WHERE id = ${id}`.execute(tx);
  },
};
