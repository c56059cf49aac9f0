import { sql } from 'kysely';
import type { ConsignmentState } from '../../../domain/consignments.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';

/**
 * Consignments, their items and their state history: all SQL here. Table semantics (kept for
 * every writer, the HXL import included):
 * - `consignments.state` is the current state, `state_at` when it was entered (the day the
 *   dashboard counts it by is that of its `screened` action, not state_at);
 * - `version` counts the changes: it equals the number of `consignment_actions` rows for a
 *   consignment that only ever moved, starting at 1 for the registration;
 * - every move, including the registration (from_state NULL → registered), is one
 *   `consignment_actions` row carrying the version after it;
 * - items and actions carry the consignment's marking.
 */

export interface ConsignmentRow extends MarkingColumns {
  id: string;
  number: string;
  reference: string | null;
  requesting_organisation_id: string;
  organisation_code: string;
  organisation_name: string;
  donor: string | null;
  corridor: string | null;
  crossing_id: string;
  crossing_name: string | null;
  pallets: number;
  tonnes: number;
  trucks: number;
  state: ConsignmentState;
  state_reason: string | null;
  state_at: Date;
  convoy_id: string | null;
  import_job_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  items: { category: string; description: string; quantity: number; unit: string; dualUse: boolean }[];
}

export interface ConsignmentActionRow {
  from_state: string | null;
  to_state: string;
  reason: string | null;
  actor: string | null;
  at: Date;
  version: number;
}

export interface NewConsignmentItem {
  category: string;
  description: string;
  quantity: number;
  unit: string;
  dual_use: boolean;
}

export interface NewConsignmentAction {
  from_state: string | null;
  to_state: string;
  reason: string | null;
  actor: string | null;
  /** ISO time. */
  at: string;
}

/** One consignment ready to store, its id chosen by the caller so that items and actions can refer to it. */
export interface NewConsignment extends MarkingColumns {
  id: string;
  reference: string | null;
  requesting_organisation_id: string;
  donor: string | null;
  corridor: string | null;
  crossing_id: string;
  pallets: number;
  tonnes: number;
  trucks: number;
  import_job_id: string | null;
  created_by: string | null;
  items: NewConsignmentItem[];
  /** At least the registration; the last one gives the current state, its reason and time. */
  actions: NewConsignmentAction[];
  /** ISO time the record is written when that is not its last action's: an import stores past registrations today. */
  updated_at?: string;
}

export interface ConsignmentFilter {
  states?: readonly string[];
  crossingId?: string;
  organisationCode?: string;
  /** Registered at or after / before. */
  from?: Date;
  to?: Date;
  convoyId?: string;
  limit: number;
}

export interface LockedConsignment extends MarkingColumns {
  id: string;
  state: ConsignmentState;
  version: number;
  requesting_organisation_id: string;
  convoy_id: string | null;
}

const COLUMNS = sql`c.id, c.number::text AS number, c.reference, c.requesting_organisation_id,
  o.code AS organisation_code, o.name AS organisation_name, c.donor, c.corridor, c.crossing_id,
  x.name AS crossing_name, c.pallets, c.tonnes, c.trucks, c.state, c.state_reason, c.state_at,
  c.convoy_id, c.import_job_id, (SELECT username FROM users u WHERE u.id = c.created_by) AS created_by,
  c.created_at, c.updated_at, c.version, c.classification, c.releasable_to, c.caveats,
  (SELECT coalesce(json_agg(json_build_object('category', i.category, 'description', i.description,
    'quantity', i.quantity, 'unit', i.unit, 'dualUse', i.dual_use) ORDER BY i.id), '[]'::json)
   FROM consignment_items i WHERE i.consignment_id = c.id) AS items`;

const FROM = sql`FROM consignments c JOIN organisations o ON o.id = c.requesting_organisation_id
  LEFT JOIN crossings x ON x.id = c.crossing_id`;

export const consignmentsStore = {
  /**
   * Stores consignments with their items and history in three statements whatever the batch size:
   * the one insert path for the API, the demo and the HXL import. Runs under the caller's
   * transaction (RLS: every row must be writable by its viewer).
   */
  async insertMany(tx: Tx, rows: readonly NewConsignment[]): Promise<void> {
    if (rows.length === 0) return;
    const heads = rows.map((r) => {
      const last = r.actions.at(-1)!;
      return {
        id: r.id,
        reference: r.reference,
        requesting_organisation_id: r.requesting_organisation_id,
        donor: r.donor,
        corridor: r.corridor,
        crossing_id: r.crossing_id,
        pallets: r.pallets,
        tonnes: r.tonnes,
        trucks: r.trucks,
        state: last.to_state,
        state_reason: last.reason,
        state_at: last.at,
        created_at: r.actions[0]!.at,
        updated_at: r.updated_at ?? last.at,
        version: r.actions.length,
        import_job_id: r.import_job_id,
        created_by: r.created_by,
        classification: r.classification,
        releasable_to: r.releasable_to,
        caveats: r.caveats,
      };
    });
    await sql`
      INSERT INTO consignments (id, reference, requesting_organisation_id, donor, corridor, crossing_id,
        pallets, tonnes, trucks, state, state_reason, state_at, created_at, updated_at, version,
        import_job_id, created_by, classification, releasable_to, caveats)
      SELECT id, reference, requesting_organisation_id, donor, corridor, crossing_id, pallets, tonnes,
        trucks, state, state_reason, state_at, created_at, updated_at, version, import_job_id, created_by,
        classification, releasable_to, coalesce(caveats, '{}')
      FROM jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) AS r(id uuid, reference text,
        requesting_organisation_id uuid, donor text, corridor text, crossing_id uuid, pallets integer,
        tonnes double precision, trucks integer, state text, state_reason text, state_at timestamptz,
        created_at timestamptz, updated_at timestamptz, version integer, import_job_id uuid, created_by uuid,
        classification smallint, releasable_to text[], caveats text[])`.execute(tx);
    const items = rows.flatMap((r) =>
      r.items.map((i) => ({
        consignment_id: r.id,
        ...i,
        classification: r.classification,
        releasable_to: r.releasable_to,
        caveats: r.caveats,
      })),
    );
    if (items.length)
      await sql`
        INSERT INTO consignment_items (consignment_id, category, description, quantity, unit, dual_use,
          classification, releasable_to, caveats)
        SELECT consignment_id, category, description, quantity, unit, coalesce(dual_use, false),
          classification, releasable_to, coalesce(caveats, '{}')
        FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(items)}::jsonb) AS (consignment_id uuid,
          category text, description text, quantity double precision, unit text, dual_use boolean,
          classification smallint, releasable_to text[], caveats text[])) WITH ORDINALITY AS r(consignment_id,
          category, description, quantity, unit, dual_use, classification, releasable_to, caveats, n)
        ORDER BY n`.execute(tx);
    const actions = rows.flatMap((r) =>
      r.actions.map((a, i) => ({
        consignment_id: r.id,
        ...a,
        version: i + 1,
        classification: r.classification,
        releasable_to: r.releasable_to,
        caveats: r.caveats,
      })),
    );
    await sql`
      INSERT INTO consignment_actions (consignment_id, from_state, to_state, reason, actor, at, version,
        classification, releasable_to, caveats)
      SELECT consignment_id, from_state, to_state, reason, actor, at, version, classification,
        releasable_to, coalesce(caveats, '{}')
      FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(actions)}::jsonb) AS (consignment_id uuid,
        from_state text, to_state text, reason text, actor uuid, at timestamptz, version integer,
        classification smallint, releasable_to text[], caveats text[])) WITH ORDINALITY AS r(consignment_id,
        from_state, to_state, reason, actor, at, version, classification, releasable_to, caveats, n)
      ORDER BY n`.execute(tx);
  },

  async get(tx: Tx, id: string): Promise<ConsignmentRow | undefined> {
    const r = await sql<ConsignmentRow>`SELECT ${COLUMNS} ${FROM} WHERE c.id = ${id}`.execute(tx);
    return r.rows[0];
  },

  async getMany(tx: Tx, ids: readonly string[]): Promise<ConsignmentRow[]> {
    if (ids.length === 0) return [];
    const r = await sql<ConsignmentRow>`SELECT ${COLUMNS} ${FROM} WHERE c.id = ANY(${ids}::uuid[])
      ORDER BY c.number`.execute(tx);
    return r.rows;
  },

  /** Newest registration first. */
  async list(tx: Tx, f: ConsignmentFilter): Promise<ConsignmentRow[]> {
    const where = [sql`true`];
    if (f.states?.length) where.push(sql`c.state = ANY(${f.states}::text[])`);
    if (f.crossingId) where.push(sql`c.crossing_id = ${f.crossingId}`);
    if (f.organisationCode) where.push(sql`o.code = ${f.organisationCode}`);
    if (f.from) where.push(sql`c.created_at >= ${f.from}`);
    if (f.to) where.push(sql`c.created_at <= ${f.to}`);
    if (f.convoyId) where.push(sql`c.convoy_id = ${f.convoyId}`);
    const r = await sql<ConsignmentRow>`SELECT ${COLUMNS} ${FROM} WHERE ${sql.join(where, sql` AND `)}
      ORDER BY c.created_at DESC, c.number DESC LIMIT ${f.limit}`.execute(tx);
    return r.rows;
  },

  async lock(tx: Tx, id: string): Promise<LockedConsignment | undefined> {
    const r = await sql<LockedConsignment>`
      SELECT id, state, version, requesting_organisation_id, convoy_id, classification, releasable_to, caveats
      FROM consignments WHERE id = ${id} FOR UPDATE`.execute(tx);
    return r.rows[0];
  },

  /** Moves to `to` now and writes the history row; returns the new version. */
  async move(
    tx: Tx,
    c: LockedConsignment,
    m: { to: ConsignmentState; reason: string | null; actor: string },
  ): Promise<number> {
    const r = await sql<{ version: number; state_at: Date }>`
      UPDATE consignments SET state = ${m.to}, state_reason = ${m.reason}, state_at = now(),
        updated_at = now(), version = version + 1
      WHERE id = ${c.id} RETURNING version, state_at`.execute(tx);
    const version = r.rows[0]!.version;
    await sql`
      INSERT INTO consignment_actions (consignment_id, from_state, to_state, reason, actor, at, version,
        classification, releasable_to, caveats)
      VALUES (${c.id}, ${c.state}, ${m.to}, ${m.reason}, ${m.actor}, ${r.rows[0]!.state_at}, ${version},
        ${c.classification}, ${c.releasable_to}, ${c.caveats})`.execute(tx);
    return version;
  },

  /** Puts consignments in a convoy (a change to each: its version goes up). */
  async assignConvoy(tx: Tx, ids: readonly string[], convoyId: string | null): Promise<void> {
    if (ids.length === 0) return;
    await sql`UPDATE consignments SET convoy_id = ${convoyId}, updated_at = now(), version = version + 1
      WHERE id = ANY(${ids}::uuid[])`.execute(tx);
  },

  async history(tx: Tx, id: string): Promise<ConsignmentActionRow[]> {
    const r = await sql<ConsignmentActionRow>`
      SELECT a.from_state, a.to_state, a.reason, u.username AS actor, a.at, a.version
      FROM consignment_actions a LEFT JOIN users u ON u.id = a.actor
      WHERE a.consignment_id = ${id} ORDER BY a.id`.execute(tx);
    return r.rows;
  },

  async organisationByCode(tx: Tx, code: string): Promise<{ id: string; code: string } | undefined> {
    const r = await sql<{ id: string; code: string }>`
      SELECT id, code FROM organisations WHERE code = ${code}`.execute(tx);
    return r.rows[0];
  },

  /** The crossings among `ids` the transaction may see. */
  async visibleCrossings(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
    const r = await sql<{ id: string }>`SELECT id FROM crossings WHERE id = ANY(${ids}::uuid[])`.execute(tx);
    return new Set(r.rows.map((x) => x.id));
  },
};
