import {
  ALERT_DEDUP_WINDOW_MS,
  type AlertFeature,
  type AlertHistoryEntry,
  dedupKey,
} from '../../../domain/alert-status.js';
import type { AlertCandidate, AlertSeverity, AlertStatus, FencePosition } from '../../../domain/alerts.js';
import { formatMarking } from '../../../domain/marking.js';
import type { Affiliation, TrackKind } from '../../../domain/tracks.js';
import type { ZoneKind } from '../../../domain/zones.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import type { AlertRow, HistoryRow, NewAlert } from './alerts.store.js';

/** Rows to the wire and candidates to rows: no I/O here. */

export function toAlertFeature(r: AlertRow): AlertFeature {
  const marking = columnsToMarking(r);
  return {
    type: 'Feature',
    id: r.id,
    geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    properties: {
      id: r.id,
      trigger: r.trigger as AlertFeature['properties']['trigger'],
      severity: r.severity as AlertSeverity,
      summary: r.summary,
      trackUid: r.track_uid,
      trackCallsign: r.track_callsign,
      trackKind: r.track_kind as TrackKind | null,
      trackAffiliation: r.track_affiliation as Affiliation | null,
      zoneId: r.zone_id,
      zoneName: r.zone_name,
      zoneKind: r.zone_kind as ZoneKind | null,
      zoneVersion: r.zone_version,
      notificationId: r.notification_id,
      incidentId: r.incident_id,
      sourceAlertId: r.source_alert_id,
      distanceM: r.distance_m === null ? null : Math.round(r.distance_m),
      positions: r.positions as FencePosition[],
      at: r.at.toISOString(),
      raisedAt: r.raised_at.toISOString(),
      status: r.status as AlertStatus,
      assignee: r.assignee,
      acknowledgedBy: r.acknowledged_by,
      acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
      resolvedBy: r.resolved_by,
      resolvedAt: r.resolved_at?.toISOString() ?? null,
      note: r.note,
      version: r.version,
      marking,
      markingText: formatMarking(marking),
    },
  };
}

export function toHistoryEntry(r: HistoryRow): AlertHistoryEntry {
  return {
    action: r.action,
    at: r.at.toISOString(),
    actor: r.actor,
    actorName: r.actor_name,
    assignee: r.assignee,
    note: r.note,
    version: r.version,
  };
}

/** Why a candidate cannot be stored, or null. The engine is trusted, but not with NaN or an empty path. */
export function candidateProblem(c: AlertCandidate): string | null {
  const last = c.positions.at(-1);
  if (!last) return 'has no positions';
  for (const p of c.positions) {
    if (!Number.isFinite(p.lon) || !Number.isFinite(p.lat) || !Number.isFinite(p.t))
      return 'has a position that is not a number';
    if (Math.abs(p.lon) > 180 || Math.abs(p.lat) > 90) return 'has a position outside WGS84';
  }
  if (!Number.isFinite(c.at) || Number.isNaN(new Date(c.at).getTime())) return 'has no valid time';
  if (!c.marking.releasableTo.length) return 'has a marking released to nobody';
  return null;
}

/**
 * Drops the candidates of one batch that repeat an earlier one of the same batch (same track, zone
 * and trigger within the dedup window); the database drops repeats of stored alerts.
 */
export function dedupBatch(
  candidates: readonly AlertCandidate[],
  windowMs = ALERT_DEDUP_WINDOW_MS,
): AlertCandidate[] {
  const sorted = [...candidates].sort((a, b) => a.at - b.at);
  const last = new Map<string, number>();
  const out: AlertCandidate[] = [];
  for (const c of sorted) {
    const key = dedupKey(c);
    const prev = last.get(key);
    if (prev !== undefined && c.at - prev < windowMs) continue;
    last.set(key, c.at);
    out.push(c);
  }
  return out;
}

export function toNewAlert(c: AlertCandidate): NewAlert {
  const last = c.positions.at(-1)!;
  return {
    trigger: c.trigger,
    severity: c.severity,
    summary: c.summary,
    track_uid: c.track.uid,
    track_callsign: c.track.callsign,
    track_kind: c.track.kind,
    track_affiliation: c.track.affiliation,
    zone_id: c.zone.id,
    zone_version: c.zone.version,
    zone_name: c.zone.name,
    zone_kind: c.zone.kind,
    positions: c.positions.map((p) => ({ lon: p.lon, lat: p.lat, t: p.t })),
    lon: last.lon,
    lat: last.lat,
    at: new Date(c.at).toISOString(),
    ...markingToColumns(c.marking),
  };
}
