import type { Marking } from '../../src/domain/marking.js';
import type { ZoneInput } from '../../src/domain/zones.js';

export function squareZone(name: string, marking: Marking, lon = 34.4, lat = 31.4, d = 0.01): ZoneInput {
  return {
    name,
    kind: 'restricted-area',
    marking,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [lon - d, lat - d],
          [lon + d, lat - d],
          [lon + d, lat + d],
          [lon - d, lat + d],
          [lon - d, lat - d],
        ],
      ],
    },
  };
}
