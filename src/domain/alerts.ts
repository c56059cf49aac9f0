import { type Static, Type } from 'typebox';
import type { Marking } from './marking.js';
import { AFFILIATIONS, type Affiliation, TRACK_KINDS, type TrackKind } from './tracks.js';
import type { ZoneKind } from './zones.js';

/** Geofence alerts: what the geofence engine raises when a track meets a zone the way a rule says. */

export const ALERTS_LAYER = 'alerts';

/** enter/exit an area, cross a line (or an area's edge), come within N metres, stay longer than T. */
export const ALERT_TRIGGERS = ['enter', 'exit', 'cross', 'approach', 'dwell'] as const;
export type AlertTrigger = (typeof ALERT_TRIGGERS)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** One rule of a zone: which trigger, for which track kinds and affiliations (absent = all). */
export const AlertRuleSchema = Type.Object(
  {
    trigger: Type.Enum(ALERT_TRIGGERS),
    kinds: Type.Optional(Type.Array(Type.Enum(TRACK_KINDS), { uniqueItems: true })),
    affiliations: Type.Optional(Type.Array(Type.Enum(AFFILIATIONS), { uniqueItems: true })),
    /** approach: alert within this many metres. */
    distanceM: Type.Optional(Type.Number({ minimum: 1, maximum: 100_000 })),
    /** dwell: alert after this many seconds inside. */
    dwellS: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 86_400 })),
    severity: Type.Optional(Type.Enum(ALERT_SEVERITIES)),
  },
  { additionalProperties: false },
);
export type AlertRule = Static<typeof AlertRuleSchema>;

/** A position of a track as the engine sees it: epoch ms. */
export interface FencePosition {
  lon: number;
  lat: number;
  t: number;
}

/** The track attributes a rule selects on, and whose marking the alert derives from. */
export interface FenceTrack {
  uid: string;
  kind: TrackKind;
  affiliation: Affiliation;
  callsign: string;
  marking: Marking;
}

/** What the engine raises; the alerts service stores it and gives it an id. */
export interface AlertCandidate {
  trigger: AlertTrigger;
  severity: AlertSeverity;
  track: FenceTrack;
  zone: { id: string; version: number; name: string; kind: ZoneKind; marking: Marking };
  /** When it happened (the observation time of the triggering report), epoch ms. */
  at: number;
  /** The positions that triggered it, oldest first (two for a crossing). */
  positions: FencePosition[];
  /** Derived from the track's and the zone's markings: whoever sees it may see both. */
  marking: Marking;
  /** Human-readable, e.g. "VEH-7 crossed Withdrawal line (v2)". */
  summary: string;
}
