import { sql } from 'kysely';
import type { AlertHistoryKind } from '../../../domain/alert-status.js';
import type { AlertSeverity, AlertStatus } from '../../../domain/alerts.js';
import type { BBox } from '../../../domain/geometry.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';
import { withinBbox } from '../../db/sql-filters.js';

/** What an alert row and a new alert have in common: what the geofence engine raised. */
interface RaisedColumns extends MarkingColumns {
  trigger: string;
  severity: string;
  summary: string;
  track_uid: string;
  track_callsign: string;
  track_kind: string;
  track_affiliation: string;
  zone_id: string;
  zone_version: number;
  zone_name: string;
  zone_kind: string;
  positions: unknown;
  lon: number;
  lat: number;
}

/** A stored alert: a geofence alert has its track and zone, a notified-site alert its links. */
export interface AlertRow
  extends Omit<
    RaisedColumns,
    | 'track_uid'
    | 'track_callsign'
    | 'track_kind'
    | 'track_affiliation'
    | 'zone_id'
    | 'zone_version'
    | 'zone_name'
    | 'zone_kind'
  > {
  track_uid: string | null;
  track_callsign: string | null;
  track_kind: string | null;
  track_affiliation: string | null;
  zone_id: string | null;
  zone_version: number | null;
  zone_name: string | null;
  zone_kind: string | null;
  notification_id: string | null;
  incident_id: string | null;
  source_alert_id: string | null;
  distance_m: number | null;
  id: string;
  at: Date;
  raised_at: Date;
  status: string;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  assignee: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  note: string | null;
  version: number;
}

/** One candidate as raise() hands it to SQL: plain JSON, one element of a jsonb array. */
export interface NewAlert extends RaisedColumns {
  at: string;
}

/** A notified-site alert as the aid module raises it. */
export interface NewNotifiedSiteAlert extends MarkingColumns {
  severity: string;
  summary: string;
  notification_id: string;
  incident_id: string | null;
  source_alert_id: string | null;
  distance_m: number;
  positions: unknown;
  lon: number;
  lat: number;
  at: string;
}

export interface AlertFilter {
  statuses: readonly AlertStatus[];
  from?: Date;
  to?: Date;
  bbox?: BBox;
  zoneId?: string;
  trackUid?: string;
  limit: number;
}

export interface HistoryRow {
  action: AlertHistoryKind;
  at: Date;
  actor: string | null;
  actor_name: string | null;
  assignee: string | null;
  note: string | null;
  version: number;
}

/** Serialises raise() so that two concurrent batches cannot both pass the dedup check. */
const RAISE_LOCK = 724043;

/** Usernames rather than ids: what people recognise and what the assign call takes. */
const COLUMNS = sql`a.id, a.trigger, a.severity, a.summary, a.track_uid, a.track_callsign, a.track_kind,
  a.track_affiliation, a.zone_id, a.zone_version, a.zone_name, a.zone_kind, a.positions, a.lon, a.lat,
  a.at, a.raised_at, a.status, a.acknowledged_at, a.resolved_at, a.note, a.version,
  a.notification_id, a.incident_id, a.source_alert_id, a.distance_m,
  a.classification, a.releasable_to, a.caveats,
  (SELECT username FROM users u WHERE u.id = a.acknowledged_by) AS acknowledged_by,
  (SELECT username FROM users u WHERE u.id = a.assignee) AS assignee,
  (SELECT username FROM users u WHERE u.id = a.resolved_by) AS resolved_by`;

const RANK = sql`ARRAY['info','warning','critical']`;

export const alertsStore = {
  /**
   * Inserts the candidates that are not repeats (same track, zone and trigger within `windowMs` of
   * observation time of a stored alert), their 'raised' timeline entries and the webhook deliveries
   * they call for, in one statement. Returns the inserted alerts.
   */
  async insertNew(tx: Tx, alerts: readonly NewAlert[], windowMs: number): Promise<AlertRow[]> {
    if (alerts.length === 0) return [];
    await sql`SELECT pg_advisory_xact_lock(${RAISE_LOCK})`.execute(tx);
    const window = `${Math.max(0, Math.round(windowMs))} milliseconds`;
    const r = await sql<AlertRow>`
      WITH c AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(alerts)}::jsonb) AS c(
          trigger text, severity text, summary text, track_uid text, track_callsign text, track_kind text,
          track_affiliation text, zone_id uuid, zone_version integer, zone_name text, zone_kind text,
          positions jsonb, lon double precision, lat double precision, at timestamptz,
          classification smallint, releasable_to text[], caveats text[])
      ), ins AS (
        INSERT INTO alerts AS a (trigger, severity, summary, track_uid, track_callsign, track_kind,
          track_affiliation, zone_id, zone_version, zone_name, zone_kind, positions, lon, lat, at,
          classification, releasable_to, caveats)
        SELECT trigger, severity, summary, track_uid, track_callsign, track_kind, track_affiliation,
          zone_id, zone_version, zone_name, zone_kind, positions, lon, lat, at,
          classification, releasable_to, coalesce(caveats, '{}')
        FROM c
        WHERE NOT EXISTS (
          SELECT 1 FROM alerts p
          WHERE p.track_uid = c.track_uid AND p.zone_id = c.zone_id AND p.trigger = c.trigger
            AND p.at > c.at - ${window}::interval AND p.at < c.at + ${window}::interval)
        RETURNING a.*
      ), raised AS (
        INSERT INTO alert_actions (alert_id, action, version, classification, releasable_to, caveats)
        SELECT id, 'raised', version, classification, releasable_to, caveats FROM ins
      ), deliveries AS (
        INSERT INTO webhook_deliveries (webhook_id, alert_id)
        SELECT w.id, ins.id FROM ins JOIN alert_webhooks w
          ON w.active AND array_position(${RANK}, w.min_severity) <= array_position(${RANK}, ins.severity)
      )
      SELECT ins.id, ins.trigger, ins.severity, ins.summary, ins.track_uid, ins.track_callsign,
        ins.track_kind, ins.track_affiliation, ins.zone_id, ins.zone_version, ins.zone_name,
        ins.zone_kind, ins.positions, ins.lon, ins.lat, ins.at, ins.raised_at, ins.status,
        NULL::text AS acknowledged_by, ins.acknowledged_at, NULL::text AS assignee,
        NULL::text AS resolved_by, ins.resolved_at, ins.note, ins.version,
        ins.notification_id, ins.incident_id, ins.source_alert_id, ins.distance_m,
        ins.classification, ins.releasable_to, ins.caveats
      FROM ins ORDER BY ins.at, ins.id`.execute(tx);
    return r.rows;
  },

  /**
   * Inserts notified-site alerts, their 'raised' entries and webhook deliveries; a pair of
   * notification and source already alerted is skipped. Returns the inserted alerts.
   */
  async insertNotifiedSite(tx: Tx, alerts: readonly NewNotifiedSiteAlert[]): Promise<AlertRow[]> {
    if (alerts.length === 0) return [];
    const r = await sql<AlertRow>`
      WITH c AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(alerts)}::jsonb) AS c(
          severity text, summary text, notification_id uuid, incident_id uuid, source_alert_id uuid,
          distance_m double precision, positions jsonb, lon double precision, lat double precision,
          at timestamptz, classification smallint, releasable_to text[], caveats text[])
      ), ins AS (
        INSERT INTO alerts AS a (trigger, severity, summary, notification_id, incident_id, source_alert_id,
          distance_m, positions, lon, lat, at, classification, releasable_to, caveats)
        SELECT 'notified-site', severity, summary, notification_id, incident_id, source_alert_id,
          distance_m, positions, lon, lat, at, classification, releasable_to, coalesce(caveats, '{}')
        FROM c
        ON CONFLICT DO NOTHING
        RETURNING a.*
      ), raised AS (
        INSERT INTO alert_actions (alert_id, action, version, classification, releasable_to, caveats)
        SELECT id, 'raised', version, classification, releasable_to, caveats FROM ins
      ), deliveries AS (
        INSERT INTO webhook_deliveries (webhook_id, alert_id)
        SELECT w.id, ins.id FROM ins JOIN alert_webhooks w
          ON w.active AND array_position(${RANK}, w.min_severity) <= array_position(${RANK}, ins.severity)
      )
      SELECT ins.*, NULL::text AS acknowledged_by, NULL::text AS assignee, NULL::text AS resolved_by
      FROM ins ORDER BY ins.at, ins.id`.execute(tx);
    return r.rows;
  },

  /** The notified-site alerts an incident raised, with their markings (system pool). */
  async ofIncident(
    tx: Tx,
    incidentId: string,
  ): Promise<({ id: string; notification_id: string } & MarkingColumns)[]> {
    const r = await sql<{ id: string; notification_id: string } & MarkingColumns>`
      SELECT id, notification_id, classification, releasable_to, caveats FROM alerts
      WHERE incident_id = ${incidentId}`.execute(tx);
    return r.rows;
  },

  /**
   * Gives an alert a new marking and the next version; its 'raised' entry follows (what people
   * wrote about it later stays under the marking they wrote it under).
   */
  async remark(tx: Tx, id: string, m: MarkingColumns): Promise<void> {
    await sql`
      UPDATE alerts SET classification = ${m.classification}, releasable_to = ${m.releasable_to},
        caveats = ${m.caveats}, version = version + 1
      WHERE id = ${id}`.execute(tx);
    await sql`
      UPDATE alert_actions SET classification = ${m.classification}, releasable_to = ${m.releasable_to},
        caveats = ${m.caveats}
      WHERE alert_id = ${id} AND action = 'raised'`.execute(tx);
  },

  /** The notified-site alerts of a notification the transaction may see, newest first. */
  async ofNotification(tx: Tx, notificationId: string): Promise<AlertRow[]> {
    const r = await sql<AlertRow>`
      SELECT ${COLUMNS} FROM alerts a WHERE a.notification_id = ${notificationId}
      ORDER BY a.at DESC, a.id`.execute(tx);
    return r.rows;
  },

  async list(tx: Tx, f: AlertFilter): Promise<AlertRow[]> {
    const b = f.bbox;
    const r = await sql<AlertRow>`
      SELECT ${COLUMNS} FROM alerts a
      WHERE a.status = ANY(${[...f.statuses]}::text[])
        ${f.from ? sql`AND a.at >= ${f.from}` : sql``}
        ${f.to ? sql`AND a.at <= ${f.to}` : sql``}
        ${withinBbox('a', b)}
        ${f.zoneId ? sql`AND a.zone_id = ${f.zoneId}` : sql``}
        ${f.trackUid ? sql`AND a.track_uid = ${f.trackUid}` : sql``}
      ORDER BY a.at DESC, a.raised_at DESC, a.id
      LIMIT ${f.limit}`.execute(tx);
    return r.rows;
  },

  async counts(tx: Tx): Promise<{ status: AlertStatus; severity: AlertSeverity; n: number }[]> {
    const r = await sql<{ status: AlertStatus; severity: AlertSeverity; n: string }>`
      SELECT status, severity, count(*)::text AS n FROM alerts GROUP BY status, severity`.execute(tx);
    return r.rows.map((x) => ({ status: x.status, severity: x.severity, n: Number(x.n) }));
  },

  async get(tx: Tx, id: string): Promise<AlertRow | undefined> {
    const r = await sql<AlertRow>`SELECT ${COLUMNS} FROM alerts a WHERE a.id = ${id}`.execute(tx);
    return r.rows[0];
  },

  /** Locks the alert for a change; undefined when missing or not released to the viewer. */
  async lock(tx: Tx, id: string): Promise<{ status: AlertStatus; version: number } | undefined> {
    const r = await sql<{ status: AlertStatus; version: number }>`
      SELECT status, version FROM alerts WHERE id = ${id} FOR UPDATE`.execute(tx);
    return r.rows[0];
  },

  /** Applies one action: the status (if it changes), who and when, and the next version. */
  async update(
    tx: Tx,
    id: string,
    change: {
      status: AlertStatus;
      actor: string;
      acknowledge?: boolean;
      assignee?: string | null;
      resolve?: { note: string | null };
      reopen?: boolean;
    },
  ): Promise<number> {
    const r = await sql<{ version: number }>`
      UPDATE alerts SET status = ${change.status}, version = version + 1
        ${change.acknowledge ? sql`, acknowledged_by = ${change.actor}, acknowledged_at = now()` : sql``}
        ${change.assignee !== undefined ? sql`, assignee = ${change.assignee}` : sql``}
        ${change.resolve ? sql`, resolved_by = ${change.actor}, resolved_at = now(), note = ${change.resolve.note}` : sql``}
        ${change.reopen ? sql`, resolved_by = NULL, resolved_at = NULL, acknowledged_by = NULL, acknowledged_at = NULL` : sql``}
      WHERE id = ${id} RETURNING version`.execute(tx);
    return r.rows[0]!.version;
  },

  async addHistory(
    tx: Tx,
    e: {
      alertId: string;
      action: AlertHistoryKind;
      actor: string;
      assignee: string | null;
      note: string | null;
      version: number;
    } & MarkingColumns,
  ): Promise<void> {
    await sql`
      INSERT INTO alert_actions (alert_id, action, actor, assignee, note, version, classification, releasable_to, caveats)
      VALUES (${e.alertId}, ${e.action}, ${e.actor}, ${e.assignee}, ${e.note}, ${e.version},
        ${e.classification}, ${e.releasable_to}, ${e.caveats})`.execute(tx);
  },

  async history(tx: Tx, id: string): Promise<HistoryRow[]> {
    const r = await sql<HistoryRow>`
      SELECT h.action, h.at, u.username AS actor, u.display_name AS actor_name, au.username AS assignee,
        h.note, h.version
      FROM alert_actions h
      LEFT JOIN users u ON u.id = h.actor
      LEFT JOIN users au ON au.id = h.assignee
      WHERE h.alert_id = ${id} ORDER BY h.id`.execute(tx);
    return r.rows;
  },
};
