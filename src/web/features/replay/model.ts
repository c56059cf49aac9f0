import type { Marking } from '../../../domain/marking';
import type { ReplayTrack, ReplayWindow } from '../../../domain/replay';
import { isAffiliation, isTrackKind } from '../tracks/types';

/**
 * A loaded replay window, indexed for drawing a frame: per track, absolute times in a typed array
 * so that finding "the position before T" is a binary search, and nothing is allocated per frame
 * beyond the answer itself.
 */

/** How far back each track's trail reaches from the replay time. */
export const REPLAY_TRAIL_MS = 5 * 60_000;
/** Used when the server gives no usable stale interval: the default of position reports. */
const DEFAULT_STALE_MS = 5 * 60_000;

/** A track of the answer as drawn: the same attributes, its times absolute and in typed arrays. */
export interface ReplayTrackModel
  extends Pick<
    ReplayTrack,
    'uid' | 'kind' | 'affiliation' | 'sidc' | 'callsign' | 'staleAfterMs' | 'marking' | 'course' | 'speed'
  > {
  /** Epoch ms, ascending. */
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
}

export interface ReplayModel {
  /** Epoch ms. */
  from: number;
  to: number;
  /** Complete up to here (exclusive): `to`, or earlier when the server cut the window. */
  until: number;
  truncated: boolean;
  positions: number;
  tracks: readonly ReplayTrackModel[];
  marking: Marking;
  markingText: string;
}

/** Where a track is at a replay time, or nothing when it is not on the picture then. */
export interface ReplayPosition {
  lon: number;
  lat: number;
  /** Degrees from true north; null when unknown or not moving. */
  course: number | null;
  speed: number | null;
}

const finiteOr = (v: unknown, or: number) => (typeof v === 'number' && Number.isFinite(v) ? v : or);
const numberOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads the server's answer defensively: a track with arrays of unequal length keeps the common part. */
export function toModel(w: ReplayWindow): ReplayModel {
  const from = Date.parse(w.from);
  const to = Date.parse(w.to);
  const tracks: ReplayTrackModel[] = [];
  for (const r of w.tracks ?? []) {
    const n = Math.min(r.t?.length ?? 0, r.lon?.length ?? 0, r.lat?.length ?? 0);
    if (n === 0 || typeof r.uid !== 'string') continue;
    const t = new Float64Array(n);
    const lon = new Float64Array(n);
    const lat = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      t[i] = from + finiteOr(r.t[i], 0);
      lon[i] = finiteOr(r.lon[i], 0);
      lat[i] = finiteOr(r.lat[i], 0);
    }
    const stale = finiteOr(r.staleAfterMs, DEFAULT_STALE_MS);
    tracks.push({
      uid: r.uid,
      kind: isTrackKind(r.kind) ? r.kind : 'unit',
      affiliation: isAffiliation(r.affiliation) ? r.affiliation : 'unknown',
      sidc: typeof r.sidc === 'string' ? r.sidc : '',
      callsign: typeof r.callsign === 'string' && r.callsign ? r.callsign : r.uid,
      staleAfterMs: stale > 0 ? stale : DEFAULT_STALE_MS,
      marking: r.marking,
      t,
      lon,
      lat,
      course: Array.from({ length: n }, (_, i) => numberOrNull(r.course?.[i])),
      speed: Array.from({ length: n }, (_, i) => numberOrNull(r.speed?.[i])),
    });
  }
  return {
    from,
    to,
    until: Number.isFinite(Date.parse(w.until)) ? Date.parse(w.until) : to,
    truncated: w.truncated === true,
    positions: tracks.reduce((n, tr) => n + tr.t.length, 0),
    tracks,
    marking: w.marking,
    markingText: w.markingText,
  };
}

/** The index of the last position at or before `time`, or -1 when all are later. */
export function indexAt(times: Float64Array, time: number): number {
  let lo = 0;
  let hi = times.length - 1;
  if (hi < 0 || (times[0] ?? Number.POSITIVE_INFINITY) > time) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] ?? 0) <= time) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Degrees from north, clockwise, from one position to the next (flat-earth: fine over a segment). */
function bearing(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dx = (lon2 - lon1) * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  const dy = lat2 - lat1;
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
}

/**
 * Where a track is at `time`: on the picture from its first position; between two positions by
 * linear interpolation; after a position, held there until its stale interval runs out, like a
 * live track that stops reporting. Two positions further apart than the stale interval are not
 * joined: the track holds, disappears, and reappears at the next one.
 */
export function positionAt(tr: ReplayTrackModel, time: number): ReplayPosition | null {
  const i = indexAt(tr.t, time);
  if (i < 0) return null;
  const t0 = tr.t[i] ?? 0;
  const lon0 = tr.lon[i] ?? 0;
  const lat0 = tr.lat[i] ?? 0;
  const course0 = tr.course[i] ?? null;
  const speed0 = tr.speed[i] ?? null;
  const next = i + 1 < tr.t.length ? i + 1 : -1;
  const t1 = next >= 0 ? (tr.t[next] ?? 0) : Number.POSITIVE_INFINITY;
  const joined = next >= 0 && t1 - t0 <= tr.staleAfterMs;
  if (!joined) {
    if (time - t0 > tr.staleAfterMs) return null;
    return { lon: lon0, lat: lat0, course: course0, speed: speed0 };
  }
  const lon1 = tr.lon[next] ?? lon0;
  const lat1 = tr.lat[next] ?? lat0;
  const f = t1 > t0 ? (time - t0) / (t1 - t0) : 0;
  const moving = lon1 !== lon0 || lat1 !== lat0;
  return {
    lon: lon0 + (lon1 - lon0) * f,
    lat: lat0 + (lat1 - lat0) * f,
    // A reported course wins; otherwise the way the track is going between the two positions.
    course: course0 ?? (moving ? bearing(lon0, lat0, lon1, lat1) : null),
    speed: speed0 ?? (moving ? null : 0),
  };
}

/**
 * The track's path over the `span` ms up to `time`, `[lon, lat]` oldest first, ending where the
 * track is now; empty when it is not on the picture. A gap longer than the stale interval ends it.
 */
export function trailAt(
  tr: ReplayTrackModel,
  time: number,
  now: ReplayPosition | null,
  span = REPLAY_TRAIL_MS,
): [number, number][] {
  if (!now) return [];
  const last = indexAt(tr.t, time);
  const out: [number, number][] = [];
  for (let i = last; i >= 0; i--) {
    const ti = tr.t[i] ?? 0;
    if (ti < time - span) break;
    if (i < last && (tr.t[i + 1] ?? 0) - ti > tr.staleAfterMs) break;
    out.push([tr.lon[i] ?? 0, tr.lat[i] ?? 0]);
  }
  out.reverse();
  out.push([now.lon, now.lat]);
  return out;
}
