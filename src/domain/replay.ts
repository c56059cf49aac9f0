import type { Marking } from './marking.js';
import type { Affiliation, TrackKind } from './tracks.js';

/**
 * History replay: every visible observation of a window, shaped for a client that animates it.
 * Column arrays per track rather than one object per position: a day of 1 Hz reports of a few
 * hundred tracks is hundreds of thousands of positions, and arrays of numbers are what both the
 * wire (gzip) and the client's interpolation handle best.
 */

/** Longest window one request may replay. */
export const MAX_REPLAY_WINDOW_MS = 24 * 3_600_000;
/** Most positions one answer carries; beyond, the answer is a complete prefix of the window. */
export const MAX_REPLAY_POSITIONS = 500_000;
/** Most uids one request may name in `uids`. */
export const MAX_REPLAY_UIDS = 1_000;

export interface ReplayTrack {
  uid: string;
  kind: TrackKind;
  affiliation: Affiliation;
  sidc: string;
  callsign: string;
  /**
   * How long a position stays current, from the track's latest report (staleAt − observedAt):
   * a replay hides the track when its last position is older than this.
   */
  staleAfterMs: number;
  /** The aggregate of the track's own marking and of every position of it in this answer. */
  marking: Marking;
  markingText: string;
  /** Observation times, in ms after the window's `from`, ascending. */
  t: number[];
  lon: number[];
  lat: number[];
  /** Degrees from true north, or null when not reported. */
  course: (number | null)[];
  /** Metres per second, or null when not reported. */
  speed: (number | null)[];
}

export interface ReplayWindow {
  /** Inclusive start of the window (ISO 8601 UTC); every `t` is counted from it. */
  from: string;
  /** Exclusive end of the window, as asked. */
  to: string;
  /** Positions are complete up to (excluding) this time: `to`, or earlier when truncated. */
  until: string;
  truncated: boolean;
  /** Number of positions in `tracks`. */
  positions: number;
  tracks: ReplayTrack[];
  /** The aggregate of every track's marking: what a screen showing all of it must be marked. */
  marking: Marking;
  markingText: string;
}
