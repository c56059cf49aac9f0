import { sql } from 'kysely';
import type { BBox } from '../../../domain/geometry.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';
import { withinBbox } from '../../db/sql-filters.js';

/** An incident row as the report and the exports read it; every query runs under the reader's RLS. */
export interface ReportIncidentRow extends MarkingColumns {
  id: string;
  number: string;
  title: string;
  category: string;
  subtype: string;
  status: string;
  finding: string | null;
  rationale: string | null;
  observed_at: Date;
  observed_to: Date | null;
  time_precision: string;
  location_precision: string;
  lon: number;
  lat: number;
  governorate: string | null;
  line_side: string | null;
  alleging_party: string | null;
  accused_party: string;
  casualties: unknown;
  updated_at: Date;
  /** From the reports the reader may see: the first place name given, and the reporter kinds. */
  place: string | null;
  reporter_kinds: string[];
}

export interface IncidentFilter {
  /** observed_at ≥ from: the report's periods count an incident once, by when it began. */
  from?: Date;
  /** The list's rule for exports: the observed window reaches `overlapFrom` or later. */
  overlapFrom?: Date;
  /** observed_at < before (the report's exclusive end). */
  before?: Date;
  /** observed_at ≤ to (the list's inclusive end). */
  to?: Date;
  governorates?: readonly string[];
  categories?: readonly string[];
  /** When absent, every status but merged: a merged duplicate is counted in the incident it joined. */
  statuses?: readonly string[];
  /** Accused or alleging. */
  party?: string;
  /** west, south, east, north. */
  bbox?: BBox;
  /** An incident number (INC-000123, 123) or part of a title. */
  q?: string;
  limit: number;
}

/**
 * Only reports the incident's marking covers (no higher classification, no extra caveat, released
 * at least as widely) lend their place name and kind: then the aggregate of the incidents' markings
 * is the marking of everything an export or report shows.
 */
const COVERED = sql.raw(`r.classification <= i.classification
  AND r.caveats <@ i.caveats
  AND ('ALL' = ANY(r.releasable_to) OR (NOT 'ALL' = ANY(i.releasable_to) AND i.releasable_to <@ r.releasable_to))`);

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

/** `INC-000123`, `inc-123` or `123`: the number; anything else is not a number. */
function numberOf(q: string): number | null {
  const m = /^(?:inc-?)?0*(\d{1,15})$/i.exec(q.trim());
  return m ? Number(m[1]) : null;
}

function search(q: string) {
  const n = numberOf(q);
  return sql`AND (${n !== null ? sql`i.number = ${n} OR` : sql``} lower(i.title) LIKE ${`%${escapeLike(q.trim().toLowerCase())}%`})`;
}

export const reportsStore = {
  async incidents(tx: Tx, f: IncidentFilter): Promise<ReportIncidentRow[]> {
    const r = await sql<ReportIncidentRow>`
      SELECT i.id, i.number, i.title, i.category, i.subtype, i.status, i.finding, i.rationale,
        i.observed_at, i.observed_to, i.time_precision, i.location_precision, i.lon, i.lat,
        i.governorate, i.line_side, i.alleging_party, i.accused_party, i.casualties, i.updated_at,
        i.classification, i.releasable_to, i.caveats,
        (SELECT r.place_name FROM incident_reports r
          WHERE r.incident_id = i.id AND r.place_name IS NOT NULL AND ${COVERED}
          ORDER BY r.received_at LIMIT 1) AS place,
        ARRAY(SELECT DISTINCT r.reporter_kind FROM incident_reports r
          WHERE r.incident_id = i.id AND ${COVERED} ORDER BY 1) AS reporter_kinds
      FROM incidents i
      WHERE true
        ${f.from ? sql`AND i.observed_at >= ${f.from}` : sql``}
        ${f.overlapFrom ? sql`AND coalesce(i.observed_to, i.observed_at) >= ${f.overlapFrom}` : sql``}
        ${f.before ? sql`AND i.observed_at < ${f.before}` : sql``}
        ${f.to ? sql`AND i.observed_at <= ${f.to}` : sql``}
        ${f.governorates?.length ? sql`AND i.governorate = ANY(${f.governorates})` : sql``}
        ${f.categories?.length ? sql`AND i.category = ANY(${f.categories})` : sql``}
        ${f.statuses?.length ? sql`AND i.status = ANY(${f.statuses})` : sql`AND i.status <> 'merged'`}
        ${f.party ? sql`AND (i.accused_party = ${f.party} OR i.alleging_party = ${f.party})` : sql``}
        ${withinBbox('i', f.bbox)}
        ${f.q ? search(f.q) : sql``}
      ORDER BY i.observed_at, i.number
      LIMIT ${f.limit}`.execute(tx);
    return r.rows;
  },
};
