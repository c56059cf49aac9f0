import type { BBox, Geometry } from '../../../domain/geometry.js';
import { canWrite, formatMarking } from '../../../domain/marking.js';
import {
  checkPositionReport,
  featurePath,
  type RejectedReport,
  reportsFromBody,
  type ValidReport,
} from '../../../domain/position-reports.js';
import type { TrackFeature, TrackPositionFeature } from '../../../domain/tracks.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import { markedCollection } from '../../platform/collections.js';
import { problems } from '../../platform/errors.js';
import type { Item, TrackEngine } from './track-engine.js';
import { type ReplayQuery, replayWindow } from './tracks.replay.js';
import { type PositionRow, tracksStore as store } from './tracks.store.js';

export const MAX_LIST = 10_000;
export const MAX_HISTORY = 10_000;
export const DEFAULT_HISTORY_MS = 60 * 60_000;

export interface ReportResult {
  accepted: number;
  rejected: RejectedReport[];
}

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

export function tracksService(db: Db, engine: TrackEngine) {
  async function ingest(viewer: Viewer, items: Item[], rejected: RejectedReport[], now: number) {
    if (!items.length) throw noneAccepted(rejected);
    const accepted = await engine.ingest(viewer, items, rejected, now);
    if (!accepted) throw noneAccepted(rejected);
    return { accepted, rejected: rejected.sort((a, b) => a.index - b.index) };
  }

  return {
    engine,

    /** Ingests a batch of position reports; bad reports are reported one by one and never abort good ones. */
    async report(viewer: Viewer, body: unknown): Promise<ReportResult> {
      const now = Date.now();
      const { items, rejected } = validateBatch(viewer, body, now);
      return ingest(viewer, items, rejected, now);
    },

    /**
     * Ingests reports a trusted mapping made in their checked form (isCheckedReport passed): no
     * marking, so nothing for canWrite to refuse; the engine still refuses uids of others.
     */
    reportChecked(viewer: Viewer, reports: ValidReport[]): Promise<ReportResult> {
      const items = reports.map((report, index) => ({ index, report, fromFeature: false }));
      return ingest(viewer, items, [], Date.now());
    },

    /** Current tracks the viewer may see (the engine's memory, filtered by canSee); stale ones only when asked for. */
    list(viewer: Viewer, f: { bbox?: BBox; includeStale?: boolean }) {
      const features = engine.list(viewer, { ...f, limit: MAX_LIST + 1 });
      return markedCollection(features.slice(0, MAX_LIST), features.length > MAX_LIST);
    },

    get(viewer: Viewer, uid: string): TrackFeature {
      const f = engine.get(viewer, uid);
      if (!f) throw problems.notFound(`Track ${uid}`);
      return f;
    },

    /** Observations of a track, oldest first; by default those of the last hour. */
    async history(viewer: Viewer, uid: string, q: { from?: Date; to?: Date; limit?: number }) {
      const to = q.to ?? new Date();
      const from = q.from ?? new Date(to.getTime() - DEFAULT_HISTORY_MS);
      if (from > to) throw problems.badRequest('from must not be after to.');
      const limit = Math.min(q.limit ?? MAX_HISTORY, MAX_HISTORY);
      if (!engine.get(viewer, uid)) throw problems.notFound(`Track ${uid}`);
      const rows = await db.asViewer(viewer, (tx) => store.history(tx, uid, from, to, limit + 1));
      return { ...markedCollection(rows.slice(0, limit).map(positionFeature), rows.length > limit), uid };
    },

    /** Every visible position in a window, for replay (see tracks.replay.ts). */
    replay: (viewer: Viewer, q: ReplayQuery) => replayWindow(db, viewer, q),
  };
}
export type TracksService = ReturnType<typeof tracksService>;
