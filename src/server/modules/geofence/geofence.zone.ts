import { ruleApplies } from '../../../domain/alert-rules.js';
import {
  ALERT_SEVERITIES,
  type AlertCandidate,
  type AlertRule,
  type AlertSeverity,
} from '../../../domain/alerts.js';
import type { Geometry } from '../../../domain/geometry.js';
import type { Marking } from '../../../domain/marking.js';
import { AFFILIATIONS, type Affiliation, TRACK_KINDS, type TrackKind } from '../../../domain/tracks.js';
import type { ZoneKind } from '../../../domain/zones.js';
import { compileShape, type Shape } from './geofence.shape.js';

/** One version of a zone as the engine takes it. Times are epoch ms; validTo null = open-ended. */
export interface FenceZone {
  id: string;
  version: number;
  name: string;
  kind: ZoneKind;
  geometry: Geometry;
  marking: Marking;
  validFrom: number;
  validTo: number | null;
  /** The effective rules (defaults already applied); empty = the zone raises nothing. */
  rules: AlertRule[];
}

/** Trigger bits of a rule table entry. */
export const ENTER = 1;
export const EXIT = 2;
export const CROSS = 4;
export const APPROACH = 8;
export const DWELL = 16;
const BIT = { enter: ENTER, exit: EXIT, cross: CROSS, approach: APPROACH, dwell: DWELL } as const;
const TRIGGER_SLOT = { enter: 0, exit: 1, cross: 2, approach: 3, dwell: 4 } as const;

const KIND_INDEX = Object.fromEntries(TRACK_KINDS.map((k, i) => [k, i])) as Record<TrackKind, number>;
const AFFILIATION_INDEX = Object.fromEntries(AFFILIATIONS.map((a, i) => [a, i])) as Record<
  Affiliation,
  number
>;
export const COMBOS = TRACK_KINDS.length * AFFILIATIONS.length;

/** Track kind and affiliation as one small integer, the row of every zone's rule table. */
export function comboOf(kind: TrackKind, affiliation: Affiliation): number {
  return KIND_INDEX[kind] * AFFILIATIONS.length + AFFILIATION_INDEX[affiliation];
}

/**
 * A zone version compiled for the engine: its shape, its validity, and its rules resolved per
 * (track kind, affiliation) ahead of time, so a report looks up one byte to know what to check.
 */
export interface CompiledZone {
  zone: FenceZone;
  /** Stable small integer of the zone id: per-track state survives a change of version. */
  zid: number;
  shape: Shape;
  from: number;
  to: number;
  /** Trigger bits per combo. */
  masks: Uint8Array;
  /** The rule in force per combo and trigger (combo * 5 + trigger slot). */
  rules: (AlertRule | undefined)[];
  /** How far beyond its bounding box the zone can matter, in metres (approach plus hysteresis). */
  reachM: number;
  /** What each alert carries about the zone. */
  ref: AlertCandidate['zone'];
  /** aggregateMarking of a track released to all, without caveats, per classification level, and this zone. */
  markingByLevel: (Marking | undefined)[];
  /** Per rule slot (as `rules`), its alerts' severity and summary after the callsign, built on first use. */
  alertTexts: ({ severity: AlertSeverity; tail: string } | undefined)[];
}

const severityRank = (r: AlertRule) => ALERT_SEVERITIES.indexOf(r.severity ?? 'warning');

export function compileZone(zone: FenceZone, zid: number, hysteresisM: number): CompiledZone {
  const shape = compileShape(zone.geometry);
  const masks = new Uint8Array(COMBOS);
  const rules: (AlertRule | undefined)[] = new Array(COMBOS * 5).fill(undefined);
  let maxApproach = 0;
  for (const kind of TRACK_KINDS)
    for (const aff of AFFILIATIONS) {
      const c = comboOf(kind, aff);
      for (const r of zone.rules) {
        if (!ruleApplies(r, kind, aff) || !usable(r, shape)) continue;
        const at = c * 5 + TRIGGER_SLOT[r.trigger];
        const prev = rules[at];
        // One alert per trigger: when several rules select the same track, the most severe wins.
        if (prev && severityRank(prev) >= severityRank(r)) continue;
        rules[at] = r;
        masks[c] = masks[c]! | BIT[r.trigger];
      }
    }
  for (const r of zone.rules)
    if (r.trigger === 'approach') maxApproach = Math.max(maxApproach, r.distanceM ?? 0);
  return {
    zone,
    zid,
    shape,
    from: zone.validFrom,
    to: zone.validTo ?? Infinity,
    masks,
    rules,
    reachM: maxApproach + hysteresisM + 1,
    ref: { id: zone.id, version: zone.version, name: zone.name, kind: zone.kind, marking: zone.marking },
    markingByLevel: [],
    alertTexts: new Array(COMBOS * 5).fill(undefined),
  };
}

/** Areas can be entered, left, dwelt in and crossed; lines only crossed; any zone approached. */
function usable(r: AlertRule, s: Shape): boolean {
  switch (r.trigger) {
    case 'approach':
      return r.distanceM !== undefined;
    case 'cross':
      return s.kind !== 'point';
    case 'dwell':
      return s.kind === 'area' && r.dwellS !== undefined;
    default:
      return s.kind === 'area';
  }
}

/** Where the rule of a combo and trigger is in a CompiledZone's `rules` (and `summaryTails`). */
export function ruleSlot(combo: number, trigger: keyof typeof TRIGGER_SLOT): number {
  return combo * 5 + TRIGGER_SLOT[trigger];
}
