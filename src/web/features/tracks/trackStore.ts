import type { LiveServerMessage } from '../../../domain/events';
import { aggregateMarking, distinctMarkings, type Marking } from '../../../domain/marking';
import { applyTrackMove } from '../../../domain/tracks';
import { atMostEvery } from '../../app/atMostEvery';
import { milestone } from '../../app/milestones';
import { isTrackFeature, TRACKS_LAYER, type TrackFeature } from './types';

/** What the track views render: the current tracks and the marking of them all together. */
export interface TracksState {
  /** Sorted by callsign, so lists and tests see a stable order. */
  tracks: readonly TrackFeature[];
  byId: ReadonlyMap<string, TrackFeature>;
  /** The aggregate marking of every track held: the banners must cover them. */
  marking: Marking;
  /** True once the first snapshot has arrived. */
  loaded: boolean;
}

/**
 * Tracks move every second and a busy picture has thousands of them: one render per 100 ms burst
 * is plenty for the eye and leaves the main thread free for panning. Each render is linear in the
 * number of tracks (marking, filters, lists), so a large picture renders once a second: the map
 * does not wait for it, it takes the movements as they come (`subscribeMoves`).
 */
const COALESCE_MS = 100;
const LARGE_PICTURE = 2_000;
const LARGE_COALESCE_MS = 1_000;

/** Told of the tracks a message moved, as the store now holds them. */
export type MovesListener = (moved: readonly TrackFeature[]) => void;
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function callsignOf(f: TrackFeature): string {
  return typeof f.properties.callsign === 'string' && f.properties.callsign
    ? f.properties.callsign
    : String(f.id);
}

/** Holds the current tracks as the live feed reports them (snapshot, then upserts and deletes). */
export class TrackStore {
  private readonly features = new Map<string, TrackFeature>();
  /** Ids sorted by callsign; sorted again only when a track comes, goes or changes callsign. */
  private order: string[] = [];
  private orderStale = true;
  /** Moves keep each track's marking: the aggregate over 10,000 is redone only when tracks change. */
  private markingStale = true;
  private state: TracksState = {
    tracks: [],
    byId: new Map(),
    marking: aggregateMarking([]),
    loaded: false,
  };
  private readonly listeners = new Set<() => void>();
  private readonly moveListeners = new Set<MovesListener>();
  private readonly publisher = atMostEvery(
    () => this.publish(),
    () => (this.features.size > LARGE_PICTURE ? LARGE_COALESCE_MS : COALESCE_MS),
  );

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): TracksState => this.state;

  /**
   * Movements as they arrive, ahead of the coalesced renders: the map shows them without a
   * render of every view of the tracks (linear in their number) per message.
   */
  subscribeMoves = (listener: MovesListener): (() => void) => {
    this.moveListeners.add(listener);
    return () => this.moveListeners.delete(listener);
  };

  apply(msg: LiveServerMessage): void {
    if (!('layer' in msg) || msg.layer !== TRACKS_LAYER) return;
    switch (msg.type) {
      case 'snapshot':
        this.features.clear();
        for (const f of msg.features) if (isTrackFeature(f)) this.features.set(String(f.id), f);
        this.orderStale = true;
        this.markingStale = true;
        // The first picture must not wait out the coalescing meant for the stream of movements.
        this.publishSoon();
        return;
      case 'upsert': {
        if (!isTrackFeature(msg.feature)) break;
        const id = String(msg.id);
        const before = this.features.get(id);
        if (!before || callsignOf(before) !== callsignOf(msg.feature)) this.orderStale = true;
        this.features.set(id, msg.feature);
        this.markingStale = true;
        break;
      }
      case 'delete':
        if (this.features.delete(String(msg.id))) {
          this.orderStale = true;
          this.markingStale = true;
        }
        break;
      case 'moves': {
        // Only tracks we were sent whole are moved: the server sends a move for nothing else.
        const moved: TrackFeature[] = [];
        for (const m of msg.moves) {
          const before = this.features.get(m[0]);
          if (!before) continue;
          const after = applyTrackMove(before, m);
          this.features.set(m[0], after);
          moved.push(after);
        }
        if (moved.length) for (const l of this.moveListeners) l(moved);
        break;
      }
    }
    this.schedule();
  }

  /** Publishes at the next task, instead of when a pending coalesced publish falls due. */
  private publishSoon(): void {
    this.publisher.soon();
  }

  private schedule(): void {
    this.publisher.request();
  }

  private publish(): void {
    // Sorting 10,000 callsigns with a collator takes longer than a frame: most updates only move tracks.
    if (this.orderStale) {
      // Callsigns looked up once, not twice per comparison.
      const keyed = [...this.features].map(([id, f]) => ({ id, callsign: callsignOf(f) }));
      keyed.sort((a, b) => collator.compare(a.callsign, b.callsign));
      this.order = keyed.map((k) => k.id);
      this.orderStale = false;
    }
    const tracks = this.order.map((id) => this.features.get(id)!);
    let marking = this.state.marking;
    if (this.markingStale || !this.state.loaded) {
      marking = aggregateMarking(distinctMarkings(tracks.map((f) => f.properties.marking)));
      this.markingStale = false;
    }
    this.state = { tracks, byId: new Map(this.features), marking, loaded: true };
    milestone('tracks published');
    for (const l of this.listeners) l();
  }
}
