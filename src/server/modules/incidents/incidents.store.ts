import { sql } from 'kysely';
import type { BBox } from '../../../domain/geometry.js';
import type { IncidentStatus } from '../../../domain/incident-workflow.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';
import { withinBbox } from '../../db/sql-filters.js';

/** An incident as the mappers need it: its own columns, usernames, report counts and its line. */
export interface IncidentRow extends MarkingColumns {
  id: string;
  number: string;
  title: string;
  category: string;
  subtype: string;
  status: IncidentStatus;
  observed_at: Date;
  observed_to: Date | null;
  time_precision: string;
  lon: number;
  lat: number;
  area: unknown | null;
  location_precision: string;
  governorate: string | null;
  line_zone_id: string | null;
  line_version: number | null;
  line_side: 'left' | 'right' | null;
  line_distance_m: number | null;
  alleging_party: string | null;
  accused_party: string;
  casualties: unknown;
  analyst: string | null;
  reviewer: string | null;
  analyst_name: string | null;
  analyst_display: string | null;
  reviewer_name: string | null;
  finding: string | null;
  rationale: string | null;
  assessed_at: Date | null;
  approved_at: Date | null;
  notified_parties: string[];
  notified_at: Date | null;
  duplicate_of: string | null;
  source_alert_id: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  /** Reports the transaction may see. */
  report_count: number;
  /** Reports everyone who may see the incident may see: what live payloads count. */
  covered_report_count: number;
  line_name: string | null;
  line_properties: Record<string, unknown> | null;
  line_classification: number | null;
  line_releasable_to: string[] | null;
  line_caveats: string[] | null;
}

export interface ReportRow extends MarkingColumns {
  id: string;
  incident_id: string;
  reporter_kind: string;
  reporter_name: string | null;
  submitted_by: string | null;
  organisation_code: string | null;
  alleging_party: string | null;
  accused_party: string;
  observed_at: Date;
  observed_to: Date | null;
  time_precision: string;
  location: unknown;
  location_precision: string;
  place_name: string | null;
  category: string;
  subtype: string;
  casualties: unknown;
  narrative: string;
  reliability: string | null;
  credibility: number | null;
  received_at: Date;
}

export interface ActionRow {
  action: string;
  from_status: IncidentStatus | null;
  to_status: IncidentStatus | null;
  at: Date;
  actor: string | null;
  actor_name: string | null;
  note: string | null;
  party: string | null;
  version: number;
}

export interface NewIncident extends MarkingColumns {
  title: string;
  category: string;
  subtype: string;
  status: IncidentStatus;
  observedAt: Date;
  observedTo: Date | null;
  timePrecision: string;
  lon: number;
  lat: number;
  area: unknown | null;
  locationPrecision: string;
  governorate: string | null;
  line: { zoneId: string; version: number; side: 'left' | 'right'; distanceM: number } | null;
  allegingParty: string | null;
  accusedParty: string;
  casualties: unknown;
  sourceAlertId: string | null;
  createdBy: string | null;
  version: number;
}

export interface NewReport extends MarkingColumns {
  incidentId: string;
  reporterKind: string;
  reporterName: string | null;
  submittedBy: string | null;
  organisationId: string | null;
  allegingParty: string | null;
  accusedParty: string;
  observedAt: Date;
  observedTo: Date | null;
  timePrecision: string;
  location: unknown;
  lon: number;
  lat: number;
  locationPrecision: string;
  placeName: string | null;
  category: string;
  subtype: string;
  casualties: unknown;
  narrative: string;
  reliability: string | null;
  credibility: number | null;
}

export interface NewAction extends MarkingColumns {
  incidentId: string;
  action: string;
  from: IncidentStatus | null;
  to: IncidentStatus | null;
  actor: string | null;
  note: string | null;
  party: string | null;
  version: number;
}

export interface IncidentFilter {
  from?: Date;
  to?: Date;
  governorates?: readonly string[];
  categories?: readonly string[];
  statuses?: readonly IncidentStatus[];
  party?: string;
  bbox?: BBox;
  /** An incident number, or part of a title. */
  q?: string;
  limit: number;
}

/** What the workflow changes on an incident; absent fields stay as they are. */
export interface IncidentChange {
  status?: IncidentStatus;
  title?: string;
  category?: string;
  subtype?: string;
  casualties?: unknown;
  marking?: MarkingColumns;
  analyst?: string | null;
  reviewer?: string | null;
  finding?: string | null;
  rationale?: string | null;
  assessedAt?: 'now' | null;
  approvedAt?: 'now' | null;
  notifiedParties?: string[];
  notifiedAt?: 'now' | null;
  duplicateOf?: string | null;
}

/**
 * A report or line is "covered" by the incident when whoever may see the incident may see it too:
 * no higher classification, no extra caveat, released at least as widely.
 */
const covered = (t: string) =>
  sql.raw(`${t}.classification <= i.classification
  AND ${t}.caveats <@ i.caveats
  AND ('ALL' = ANY(${t}.releasable_to) OR (NOT 'ALL' = ANY(i.releasable_to) AND i.releasable_to <@ ${t}.releasable_to))`);

const COLUMNS = sql`i.id, i.number, i.title, i.category, i.subtype, i.status, i.observed_at, i.observed_to,
  i.time_precision, i.lon, i.lat, i.area, i.location_precision, i.governorate, i.line_zone_id, i.line_version,
  i.line_side, i.line_distance_m, i.alleging_party, i.accused_party, i.casualties, i.analyst, i.reviewer,
  i.finding, i.rationale, i.assessed_at, i.approved_at, i.notified_parties, i.notified_at, i.duplicate_of,
  i.source_alert_id, i.created_at, i.updated_at, i.version, i.classification, i.releasable_to, i.caveats,
  au.username AS analyst_name, au.display_name AS analyst_display, ru.username AS reviewer_name,
  (SELECT count(*)::int FROM incident_reports r WHERE r.incident_id = i.id) AS report_count,
  (SELECT count(*)::int FROM incident_reports r WHERE r.incident_id = i.id AND ${covered('r')}) AS covered_report_count,
  lv.name AS line_name, lv.properties AS line_properties, lv.classification AS line_classification,
  lv.releasable_to AS line_releasable_to, lv.caveats AS line_caveats`;

const FROM = sql`incidents i
  LEFT JOIN users au ON au.id = i.analyst
  LEFT JOIN users ru ON ru.id = i.reviewer
  LEFT JOIN zone_versions lv ON lv.zone_id = i.line_zone_id AND lv.version = i.line_version AND ${covered('lv')}`;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

/** `INC-000123`, `inc-123` or `123`: the number; anything else is not a number. */
function numberOf(q: string): number | null {
  const m = /^(?:inc-?)?0*(\d{1,15})$/i.exec(q.trim());
  return m ? Number(m[1]) : null;
}

function where(f: Omit<IncidentFilter, 'limit'>) {
  const b = f.bbox;
  const n = f.q ? numberOf(f.q) : null;
  return sql`WHERE true
    ${f.from ? sql`AND coalesce(i.observed_to, i.observed_at) >= ${f.from}` : sql``}
    ${f.to ? sql`AND i.observed_at <= ${f.to}` : sql``}
    ${f.governorates?.length ? sql`AND i.governorate = ANY(${[...f.governorates]}::text[])` : sql``}
    ${f.categories?.length ? sql`AND i.category = ANY(${[...f.categories]}::text[])` : sql``}
    ${f.statuses?.length ? sql`AND i.status = ANY(${[...f.statuses]}::text[])` : sql``}
    ${f.party ? sql`AND (i.alleging_party = ${f.party} OR i.accused_party = ${f.party})` : sql``}
    ${withinBbox('i', b)}
    ${
      f.q
        ? sql`AND (${n !== null ? sql`i.number = ${n} OR` : sql``} lower(i.title) LIKE ${`%${escapeLike(f.q.trim().toLowerCase())}%`})`
        : sql``
    }`;
}

export const incidentsStore = {
  async list(tx: Tx, f: IncidentFilter): Promise<IncidentRow[]> {
    const r = await sql<IncidentRow>`
      SELECT ${COLUMNS} FROM ${FROM} ${where(f)}
      ORDER BY i.observed_at DESC, i.number DESC LIMIT ${f.limit}`.execute(tx);
    return r.rows;
  },

  /** Counts by status and marking: the marking of a count is that of what it counts. */
  async counts(
    tx: Tx,
    f: Omit<IncidentFilter, 'limit'>,
  ): Promise<({ status: IncidentStatus; n: number } & MarkingColumns)[]> {
    const r = await sql<{ status: IncidentStatus; n: string } & MarkingColumns>`
      SELECT i.status, i.classification, i.releasable_to, i.caveats, count(*)::text AS n
      FROM incidents i ${where(f)}
      GROUP BY i.status, i.classification, i.releasable_to, i.caveats`.execute(tx);
    return r.rows.map((x) => ({ ...x, n: Number(x.n) }));
  },

  async get(tx: Tx, id: string): Promise<IncidentRow | undefined> {
    const r = await sql<IncidentRow>`SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = ${id}`.execute(tx);
    return r.rows[0];
  },

  /**
   * Locks the incident for a change; undefined when missing or not released to the viewer. NO KEY
   * UPDATE: a report moved onto it in another transaction (a merge, as the system) only needs KEY SHARE.
   */
  async lock(tx: Tx, id: string): Promise<{ status: IncidentStatus; version: number } | undefined> {
    const r = await sql<{ status: IncidentStatus; version: number }>`
      SELECT status, version FROM incidents WHERE id = ${id} FOR NO KEY UPDATE`.execute(tx);
    return r.rows[0];
  },

  async insert(tx: Tx, n: NewIncident): Promise<string> {
    const r = await sql<{ id: string }>`
      INSERT INTO incidents (title, category, subtype, status, observed_at, observed_to, time_precision, lon, lat,
        area, location_precision, governorate, line_zone_id, line_version, line_side, line_distance_m,
        alleging_party, accused_party, casualties, source_alert_id, created_by, version,
        classification, releasable_to, caveats)
      VALUES (${n.title}, ${n.category}, ${n.subtype}, ${n.status}, ${n.observedAt}, ${n.observedTo},
        ${n.timePrecision}, ${n.lon}, ${n.lat}, ${n.area === null ? null : JSON.stringify(n.area)}::jsonb,
        ${n.locationPrecision}, ${n.governorate}, ${n.line?.zoneId ?? null}, ${n.line?.version ?? null},
        ${n.line?.side ?? null}, ${n.line?.distanceM ?? null}, ${n.allegingParty}, ${n.accusedParty},
        ${JSON.stringify(n.casualties)}::jsonb, ${n.sourceAlertId}, ${n.createdBy}, ${n.version},
        ${n.classification}, ${n.releasable_to}, ${n.caveats})
      ON CONFLICT (source_alert_id) WHERE source_alert_id IS NOT NULL DO NOTHING
      RETURNING id`.execute(tx);
    return r.rows[0]?.id ?? '';
  },

  async insertReport(tx: Tx, n: NewReport): Promise<string> {
    const r = await sql<{ id: string }>`
      INSERT INTO incident_reports (incident_id, reporter_kind, reporter_name, submitted_by, organisation_id,
        alleging_party, accused_party, observed_at, observed_to, time_precision, location, lon, lat,
        location_precision, place_name, category, subtype, casualties, narrative, reliability, credibility,
        classification, releasable_to, caveats)
      VALUES (${n.incidentId}, ${n.reporterKind}, ${n.reporterName}, ${n.submittedBy}, ${n.organisationId},
        ${n.allegingParty}, ${n.accusedParty}, ${n.observedAt}, ${n.observedTo}, ${n.timePrecision},
        ${JSON.stringify(n.location)}::jsonb, ${n.lon}, ${n.lat}, ${n.locationPrecision}, ${n.placeName},
        ${n.category}, ${n.subtype}, ${JSON.stringify(n.casualties)}::jsonb, ${n.narrative}, ${n.reliability},
        ${n.credibility}, ${n.classification}, ${n.releasable_to}, ${n.caveats})
      RETURNING id`.execute(tx);
    return r.rows[0]!.id;
  },

  async addAction(tx: Tx, a: NewAction): Promise<void> {
    await sql`
      INSERT INTO incident_actions (incident_id, action, from_status, to_status, actor, note, party, version,
        classification, releasable_to, caveats)
      VALUES (${a.incidentId}, ${a.action}, ${a.from}, ${a.to}, ${a.actor}, ${a.note}, ${a.party}, ${a.version},
        ${a.classification}, ${a.releasable_to}, ${a.caveats})`.execute(tx);
  },

  /** Applies a change and bumps the version; returns the new version. */
  async update(tx: Tx, id: string, c: IncidentChange): Promise<number> {
    const set = (col: string, v: unknown) => sql`, ${sql.ref(col)} = ${v}`;
    const now = (col: string, v: 'now' | null | undefined) =>
      v === undefined ? sql`` : v === 'now' ? sql`, ${sql.ref(col)} = now()` : sql`, ${sql.ref(col)} = NULL`;
    const r = await sql<{ version: number }>`
      UPDATE incidents SET version = version + 1, updated_at = now()
        ${c.status !== undefined ? set('status', c.status) : sql``}
        ${c.title !== undefined ? set('title', c.title) : sql``}
        ${c.category !== undefined ? set('category', c.category) : sql``}
        ${c.subtype !== undefined ? set('subtype', c.subtype) : sql``}
        ${c.casualties !== undefined ? sql`, casualties = ${JSON.stringify(c.casualties)}::jsonb` : sql``}
        ${
          c.marking
            ? sql`, classification = ${c.marking.classification}, releasable_to = ${c.marking.releasable_to},
                caveats = ${c.marking.caveats}`
            : sql``
        }
        ${c.analyst !== undefined ? set('analyst', c.analyst) : sql``}
        ${c.reviewer !== undefined ? set('reviewer', c.reviewer) : sql``}
        ${c.finding !== undefined ? set('finding', c.finding) : sql``}
        ${c.rationale !== undefined ? set('rationale', c.rationale) : sql``}
        ${now('assessed_at', c.assessedAt)}
        ${now('approved_at', c.approvedAt)}
        ${c.notifiedParties !== undefined ? sql`, notified_parties = ${c.notifiedParties}::text[]` : sql``}
        ${now('notified_at', c.notifiedAt)}
        ${c.duplicateOf !== undefined ? set('duplicate_of', c.duplicateOf) : sql``}
      WHERE id = ${id} RETURNING version`.execute(tx);
    return r.rows[0]!.version;
  },

  async reports(tx: Tx, id: string): Promise<ReportRow[]> {
    const r = await sql<ReportRow>`
      SELECT r.id, r.incident_id, r.reporter_kind, r.reporter_name, u.username AS submitted_by,
        o.code AS organisation_code, r.alleging_party, r.accused_party, r.observed_at, r.observed_to,
        r.time_precision, r.location, r.location_precision, r.place_name, r.category, r.subtype, r.casualties,
        r.narrative, r.reliability, r.credibility, r.received_at, r.classification, r.releasable_to, r.caveats
      FROM incident_reports r
      LEFT JOIN users u ON u.id = r.submitted_by
      LEFT JOIN organisations o ON o.id = r.organisation_id
      WHERE r.incident_id = ${id} ORDER BY r.received_at, r.id`.execute(tx);
    return r.rows;
  },

  async timeline(tx: Tx, id: string): Promise<ActionRow[]> {
    const r = await sql<ActionRow>`
      SELECT a.action, a.from_status, a.to_status, a.at, u.username AS actor, u.display_name AS actor_name,
        a.note, a.party, a.version
      FROM incident_actions a LEFT JOIN users u ON u.id = a.actor
      WHERE a.incident_id = ${id} ORDER BY a.id`.execute(tx);
    return r.rows;
  },

  /** Moves every report of one incident onto another: run as the system, so that none is left behind. */
  async moveReports(tx: Tx, from: string, to: string): Promise<number> {
    const r = await sql`UPDATE incident_reports SET incident_id = ${to} WHERE incident_id = ${from}`.execute(
      tx,
    );
    return Number(r.numAffectedRows ?? 0);
  },

  /**
   * Incidents that may be the same event: open (not merged or closed), other than `exceptId`, in a
   * box around the point and with an observation window within `windowMs` of [start, end].
   */
  async near(
    tx: Tx,
    p: {
      lon: number;
      lat: number;
      start: Date;
      end: Date;
      radiusM: number;
      windowMs: number;
      exceptId: string;
    },
  ): Promise<IncidentRow[]> {
    const dLat = p.radiusM / 111_000;
    const dLon = p.radiusM / (111_000 * Math.max(0.1, Math.cos((p.lat * Math.PI) / 180)));
    const before = new Date(p.start.getTime() - p.windowMs);
    const after = new Date(p.end.getTime() + p.windowMs);
    const r = await sql<IncidentRow>`
      SELECT ${COLUMNS} FROM ${FROM}
      WHERE i.id <> ${p.exceptId} AND i.status NOT IN ('merged', 'closed')
        AND i.lon BETWEEN ${p.lon - dLon} AND ${p.lon + dLon} AND i.lat BETWEEN ${p.lat - dLat} AND ${p.lat + dLat}
        AND coalesce(i.observed_to, i.observed_at) >= ${before} AND i.observed_at <= ${after}
      LIMIT 500`.execute(tx);
    return r.rows;
  },
};
