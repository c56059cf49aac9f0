import type { Marking } from '../../../domain/marking';

/**
 * The tracks contract of `GET /api/v1/tracks` and the live layer `tracks`, as the web client reads
 * it. Values from the wire are checked before use: a track with an unknown kind or affiliation is
 * still shown (as a unit, or as unknown), never dropped.
 */
export const TRACKS_LAYER = 'tracks';

/** In the order the layer panel lists them: air, then ground, then sea. */
export const TRACK_KINDS = ['uav', 'aircraft', 'vehicle', 'convoy', 'team', 'unit', 'vessel'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

export const AFFILIATIONS = ['friend', 'hostile', 'neutral', 'unknown'] as const;
export type Affiliation = (typeof AFFILIATIONS)[number];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface TrackProperties {
  uid: string;
  kind: string;
  affiliation: string;
  /** MIL-STD-2525C, 15 characters. */
  sidc: string;
  callsign: string;
  organisation: string | null;
  source: string | null;
  alt: number | null;
  /** Degrees from true north; null when unknown. */
  course: number | null;
  /** Metres per second; null when unknown. */
  speed: number | null;
  accuracy: number | null;
  observedAt: string;
  staleAt: string | null;
  /** The sensor footprint (what a UAV's camera sees), when the report carries one. */
  footprint: PolygonGeometry | null;
  marking: Marking;
  markingText: string;
  [extra: string]: unknown;
}

export interface TrackFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: number[] };
  properties: TrackProperties;
}

export function isTrackKind(v: unknown): v is TrackKind {
  return typeof v === 'string' && (TRACK_KINDS as readonly string[]).includes(v);
}

export function isAffiliation(v: unknown): v is Affiliation {
  return typeof v === 'string' && (AFFILIATIONS as readonly string[]).includes(v);
}

/** The kind a track is filed under: one outside the contract counts as a unit rather than vanishing. */
export function trackKind(p: TrackProperties): TrackKind {
  return isTrackKind(p.kind) ? p.kind : 'unit';
}

export function trackAffiliation(p: TrackProperties): Affiliation {
  return isAffiliation(p.affiliation) ? p.affiliation : 'unknown';
}

function isMarking(v: unknown): v is Marking {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { classification?: unknown; releasableTo?: unknown };
  return typeof m.classification === 'string' && Array.isArray(m.releasableTo);
}

/** A feature the map can draw: an id, a point with finite coordinates, and a marking. */
export function isTrackFeature(v: unknown): v is TrackFeature {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as { id?: unknown; geometry?: unknown; properties?: unknown };
  if (typeof f.id !== 'string' && typeof f.id !== 'number') return false;
  const g = f.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
  if (g?.type !== 'Point' || !Array.isArray(g.coordinates)) return false;
  const [lon, lat] = g.coordinates as unknown[];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat))
    return false;
  const p = f.properties as { marking?: unknown } | null | undefined;
  return typeof p === 'object' && p !== null && isMarking(p.marking);
}

/** The track's position as `[lon, lat]`. */
export function trackLonLat(f: TrackFeature): [number, number] {
  return [f.geometry.coordinates[0] ?? 0, f.geometry.coordinates[1] ?? 0];
}
