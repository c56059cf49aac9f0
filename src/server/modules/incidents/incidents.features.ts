import { haversineM } from '../../../domain/geo-predicates.js';
import { mayReadFinding, type WorkflowIncident } from '../../../domain/incident-workflow.js';
import {
  CATEGORY_LABELS,
  type Casualties,
  CLUSTER_RADIUS_M,
  CLUSTER_WINDOW_MS,
  type Finding,
  type Grading,
  type IncidentCategory,
  type IncidentFeature,
  type IncidentReport,
  type IncidentSummary,
  type IncidentTimelineEntry,
  incidentNumber,
  type LineSide,
  type LocationPrecision,
  type MergeCandidate,
  NO_CASUALTIES,
  type ReporterKind,
  type TimePrecision,
} from '../../../domain/incidents.js';
import { linePartsOf, sideOfLine } from '../../../domain/line-side.js';
import { classificationLevel, formatMarking, type Marking } from '../../../domain/marking.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import type { ActionRow, IncidentRow, ReportRow } from './incidents.store.js';

/** Rows to the wire, and the small computations a new incident needs: no I/O here. */

/**
 * Who reads a summary: a viewer with their roles, or `public` for live payloads, which reach every
 * subscriber who may see the incident and so carry only what all of them may read.
 */
export type Audience = { roles: readonly string[] } | 'public';

/** A party liaison's roles: the narrowest reader of a finding. */
const LIAISON: readonly string[] = ['party-liaison'];

function lineSideOf(r: IncidentRow): LineSide | null {
  if (!r.line_zone_id || r.line_version === null || !r.line_side || r.line_name === null) return null;
  const props = r.line_properties ?? {};
  const own = r.line_side === 'left' ? props.leftLabel : props.rightLabel;
  return {
    zoneId: r.line_zone_id,
    zoneName: r.line_name,
    version: r.line_version,
    side: r.line_side,
    label: typeof own === 'string' && own ? own : `${r.line_side} of the line`,
    distanceM: Math.round(r.line_distance_m ?? 0),
  };
}

export function toSummary(r: IncidentRow, audience: Audience): IncidentSummary {
  const marking = columnsToMarking(r);
  const roles = audience === 'public' ? LIAISON : audience.roles;
  return {
    id: r.id,
    number: incidentNumber(Number(r.number)),
    title: r.title,
    category: r.category as IncidentCategory,
    subtype: r.subtype,
    status: r.status,
    finding: mayReadFinding(r.status, roles) ? ((r.finding as Finding | null) ?? null) : null,
    observedAt: r.observed_at.toISOString(),
    observedTo: r.observed_to?.toISOString() ?? null,
    timePrecision: r.time_precision as TimePrecision,
    locationPrecision: r.location_precision as LocationPrecision,
    area: r.area ?? null,
    governorate: r.governorate,
    lineSide: lineSideOf(r),
    allegingParty: r.alleging_party,
    accusedParty: r.accused_party,
    casualties: { ...NO_CASUALTIES, ...(r.casualties as Partial<Casualties>) },
    reportCount: audience === 'public' ? r.covered_report_count : r.report_count,
    analyst: r.analyst_name,
    reviewer: r.reviewer_name,
    notifiedParties: r.notified_parties,
    notifiedAt: r.notified_at?.toISOString() ?? null,
    duplicateOf: r.duplicate_of,
    sourceAlertId: r.source_alert_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
    marking,
    markingText: formatMarking(marking),
  };
}

export function toIncidentFeature(r: IncidentRow, audience: Audience): IncidentFeature {
  return {
    type: 'Feature',
    id: r.id,
    geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    properties: toSummary(r, audience),
  };
}

export function toWorkflowIncident(r: IncidentRow): WorkflowIncident {
  return {
    status: r.status,
    analystId: r.analyst,
    allegingParty: r.alleging_party,
    accusedParty: r.accused_party,
    notifiedParties: r.notified_parties,
  };
}

export function toReport(r: ReportRow): IncidentReport {
  const marking = columnsToMarking(r);
  return {
    id: r.id,
    incidentId: r.incident_id,
    reporterKind: r.reporter_kind as ReporterKind,
    reporterName: r.reporter_name,
    submittedBy: r.submitted_by ?? 'system',
    submittedByOrganisation: r.organisation_code ?? 'system',
    allegingParty: r.alleging_party,
    accusedParty: r.accused_party,
    observedAt: r.observed_at.toISOString(),
    observedTo: r.observed_to?.toISOString() ?? null,
    timePrecision: r.time_precision as TimePrecision,
    location: r.location,
    locationPrecision: r.location_precision as LocationPrecision,
    placeName: r.place_name,
    category: r.category as IncidentCategory,
    subtype: r.subtype,
    casualties: { ...NO_CASUALTIES, ...(r.casualties as Partial<Casualties>) },
    narrative: r.narrative,
    grading:
      r.reliability && r.credibility
        ? {
            reliability: r.reliability as Grading['reliability'],
            credibility: r.credibility as Grading['credibility'],
          }
        : null,
    receivedAt: r.received_at.toISOString(),
    marking,
    markingText: formatMarking(marking),
  };
}

export function toTimelineEntry(a: ActionRow): IncidentTimelineEntry {
  return {
    action: a.action as IncidentTimelineEntry['action'],
    from: a.from_status,
    to: a.to_status,
    at: a.at.toISOString(),
    actor: a.actor,
    actorName: a.actor_name,
    note: a.note,
    version: a.version,
  };
}

/** "Fire across the line — small arms near Khan Younis". */
export function incidentTitle(category: IncidentCategory, subtype: string, place: string | null): string {
  const what =
    subtype === 'other'
      ? CATEGORY_LABELS[category]
      : `${CATEGORY_LABELS[category]} — ${subtype.replace(/-/g, ' ')}`;
  return (place ? `${what} near ${place.trim()}` : what).slice(0, 300);
}

/** The representative point of a Point or Polygon: the point, or the area centroid of the outer ring. */
export function representativePoint(g: { type: string; coordinates: unknown }): [number, number] {
  if (g.type === 'Point') {
    const c = g.coordinates as number[];
    return [c[0]!, c[1]!];
  }
  const ring = (g.coordinates as number[][][])[0]!;
  let a = 0;
  let cx = 0;
  let cy = 0;
  const [x0, y0] = ring[0] as [number, number];
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    // Relative to the first vertex, for precision.
    const ax = x1 - x0;
    const ay = y1 - y0;
    const bx = x2 - x0;
    const by = y2 - y0;
    const cross = ax * by - bx * ay;
    a += cross;
    cx += (ax + bx) * cross;
    cy += (ay + by) * cross;
  }
  if (a === 0) {
    const n = ring.length - 1;
    return [
      ring.slice(0, n).reduce((s, p) => s + p[0]!, 0) / n,
      ring.slice(0, n).reduce((s, p) => s + p[1]!, 0) / n,
    ];
  }
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)];
}

/** A control line version as the line-side computation needs it. */
export interface LineCandidate {
  id: string;
  version: number;
  geometry: unknown;
  marking: Marking;
}

/** The nearest of the lines, and the side of it the point lies on; null when there is no line. */
export function nearestLineSide(
  lines: readonly LineCandidate[],
  lon: number,
  lat: number,
): { zoneId: string; version: number; side: 'left' | 'right'; distanceM: number } | null {
  let best: { zoneId: string; version: number; side: 'left' | 'right'; distanceM: number } | null = null;
  for (const l of lines) {
    const s = sideOfLine(linePartsOf(l.geometry), lon, lat);
    if (s && (best === null || s.distanceM < best.distanceM))
      best = { zoneId: l.id, version: l.version, side: s.side, distanceM: s.distanceM };
  }
  return best;
}

/**
 * Whether everyone who may see `outer` may see `inner` too: what the incident's marking must cover
 * for its line (and a payload's parts) to be shown with it.
 */
export function markingCovers(outer: Marking, inner: Marking): boolean {
  if (classificationLevel(inner.classification) > classificationLevel(outer.classification)) return false;
  if (!(inner.caveats ?? []).every((c) => (outer.caveats ?? []).includes(c))) return false;
  if (inner.releasableTo.includes('ALL')) return true;
  if (outer.releasableTo.includes('ALL')) return false;
  return outer.releasableTo.every((p) => inner.releasableTo.includes(p));
}

/** The observation window of an incident or report, epoch ms. */
function windowOf(r: { observed_at: Date; observed_to: Date | null }): [number, number] {
  const start = r.observed_at.getTime();
  return [start, r.observed_to?.getTime() ?? start];
}

/** Clustering: the incidents near enough in space and time to be the same event, nearest first. */
export function mergeCandidates(
  self: { lon: number; lat: number; observed_at: Date; observed_to: Date | null },
  others: readonly IncidentRow[],
): MergeCandidate[] {
  const [s0, s1] = windowOf(self);
  const out: MergeCandidate[] = [];
  for (const o of others) {
    const distanceM = haversineM(self.lon, self.lat, o.lon, o.lat);
    if (distanceM > CLUSTER_RADIUS_M) continue;
    const [o0, o1] = windowOf(o);
    const gapMs = Math.max(0, Math.max(s0, o0) - Math.min(s1, o1));
    if (gapMs > CLUSTER_WINDOW_MS) continue;
    out.push({
      incidentId: o.id,
      number: incidentNumber(Number(o.number)),
      title: o.title,
      category: o.category as IncidentCategory,
      status: o.status,
      distanceM: Math.round(distanceM),
      gapMinutes: Math.round(gapMs / 60_000),
    });
  }
  return out.sort((a, b) => a.distanceM - b.distanceM || a.gapMinutes - b.gapMinutes);
}
