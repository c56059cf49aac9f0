import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';

export interface ConvoyRow extends MarkingColumns {
  id: string;
  name: string;
  notification_id: string | null;
  track_uid: string | null;
  organisation_id: string;
  organisation_code: string;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  /** The notified movement, when the transaction may see it. */
  n_number: string | null;
  n_title: string | null;
  n_state: string | null;
  n_classification: number | null;
  n_releasable_to: string[] | null;
  n_caveats: string[] | null;
}

/** A consignment as a convoy lists it. */
export interface ConvoyMemberRow extends MarkingColumns {
  id: string;
  convoy_id: string | null;
  number: string;
  state: string;
  crossing_id: string;
  requesting_organisation_id: string;
  trucks: number;
  tonnes: number;
  pallets: number;
}

const COLUMNS = sql`v.id, v.name, v.notification_id, v.track_uid, v.organisation_id, o.code AS organisation_code,
  (SELECT username FROM users u WHERE u.id = v.created_by) AS created_by, v.created_at, v.updated_at,
  v.version, v.classification, v.releasable_to, v.caveats, n.number::text AS n_number, n.title AS n_title,
  n.state AS n_state, n.classification AS n_classification, n.releasable_to AS n_releasable_to,
  n.caveats AS n_caveats
  FROM convoys v JOIN organisations o ON o.id = v.organisation_id
  LEFT JOIN aid_notifications n ON n.id = v.notification_id`;

export const convoysStore = {
  async insert(
    tx: Tx,
    c: MarkingColumns & {
      name: string;
      notificationId: string | null;
      trackUid: string | null;
      organisationId: string;
      createdBy: string;
    },
  ): Promise<string> {
    const r = await sql<{ id: string }>`
      INSERT INTO convoys (name, notification_id, track_uid, organisation_id, created_by, classification,
        releasable_to, caveats)
      VALUES (${c.name}, ${c.notificationId}, ${c.trackUid}, ${c.organisationId}, ${c.createdBy},
        ${c.classification}, ${c.releasable_to}, ${c.caveats})
      RETURNING id`.execute(tx);
    return r.rows[0]!.id;
  },

  async lock(tx: Tx, id: string): Promise<{ version: number; organisation_id: string } | undefined> {
    const r = await sql<{ version: number; organisation_id: string }>`
      SELECT version, organisation_id FROM convoys WHERE id = ${id} FOR UPDATE`.execute(tx);
    return r.rows[0];
  },

  async update(
    tx: Tx,
    id: string,
    c: {
      name: string | undefined;
      notificationId: string | null | undefined;
      trackUid: string | null | undefined;
    },
  ): Promise<void> {
    await sql`UPDATE convoys SET
      name = coalesce(${c.name ?? null}, name),
      notification_id = ${c.notificationId === undefined ? sql`notification_id` : sql`${c.notificationId}::uuid`},
      track_uid = ${c.trackUid === undefined ? sql`track_uid` : sql`${c.trackUid}`},
      updated_at = now(), version = version + 1
      WHERE id = ${id}`.execute(tx);
  },

  async get(tx: Tx, id: string): Promise<ConvoyRow | undefined> {
    const r = await sql<ConvoyRow>`SELECT ${COLUMNS} WHERE v.id = ${id}`.execute(tx);
    return r.rows[0];
  },

  /** Newest first. */
  async list(tx: Tx, limit: number): Promise<ConvoyRow[]> {
    const r = await sql<ConvoyRow>`SELECT ${COLUMNS} ORDER BY v.created_at DESC, v.id LIMIT ${limit}`.execute(
      tx,
    );
    return r.rows;
  },

  async members(tx: Tx, convoyIds: readonly string[]): Promise<ConvoyMemberRow[]> {
    if (convoyIds.length === 0) return [];
    const r = await sql<ConvoyMemberRow>`
      SELECT id, convoy_id, number::text AS number, state, crossing_id, requesting_organisation_id, trucks,
        tonnes, pallets, classification, releasable_to, caveats
      FROM consignments WHERE convoy_id = ANY(${convoyIds}::uuid[]) ORDER BY number`.execute(tx);
    return r.rows;
  },

  /** The consignments among `ids` the transaction may see, locked for the grouping. */
  async lockConsignments(tx: Tx, ids: readonly string[]): Promise<ConvoyMemberRow[]> {
    const r = await sql<ConvoyMemberRow>`
      SELECT id, convoy_id, number::text AS number, state, crossing_id, requesting_organisation_id, trucks,
        tonnes, pallets, classification, releasable_to, caveats
      FROM consignments WHERE id = ANY(${ids}::uuid[]) ORDER BY number FOR UPDATE`.execute(tx);
    return r.rows;
  },

  /** The notification when the transaction may see it. */
  async notification(tx: Tx, id: string): Promise<{ id: string; kind: string } | undefined> {
    const r = await sql<{ id: string; kind: string }>`
      SELECT id, kind FROM aid_notifications WHERE id = ${id}`.execute(tx);
    return r.rows[0];
  },
};
