import type { Marking } from '../../../domain/marking';

/**
 * Alerts as replay shows them: a marker on the map from their time for a while, a tick on the time
 * bar and a line in the list. Read defensively from `GET /api/v1/alerts` (a GeoJSON
 * FeatureCollection), whose module may not be on every server yet.
 */

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type ReplaySeverity = (typeof ALERT_SEVERITIES)[number];

/** How long after its time an alert's marker stays on the map. */
export const ALERT_MARKER_MS = 5 * 60_000;

export interface ReplayAlert {
  id: string;
  /** Epoch ms. */
  at: number;
  severity: ReplaySeverity;
  summary: string;
  trackUid: string | null;
  zoneName: string | null;
  /** Where it happened, when the alert says. */
  lon: number | null;
  lat: number | null;
  marking: Marking | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

function isMarking(v: unknown): v is Marking {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { classification?: unknown; releasableTo?: unknown };
  return typeof m.classification === 'string' && Array.isArray(m.releasableTo);
}

/** The alerts of an answer, oldest first; entries without an id or a time are left out. */
export function readAlerts(body: unknown): ReplayAlert[] {
  const features = (body as { features?: unknown } | null)?.features;
  if (!Array.isArray(features)) return [];
  const out: ReplayAlert[] = [];
  for (const f of features) {
    if (typeof f !== 'object' || f === null) continue;
    const feature = f as { id?: unknown; properties?: unknown; geometry?: unknown };
    const p = (feature.properties ?? {}) as Record<string, unknown>;
    const id = text(p.id) ?? (typeof feature.id === 'string' ? feature.id : null);
    const at = typeof p.at === 'string' ? Date.parse(p.at) : Number.NaN;
    if (!id || !Number.isFinite(at)) continue;
    const c = (feature.geometry as { coordinates?: unknown } | null)?.coordinates;
    const lon = Array.isArray(c) && typeof c[0] === 'number' && Number.isFinite(c[0]) ? c[0] : null;
    const lat = Array.isArray(c) && typeof c[1] === 'number' && Number.isFinite(c[1]) ? c[1] : null;
    const severity = (ALERT_SEVERITIES as readonly unknown[]).includes(p.severity)
      ? (p.severity as ReplaySeverity)
      : 'info';
    out.push({
      id,
      at,
      severity,
      summary: text(p.summary) ?? id,
      trackUid: text(p.trackUid),
      zoneName: text(p.zoneName),
      lon: lon !== null && lat !== null ? lon : null,
      lat: lon !== null && lat !== null ? lat : null,
      marking: isMarking(p.marking) ? p.marking : null,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Alerts whose marker is on the map at `time`. */
export function alertsShownAt(alerts: readonly ReplayAlert[], time: number): ReplayAlert[] {
  return alerts.filter((a) => a.lon !== null && a.at <= time && time - a.at < ALERT_MARKER_MS);
}
