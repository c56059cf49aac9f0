import type { AlertCandidate, AlertSeverity, AlertStatus, AlertTrigger, FencePosition } from './alerts.js';
import type { Marking } from './marking.js';
import type { Affiliation, TrackKind } from './tracks.js';
import type { ZoneKind } from './zones.js';

/** What happens to an alert once raised: the status machine the server enforces and the web renders. */

export const ALERT_ACTIONS = ['acknowledge', 'assign', 'resolve', 'reopen'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** What the timeline records: the raise and each action, in the past tense. */
export const ALERT_HISTORY_KINDS = ['raised', 'acknowledged', 'assigned', 'resolved', 'reopened'] as const;
export type AlertHistoryKind = (typeof ALERT_HISTORY_KINDS)[number];

/** From which statuses each action may be taken, and the status it leads to (null: unchanged). */
export const ALERT_TRANSITIONS: Record<
  AlertAction,
  { from: readonly AlertStatus[]; to: AlertStatus | null }
> = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  // Assigning says who follows it up; it neither acknowledges nor resolves.
  assign: { from: ['open', 'acknowledged'], to: null },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
  reopen: { from: ['resolved'], to: 'open' },
};

export const HISTORY_KIND_OF: Record<AlertAction, AlertHistoryKind> = {
  acknowledge: 'acknowledged',
  assign: 'assigned',
  resolve: 'resolved',
  reopen: 'reopened',
};

export function canTransition(action: AlertAction, status: AlertStatus): boolean {
  return ALERT_TRANSITIONS[action].from.includes(status);
}

/** The actions a status allows, in the order the web shows them. */
export function allowedActions(status: AlertStatus): AlertAction[] {
  return ALERT_ACTIONS.filter((a) => canTransition(a, status));
}

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** The highest of some severities, or null when there are none. */
export function highestSeverity(list: Iterable<AlertSeverity>): AlertSeverity | null {
  let best: AlertSeverity | null = null;
  for (const s of list) if (best === null || SEVERITY_RANK[s] > SEVERITY_RANK[best]) best = s;
  return best;
}

/**
 * The same track meeting the same zone the same way within this window (observation time) is one
 * alert, not several: a track that jitters on a line raises one crossing, not one per report.
 */
export const ALERT_DEDUP_WINDOW_MS = 60_000;

export function dedupKey(c: Pick<AlertCandidate, 'trigger' | 'track' | 'zone'>): string {
  return `${c.track.uid}\u0000${c.zone.id}\u0000${c.trigger}`;
}

/**
 * Not a geofence rule's trigger: an incident or alert near a notified site or an en-route notified
 * movement ("notified site affected"), raised by the aid module.
 */
export const NOTIFIED_SITE_TRIGGER = 'notified-site';

/** An alert as the API and the live hub give it: a Point Feature at the triggering position. */
export interface AlertFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    id: string;
    trigger: AlertTrigger | typeof NOTIFIED_SITE_TRIGGER;
    severity: AlertSeverity;
    summary: string;
    /** The track and zone of a geofence alert; null for a notified-site alert. */
    trackUid: string | null;
    trackCallsign: string | null;
    trackKind: TrackKind | null;
    trackAffiliation: Affiliation | null;
    zoneId: string | null;
    zoneName: string | null;
    zoneKind: ZoneKind | null;
    zoneVersion: number | null;
    /** A notified-site alert: the notification affected, and the incident or alert that affected it. */
    notificationId: string | null;
    incidentId: string | null;
    sourceAlertId: string | null;
    /** Metres from the notified site or route to what affected it. */
    distanceM: number | null;
    positions: FencePosition[];
    /** Observation time of the triggering report. */
    at: string;
    raisedAt: string;
    status: AlertStatus;
    /** Usernames; null when nobody. */
    assignee: string | null;
    acknowledgedBy: string | null;
    acknowledgedAt: string | null;
    resolvedBy: string | null;
    resolvedAt: string | null;
    /** The resolution note. */
    note: string | null;
    version: number;
    marking: Marking;
    markingText: string;
  };
}

/** One entry of an alert's timeline. */
export interface AlertHistoryEntry {
  action: AlertHistoryKind;
  at: string;
  /** Username; null for the system (the raise). */
  actor: string | null;
  actorName: string | null;
  assignee: string | null;
  note: string | null;
  version: number;
}

export interface AlertCounts {
  open: number;
  acknowledged: number;
  resolved: number;
  /** Open alerts by severity, so the bell can take the colour of the worst. */
  openBySeverity: Record<AlertSeverity, number>;
}
