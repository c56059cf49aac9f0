import type { BBox, Geometry } from '../../../domain/geometry.js';
import { aggregateMarking, canWrite, formatMarking, type Marking } from '../../../domain/marking.js';
import {
  checkPositionReport,
  featurePath,
  type RejectedReport,
  reportsFromBody,
  type ValidReport,
} from '../../../domain/position-reports.js';
import {
  type Affiliation,
  defaultTrackMarking,
  type Fold,
  foldReports,
  TRACKS_LAYER,
  type TrackFeature,
  type TrackKind,
  type TrackPositionFeature,
  type TrackState,
  toTrackFeature,
} from '../../../domain/tracks.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import { problems } from '../../platform/errors.js';
import { recordEvents } from '../../platform/events.js';
import { type ReplayQuery, replayWindow } from './tracks.replay.js';
import { type PositionRow, tracksStore as store, type TrackRow } from './tracks.store.js';

export const MAX_LIST = 10_000;
export const MAX_HISTORY = 10_000;
export const DEFAULT_HISTORY_MS = 60 * 60_000;
/** Deliberately says no more than that: whether the track exists, whose it is and what it is stay hidden. */
export const OTHER_ORGANISATION = 'uid belongs to another organisation';

export interface ReportResult {
  accepted: number;
  rejected: RejectedReport[];
}

interface Item {
  index: number;
  report: ValidReport;
  fromFeature: boolean;
}

export function rowToState(r: TrackRow): TrackState {
  return {
    uid: r.uid,
    kind: r.kind as TrackKind,
    affiliation: r.affiliation as Affiliation,
    sidc: r.sidc,
    callsign: r.callsign,
    source: r.source,
    lat: r.lat,
    lon: r.lon,
    alt: r.alt,
    course: r.course,
    speed: r.speed,
    accuracy: r.accuracy,
    footprint: (r.footprint ?? null) as Geometry | null,
    observedAt: r.observed_at.getTime(),
    staleAt: r.stale_at.getTime(),
    marking: columnsToMarking(r),
    version: r.version,
  };
}

export const rowToFeature = (r: TrackRow): TrackFeature => toTrackFeature(rowToState(r), r.organisation_code);

function positionFeature(r: PositionRow): TrackPositionFeature {
  const marking = columnsToMarking(r);
  const observedAt = r.observed_at.toISOString();
  return {
    type: 'Feature',
    id: `${r.uid}@${observedAt}`,
    geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    properties: {
      uid: r.uid,
      observedAt,
      receivedAt: r.received_at.toISOString(),
      alt: r.alt,
      course: r.course,
      speed: r.speed,
      accuracy: r.accuracy,
      footprint: (r.footprint ?? null) as Geometry | null,
      marking,
      markingText: formatMarking(marking),
    },
  };
}

function collection<F extends { properties: { marking: Marking } }>(features: F[], truncated: boolean) {
  const marking = aggregateMarking(features.map((f) => f.properties.marking));
  return {
    type: 'FeatureCollection' as const,
    features,
    marking,
    markingText: formatMarking(marking),
    truncated,
  };
}

const noneAccepted = (rejected: RejectedReport[]) =>
  problems.badRequest('No position report was accepted; nothing was stored.', {
    errors: [...rejected].sort((a, b) => a.index - b.index),
  });

/** Checks each report on its own, including whether the reporter may write its marking. */
function validateBatch(
  viewer: Viewer,
  body: unknown,
  now: number,
): { items: Item[]; rejected: RejectedReport[] } {
  const parsed = reportsFromBody(body);
  if (!parsed.ok) throw problems.badRequest(parsed.message);
  const rejected = [...parsed.rejected];
  const items: Item[] = [];
  for (const c of parsed.candidates) {
    const where = (path: string) => (c.fromFeature ? featurePath(path) : path);
    const uid = c.uid !== undefined ? { uid: c.uid } : {};
    const checked = checkPositionReport(c.input, now);
    if (!checked.ok) {
      rejected.push({
        index: c.index,
        ...uid,
        problems: checked.problems.map((p) => ({ ...p, path: where(p.path) })),
      });
      continue;
    }
    const m = checked.report.marking;
    if (m && !canWrite(viewer, m)) {
      rejected.push({
        index: c.index,
        ...uid,
        problems: [
          {
            path: where('marking'),
            message: `${formatMarking(m)} is above your clearance or not released to you`,
          },
        ],
      });
      continue;
    }
    items.push({ index: c.index, report: checked.report, fromFeature: c.fromFeature });
  }
  return { items, rejected };
}

/**
 * Applies a validated batch in the caller's transaction: creates or moves on current states,
 * adds history in one statement, and writes one outbox event per track whose state changed.
 */
async function ingest(
  tx: Tx,
  viewer: Viewer,
  items: Item[],
  rejected: RejectedReport[],
  now: number,
): Promise<number> {
  const byUid = new Map<string, Item[]>();
  for (const it of items) {
    const list = byUid.get(it.report.uid);
    if (list) list.push(it);
    else byUid.set(it.report.uid, [it]);
  }
  const uids = [...byUid.keys()].sort();
  const reportsOf = (uid: string) => byUid.get(uid)!.map((i) => i.report);
  const fallback = defaultTrackMarking(viewer.nation, viewer.organisationCode);

  const rows = new Map((await store.lockVisible(tx, uids)).map((r) => [r.uid, r]));
  const created = new Map<string, Fold>();
  const fresh = uids.filter((u) => !rows.has(u));
  if (fresh.length) {
    const folds = fresh.map((u) => foldReports(null, reportsOf(u), fallback));
    const inserted = new Set(
      await store.insertNew(
        tx,
        viewer.organisationId,
        folds.map((f) => f.state),
      ),
    );
    for (const f of folds) if (inserted.has(f.state.uid)) created.set(f.state.uid, f);
    // Not inserted: a concurrent batch created it meanwhile (then it is visible now), or it
    // belongs to a track this viewer may not see.
    const raced = fresh.filter((u) => !inserted.has(u));
    if (raced.length) for (const r of await store.lockVisible(tx, raced)) rows.set(r.uid, r);
  }

  let accepted = 0;
  const updates: TrackState[] = [];
  const positions: Fold['positions'] = [];
  const changes: { state: TrackState; prevMarking: Marking | null }[] = [];
  for (const uid of uids) {
    const its = byUid.get(uid)!;
    let fold = created.get(uid);
    let prevMarking: Marking | null = null;
    if (!fold) {
      const row = rows.get(uid);
      if (!row || row.organisation_id !== viewer.organisationId) {
        for (const it of its)
          rejected.push({
            index: it.index,
            uid,
            problems: [{ path: it.fromFeature ? 'properties.uid' : 'uid', message: OTHER_ORGANISATION }],
          });
        continue;
      }
      const prev = rowToState(row);
      prevMarking = prev.marking;
      fold = foldReports(prev, reportsOf(uid), fallback);
      if (fold.changed) updates.push(fold.state);
    }
    accepted += its.length;
    positions.push(...fold.positions);
    if (fold.changed) changes.push({ state: fold.state, prevMarking });
  }
  if (!accepted) throw noneAccepted(rejected);

  await store.updateStates(tx, updates);
  await store.insertPositions(tx, positions);
  await recordEvents(
    tx,
    changes.map((c) => {
      // A state that is stale on arrival (a late report) must not appear on live maps; a delete
      // also tells those who showed an earlier state of it to drop it.
      const stale = c.state.staleAt <= now;
      return {
        actor: viewer.userId,
        kind: stale ? 'delete' : 'upsert',
        layer: TRACKS_LAYER,
        entityId: c.state.uid,
        payload: stale ? null : toTrackFeature(c.state, viewer.organisationCode),
        marking: c.state.marking,
        prevMarking: stale ? (c.prevMarking ?? c.state.marking) : c.prevMarking,
      };
    }),
  );
  return accepted;
}

export function tracksService(db: Db) {
  return {
    /** Ingests a batch of position reports; bad reports are reported one by one and never abort good ones. */
    async report(viewer: Viewer, body: unknown): Promise<ReportResult> {
      const now = Date.now();
      const { items, rejected } = validateBatch(viewer, body, now);
      if (!items.length) throw noneAccepted(rejected);
      const accepted = await db.asViewer(viewer, (tx) => ingest(tx, viewer, items, rejected, now));
      return { accepted, rejected: rejected.sort((a, b) => a.index - b.index) };
    },

    /** Current tracks the viewer may see; stale ones only when asked for. */
    async list(viewer: Viewer, f: { bbox?: BBox; includeStale?: boolean }) {
      const rows = await db.asViewer(viewer, (tx) =>
        store.list(tx, {
          now: new Date(),
          includeStale: f.includeStale ?? false,
          bbox: f.bbox,
          limit: MAX_LIST + 1,
        }),
      );
      return collection(rows.slice(0, MAX_LIST).map(rowToFeature), rows.length > MAX_LIST);
    },

    async get(viewer: Viewer, uid: string): Promise<TrackFeature> {
      const row = await db.asViewer(viewer, (tx) => store.get(tx, uid));
      if (!row) throw problems.notFound(`Track ${uid}`);
      return rowToFeature(row);
    },

    /** Observations of a track, oldest first; by default those of the last hour. */
    async history(viewer: Viewer, uid: string, q: { from?: Date; to?: Date; limit?: number }) {
      const to = q.to ?? new Date();
      const from = q.from ?? new Date(to.getTime() - DEFAULT_HISTORY_MS);
      if (from > to) throw problems.badRequest('from must not be after to.');
      const limit = Math.min(q.limit ?? MAX_HISTORY, MAX_HISTORY);
      const rows = await db.asViewer(viewer, async (tx) =>
        (await store.get(tx, uid)) ? store.history(tx, uid, from, to, limit + 1) : null,
      );
      if (!rows) throw problems.notFound(`Track ${uid}`);
      return { ...collection(rows.slice(0, limit).map(positionFeature), rows.length > limit), uid };
    },

    /** Every visible position in a window, for replay (see tracks.replay.ts). */
    replay: (viewer: Viewer, q: ReplayQuery) => replayWindow(db, viewer, q),

    /**
     * Announces tracks that went stale in (since, now] with a delete each, so live maps drop them.
     * Runs on the system pool: staleness is not a viewer's business, and the live hub and the
     * events' own row-level security decide who hears of each delete.
     */
    sweepStale(since: Date, now: Date): Promise<number> {
      return db.asSystem(async (tx) => {
        const rows = await store.lockNewlyStale(tx, since, now);
        await recordEvents(
          tx,
          rows.map((r) => {
            const marking = columnsToMarking(r);
            return {
              actor: null,
              kind: 'delete',
              layer: TRACKS_LAYER,
              entityId: r.uid,
              payload: null,
              marking,
              prevMarking: marking,
            };
          }),
        );
        return rows.length;
      });
    },
  };
}
export type TracksService = ReturnType<typeof tracksService>;
