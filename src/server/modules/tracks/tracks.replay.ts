import type { BBox } from '../../../domain/geometry.js';
import { aggregateMarking, formatMarking, type Marking } from '../../../domain/marking.js';
import {
  MAX_REPLAY_POSITIONS,
  MAX_REPLAY_WINDOW_MS,
  type ReplayTrack,
  type ReplayWindow,
} from '../../../domain/replay.js';
import type { Affiliation, TrackKind } from '../../../domain/tracks.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking, type MarkingColumns } from '../../db/marking-columns.js';
import { problems } from '../../platform/errors.js';
import { type ReplayPositionRow, type ReplayTrackRow, replayStore as store } from './tracks.replay.store.js';

export interface ReplayQuery {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  bbox?: BBox;
  uids?: readonly string[];
  /** At most this many positions (default and ceiling: MAX_REPLAY_POSITIONS). */
  limit?: number;
}

/** Refuses a window that is empty, reversed or longer than a day, saying which. */
export function checkReplayWindow(from: Date, to: Date): void {
  if (from.getTime() >= to.getTime()) throw problems.badRequest('from must be before to.');
  if (to.getTime() - from.getTime() > MAX_REPLAY_WINDOW_MS)
    throw problems.badRequest(
      `The window is longer than ${MAX_REPLAY_WINDOW_MS / 3_600_000} hours; replay it in parts.`,
    );
}

const markingKey = (c: MarkingColumns) =>
  `${c.classification}|${c.releasable_to.join(',')}|${c.caveats.join(',')}`;

interface Building {
  track: ReplayTrackRow;
  /** Distinct markings of the track and its positions, by key, so that each is aggregated once. */
  markings: Map<string, MarkingColumns>;
  t: number[];
  lon: number[];
  lat: number[];
  course: (number | null)[];
  speed: (number | null)[];
}

function finish(b: Building): ReplayTrack {
  const marking = aggregateMarking([...b.markings.values()].map(columnsToMarking));
  const r = b.track;
  return {
    uid: r.uid,
    kind: r.kind as TrackKind,
    affiliation: r.affiliation as Affiliation,
    sidc: r.sidc,
    callsign: r.callsign,
    staleAfterMs: r.stale_ms,
    marking,
    markingText: formatMarking(marking),
    t: b.t,
    lon: b.lon,
    lat: b.lat,
    course: b.course,
    speed: b.speed,
  };
}

/**
 * Groups time-ordered positions by track. A track that went out of sight between the two reads
 * (its marking changed meanwhile) takes its positions with it.
 */
function group(rows: readonly ReplayPositionRow[], tracks: readonly ReplayTrackRow[]): ReplayTrack[] {
  const byUid = new Map<string, Building>();
  for (const track of tracks)
    byUid.set(track.uid, {
      track,
      markings: new Map([[markingKey(track), track]]),
      t: [],
      lon: [],
      lat: [],
      course: [],
      speed: [],
    });
  for (const r of rows) {
    const b = byUid.get(r.uid);
    if (!b) continue;
    b.t.push(r.ms);
    b.lon.push(r.lon);
    b.lat.push(r.lat);
    b.course.push(r.course);
    b.speed.push(r.speed);
    const key = markingKey(r);
    if (!b.markings.has(key)) b.markings.set(key, r);
  }
  return [...byUid.values()].filter((b) => b.t.length > 0).map(finish);
}

/**
 * Every position of every track the viewer may see in [from, to), for replay. Past the limit the
 * answer stops at the time of the first position left out, so that whatever the client replays
 * up to `until` is complete rather than missing some tracks here and there.
 */
export async function replayWindow(db: Db, viewer: Viewer, q: ReplayQuery): Promise<ReplayWindow> {
  checkReplayWindow(q.from, q.to);
  const limit = Math.min(q.limit ?? MAX_REPLAY_POSITIONS, MAX_REPLAY_POSITIONS);
  const { rows, tracks } = await db.asViewer(viewer, async (tx) => {
    const rows = await store.positions(tx, { ...q, limit: limit + 1 });
    const uids = [...new Set(rows.map((r) => r.uid))].sort();
    return { rows, tracks: await store.tracks(tx, uids) };
  });
  const truncated = rows.length > limit;
  let kept: readonly ReplayPositionRow[] = rows;
  let until = q.to;
  if (truncated) {
    // Positions at the cut's own time may be split by it: leave them all out.
    const cut = rows[limit]!.ms;
    kept = rows.filter((r) => r.ms < cut);
    until = new Date(q.from.getTime() + cut);
  }
  const list = group(kept, tracks);
  const marking: Marking = aggregateMarking(list.map((t) => t.marking));
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    until: until.toISOString(),
    truncated,
    positions: list.reduce((n, t) => n + t.t.length, 0),
    tracks: list,
    marking,
    markingText: formatMarking(marking),
  };
}
