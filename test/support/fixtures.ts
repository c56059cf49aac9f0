import type { Marking } from '../../src/domain/marking.js';
import type { ValidReport } from '../../src/domain/position-reports.js';
import type { ZoneInput } from '../../src/domain/zones.js';

/** A square of `half` degrees around a point, as a GeoJSON Polygon. */
export function squarePolygon(lon: number, lat: number, half: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
      ],
    ],
  };
}

export function squareZone(name: string, marking: Marking, lon = 34.4, lat = 31.4, d = 0.01): ZoneInput {
  return { name, kind: 'restricted-area', marking, geometry: squarePolygon(lon, lat, d) };
}

/** A checked position report at the strip's centre with no optional fields; `at` is its observation time. */
export function plainReport(uid: string, at: number, staleAfterMs = 60_000): ValidReport {
  return {
    uid,
    observedAt: at,
    staleAt: at + staleAfterMs,
    lat: 31.4,
    lon: 34.4,
    alt: null,
    course: null,
    speed: null,
    accuracy: null,
    footprint: null,
  };
}
