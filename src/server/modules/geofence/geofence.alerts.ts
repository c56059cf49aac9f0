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

function summary(trigger: AlertTrigger, who: string, zone: string, rule: AlertRule): string {
  switch (trigger) {
    case 'enter':
      return `${who} entered ${zone}`;
    case 'exit':
      return `${who} left ${zone}`;
    case 'cross':
      return `${who} crossed ${zone}`;
    case 'approach':
      return `${who} came within ${rule.distanceM} m of ${zone}`;
    case 'dwell':
      return `${who} has stayed in ${zone} for more than ${duration(rule.dwellS ?? 0)}`;
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
    ? { classification: m.classification, releasableTo: [...m.releasableTo], caveats: [...m.caveats] }
    : { classification: m.classification, releasableTo: [...m.releasableTo] };
}

/** The candidate for one trigger: marking from the track and the zone, text for a person. */
export function makeCandidate(
  trigger: AlertTrigger,
  rule: AlertRule,
  track: FenceTrack,
  zone: CompiledZone,
  positions: FencePosition[],
): AlertCandidate {
  const at = positions[positions.length - 1]!.t;
  const ref = zone.ref;
  return {
    trigger,
    severity: rule.severity ?? 'warning',
    track,
    zone: ref,
    at,
    positions,
    marking: alertMarking(track.marking, zone),
    summary: `${summary(trigger, track.callsign, ref.name, rule)} (v${ref.version})`,
  };
}
