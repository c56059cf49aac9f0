import type { EvidenceSuggestion } from './evidence.js';
import { haversineM, localFrame, pointInRing } from './geo-predicates.js';
import type { Geometry } from './geometry.js';
import { aggregateMarking, formatMarking, type Marking } from './marking.js';

/**
 * Evidence suggestion: which tracks could have observed an incident, from their positions near
 * it during its window or their sensor footprint over its point. Pure: the server reads the
 * candidate positions (already filtered by row-level security) and hands them here.
 */

export interface SuggestionPosition {
  uid: string;
  /** Epoch milliseconds. */
  at: number;
  lon: number;
  lat: number;
  footprint: Geometry | null;
  marking: Marking;
}

export interface SuggestionTrack {
  callsign: string | null;
  kind: string | null;
  affiliation: string | null;
  sidc: string | null;
  organisation: string | null;
}

export interface SuggestionTarget {
  lon: number;
  lat: number;
  /** The incident's observed window (epoch ms); a point in time has from = to. */
  from: number;
  to: number;
  radiusM: number;
  windowMs: number;
}

/** Even-odd test against a polygon's outer ring and holes, in a local metric frame around the point. */
export function footprintCovers(footprint: Geometry | null, lon: number, lat: number): boolean {
  if (!footprint) return false;
  const polygons =
    footprint.type === 'Polygon'
      ? [footprint.coordinates]
      : footprint.type === 'MultiPolygon'
        ? footprint.coordinates
        : [];
  const f = localFrame(lon, lat);
  for (const rings of polygons) {
    let inside = false;
    rings.forEach((ring, i) => {
      const flat = new Float64Array(ring.length * 2);
      ring.forEach((p, j) => {
        flat[2 * j] = ((p[0] ?? 0) - f.lon0) * f.kx;
        flat[2 * j + 1] = ((p[1] ?? 0) - f.lat0) * f.ky;
      });
      const inRing = pointInRing(flat, 0, 0);
      if (i === 0) inside = inRing;
      else if (inRing) inside = false;
    });
    if (inside) return true;
  }
  return false;
}

interface Acc {
  uid: string;
  closestDistanceM: number;
  closestAt: number;
  positions: number;
  footprintCovers: boolean;
  timeGapMs: number;
  from: number;
  to: number;
  markings: Marking[];
}

/** One entry per track with a matching position, ranked: footprint over the point first, then distance, then time gap. */
export function rankSuggestions(
  target: SuggestionTarget,
  positions: Iterable<SuggestionPosition>,
  tracks: ReadonlyMap<string, SuggestionTrack & { marking?: Marking }>,
): EvidenceSuggestion[] {
  const byUid = new Map<string, Acc>();
  for (const p of positions) {
    const d = haversineM(target.lon, target.lat, p.lon, p.lat);
    const covers = footprintCovers(p.footprint, target.lon, target.lat);
    if (d > target.radiusM && !covers) continue;
    const gap = p.at < target.from ? target.from - p.at : p.at > target.to ? p.at - target.to : 0;
    let a = byUid.get(p.uid);
    if (!a) {
      a = {
        uid: p.uid,
        closestDistanceM: d,
        closestAt: p.at,
        positions: 0,
        footprintCovers: false,
        timeGapMs: gap,
        from: p.at,
        to: p.at,
        markings: [],
      };
      byUid.set(p.uid, a);
    }
    a.positions++;
    a.footprintCovers ||= covers;
    if (d < a.closestDistanceM || (d === a.closestDistanceM && gap < a.timeGapMs)) {
      a.closestDistanceM = d;
      a.closestAt = p.at;
    }
    a.timeGapMs = Math.min(a.timeGapMs, gap);
    a.from = Math.min(a.from, p.at);
    a.to = Math.max(a.to, p.at);
    a.markings.push(p.marking);
  }
  const reach = Math.max(1, target.radiusM);
  const window = Math.max(1, target.windowMs);
  const out = [...byUid.values()].map((a): EvidenceSuggestion => {
    const t = tracks.get(a.uid);
    const marking = aggregateMarking(t?.marking ? [...a.markings, t.marking] : a.markings);
    const near = Math.max(0, 1 - a.closestDistanceM / reach);
    const timely = Math.max(0, 1 - a.timeGapMs / window);
    const score = (a.footprintCovers ? 0.5 : 0) + 0.3 * near + 0.2 * timely;
    return {
      uid: a.uid,
      callsign: t?.callsign ?? null,
      kind: t?.kind ?? null,
      affiliation: t?.affiliation ?? null,
      sidc: t?.sidc ?? null,
      organisation: t?.organisation ?? null,
      closestDistanceM: Math.round(a.closestDistanceM * 10) / 10,
      closestAt: new Date(a.closestAt).toISOString(),
      positions: a.positions,
      footprintCovers: a.footprintCovers,
      timeGapS: Math.round(a.timeGapMs / 1000),
      from: new Date(a.from).toISOString(),
      to: new Date(a.to).toISOString(),
      score: Math.round(score * 1000) / 1000,
      marking,
      markingText: formatMarking(marking),
    };
  });
  return out.sort(
    (x, y) =>
      Number(y.footprintCovers) - Number(x.footprintCovers) ||
      x.closestDistanceM - y.closestDistanceM ||
      x.timeGapS - y.timeGapS ||
      x.uid.localeCompare(y.uid),
  );
}
