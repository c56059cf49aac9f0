import type { Geometry } from '../../../domain/geometry.js';
import type { Affiliation, TrackKind, TrackState } from '../../../domain/tracks.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import type { TrackRow } from './tracks.store.js';

export function rowToState(r: TrackRow): TrackState {
  return {
    uid: r.uid,
    kind: r.kind as TrackKind,
    affiliation: r.affiliation as Affiliation,
    sidc: r.sidc,
    callsign: r.callsign,
    source: r.source,
    lat: r.lat,
    lon: r.lon,
    alt: r.alt,
    course: r.course,
    speed: r.speed,
    accuracy: r.accuracy,
    footprint: (r.footprint ?? null) as Geometry | null,
    observedAt: r.observed_at.getTime(),
    staleAt: r.stale_at.getTime(),
    marking: columnsToMarking(r),
    version: r.version,
  };
}
