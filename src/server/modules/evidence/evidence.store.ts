import { sql } from 'kysely';
import type { CustodyAction, EvidenceKind } from '../../../domain/evidence.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';

/** The incident an evidence item belongs to, as far as evidence needs it. */
export interface IncidentRow extends MarkingColumns {
  id: string;
  observed_at: Date;
  observed_to: Date | null;
  lon: number;
  lat: number;
  status: string;
  duplicate_of: string | null;
}

export interface EvidenceRow extends MarkingColumns {
  id: string;
  incident_id: string;
  kind: EvidenceKind;
  sha256: string | null;
  filename: string | null;
  media_type: string | null;
  size_bytes: string | null;
  description: string | null;
  track_uid: string | null;
  segment_from: Date | null;
  segment_to: Date | null;
  alert_id: string | null;
  added_by: string | null;
  added_by_name: string | null;
  added_at: Date;
  custody_count: string;
}

export interface CustodyRow extends MarkingColumns {
  id: string;
  evidence_id: string;
  action: CustodyAction;
  at: Date;
  actor: string | null;
  actor_name: string | null;
  holder: string | null;
  note: string | null;
  sha256: string | null;
}

export interface NewEvidence extends MarkingColumns {
  incidentId: string;
  kind: EvidenceKind;
  sha256?: string | null;
  filename?: string | null;
  mediaType?: string | null;
  size?: number | null;
  description?: string | null;
  trackUid?: string | null;
  from?: Date | null;
  to?: Date | null;
  alertId?: string | null;
  addedBy: string;
}

export interface NewCustody extends MarkingColumns {
  evidenceId: string;
  action: CustodyAction;
  actor: string | null;
  holder?: string | null;
  note?: string | null;
  sha256?: string | null;
  at?: Date | null;
}

export interface PositionRow extends MarkingColumns {
  uid: string;
  observed_at: Date;
  lon: number;
  lat: number;
  footprint: unknown;
}

export interface SuggestionTrackRow extends MarkingColumns {
  uid: string;
  callsign: string;
  kind: string;
  affiliation: string;
  sidc: string;
  organisation: string | null;
}

const CUSTODY_COLUMNS = sql`c.id::text AS id, c.evidence_id, c.action, c.at, c.holder, c.note, c.sha256,
  c.classification, c.releasable_to, c.caveats,
  u.username AS actor, u.display_name AS actor_name`;

/** Items are read only with their incident: an item of an incident the viewer cannot see is hidden too. */
const EVIDENCE_FROM = sql`evidence e JOIN incidents i ON i.id = e.incident_id
  LEFT JOIN users u ON u.id = e.added_by`;
const EVIDENCE_COLUMNS = sql`e.id, e.incident_id, e.kind, e.sha256, e.filename, e.media_type,
  e.size_bytes, e.description, e.track_uid, e.segment_from, e.segment_to, e.alert_id, e.added_at,
  e.classification, e.releasable_to, e.caveats, u.username AS added_by, u.display_name AS added_by_name,
  (SELECT count(*)::text FROM evidence_custody c WHERE c.evidence_id = e.id) AS custody_count`;

export const evidenceStore = {
  /** The incident, when it exists and is released to the viewer. */
  async incident(tx: Tx, id: string): Promise<IncidentRow | undefined> {
    const r = await sql<IncidentRow>`
      SELECT id, observed_at, observed_to, lon, lat, status, duplicate_of, classification, releasable_to, caveats
      FROM incidents WHERE id = ${id}`.execute(tx);
    return r.rows[0];
  },

  async insert(tx: Tx, e: NewEvidence): Promise<string> {
    const r = await sql<{ id: string }>`
      INSERT INTO evidence (incident_id, kind, sha256, filename, media_type, size_bytes, description,
        track_uid, segment_from, segment_to, alert_id, added_by, classification, releasable_to, caveats)
      VALUES (${e.incidentId}, ${e.kind}, ${e.sha256 ?? null}, ${e.filename ?? null}, ${e.mediaType ?? null},
        ${e.size ?? null}, ${e.description ?? null}, ${e.trackUid ?? null}, ${e.from ?? null}, ${e.to ?? null},
        ${e.alertId ?? null}, ${e.addedBy}, ${e.classification}, ${e.releasable_to}, ${e.caveats})
      RETURNING id`.execute(tx);
    return r.rows[0]!.id;
  },

  async addCustody(tx: Tx, c: NewCustody): Promise<string> {
    const r = await sql<{ id: string }>`
      INSERT INTO evidence_custody (evidence_id, action, actor, holder, note, sha256, at,
        classification, releasable_to, caveats)
      VALUES (${c.evidenceId}, ${c.action}, ${c.actor}, ${c.holder ?? null}, ${c.note ?? null},
        ${c.sha256 ?? null}, coalesce(${c.at ?? null}::timestamptz, now()),
        ${c.classification}, ${c.releasable_to}, ${c.caveats})
      RETURNING id::text AS id`.execute(tx);
    return r.rows[0]!.id;
  },

  async get(tx: Tx, id: string): Promise<EvidenceRow | undefined> {
    const r =
      await sql<EvidenceRow>`SELECT ${EVIDENCE_COLUMNS} FROM ${EVIDENCE_FROM} WHERE e.id = ${id}`.execute(tx);
    return r.rows[0];
  },

  async getMany(tx: Tx, ids: readonly string[]): Promise<EvidenceRow[]> {
    if (ids.length === 0) return [];
    const r = await sql<EvidenceRow>`
      SELECT ${EVIDENCE_COLUMNS} FROM ${EVIDENCE_FROM}
      WHERE e.id = ANY(${[...ids]}::uuid[]) ORDER BY e.added_at, e.id`.execute(tx);
    return r.rows;
  },

  /** Gives every item of one incident to another; returns the items moved. */
  async moveAll(tx: Tx, from: string, to: string): Promise<(MarkingColumns & { id: string })[]> {
    const r = await sql<MarkingColumns & { id: string }>`
      UPDATE evidence SET incident_id = ${to} WHERE incident_id = ${from}
      RETURNING id, classification, releasable_to, caveats`.execute(tx);
    return r.rows;
  },

  async list(tx: Tx, incidentId: string): Promise<EvidenceRow[]> {
    const r = await sql<EvidenceRow>`
      SELECT ${EVIDENCE_COLUMNS} FROM ${EVIDENCE_FROM}
      WHERE e.incident_id = ${incidentId} ORDER BY e.added_at, e.id`.execute(tx);
    return r.rows;
  },

  /** Visible alert links of the incident to this alert. */
  async alertLinked(tx: Tx, incidentId: string, alertId: string): Promise<boolean> {
    const r = await sql`
      SELECT 1 FROM evidence WHERE incident_id = ${incidentId} AND alert_id = ${alertId} LIMIT 1`.execute(tx);
    return r.rows.length > 0;
  },

  async custody(tx: Tx, evidenceId: string): Promise<CustodyRow[]> {
    const r = await sql<CustodyRow>`
      SELECT ${CUSTODY_COLUMNS} FROM evidence_custody c LEFT JOIN users u ON u.id = c.actor
      WHERE c.evidence_id = ${evidenceId} ORDER BY c.id`.execute(tx);
    return r.rows;
  },

  /** The last custody entry of each item. */
  async lastCustody(tx: Tx, evidenceIds: readonly string[]): Promise<CustodyRow[]> {
    if (evidenceIds.length === 0) return [];
    const r = await sql<CustodyRow>`
      SELECT DISTINCT ON (c.evidence_id) ${CUSTODY_COLUMNS}
      FROM evidence_custody c LEFT JOIN users u ON u.id = c.actor
      WHERE c.evidence_id = ANY(${[...evidenceIds]}::uuid[])
      ORDER BY c.evidence_id, c.id DESC`.execute(tx);
    return r.rows;
  },

  async custodyEntry(tx: Tx, id: string): Promise<CustodyRow | undefined> {
    const r = await sql<CustodyRow>`
      SELECT ${CUSTODY_COLUMNS} FROM evidence_custody c LEFT JOIN users u ON u.id = c.actor
      WHERE c.id = ${id}::bigint`.execute(tx);
    return r.rows[0];
  },

  /** The distinct markings of a track's visible positions in a window, with how many carry each. */
  async segmentMarkings(
    tx: Tx,
    uid: string,
    from: Date,
    to: Date,
  ): Promise<(MarkingColumns & { n: string })[]> {
    const r = await sql<MarkingColumns & { n: string }>`
      SELECT classification, releasable_to, caveats, count(*)::text AS n FROM track_positions
      WHERE uid = ${uid} AND observed_at >= ${from} AND observed_at <= ${to}
      GROUP BY classification, releasable_to, caveats`.execute(tx);
    return r.rows;
  },

  /** A track's visible positions in a window, oldest first. */
  async segment(tx: Tx, uid: string, from: Date, to: Date, limit: number): Promise<PositionRow[]> {
    const r = await sql<PositionRow>`
      SELECT uid, observed_at, lon, lat, NULL::jsonb AS footprint, classification, releasable_to, caveats
      FROM track_positions
      WHERE uid = ${uid} AND observed_at >= ${from} AND observed_at <= ${to}
      ORDER BY observed_at LIMIT ${limit}`.execute(tx);
    return r.rows;
  },

  async alert(tx: Tx, id: string): Promise<(MarkingColumns & { id: string }) | undefined> {
    const r = await sql<MarkingColumns & { id: string }>`
      SELECT id, classification, releasable_to, caveats FROM alerts WHERE id = ${id}`.execute(tx);
    return r.rows[0];
  },

  /**
   * Visible positions in a time window that are inside `near` (a lat/lon box around the incident)
   * or carry a footprint and are inside `reach` (a wider box): the coarse filter of evidence
   * suggestion; the exact distance and footprint checks run in process.
   */
  async candidatePositions(
    tx: Tx,
    q: {
      from: Date;
      to: Date;
      near: [number, number, number, number];
      reach: [number, number, number, number];
      limit: number;
    },
  ): Promise<PositionRow[]> {
    const [w, s, e, n] = q.near;
    const [rw, rs, re, rn] = q.reach;
    const r = await sql<PositionRow>`
      SELECT uid, observed_at, lon, lat, footprint, classification, releasable_to, caveats
      FROM track_positions
      WHERE observed_at >= ${q.from} AND observed_at <= ${q.to}
        AND ((lon BETWEEN ${w} AND ${e} AND lat BETWEEN ${s} AND ${n})
          OR (footprint IS NOT NULL AND lon BETWEEN ${rw} AND ${re} AND lat BETWEEN ${rs} AND ${rn}))
      LIMIT ${q.limit}`.execute(tx);
    return r.rows;
  },

  /** Current attributes of the given tracks, as far as they are released to the viewer. */
  async tracks(tx: Tx, uids: readonly string[]): Promise<SuggestionTrackRow[]> {
    if (uids.length === 0) return [];
    const r = await sql<SuggestionTrackRow>`
      SELECT t.uid, t.callsign, t.kind, t.affiliation, t.sidc, o.code AS organisation,
        t.classification, t.releasable_to, t.caveats
      FROM tracks t LEFT JOIN organisations o ON o.id = t.organisation_id
      WHERE t.uid = ANY(${[...uids]}::text[])`.execute(tx);
    return r.rows;
  },
};
