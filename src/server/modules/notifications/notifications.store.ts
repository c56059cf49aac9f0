import { sql } from 'kysely';
import type { BBox } from '../../../domain/geometry.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';

export interface NotificationRow extends MarkingColumns {
  id: string;
  number: string;
  kind: string;
  title: string;
  priority: string;
  notice_only: boolean;
  organisation_id: string;
  organisation_code: string;
  geometry: { type: string; coordinates: unknown[] };
  facility_id: string | null;
  window_start: Date;
  window_end: Date | null;
  vehicles: number | null;
  personnel: number | null;
  parties: string[];
  /** party → the state its answer asked for. */
  party_answers: Record<string, string> | null;
  details: string | null;
  state: string;
  lead_time_warning: string | null;
  submitted_at: Date | null;
  transmitted_at: Date | null;
  answer_due_at: Date | null;
  delay_minutes: number | null;
  created_by_name: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface NewNotification extends MarkingColumns {
  kind: string;
  title: string;
  priority: string;
  noticeOnly: boolean;
  organisationId: string;
  geometry: unknown;
  bbox: BBox;
  facilityId: string | null;
  windowStart: Date;
  windowEnd: Date | null;
  vehicles: number | null;
  personnel: number | null;
  parties: string[];
  details: string | null;
  createdBy: string;
}

export interface NotificationFilter {
  states?: readonly string[];
  kinds?: readonly string[];
  overdue?: boolean;
  organisationId?: string;
  /** Awaiting an answer from this party. */
  awaitingParty?: string;
  limit: number;
}

export interface ActionRow {
  action: string;
  from_state: string | null;
  to_state: string;
  party: string | null;
  answer: string | null;
  reason: string | null;
  delay_minutes: number | null;
  actor: string | null;
  actor_name: string | null;
  at: Date;
  version: number;
}

/** A notification that may be affected by something at a place and time (correlation). */
export interface NearRow extends MarkingColumns {
  id: string;
  number: string;
  kind: string;
  title: string;
  state: string;
  geometry: { type: string; coordinates: unknown };
  organisation_code: string;
  organisation_nation: string | null;
}

const ANSWERABLE = ['transmitted', 'acknowledged'];
const boxLiteral = (b: BBox) => `(${b[2]},${b[3]}),(${b[0]},${b[1]})`;

const COLUMNS = sql`n.id, n.number, n.kind, n.title, n.priority, n.notice_only, n.organisation_id,
  o.code AS organisation_code, n.geometry, n.facility_id, n.window_start, n.window_end, n.vehicles,
  n.personnel, n.parties, (SELECT jsonb_object_agg(h.party, h.answer) FROM (
    SELECT DISTINCT ON (a.party) a.party, a.answer FROM aid_notification_actions a
    WHERE a.notification_id = n.id AND a.answer IS NOT NULL ORDER BY a.party, a.id) h) AS party_answers,
  n.details, n.state, n.lead_time_warning, n.submitted_at, n.transmitted_at,
  n.answer_due_at, n.delay_minutes, u.username AS created_by_name, n.created_at, n.updated_at, n.version,
  n.classification, n.releasable_to, n.caveats`;
const FROM = sql`aid_notifications n JOIN organisations o ON o.id = n.organisation_id
  LEFT JOIN users u ON u.id = n.created_by`;

/** All SQL of notifications; RLS filters every statement run as a viewer. */
export const notificationsStore = {
  async insert(tx: Tx, n: NewNotification): Promise<string> {
    const r = await sql<{ id: string }>`
      INSERT INTO aid_notifications (kind, title, priority, notice_only, organisation_id, geometry, bbox,
        facility_id, window_start, window_end, vehicles, personnel, parties, details, created_by,
        classification, releasable_to, caveats)
      VALUES (${n.kind}, ${n.title}, ${n.priority}, ${n.noticeOnly}, ${n.organisationId},
        ${JSON.stringify(n.geometry)}::jsonb, ${boxLiteral(n.bbox)}::box, ${n.facilityId}, ${n.windowStart},
        ${n.windowEnd}, ${n.vehicles}, ${n.personnel}, ${n.parties}, ${n.details}, ${n.createdBy},
        ${n.classification}, ${n.releasable_to}, ${n.caveats})
      RETURNING id`.execute(tx);
    return r.rows[0]!.id;
  },

  async list(tx: Tx, f: NotificationFilter): Promise<NotificationRow[]> {
    const r = await sql<NotificationRow>`
      SELECT ${COLUMNS} FROM ${FROM}
      WHERE true
        ${f.states?.length ? sql`AND n.state = ANY(${[...f.states]}::text[])` : sql``}
        ${f.kinds?.length ? sql`AND n.kind = ANY(${[...f.kinds]}::text[])` : sql``}
        ${f.organisationId ? sql`AND n.organisation_id = ${f.organisationId}` : sql``}
        ${
          f.overdue === undefined
            ? sql``
            : f.overdue
              ? sql`AND n.state = ANY(${ANSWERABLE}::text[]) AND n.answer_due_at < now()`
              : sql`AND NOT (n.state = ANY(${ANSWERABLE}::text[]) AND coalesce(n.answer_due_at < now(), false))`
        }
        ${
          f.awaitingParty
            ? sql`AND n.state = ANY(${ANSWERABLE}::text[]) AND ${f.awaitingParty} = ANY(n.parties)
                AND NOT EXISTS (SELECT 1 FROM aid_notification_actions a WHERE a.notification_id = n.id
                  AND a.party = ${f.awaitingParty} AND a.answer IS NOT NULL)`
            : sql``
        }
      ORDER BY ${f.awaitingParty ? sql`n.answer_due_at ASC NULLS LAST,` : sql``} n.created_at DESC, n.id
      LIMIT ${f.limit}`.execute(tx);
    return r.rows;
  },

  async get(tx: Tx, id: string): Promise<NotificationRow | undefined> {
    const r = await sql<NotificationRow>`SELECT ${COLUMNS} FROM ${FROM} WHERE n.id = ${id}`.execute(tx);
    return r.rows[0];
  },

  async lock(tx: Tx, id: string): Promise<{ state: string; version: number } | undefined> {
    const r = await sql<{ state: string; version: number }>`
      SELECT state, version FROM aid_notifications WHERE id = ${id} FOR UPDATE`.execute(tx);
    return r.rows[0];
  },

  /** Moves to a new state; the fields given are set, the version is bumped. Returns the new version. */
  async update(
    tx: Tx,
    id: string,
    c: {
      state: string;
      submitted?: { leadTimeWarning: string | null };
      transmitted?: { answerDueAt: Date };
      delayMinutes?: number;
    },
  ): Promise<number> {
    const r = await sql<{ version: number }>`
      UPDATE aid_notifications SET state = ${c.state}, updated_at = now(), version = version + 1
        ${c.submitted ? sql`, submitted_at = now(), lead_time_warning = ${c.submitted.leadTimeWarning}` : sql``}
        ${c.transmitted ? sql`, transmitted_at = now(), answer_due_at = ${c.transmitted.answerDueAt}` : sql``}
        ${c.delayMinutes !== undefined ? sql`, delay_minutes = ${c.delayMinutes}` : sql``}
      WHERE id = ${id} RETURNING version`.execute(tx);
    return r.rows[0]!.version;
  },

  async addAction(
    tx: Tx,
    a: {
      notificationId: string;
      action: string;
      fromState: string | null;
      toState: string;
      party: string | null;
      /** A party's answer: the state it asks for (the notification's may wait for other parties). */
      answer: string | null;
      reason: string | null;
      delayMinutes: number | null;
      actor: string | null;
      version: number;
    } & MarkingColumns,
  ): Promise<void> {
    await sql`
      INSERT INTO aid_notification_actions (notification_id, action, from_state, to_state, party, answer,
        reason, delay_minutes, actor, version, classification, releasable_to, caveats)
      VALUES (${a.notificationId}, ${a.action}, ${a.fromState}, ${a.toState}, ${a.party}, ${a.answer}, ${a.reason},
        ${a.delayMinutes}, ${a.actor}, ${a.version}, ${a.classification}, ${a.releasable_to}, ${a.caveats})`.execute(
      tx,
    );
  },

  async history(tx: Tx, id: string): Promise<ActionRow[]> {
    const r = await sql<ActionRow>`
      SELECT h.action, h.from_state, h.to_state, h.party, h.answer, h.reason, h.delay_minutes,
        u.username AS actor, u.display_name AS actor_name, h.at, h.version
      FROM aid_notification_actions h LEFT JOIN users u ON u.id = h.actor
      WHERE h.notification_id = ${id} ORDER BY h.id`.execute(tx);
    return r.rows;
  },

  /** The markings of these notifications (system pool: for correlation). */
  async markings(tx: Tx, ids: readonly string[]): Promise<({ id: string } & MarkingColumns)[]> {
    if (ids.length === 0) return [];
    const r = await sql<{ id: string } & MarkingColumns>`
      SELECT id, classification, releasable_to, caveats FROM aid_notifications
      WHERE id = ANY(${[...ids]}::uuid[])`.execute(tx);
    return r.rows;
  },

  /**
   * Notifications something at (lon, lat, at) may affect: static sites notified and in their
   * window, movements on the road (departed no more than an hour before `at`). Coarse: by box;
   * the caller measures the exact distance.
   */
  async near(
    tx: Tx,
    q: { box: BBox; at: Date; siteStates: readonly string[]; roadStates: readonly string[] },
  ): Promise<NearRow[]> {
    const r = await sql<NearRow>`
      SELECT n.id, n.number, n.kind, n.title, n.state, n.geometry, o.code AS organisation_code,
        o.nation AS organisation_nation, n.classification, n.releasable_to, n.caveats
      FROM aid_notifications n JOIN organisations o ON o.id = n.organisation_id
      WHERE n.bbox && ${boxLiteral(q.box)}::box AND (
        (n.kind = 'static-site' AND n.state = ANY(${[...q.siteStates]}::text[])
          AND n.window_start <= ${q.at} AND (n.window_end IS NULL OR n.window_end >= ${q.at}))
        OR (n.kind = 'movement' AND n.state = ANY(${[...q.roadStates]}::text[])
          AND ${q.at} >= (SELECT max(h.at) FROM aid_notification_actions h
            WHERE h.notification_id = n.id AND h.action = 'depart') - interval '1 hour'))`.execute(tx);
    return r.rows;
  },
};
