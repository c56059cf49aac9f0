import { aggregateMarking, formatMarking, type Marking } from '../../domain/marking.js';

/**
 * A list answered as GeoJSON: the features with the marking that covers them all, so a client
 * shows one banner for what it received, and whether more matched than were sent.
 */
export function markedCollection<F extends { properties: { marking: Marking } }>(
  features: F[],
  truncated: boolean,
) {
  const marking = aggregateMarking(features.map((f) => f.properties.marking));
  return {
    type: 'FeatureCollection' as const,
    features,
    marking,
    markingText: formatMarking(marking),
    truncated,
  };
}
