import type { AlertRule } from './alerts.js';
import type { Affiliation, TrackKind } from './tracks.js';
import type { ZoneKind } from './zones.js';

/** A zone may carry at most this many rules: enough for any sensible mix, small enough to evaluate per report. */
export const MAX_ALERT_RULES = 20;

const GROUND: TrackKind[] = ['vehicle', 'convoy', 'unit', 'team'];
const AIR: TrackKind[] = ['aircraft', 'uav'];
const NOT_FRIENDLY: Affiliation[] = ['hostile', 'unknown'];

/**
 * The rules a zone gets when its own are not set. The reasoning per kind:
 * - control lines (ceasefire, withdrawal): ground forces crossing is the breach the centre
 *   monitors (critical); an unidentified or hostile aircraft crossing is worth a warning, while
 *   the coalition's own monitoring flights cross all day and say nothing.
 * - buffer zone: any ground force inside is a breach (critical).
 * - restricted area: ground forces entering (warning), hostile or unknown ones coming within 500 m (info).
 * - humanitarian zone: deconfliction; hostile or unknown aircraft over it are critical, hostile or
 *   unknown ground forces entering it a warning.
 * - crossing: a convoy arriving is news for the crossing board (info); one held for more than
 *   two hours needs someone to call (warning).
 * - named area of interest: hostile or unknown activity inside is what it was drawn for (info).
 * - facility area, sector: no alerts; they organise work rather than guard ground.
 */
export function defaultAlertRules(kind: ZoneKind): AlertRule[] {
  switch (kind) {
    case 'ceasefire-line':
    case 'withdrawal-line':
      return [
        { trigger: 'cross', kinds: GROUND, severity: 'critical' },
        { trigger: 'cross', kinds: AIR, affiliations: NOT_FRIENDLY, severity: 'warning' },
      ];
    case 'buffer-zone':
      return [{ trigger: 'enter', kinds: GROUND, severity: 'critical' }];
    case 'restricted-area':
      return [
        { trigger: 'enter', kinds: GROUND, severity: 'warning' },
        { trigger: 'approach', kinds: GROUND, affiliations: NOT_FRIENDLY, distanceM: 500, severity: 'info' },
      ];
    case 'humanitarian-zone':
      return [
        { trigger: 'enter', kinds: AIR, affiliations: NOT_FRIENDLY, severity: 'critical' },
        {
          trigger: 'enter',
          kinds: ['vehicle', 'unit', 'team'],
          affiliations: NOT_FRIENDLY,
          severity: 'warning',
        },
      ];
    case 'crossing':
      return [
        { trigger: 'enter', kinds: ['convoy'], severity: 'info' },
        { trigger: 'dwell', kinds: ['convoy'], dwellS: 2 * 3600, severity: 'warning' },
      ];
    case 'named-area-of-interest':
      return [{ trigger: 'enter', affiliations: NOT_FRIENDLY, severity: 'info' }];
    case 'facility-area':
    case 'sector':
      return [];
  }
}

/** A rule applies to a track when the track's kind and affiliation are selected (absent = all). */
export function ruleApplies(rule: AlertRule, kind: TrackKind, affiliation: Affiliation): boolean {
  return (
    (!rule.kinds || rule.kinds.includes(kind)) &&
    (!rule.affiliations || rule.affiliations.includes(affiliation))
  );
}

/** What the schema cannot say: the fields each trigger needs. Paths are relative to the rules array. */
export function alertRuleProblems(rules: readonly AlertRule[]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  rules.forEach((r, i) => {
    if (r.trigger === 'approach' && r.distanceM === undefined)
      out.push({ path: `[${i}].distanceM`, message: 'an approach rule needs distanceM' });
    if (r.trigger === 'dwell' && r.dwellS === undefined)
      out.push({ path: `[${i}].dwellS`, message: 'a dwell rule needs dwellS' });
  });
  if (rules.length > MAX_ALERT_RULES)
    out.push({ path: '', message: `at most ${MAX_ALERT_RULES} rules per zone` });
  return out;
}
