import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';

export interface NewCount extends MarkingColumns {
  crossing_id: string;
  day: string;
  source: string;
  rule: string;
  scope: string;
  unit: string;
  value: number;
  entered_by: string | null;
}

/** A stored count: what was entered, with its crossing's name and when. */
export interface CountRow extends NewCount {
  crossing_name: string;
  entered_at: Date;
}

export const countsStore = {
  /**
   * One figure per crossing, day, source, rule, scope and unit: entering it again replaces the
   * value (and the marking, who and when).
   */
  async upsert(tx: Tx, rows: readonly NewCount[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      INSERT INTO crossing_counts (crossing_id, day, source, rule, scope, unit, value, entered_by,
        classification, releasable_to, caveats)
      SELECT crossing_id, day, source, rule, scope, unit, value, entered_by, classification, releasable_to,
        coalesce(caveats, '{}')
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(crossing_id uuid, day date, source text,
        rule text, scope text, unit text, value double precision, entered_by uuid, classification smallint,
        releasable_to text[], caveats text[])
      ON CONFLICT (crossing_id, day, source, rule, scope, unit) DO UPDATE SET value = excluded.value,
        entered_by = excluded.entered_by, entered_at = now(), classification = excluded.classification,
        releasable_to = excluded.releasable_to, caveats = excluded.caveats`.execute(tx);
  },

  /** Figures for days in [from, to] (inclusive, YYYY-MM-DD), by day, crossing and source. */
  async list(tx: Tx, from: string, to: string, crossingId?: string): Promise<CountRow[]> {
    const r = await sql<CountRow>`
      SELECT k.crossing_id, x.name AS crossing_name, k.day::text AS day, k.source, k.rule, k.scope, k.unit,
        k.value, u.username AS entered_by, k.entered_at, k.classification, k.releasable_to, k.caveats
      FROM crossing_counts k JOIN crossings x ON x.id = k.crossing_id
      LEFT JOIN users u ON u.id = k.entered_by
      WHERE k.day BETWEEN ${from}::date AND ${to}::date
        ${crossingId ? sql`AND k.crossing_id = ${crossingId}` : sql``}
      ORDER BY k.day, x.name, k.source, k.rule, k.scope, k.unit`.execute(tx);
    return r.rows;
  },
};
