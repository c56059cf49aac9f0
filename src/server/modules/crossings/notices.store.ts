import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';

/** A consignment that a crossing's closure or restriction affects. */
export interface AffectedRow extends MarkingColumns {
  id: string;
  number: string;
  reference: string | null;
  state: string;
  requesting_organisation_id: string;
}

export interface NewNotice extends MarkingColumns {
  organisation_id: string;
  consignment_id: string;
  crossing_id: string;
  status_history_id: string;
  status: string;
  reason: string | null;
  status_until: string | null;
  summary: string;
}

export interface NoticeRow extends MarkingColumns {
  id: string;
  organisation_code: string;
  consignment_id: string;
  consignment_number: string;
  consignment_reference: string | null;
  consignment_state: string;
  crossing_id: string;
  crossing_name: string;
  status: string;
  reason: string | null;
  status_until: Date | null;
  summary: string;
  at: Date;
}

const COLUMNS = sql`n.id, o.code AS organisation_code, n.consignment_id, c.number::text AS consignment_number,
  c.reference AS consignment_reference, c.state AS consignment_state, n.crossing_id, x.name AS crossing_name,
  n.status, n.reason, n.status_until, n.summary, n.at, n.classification, n.releasable_to, n.caveats
  FROM aid_notices n JOIN organisations o ON o.id = n.organisation_id
  JOIN consignments c ON c.id = n.consignment_id JOIN crossings x ON x.id = n.crossing_id`;

export const noticesStore = {
  /** Consignments at the crossing in one of `states`: on the system pool, every owner is told. */
  async affected(tx: Tx, crossingId: string, states: readonly string[]): Promise<AffectedRow[]> {
    const r = await sql<AffectedRow>`
      SELECT id, number::text AS number, reference, state, requesting_organisation_id, classification,
        releasable_to, caveats
      FROM consignments WHERE crossing_id = ${crossingId} AND state = ANY(${states}::text[])
      ORDER BY number`.execute(tx);
    return r.rows;
  },

  /** Inserts the notices (a repeat for the same status change and consignment is dropped); returns their ids. */
  async insertMany(tx: Tx, rows: readonly NewNotice[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const r = await sql<{ id: string }>`
      INSERT INTO aid_notices (organisation_id, consignment_id, crossing_id, status_history_id, status, reason,
        status_until, summary, classification, releasable_to, caveats)
      SELECT organisation_id, consignment_id, crossing_id, status_history_id, status, reason, status_until,
        summary, classification, releasable_to, coalesce(caveats, '{}')
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(organisation_id uuid, consignment_id uuid,
        crossing_id uuid, status_history_id bigint, status text, reason text, status_until timestamptz,
        summary text, classification smallint, releasable_to text[], caveats text[])
      ON CONFLICT (status_history_id, consignment_id) DO NOTHING
      RETURNING id`.execute(tx);
    return r.rows.map((x) => x.id);
  },

  async byIds(tx: Tx, ids: readonly string[]): Promise<NoticeRow[]> {
    if (ids.length === 0) return [];
    const r =
      await sql<NoticeRow>`SELECT ${COLUMNS} WHERE n.id = ANY(${ids}::uuid[]) ORDER BY n.at, n.id`.execute(
        tx,
      );
    return r.rows;
  },

  /** An organisation's notices, newest first. */
  async forOrganisation(tx: Tx, organisationId: string, since: Date | undefined, limit: number) {
    const r = await sql<NoticeRow>`SELECT ${COLUMNS} WHERE n.organisation_id = ${organisationId}
      ${since ? sql`AND n.at >= ${since}` : sql``}
      ORDER BY n.at DESC, n.id LIMIT ${limit}`.execute(tx);
    return r.rows;
  },
};
