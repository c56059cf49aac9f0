import { fold } from '../zones/filter';
import { type TrackFeature, type TrackKind, trackKind } from './types';

/** The tracks of the kinds switched on whose callsign (or uid) contains the query. */
export function filterTracks(
  tracks: readonly TrackFeature[],
  visible: ReadonlySet<TrackKind>,
  query: string,
): TrackFeature[] {
  const q = fold(query.trim());
  return tracks.filter(
    (f) =>
      visible.has(trackKind(f.properties)) &&
      (!q || fold(String(f.properties.callsign ?? '')).includes(q) || fold(String(f.id)).includes(q)),
  );
}

export function countTracksByKind(tracks: readonly TrackFeature[]): Map<TrackKind, number> {
  const counts = new Map<TrackKind, number>();
  for (const f of tracks) {
    const kind = trackKind(f.properties);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}
