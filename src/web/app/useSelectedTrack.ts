import { useMemo } from 'react';
import type { Marking } from '../../domain/marking';
import type { TrackFeature } from '../features/tracks/types';
import { trailCoordinates, useTrackTrail } from '../features/tracks/useTrackTrail';

const NO_TRAIL: [number, number][] = [];
const NO_MARKINGS: readonly Marking[] = [];

/** The selected track as the picture has it now, and its trail. */
export function useSelectedTrack(byId: ReadonlyMap<string, TrackFeature>, selectedTrackId: string | null) {
  const selectedTrack = selectedTrackId ? byId.get(selectedTrackId) : undefined;
  const trail = useTrackTrail(selectedTrackId, selectedTrack);
  const hasSelectedTrack = selectedTrack !== undefined;
  // The trail goes with the track: one that left the picture takes its trail (and marking) along.
  const trailOnMap = useMemo(
    () => (hasSelectedTrack ? trailCoordinates(trail) : NO_TRAIL),
    [trail, hasSelectedTrack],
  );
  const trailMarkings = hasSelectedTrack ? trail.markings : NO_MARKINGS;
  return { selectedTrack, trail, trailOnMap, trailMarkings };
}
