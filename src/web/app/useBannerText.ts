import { useMemo } from 'react';
import { aggregateMarking, formatMarking, type Marking } from '../../domain/marking';

/** Shown until the first zones arrive: nothing classified is on screen yet. */
const EMPTY_MARKING = 'UNCLASSIFIED';

export interface OnScreen {
  /** Markings of the zones on the map, and their aggregate as the server gave it. */
  zoneMarkings: readonly Marking[];
  zonesText: string | null;
  /** The aggregate of the live tracks, when there are any. */
  trackMarking: Marking | null;
  /** Anything else on screen: version history, a trail, open alerts, a replay. */
  others: readonly (readonly Marking[])[];
}

/**
 * The banner text: the highest classification and common releasability of everything on screen.
 * With zones only, the server's own aggregate is used as it is.
 */
export function useBannerText({ zoneMarkings, zonesText, trackMarking, others }: OnScreen): string {
  return useMemo(() => {
    const extra = others.flat();
    if (!trackMarking && extra.length === 0) return zonesText ?? EMPTY_MARKING;
    return formatMarking(
      aggregateMarking([...zoneMarkings, ...(trackMarking ? [trackMarking] : []), ...extra]),
    );
  }, [zoneMarkings, zonesText, trackMarking, others]);
}
