import type { AlertFeature, AlertHistoryEntry } from '../../../domain/alert-status';
import type { AlertSeverity, AlertStatus } from '../../../domain/alerts';

export type { AlertCounts, AlertFeature, AlertHistoryEntry } from '../../../domain/alert-status';
export type { AlertSeverity, AlertStatus } from '../../../domain/alerts';
export { ALERT_SEVERITIES, ALERT_STATUSES, ALERTS_LAYER } from '../../../domain/alerts';

/** An alert with its timeline, as `GET /alerts/:id` gives it. */
export type AlertWithHistory = AlertFeature & { actions: AlertHistoryEntry[] };

const SEVERITIES: readonly string[] = ['info', 'warning', 'critical'];
const STATUSES: readonly string[] = ['open', 'acknowledged', 'resolved'];

/** Values from the wire are checked before use: an alert that lacks what the list shows is dropped. */
export function isAlertFeature(v: unknown): v is AlertFeature {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as { id?: unknown; geometry?: { coordinates?: unknown }; properties?: Record<string, unknown> };
  const p = f.properties;
  return (
    typeof f.id === 'string' &&
    Array.isArray(f.geometry?.coordinates) &&
    typeof p === 'object' &&
    p !== null &&
    SEVERITIES.includes(p.severity as string) &&
    STATUSES.includes(p.status as string) &&
    typeof p.summary === 'string' &&
    typeof p.version === 'number' &&
    typeof p.at === 'string'
  );
}

export function alertLonLat(a: AlertFeature): [number, number] {
  const [lon = 0, lat = 0] = a.geometry.coordinates;
  return [lon, lat];
}

export const isSeverity = (v: unknown): v is AlertSeverity => SEVERITIES.includes(v as string);
export const isStatus = (v: unknown): v is AlertStatus => STATUSES.includes(v as string);
