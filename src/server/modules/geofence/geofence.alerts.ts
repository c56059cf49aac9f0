import type {
  AlertCandidate,
  AlertRule,
  AlertTrigger,
  FencePosition,
  FenceTrack,
} from '../../../domain/alerts.js';
import {
  aggregateMarking,
  classificationLevel,
  type Marking,
  RELEASABLE_TO_ALL,
} from '../../../domain/marking.js';
import type { CompiledZone } from './geofence.zone.js';

function duration(s: number): string {
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

/** What a summary says after the track's callsign: the same for every alert of a zone version's rule. */
function summaryTail(trigger: AlertTrigger, zone: string, rule: AlertRule): string {
  switch (trigger) {
    case 'enter':
      return ` entered ${zone}`;
    case 'exit':
      return ` left ${zone}`;
    case 'cross':
      return ` crossed ${zone}`;
    case 'approach':
      return ` came within ${rule.distanceM} m of ${zone}`;
    case 'dwell':
      return ` has stayed in ${zone} for more than ${duration(rule.dwellS ?? 0)}`;
  }
}

/**
 * aggregateMarking([track, zone]), without its cost in the common case: a track marking released
 * to all without caveats contributes only its classification, so the result per classification is
 * computed once per zone version and copied (every alert owns its marking).
 */
function alertMarking(track: Marking, zone: CompiledZone): Marking {
  const rel = track.releasableTo;
  if (rel.length !== 1 || rel[0] !== RELEASABLE_TO_ALL || (track.caveats?.length ?? 0) !== 0)
    return aggregateMarking([track, zone.ref.marking]);
  const level = classificationLevel(track.classification);
  let m = zone.markingByLevel[level];
  if (m === undefined) {
    m = aggregateMarking([{ classification: track.classification, releasableTo: rel }, zone.ref.marking]);
    zone.markingByLevel[level] = m;
  }
  return m.caveats
    ? { classification: m.classification, releasableTo: m.releasableTo.slice(), caveats: m.caveats.slice() }
    : { classification: m.classification, releasableTo: m.releasableTo.slice() };
}

/**
 * The candidate for one trigger, whose rule is the zone's `rules[slot]` (combo * 5 + trigger
 * slot, see ruleFor): marking from the track and the zone, text for a person.
 */
export function makeCandidate(
  trigger: AlertTrigger,
  slot: number,
  track: FenceTrack,
  zone: CompiledZone,
  positions: FencePosition[],
): AlertCandidate {
  const ref = zone.ref;
  // The severity and the text after the callsign, once per zone version and rule slot.
  let text = zone.alertTexts[slot];
  if (text === undefined) {
    const rule = zone.rules[slot];
    if (rule === undefined) throw new Error(`zone ${zone.zone.id} has no ${trigger} rule at ${slot}`);
    text = {
      severity: rule.severity ?? 'warning',
      tail: `${summaryTail(trigger, ref.name, rule)} (v${ref.version})`,
    };
    zone.alertTexts[slot] = text;
  }
  return {
    trigger,
    severity: text.severity,
    track,
    zone: ref,
    at: positions[positions.length - 1]!.t,
    positions,
    marking: alertMarking(track.marking, zone),
    summary: track.callsign + text.tail,
  };
}
