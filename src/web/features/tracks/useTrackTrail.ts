import { useEffect, useState } from 'react';
import { formatMarking, type Marking } from '../../../domain/marking';
import { fetchTrackHistory } from './tracksApi';
import { type TrackFeature, trackLonLat } from './types';

/** How far back the trail of the selected track reaches. */
export const TRAIL_MINUTES = 10;
const TRAIL_MS = TRAIL_MINUTES * 60_000;
/** One report a second for ten minutes, with room to spare. */
const HISTORY_LIMIT = 1_000;

interface TrailPoint {
  at: number;
  lon: number;
  lat: number;
}

export interface TrailState {
  uid: string | null;
  status: 'idle' | 'loading' | 'loaded' | 'failed';
  detail?: string;
  points: readonly TrailPoint[];
  /** The distinct markings the history's positions are kept under: the banners must cover them. */
  markings: readonly Marking[];
}

const IDLE: TrailState = { uid: null, status: 'idle', points: [], markings: [] };

function finite(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Reads the history answer: a plain array of positions (`{observedAt, lat, lon, …}`), or a GeoJSON
 * FeatureCollection of Point features whose properties hold `observedAt` and a `marking` each.
 */
function readHistory(body: unknown): { points: TrailPoint[]; markings: Marking[] } {
  const items: unknown[] = Array.isArray(body)
    ? body
    : Array.isArray((body as { features?: unknown } | null)?.features)
      ? (body as { features: unknown[] }).features
      : [];
  const points: TrailPoint[] = [];
  const markings = new Map<string, Marking>();
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const r = item as Record<string, unknown>;
    const props = (typeof r.properties === 'object' && r.properties !== null ? r.properties : r) as Record<
      string,
      unknown
    >;
    const coords = (r.geometry as { coordinates?: unknown } | null | undefined)?.coordinates;
    const lon = finite(Array.isArray(coords) ? coords[0] : r.lon);
    const lat = finite(Array.isArray(coords) ? coords[1] : r.lat);
    const at = typeof props.observedAt === 'string' ? Date.parse(props.observedAt) : Number.NaN;
    if (lon === null || lat === null || !Number.isFinite(at)) continue;
    points.push({ at, lon, lat });
    const m = props.marking as Marking | undefined;
    if (m && typeof m.classification === 'string' && Array.isArray(m.releasableTo))
      markings.set(formatMarking(m), m);
  }
  points.sort((a, b) => a.at - b.at);
  return { points, markings: [...markings.values()] };
}

function trim(points: TrailPoint[]): TrailPoint[] {
  const newest = points[points.length - 1]?.at ?? 0;
  return points.filter((p) => p.at >= newest - TRAIL_MS);
}

/** Adds `extra` points newer than everything in `base`, keeping time order. */
function merge(base: readonly TrailPoint[], extra: readonly TrailPoint[]): TrailPoint[] {
  const last = base[base.length - 1]?.at ?? Number.NEGATIVE_INFINITY;
  return trim([...base, ...extra.filter((p) => p.at > last)]);
}

/**
 * The last ten minutes of the selected track: the history endpoint once on selection, then every
 * position the live feed brings while it stays selected.
 */
export function useTrackTrail(uid: string | null, track: TrackFeature | undefined): TrailState {
  const [state, setState] = useState<TrailState>(IDLE);

  useEffect(() => {
    if (!uid) {
      setState(IDLE);
      return;
    }
    let cancelled = false;
    setState({ uid, status: 'loading', points: [], markings: [] });
    fetchTrackHistory(uid, new Date(Date.now() - TRAIL_MS), HISTORY_LIMIT).then(
      (body) => {
        if (cancelled) return;
        const { points, markings } = readHistory(body);
        // Live positions that arrived while the history loaded come after it.
        setState((s) => ({
          uid,
          status: 'loaded',
          points: merge(points, s.uid === uid ? s.points : []),
          markings,
        }));
      },
      (e: unknown) => {
        if (cancelled) return;
        const detail = e instanceof Error ? e.message : String(e);
        setState((s) => ({
          uid,
          status: 'failed',
          detail,
          points: s.uid === uid ? s.points : [],
          markings: [],
        }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [uid]);

  const observedAt = track?.properties.observedAt;
  const [lon, lat] = track ? trackLonLat(track) : [Number.NaN, Number.NaN];
  useEffect(() => {
    if (!uid || !observedAt) return;
    const at = Date.parse(observedAt);
    if (!Number.isFinite(at) || !Number.isFinite(lon) || !Number.isFinite(lat)) return;
    setState((s) => (s.uid === uid ? { ...s, points: merge(s.points, [{ at, lon, lat }]) } : s));
  }, [uid, observedAt, lon, lat]);

  return state;
}

/** The trail as `[lon, lat]` pairs, oldest first, for the map. */
export function trailCoordinates(trail: TrailState): [number, number][] {
  return trail.points.map((p) => [p.lon, p.lat]);
}
