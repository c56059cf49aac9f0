import type { Geometry } from './geometry.js';
import { isoUtc } from './iso-time.js';
import { formatMarking, type Marking, normaliseMarking } from './marking.js';
import type { ValidReport } from './position-reports.js';

/** Live tracks: the things that move (track) and the position reports (observations) about them. */

export const TRACK_KINDS = ['uav', 'aircraft', 'vehicle', 'convoy', 'team', 'vessel', 'unit'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

export const AFFILIATIONS = ['friend', 'hostile', 'neutral', 'unknown'] as const;
export type Affiliation = (typeof AFFILIATIONS)[number];

/** The live hub layer and outbox layer of tracks. */
export const TRACKS_LAYER = 'tracks';
/** Also what TAK clients use as CoT uids, so dots, colons and dashes are allowed. */
export const TRACK_UID_PATTERN = '^[A-Za-z0-9._:-]{1,100}$';
/** MIL-STD-2525C symbol identification code: 15 characters, '-' and '*' as placeholders. */
export const SIDC_PATTERN = '^[A-Za-z0-9*-]{15}$';

const AFFILIATION_CODE: Record<Affiliation, string> = {
  friend: 'F',
  hostile: 'H',
  neutral: 'N',
  unknown: 'U',
};

/** 2525C symbols with the affiliation (second character) left open; a convoy is drawn as a vehicle. */
const SIDC_TEMPLATE: Record<TrackKind, string> = {
  uav: 'S?APMFQ--------',
  aircraft: 'S?APMF---------',
  vehicle: 'S?GPEV---------',
  convoy: 'S?GPEV---------',
  team: 'S?GPUCI--------',
  vessel: 'S?SP-----------',
  unit: 'S?GPU----------',
};

/** A symbol every track can be drawn with when its reporter sent none. */
export function defaultSidc(kind: TrackKind, affiliation: Affiliation): string {
  return SIDC_TEMPLATE[kind].replace('?', AFFILIATION_CODE[affiliation]);
}

/** What a track is marked with when its first report carries no marking: releasable to the reporter only. */
export function defaultTrackMarking(nation: string | null, organisationCode: string): Marking {
  return { classification: 'UNCLASSIFIED', releasableTo: [nation ?? organisationCode] };
}

/** The current state of a track, as the service folds reports into it. Times in epoch ms. */
export interface TrackState {
  uid: string;
  kind: TrackKind;
  affiliation: Affiliation;
  sidc: string;
  callsign: string;
  source: string | null;
  lat: number;
  lon: number;
  alt: number | null;
  course: number | null;
  speed: number | null;
  accuracy: number | null;
  footprint: Geometry | null;
  observedAt: number;
  staleAt: number;
  marking: Marking;
  version: number;
}

export interface Fold {
  state: TrackState;
  /** True when a report newer than the stored state moved it on. */
  changed: boolean;
  /** Every distinct observation for the history, each with the marking it is kept under. */
  positions: { report: ValidReport; marking: Marking }[];
}

/**
 * Folds a batch of reports of one uid into its state. The current state is the latest by
 * observedAt: an older report only adds history, and a repeated observedAt is ignored altogether.
 * Track attributes (kind, affiliation, symbol, callsign, marking, source) carry over from report
 * to report; position fields describe one observation and do not.
 */
export function foldReports(
  prev: TrackState | null,
  reports: readonly ValidReport[],
  defaultMarking: Marking,
): Fold {
  const sorted = [...reports].sort((a, b) => a.observedAt - b.observedAt);
  let state = prev;
  let changed = false;
  const seen = new Set<number>();
  const positions: Fold['positions'] = [];
  for (const r of sorted) {
    if (seen.has(r.observedAt)) continue;
    seen.add(r.observedAt);
    positions.push({ report: r, marking: r.marking ?? state?.marking ?? normaliseMarking(defaultMarking) });
    if (state && r.observedAt <= state.observedAt) continue;
    state = applyReport(state, r, defaultMarking);
    changed = true;
  }
  if (!state) throw new Error('foldReports needs a stored state or at least one report');
  if (changed) state = { ...state, version: (prev?.version ?? 0) + 1 };
  return { state, changed, positions };
}

function applyReport(prev: TrackState | null, r: ValidReport, defaultMarking: Marking): TrackState {
  const kind = r.kind ?? prev?.kind ?? 'unit';
  const affiliation = r.affiliation ?? prev?.affiliation ?? 'unknown';
  // A symbol someone chose stays; one we derived follows a change of kind or affiliation.
  const chosen = prev && prev.sidc !== defaultSidc(prev.kind, prev.affiliation) ? prev.sidc : null;
  return {
    uid: r.uid,
    kind,
    affiliation,
    sidc: r.sidc ?? chosen ?? defaultSidc(kind, affiliation),
    callsign: r.callsign ?? prev?.callsign ?? r.uid,
    source: r.source ?? prev?.source ?? null,
    lat: r.lat,
    lon: r.lon,
    alt: r.alt,
    course: r.course,
    speed: r.speed,
    accuracy: r.accuracy,
    footprint: r.footprint,
    observedAt: r.observedAt,
    staleAt: r.staleAt,
    marking: markingAfter(prev?.marking, r.marking) ?? normaliseMarking(defaultMarking),
    version: prev?.version ?? 0,
  };
}

/** A report that repeats the track's marking keeps the very object: features reuse its text (shownMarking). */
function markingAfter(prev: Marking | undefined, reported: Marking | undefined): Marking | undefined {
  return reported && prev && sameMarking(reported, prev) ? prev : (reported ?? prev);
}

/**
 * The marking as features show it, normalised and formatted once per marking object: a track keeps
 * its marking object from state to state, and its features are made many times a second.
 */
const shown = new WeakMap<Marking, { marking: Marking; text: string }>();
function shownMarking(m: Marking): { marking: Marking; text: string } {
  let v = shown.get(m);
  if (!v) {
    const marking = normaliseMarking(m);
    v = { marking, text: formatMarking(marking) };
    shown.set(m, v);
  }
  return v;
}

/** A track as the API and the live hub give it: a GeoJSON Point Feature. */
export interface TrackFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    uid: string;
    kind: TrackKind;
    affiliation: Affiliation;
    sidc: string;
    callsign: string;
    organisation: string;
    source: string | null;
    alt: number | null;
    course: number | null;
    speed: number | null;
    accuracy: number | null;
    observedAt: string;
    staleAt: string;
    footprint: Geometry | null;
    marking: Marking;
    markingText: string;
  };
}

export function toTrackFeature(s: TrackState, organisationCode: string): TrackFeature {
  const { marking, text } = shownMarking(s.marking);
  return {
    type: 'Feature',
    id: s.uid,
    geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    properties: {
      uid: s.uid,
      kind: s.kind,
      affiliation: s.affiliation,
      sidc: s.sidc,
      callsign: s.callsign,
      organisation: organisationCode,
      source: s.source,
      alt: s.alt,
      course: s.course,
      speed: s.speed,
      accuracy: s.accuracy,
      observedAt: isoUtc(s.observedAt),
      staleAt: isoUtc(s.staleAt),
      footprint: s.footprint,
      marking,
      markingText: text,
    },
  };
}

/** One stored observation in a track's history, as a GeoJSON Point Feature. */
export interface TrackPositionFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    uid: string;
    observedAt: string;
    receivedAt: string;
    alt: number | null;
    course: number | null;
    speed: number | null;
    accuracy: number | null;
    footprint: Geometry | null;
    marking: Marking;
    markingText: string;
  };
}

/**
 * A movement of a track the receiver already holds with the same attributes and no footprint:
 * `[uid, lon, lat, alt, course, speed, accuracy, observedAt ms, staleAt ms]`. A live map gets
 * these instead of whole features (about a tenth of the bytes) once it has had the track's upsert.
 */
export type TrackMove = [
  uid: string,
  lon: number,
  lat: number,
  alt: number | null,
  course: number | null,
  speed: number | null,
  accuracy: number | null,
  observedAt: number,
  staleAt: number,
];

export function trackMoveOf(s: TrackState): TrackMove {
  return [s.uid, s.lon, s.lat, s.alt, s.course, s.speed, s.accuracy, s.observedAt, s.staleAt];
}

/** True when what the track is or who may see it changed (not only where it is). */
export function trackAttributesChanged(prev: TrackState, next: TrackState): boolean {
  return (
    prev.kind !== next.kind ||
    prev.affiliation !== next.affiliation ||
    prev.sidc !== next.sidc ||
    prev.callsign !== next.callsign ||
    prev.source !== next.source ||
    !sameMarking(prev.marking, next.marking)
  );
}

/** True when a receiver holding `prev` may be sent only the movement to `next`. */
export function isPlainMove(prev: TrackState | null, next: TrackState): boolean {
  return (
    prev !== null && prev.footprint === null && next.footprint === null && !trackAttributesChanged(prev, next)
  );
}

function sameMarking(a: Marking, b: Marking): boolean {
  return (
    a === b ||
    (a.classification === b.classification &&
      a.releasableTo.join() === b.releasableTo.join() &&
      (a.caveats ?? []).join() === (b.caveats ?? []).join())
  );
}

/** The feature a receiver holds, moved: a new object, the old one is left as it was. */
export function applyTrackMove<F extends { geometry: unknown; properties: object }>(f: F, m: TrackMove): F {
  return {
    ...f,
    geometry: { type: 'Point', coordinates: [m[1], m[2]] },
    properties: {
      ...f.properties,
      alt: m[3],
      course: m[4],
      speed: m[5],
      accuracy: m[6],
      observedAt: new Date(m[7]).toISOString(),
      staleAt: new Date(m[8]).toISOString(),
    },
  } as F;
}
