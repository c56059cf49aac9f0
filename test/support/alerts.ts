import { randomUUID } from 'node:crypto';
import type { AlertCandidate, AlertSeverity, AlertTrigger } from '../../src/domain/alerts.js';
import type { Marking } from '../../src/domain/marking.js';

let seq = 0;

/** An alert candidate as the geofence engine would raise it; each call a new track unless told. */
export function candidate(
  marking: Marking,
  o: {
    uid?: string;
    zoneId?: string;
    trigger?: AlertTrigger;
    severity?: AlertSeverity;
    at?: number;
    lon?: number;
    lat?: number;
    callsign?: string;
    zoneName?: string;
  } = {},
): AlertCandidate {
  const n = ++seq;
  const at = o.at ?? Date.now();
  const lon = o.lon ?? 34.4;
  const lat = o.lat ?? 31.4;
  const callsign = o.callsign ?? `VEH-${n}`;
  const zoneName = o.zoneName ?? `Zone ${n}`;
  return {
    trigger: o.trigger ?? 'enter',
    severity: o.severity ?? 'warning',
    track: {
      uid: o.uid ?? `alert-track-${process.pid}-${n}-${Math.random().toString(36).slice(2, 8)}`,
      kind: 'vehicle',
      affiliation: 'unknown',
      callsign,
      marking,
    },
    zone: { id: o.zoneId ?? randomUUID(), version: 2, name: zoneName, kind: 'buffer-zone', marking },
    at,
    positions: [
      { lon: lon - 0.01, lat, t: at - 5000 },
      { lon, lat, t: at },
    ],
    marking,
    summary: `${callsign} entered ${zoneName} (v2)`,
  };
}
