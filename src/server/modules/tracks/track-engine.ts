import type { Logger } from 'pino';
import type { AlertCandidate, FencePosition, FenceTrack } from '../../../domain/alerts.js';
import type { VolatileChange } from '../../../domain/events.js';

export type { VolatileChange };

import type { BBox } from '../../../domain/geometry.js';
import { canSee, type Marking } from '../../../domain/marking.js';
import type { RejectedReport, ValidReport } from '../../../domain/position-reports.js';
import {
  defaultTrackMarking,
  type Fold,
  foldReports,
  isPlainMove,
  TRACKS_LAYER,
  type TrackFeature,
  type TrackState,
  toTrackFeature,
  trackAttributesChanged,
  trackMoveOf,
} from '../../../domain/tracks.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { problems } from '../../platform/errors.js';
import { rowToState } from './track-rows.js';
import { TrackWriter, type WriteJob } from './track-writer.js';
import { tracksStore as store } from './tracks.store.js';

/** Deliberately says no more than that: whether the track exists, whose it is and what it is stay hidden. */
export const OTHER_ORGANISATION = 'uid belongs to another organisation';

interface Announced {
  uid: string;
  state: TrackState;
  prevMarking: Marking | null;
  organisationCode: string;
  rev: number;
  plain: boolean;
}

/** What the engine tells the rest of the server, each after the reports are committed. */
export interface EngineHooks {
  /** Track movements for live maps (the live hub's publishVolatile). */
  publish?(changes: VolatileChange[]): void;
  /** Checks one observation against the zones in force; called in observation order per track. */
  evaluate?(track: FenceTrack, pos: FencePosition): readonly AlertCandidate[];
  /** Stores and announces alerts the committed reports raised. */
  raise?(candidates: AlertCandidate[]): Promise<unknown>;
}

interface Entry {
  /** The latest folded state, which the next reports fold onto (maybe not committed yet). */
  state: TrackState;
  /** The latest state that is stored: what the API and live maps show; null until first stored. */
  committed: TrackState | null;
  organisationId: string;
  organisationCode: string;
  feature: TrackFeature | null;
  /** Announced changes other than plain moves (see VolatileChange). */
  rev: number;
}

export interface Item {
  index: number;
  report: ValidReport;
  fromFeature: boolean;
}

export interface EngineResult {
  accepted: number;
  rejected: RejectedReport[];
}

const stored = (state: TrackState) => ({ state, committed: state });

const fenceTrack = (s: TrackState): FenceTrack => ({
  uid: s.uid,
  kind: s.kind,
  affiliation: s.affiliation,
  callsign: s.callsign,
  marking: s.marking,
});

/**
 * The current state of every track, in memory: reports fold into it, the geofence sees each
 * observation, and the API and live maps read it. PostgreSQL gets the history and the states in
 * batches (TrackWriter); a request is acknowledged once its reports are committed, and only then
 * do live maps and alerts hear of them.
 */
export class TrackEngine {
  private readonly entries = new Map<string, Entry>();
  private readonly writer: TrackWriter;
  private lastSweep = Date.now();
  private stopped = false;
  hooks: EngineHooks = {};

  /**
   * `stateEveryMs`: how often pure movements reach the `tracks` rows. Other processes follow those
   * rows, so a process others follow (the CLI simulator) keeps it short; the server's own moves
   * are in the history at once, and start() takes them from there after a crash.
   */
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    readonly nodeId: string = crypto.randomUUID(),
    stateEveryMs = 1000,
  ) {
    this.writer = new TrackWriter(db, log, nodeId, stateEveryMs);
  }

  async start(): Promise<void> {
    const rows = await this.db.asSystem((tx) => store.all(tx));
    for (const r of rows)
      this.entries.set(r.uid, {
        ...stored(rowToState(r)),
        organisationId: r.organisation_id,
        organisationCode: r.organisation_code,
        feature: null,
        rev: 0,
      });
    await this.catchUp();
    this.writer.start();
  }

  /** Moves that reached the history but not the `tracks` rows (a crash between state writes). */
  private async catchUp(): Promise<void> {
    const newer = await this.db.asSystem((tx) => store.newerPositions(tx));
    for (const p of newer) {
      const e = this.entries.get(p.uid);
      if (!e) continue;
      const observedAt = p.observed_at.getTime();
      const s = e.state;
      const state: TrackState = {
        ...s,
        lat: p.lat,
        lon: p.lon,
        alt: p.alt,
        course: p.course,
        speed: p.speed,
        accuracy: p.accuracy,
        footprint: (p.footprint as TrackState['footprint']) ?? null,
        observedAt,
        // The history keeps no stale time: the track keeps the validity its last state had.
        staleAt: observedAt + (s.staleAt - s.observedAt),
        version: s.version + 1,
      };
      e.state = state;
      e.committed = state;
      this.writer.moved(state);
    }
    if (newer.length) this.log.info({ tracks: newer.length }, 'took the latest moves from the history');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.writer.drain();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Applies a validated batch from one reporter; bad reports are listed, never abort good ones. */
  async ingest(viewer: Viewer, items: Item[], rejected: RejectedReport[], now: number): Promise<number> {
    if (this.stopped) throw problems.unavailable('Concord is shutting down; send the reports again shortly.');
    const byUid = new Map<string, Item[]>();
    for (const it of items) {
      const list = byUid.get(it.report.uid);
      if (list) list.push(it);
      else byUid.set(it.report.uid, [it]);
    }
    const fallback = defaultTrackMarking(viewer.nation, viewer.organisationCode);
    const job: WriteJob = { created: [], changed: [], positions: [] };
    const changes: {
      uid: string;
      state: TrackState;
      prevMarking: Marking | null;
      organisationCode: string;
    }[] = [];
    const candidates: AlertCandidate[] = [];
    const acceptedOf = new Map<string, Item[]>();
    let accepted = 0;

    for (const [uid, its] of byUid) {
      const entry = this.entries.get(uid);
      // A track this reporter may not see is answered as someone else's, which says nothing more.
      if (entry && (entry.organisationId !== viewer.organisationId || !canSee(viewer, entry.state.marking))) {
        for (const it of its)
          rejected.push({
            index: it.index,
            uid,
            problems: [{ path: it.fromFeature ? 'properties.uid' : 'uid', message: OTHER_ORGANISATION }],
          });
        continue;
      }
      const prev = entry?.state ?? null;
      const reports = its.map((i) => i.report);
      const fold: Fold = foldReports(prev, reports, fallback);
      accepted += its.length;
      acceptedOf.set(uid, its);
      job.positions.push(...fold.positions);
      if (!entry) {
        job.created.push({ state: fold.state, organisationId: viewer.organisationId });
        this.entries.set(uid, {
          state: fold.state,
          committed: null,
          organisationId: viewer.organisationId,
          organisationCode: viewer.organisationCode,
          feature: null,
          rev: 0,
        });
      } else if (fold.changed) {
        if (trackAttributesChanged(entry.state, fold.state)) job.changed.push(fold.state);
        else this.writer.moved(fold.state);
        entry.state = fold.state;
      }
      if (fold.changed) {
        changes.push({
          uid,
          state: fold.state,
          prevMarking: prev?.marking ?? null,
          organisationCode: entry?.organisationCode ?? viewer.organisationCode,
        });
        if (this.hooks.evaluate) this.fence(prev, reports, fold.state, candidates);
      }
    }
    if (!accepted) return 0;

    let lost: Set<string>;
    try {
      ({ lost } = await this.writer.write(job));
    } catch (e) {
      // Memory ran ahead of what was stored: take those tracks back from the database.
      await this.reload([...acceptedOf.keys()]).catch(() => undefined);
      throw e;
    }
    for (const uid of lost) {
      for (const it of acceptedOf.get(uid) ?? [])
        rejected.push({
          index: it.index,
          uid,
          problems: [{ path: it.fromFeature ? 'properties.uid' : 'uid', message: OTHER_ORGANISATION }],
        });
      accepted -= acceptedOf.get(uid)?.length ?? 0;
    }
    if (lost.size) await this.reload([...lost]);
    const fresh: Announced[] = [];
    for (const c of changes) {
      const e = this.entries.get(c.uid);
      // Concurrent requests commit in order, but a newer state may have been stored (and announced) already.
      if (!e || lost.has(c.uid) || (e.committed && e.committed.version >= c.state.version)) continue;
      const plain = isPlainMove(e.committed, c.state);
      if (!plain) e.rev++;
      e.committed = c.state;
      e.feature = null;
      fresh.push({ ...c, rev: e.rev, plain });
    }
    this.announce(fresh, now);
    const raised = lost.size ? candidates.filter((c) => !lost.has(c.track.uid)) : candidates;
    if (raised.length && this.hooks.raise)
      await this.hooks
        .raise(raised)
        .catch((e: unknown) => this.log.error({ err: e }, 'could not raise alerts'));
    return accepted;
  }

  /** Runs the geofence over the observations that moved the track on, oldest first. */
  private fence(
    prev: TrackState | null,
    reports: ValidReport[],
    state: TrackState,
    out: AlertCandidate[],
  ): void {
    const after = prev?.observedAt ?? Number.NEGATIVE_INFINITY;
    const track = fenceTrack(state);
    const moves = reports.filter((r) => r.observedAt > after).sort((a, b) => a.observedAt - b.observedAt);
    let last = Number.NaN;
    for (const r of moves) {
      if (r.observedAt === last) continue;
      last = r.observedAt;
      const found = this.hooks.evaluate!(track, { lon: r.lon, lat: r.lat, t: r.observedAt });
      for (const c of found) out.push(c);
    }
  }

  private announce(changes: Announced[], now: number): void {
    if (!this.hooks.publish || !changes.length) return;
    this.hooks.publish(
      changes.map((c) => {
        // A state stale on arrival (a late report) must not appear on live maps; a delete also
        // tells those who showed an earlier state of it to drop it.
        const stale = c.state.staleAt <= now;
        return {
          kind: stale ? 'delete' : 'upsert',
          layer: TRACKS_LAYER,
          entityId: c.uid,
          payload: null,
          point: stale ? undefined : ([c.state.lon, c.state.lat] as const),
          feature: stale ? undefined : () => toTrackFeature(c.state, c.organisationCode),
          marking: c.state.marking,
          prevMarking: stale ? (c.prevMarking ?? c.state.marking) : c.prevMarking,
          move: c.plain && !stale ? trackMoveOf(c.state) : undefined,
          rev: c.rev,
        };
      }),
    );
  }

  /** Tracks whose stale time passed since the last sweep leave live maps. */
  sweepStale(now = Date.now()): number {
    const since = this.lastSweep;
    this.lastSweep = now;
    const gone: VolatileChange[] = [];
    for (const [uid, e] of this.entries) {
      const c = e.committed;
      if (c && c.staleAt > since && c.staleAt <= now)
        gone.push({
          kind: 'delete',
          layer: TRACKS_LAYER,
          entityId: uid,
          payload: null,
          marking: c.marking,
          prevMarking: c.marking,
        });
    }
    if (gone.length) this.hooks.publish?.(gone);
    return gone.length;
  }

  /** Current tracks the viewer may see, by uid; stale ones only when asked for. */
  list(viewer: Viewer, f: { bbox?: BBox; includeStale?: boolean; limit: number }): TrackFeature[] {
    const now = Date.now();
    const b = f.bbox;
    const out: TrackFeature[] = [];
    const uids = [...this.entries.keys()].sort();
    for (const uid of uids) {
      const e = this.entries.get(uid)!;
      const s = e.committed;
      if (!s) continue;
      if (!f.includeStale && s.staleAt <= now) continue;
      if (b && (s.lon < b[0] || s.lon > b[2] || s.lat < b[1] || s.lat > b[3])) continue;
      if (!canSee(viewer, s.marking)) continue;
      out.push(this.featureOf(e, s));
      if (out.length >= f.limit) break;
    }
    return out;
  }

  /** The rev of the track's announced state (see VolatileChange), for live snapshots. */
  revOf(uid: string): number | undefined {
    return this.entries.get(uid)?.rev;
  }

  get(viewer: Viewer, uid: string): TrackFeature | null {
    const e = this.entries.get(uid);
    const s = e?.committed;
    return e && s && canSee(viewer, s.marking) ? this.featureOf(e, s) : null;
  }

  private featureOf(e: Entry, committed: TrackState): TrackFeature {
    e.feature ??= toTrackFeature(committed, e.organisationCode);
    return e.feature;
  }

  /**
   * Takes tracks written by another process (the CLI simulator, another node) into memory and
   * announces those that moved on.
   */
  async follow(since: Date): Promise<Date> {
    const rows = await this.db.asSystem((tx) => store.updatedSince(tx, since));
    let latest = since;
    const changes: Parameters<TrackEngine['announce']>[0] = [];
    for (const r of rows) {
      if (r.updated_at > latest) latest = r.updated_at;
      const state = rowToState(r);
      const e = this.entries.get(r.uid);
      if (e && e.state.observedAt >= state.observedAt && !trackAttributesChanged(e.state, state)) continue;
      const rev = (e?.rev ?? 0) + 1;
      changes.push({
        uid: r.uid,
        state,
        prevMarking: e?.state.marking ?? null,
        organisationCode: r.organisation_code,
        rev,
        plain: false,
      });
      this.entries.set(r.uid, {
        ...stored(state),
        organisationId: r.organisation_id,
        organisationCode: r.organisation_code,
        feature: null,
        rev,
      });
    }
    this.announce(changes, Date.now());
    return latest;
  }

  private async reload(uids: string[]): Promise<void> {
    const rows = await this.db.asSystem((tx) => store.byUids(tx, uids));
    const found = new Set<string>();
    for (const r of rows) {
      found.add(r.uid);
      this.entries.set(r.uid, {
        ...stored(rowToState(r)),
        organisationId: r.organisation_id,
        organisationCode: r.organisation_code,
        feature: null,
        rev: (this.entries.get(r.uid)?.rev ?? 0) + 1,
      });
    }
    for (const uid of uids) if (!found.has(uid)) this.entries.delete(uid);
  }
}
