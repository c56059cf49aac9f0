import { isCheckedReport } from '../../../domain/checked-reports.js';
import { DEFAULT_STALE_MS, type ValidReport } from '../../../domain/position-reports.js';
import { type Affiliation, SIDC_PATTERN, type TrackKind } from '../../../domain/tracks.js';
import { typeToSidc } from './sidc.js';
import type { CotEvent } from './types.js';

/**
 * What an inbound CoT event means to Concord:
 *  - `a-…` atoms (SA of ATAK users, units, vehicles, aircraft, vessels) are position reports;
 *  - `b-m-p-s-m` spot map markers are position reports of a static track of kind 'unit' with
 *    affiliation 'unknown' (a marker is something a field user saw at a place; planners see it
 *    on the map with the reporter's releasability, and it goes stale when the marker does);
 *  - `t-x-c-t` pings are answered with `t-x-c-t-r` and never become tracks;
 *  - drawings (`u-d-…`) and everything else are accepted and ignored: zones are made by planners
 *    in the web client, where they get a marking, versions and review.
 * A report is made in its checked form (see isCheckedReport); one tracks would refuse is `refused`.
 */
export type Inbound =
  | { kind: 'report'; report: ValidReport }
  | { kind: 'refused' }
  | { kind: 'ping' }
  | { kind: 'ignored'; why: 'drawing' | 'other' };

export const SPOT_MARKER = 'b-m-p-s-m';
export const PING = 't-x-c-t';
export const PONG = 't-x-c-t-r';
const SIDC_RE = new RegExp(SIDC_PATTERN);

/** 2nd atom of an `a-` type: pending, unknown, assumed friend, friend, neutral, suspect, hostile, joker, faker, none. */
const AFFILIATION: Record<string, Affiliation> = {
  f: 'friend',
  a: 'friend',
  h: 'hostile',
  s: 'hostile',
  j: 'hostile',
  k: 'hostile',
  n: 'neutral',
  u: 'unknown',
  p: 'unknown',
  o: 'unknown',
};

/** The kind of track an atom type describes; `a-f-G-U-C` exactly is what ATAK sends for its user (a team). */
export function kindOfType(type: string): TrackKind {
  const rest = type.split('-').slice(2).join('-');
  if (/^A-(M-F-Q|C-F-q|M-H-Q)(-|$)/.test(rest)) return 'uav';
  if (/^A(-|$)/.test(rest)) return 'aircraft';
  if (rest === 'G-U-C') return 'team';
  if (/^G-E-V(-|$)/.test(rest)) return 'vehicle';
  if (/^[SU](-|$)/.test(rest)) return 'vessel';
  return 'unit';
}

export function affiliationOfType(type: string): Affiliation {
  return (type.startsWith('a-') && AFFILIATION[type.split('-')[1] ?? '']) || 'unknown';
}

/** What an event's type alone says; types are few, so each is worked out once. */
interface TypeMeaning {
  kind: TrackKind;
  affiliation: Affiliation;
  sidc: string | null;
}
const MAX_TYPES = 4096;
const meanings = new Map<string, TypeMeaning>();

function meaningOf(type: string): TypeMeaning {
  let m = meanings.get(type);
  if (m === undefined) {
    // A peer inventing types must not grow the cache without bound.
    if (meanings.size >= MAX_TYPES) meanings.clear();
    m = { kind: kindOfType(type), affiliation: affiliationOfType(type), sidc: typeToSidc(type) };
    meanings.set(type, m);
  }
  return m;
}

/** `now`: the receiver's clock, against which a report's time may not run ahead. */
export function classify(ev: CotEvent, now: number): Inbound {
  if (ev.type === PING) return { kind: 'ping' };
  let report: ValidReport;
  if (ev.type.startsWith('a-')) report = atomReport(ev);
  else if (ev.type === SPOT_MARKER) {
    report = common(ev);
    report.kind = 'unit';
    report.affiliation = 'unknown';
  } else return { kind: 'ignored', why: ev.type.startsWith('u-d-') ? 'drawing' : 'other' };
  return isCheckedReport(report, now) ? { kind: 'report', report } : { kind: 'refused' };
}

function atomReport(ev: CotEvent): ValidReport {
  const m = meaningOf(ev.type);
  const milsym = ev.detail.milsym?.toUpperCase();
  const sidc = milsym && SIDC_RE.test(milsym) ? milsym : m.sidc;
  const report = common(ev);
  report.kind = m.kind;
  report.affiliation = m.affiliation;
  if (sidc) report.sidc = sidc;
  return report;
}

/** The fields every report from CoT carries: absent optional ones are left out, unknown numbers null. */
function common(ev: CotEvent): ValidReport {
  const { point, detail } = ev;
  const r: ValidReport = {
    uid: ev.uid,
    observedAt: ev.time,
    // A stale time at or before the observation would be refused; CoT senders mean "now" then.
    staleAt: ev.stale > ev.time ? ev.stale : ev.time + DEFAULT_STALE_MS,
    lat: point.lat,
    lon: point.lon,
    alt: point.hae,
    course: detail.track?.course ?? null,
    speed: detail.track?.speed ?? null,
    accuracy: point.ce !== null && point.ce >= 0 ? point.ce : null,
    footprint: null,
  };
  if (detail.callsign) r.callsign = detail.callsign;
  r.source = 'tak';
  return r;
}
