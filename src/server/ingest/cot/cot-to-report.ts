import type { PositionReport } from '../../../domain/position-reports.js';
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
 */
export type Inbound =
  | { kind: 'report'; report: PositionReport }
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

export function classify(ev: CotEvent): Inbound {
  if (ev.type === PING) return { kind: 'ping' };
  if (ev.type.startsWith('a-')) return { kind: 'report', report: atomReport(ev) };
  if (ev.type === SPOT_MARKER)
    return { kind: 'report', report: { ...common(ev), kind: 'unit', affiliation: 'unknown' } };
  return { kind: 'ignored', why: ev.type.startsWith('u-d-') ? 'drawing' : 'other' };
}

function atomReport(ev: CotEvent): PositionReport {
  const milsym = ev.detail.milsym?.toUpperCase();
  const sidc = milsym && SIDC_RE.test(milsym) ? milsym : typeToSidc(ev.type);
  return {
    ...common(ev),
    kind: kindOfType(ev.type),
    affiliation: affiliationOfType(ev.type),
    ...(sidc && { sidc }),
  };
}

/** The fields every report from CoT carries; absent ones are left out, never sent as null. */
function common(ev: CotEvent): PositionReport {
  const { point, detail } = ev;
  return {
    uid: ev.uid,
    observedAt: new Date(ev.time).toISOString(),
    // A stale time at or before the observation would be refused; CoT senders mean "now" then.
    ...(ev.stale > ev.time && { staleAt: new Date(ev.stale).toISOString() }),
    lat: point.lat,
    lon: point.lon,
    ...(point.hae !== null && { alt: point.hae }),
    ...(point.ce !== null && point.ce >= 0 && { accuracy: point.ce }),
    ...(detail.track?.course !== undefined && { course: detail.track.course }),
    ...(detail.track?.speed !== undefined && { speed: detail.track.speed }),
    ...(detail.callsign && { callsign: detail.callsign }),
    source: 'tak',
  };
}
