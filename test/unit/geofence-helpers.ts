import type { AlertRule, FencePosition, FenceTrack } from '../../src/domain/alerts.js';
import { METRES_PER_DEGREE } from '../../src/domain/geo-predicates.js';
import type { Geometry, Position } from '../../src/domain/geometry.js';
import type { Marking } from '../../src/domain/marking.js';
import type { ZoneKind } from '../../src/domain/zones.js';
import type { FenceZone } from '../../src/server/modules/geofence/index.js';

/** Geometry in metres around a point near Deir al-Balah, 31.4°N. */
export const LON0 = 34.4;
export const LAT0 = 31.4;
const KX = METRES_PER_DEGREE * Math.cos((LAT0 * Math.PI) / 180);

export const pt = (x: number, y: number): Position => [LON0 + x / KX, LAT0 + y / METRES_PER_DEGREE];

export function at(x: number, y: number, t: number): FencePosition {
  const [lon, lat] = pt(x, y) as [number, number];
  return { lon, lat, t };
}

export function square(cx: number, cy: number, half: number): Position[] {
  return [
    pt(cx - half, cy - half),
    pt(cx + half, cy - half),
    pt(cx + half, cy + half),
    pt(cx - half, cy + half),
    pt(cx - half, cy - half),
  ];
}

export const OPEN: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };

export function zone(
  id: string,
  geometry: Geometry,
  rules: AlertRule[],
  more: Partial<FenceZone> & { kind?: ZoneKind } = {},
): FenceZone {
  return {
    id,
    version: 1,
    name: id,
    kind: geometry.type.includes('Line') ? 'withdrawal-line' : 'restricted-area',
    geometry,
    marking: OPEN,
    validFrom: 0,
    validTo: null,
    rules,
    ...more,
  };
}

export function track(uid: string, more: Partial<FenceTrack> = {}): FenceTrack {
  return {
    uid,
    kind: 'vehicle',
    affiliation: 'hostile',
    callsign: uid.toUpperCase(),
    marking: OPEN,
    ...more,
  };
}

export const ENTER_EXIT: AlertRule[] = [
  { trigger: 'enter', severity: 'warning' },
  { trigger: 'exit', severity: 'info' },
];
