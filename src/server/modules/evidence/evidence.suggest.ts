import { type EvidenceSuggestions, SUGGESTION_LIMITS } from '../../../domain/evidence.js';
import { rankSuggestions, type SuggestionTrack } from '../../../domain/evidence-suggestions.js';
import { METRES_PER_DEGREE } from '../../../domain/geo-predicates.js';
import type { Geometry } from '../../../domain/geometry.js';
import { aggregateMarking, formatMarking, type Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import { problems } from '../../platform/errors.js';
import { evidenceStore as store } from './evidence.store.js';

/** A lat/lon box that holds every point within `m` metres of (lon, lat). */
function boxAround(lon: number, lat: number, m: number): [number, number, number, number] {
  const dLat = m / METRES_PER_DEGREE;
  const cos = Math.max(0.01, Math.cos((Math.min(89, Math.abs(lat) + dLat) * Math.PI) / 180));
  const dLon = Math.min(180, m / (METRES_PER_DEGREE * cos));
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

/** Footprints were validated when reported; here only their shape is confirmed, not re-validated. */
function footprintOf(raw: unknown): Geometry | null {
  const g = raw as { type?: unknown; coordinates?: unknown } | null;
  if (!g || !Array.isArray(g.coordinates)) return null;
  return g.type === 'Polygon' || g.type === 'MultiPolygon' ? (g as Geometry) : null;
}

/**
 * Evidence suggestion: the tracks whose positions (as released to the viewer) came within
 * `radiusM` of the incident during its window widened by `windowMinutes`, or whose sensor
 * footprint covered its point. SQL filters by time and a lat/lon box; distances and footprints
 * are checked exactly in process. The scan stops at SUGGESTION_LIMITS.maxPositions and says so.
 */
export function suggestEvidence(db: Db, maxPositions: number = SUGGESTION_LIMITS.maxPositions) {
  return async (
    viewer: Viewer,
    incidentId: string,
    radiusM: number = SUGGESTION_LIMITS.radiusM.default,
    windowMinutes: number = SUGGESTION_LIMITS.windowMinutes.default,
  ): Promise<EvidenceSuggestions> => {
    const { radiusM: r, windowMinutes: w } = SUGGESTION_LIMITS;
    if (!(radiusM >= r.min && radiusM <= r.max))
      throw problems.badRequest(`radiusM must be ${r.min}..${r.max}.`, { field: 'radiusM' });
    if (!(windowMinutes >= w.min && windowMinutes <= w.max))
      throw problems.badRequest(`windowMinutes must be ${w.min}..${w.max}.`, { field: 'windowMinutes' });
    const windowMs = windowMinutes * 60_000;
    return db.asViewer(viewer, async (tx) => {
      const incident = await store.incident(tx, incidentId);
      if (!incident) throw problems.notFound(`Incident ${incidentId}`);
      const observedFrom = incident.observed_at.getTime();
      const observedTo = (incident.observed_to ?? incident.observed_at).getTime();
      const from = new Date(observedFrom - windowMs);
      const to = new Date(observedTo + windowMs);
      const rows = await store.candidatePositions(tx, {
        from,
        to,
        near: boxAround(incident.lon, incident.lat, radiusM),
        reach: boxAround(incident.lon, incident.lat, Math.max(radiusM, SUGGESTION_LIMITS.footprintReachM)),
        limit: maxPositions + 1,
      });
      const capped = rows.length > maxPositions;
      const scanned = rows.slice(0, maxPositions);
      const uids = [...new Set(scanned.map((p) => p.uid))];
      const tracks = new Map<string, SuggestionTrack & { marking: Marking }>();
      for (const t of await store.tracks(tx, uids))
        tracks.set(t.uid, {
          callsign: t.callsign,
          kind: t.kind,
          affiliation: t.affiliation,
          sidc: t.sidc,
          organisation: t.organisation,
          marking: columnsToMarking(t),
        });
      const items = rankSuggestions(
        { lon: incident.lon, lat: incident.lat, from: observedFrom, to: observedTo, radiusM, windowMs },
        scanned.map((p) => ({
          uid: p.uid,
          at: p.observed_at.getTime(),
          lon: p.lon,
          lat: p.lat,
          footprint: footprintOf(p.footprint),
          marking: columnsToMarking(p),
        })),
        tracks,
      );
      const marking = aggregateMarking([columnsToMarking(incident), ...items.map((x) => x.marking)]);
      return {
        incidentId,
        radiusM,
        windowMinutes,
        from: from.toISOString(),
        to: to.toISOString(),
        items,
        scanned: scanned.length,
        capped,
        marking,
        markingText: formatMarking(marking),
      };
    });
  };
}
