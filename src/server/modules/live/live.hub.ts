import type { WebSocket } from 'ws';
import type { ChangeEvent, LiveClientMessage, VolatileChange } from '../../../domain/events.js';
import type { BBox } from '../../../domain/geometry.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { EventRelay } from '../../platform/events.js';
import { LatestChanges } from './latest-changes.js';
import { type LiveSink, WebSocketSink } from './live-sink.js';
import { Prepared } from './prepared.js';
import { Subscriber, WORLD } from './subscriber.js';
import { SubscriberGrid } from './subscriber-grid.js';

/** A layer the hub can snapshot: features as the viewer may see them, in a bbox. */
export type LayerSource = (
  viewer: Viewer,
  bbox: BBox | undefined,
) => Promise<{ id: string | number; geometry?: unknown }[]>;
/** The outbox as one viewer sees it (row-level security applies). */
export interface EventHistory {
  after(viewer: Viewer, afterId: string, limit: number): Promise<ChangeEvent[]>;
  /** The last event id at or below `upTo` that the viewer may see: ids tell nothing of hidden activity. */
  lastVisible(viewer: Viewer, upTo: string): Promise<string>;
}
/** Answers whether the socket's credentials still hold (logout, revocation, disabled user): the viewer now, or null. */
export type Revalidate = () => Promise<Viewer | null>;

export const CLOSE = { unauthenticated: 4401, tooSlow: 4408, badMessage: 4400, shuttingDown: 1001 } as const;

export interface HubOptions {
  heartbeatMs: number;
  /** Bytes queued in the socket beyond which we hold messages back (and coalesce them). */
  highWaterBytes: number;
  /** How long a consumer may stay above the high-water mark before it is disconnected. */
  slowGraceMs: number;
  /** Most pending entities per subscriber before it is disconnected. */
  maxPending: number;
  maxResume: number;
  /** Layers whose changes come through publishVolatile rather than the outbox. */
  volatileLayers: readonly string[];
  /**
   * Per volatile layer, an entity's rev now (see Prepared.rev): a snapshot then counts as the
   * whole state, and the next plain movement goes as a move. Without it, the next change is whole.
   */
  revisionOf?: Readonly<Record<string, (id: string) => number | undefined>>;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  heartbeatMs: 15_000,
  highWaterBytes: 1 << 20,
  slowGraceMs: 10_000,
  maxPending: 50_000,
  maxResume: 10_000,
  volatileLayers: [],
};

/**
 * Paced subscribers of one interval, spread over slots served in turn, so that their sends are
 * spread over the interval instead of stalling the process once per interval. Each slot remembers
 * the seq up to which it has had the changes; `latest` keeps what some slot has not had yet.
 */
interface Pace {
  slots: { subs: Set<Subscriber>; hadUpTo: number }[];
  latest: LatestChanges;
  next: number;
  timer: NodeJS.Timeout;
}
/** A slot's turn comes about this often: each sends a share small enough not to hold up the event loop. */
const SLOT_MS = 20;
const MAX_SLOTS = 50;

/**
 * Fans committed events out to WebSocket subscribers, each filtered by layer, bbox and canSee —
 * the same rule the database applies with row-level security.
 */
export class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly grid = new SubscriberGrid<Subscriber>(() =>
    [...this.subscribers].filter((s) => !s.everyMs),
  );
  /** Paced subscribers by interval (Subscriber.everyMs) and the latest change per entity since the last tick. */
  private readonly paced = new Map<number, Pace>();
  private seq = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly clearanceClasses = new Map<string, number>();
  /** Entity key -> the subscribers that were sent it (and not its delete since). */
  private readonly holders = new Map<string, Set<Subscriber>>();

  constructor(
    private readonly relay: EventRelay,
    private readonly layers: Record<string, LayerSource>,
    private readonly history: EventHistory,
    readonly options: HubOptions = DEFAULT_HUB_OPTIONS,
  ) {
    relay.on('event', (e) => {
      const p = new Prepared(e);
      const holders = this.holders.get(p.key);
      for (const s of this.subscribers) s.onEvent(p, holders);
    });
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Fans out changes that do not pass through the outbox (track movements, kept in memory and
   * written in batches): same filters, no event id. Their layers are snapshotted on every
   * subscribe, resumes included, since they cannot be replayed from the outbox.
   */
  publishVolatile(changes: readonly VolatileChange[]): void {
    if (!changes.length || !this.subscribers.size) return;
    const at = new Date().toISOString();
    for (const c of changes) {
      const e: ChangeEvent = {
        id: '',
        at,
        actor: null,
        kind: c.kind,
        layer: c.layer,
        entityId: c.entityId,
        payload: c.payload,
        marking: c.marking,
        prevMarking: c.prevMarking,
      };
      const p = new Prepared(e, c.move, c.rev ?? -1, c.point, c.feature);
      p.seq = ++this.seq;
      for (const pace of this.paced.values()) pace.latest.set(p);
      const holders = this.holders.get(p.key);
      if (c.kind !== 'upsert' || !c.point) {
        for (const s of this.subscribers) if (!s.everyMs) s.onEvent(p, holders);
        continue;
      }
      // Those who hold the entity (to move it, or to delete it if it left their view), then those
      // whose view it may be in: a subscriber in neither would do nothing with it.
      if (holders) for (const s of holders) s.onEvent(p, holders);
      this.grid.near(c.point[0], c.point[1], (s) => {
        if (!holders?.has(s)) s.onEvent(p, holders);
      });
    }
  }

  holdersOf(key: string): ReadonlySet<Subscriber> | undefined {
    return this.holders.get(key);
  }

  hold(key: string, sub: Subscriber): void {
    const set = this.holders.get(key);
    if (set) set.add(sub);
    else this.holders.set(key, new Set([sub]));
  }

  release(key: string, sub: Subscriber): void {
    const set = this.holders.get(key);
    if (!set) return;
    set.delete(sub);
    if (!set.size) this.holders.delete(key);
  }

  private remove(sub: Subscriber): void {
    if (this.subscribers.delete(sub)) {
      sub.forgetAll();
      this.grid.invalidate();
      const pace = this.paced.get(sub.everyMs);
      if (!pace) return;
      for (const slot of pace.slots) slot.subs.delete(sub);
      if (pace.slots.every((slot) => !slot.subs.size)) {
        clearInterval(pace.timer);
        this.paced.delete(sub.everyMs);
      }
    }
  }

  private pace(sub: Subscriber, everyMs: number): void {
    sub.everyMs = everyMs;
    let pace = this.paced.get(everyMs);
    if (!pace) {
      const n = Math.min(MAX_SLOTS, Math.max(1, Math.round(everyMs / SLOT_MS)));
      const slots = Array.from({ length: n }, () => ({ subs: new Set<Subscriber>(), hadUpTo: this.seq }));
      const p: Pace = {
        slots,
        latest: new LatestChanges(),
        next: 0,
        timer: setInterval(() => this.tick(p), everyMs / n),
      };
      p.timer.unref();
      pace = p;
      this.paced.set(everyMs, pace);
    }
    const emptiest = pace.slots.reduce((a, b) => (b.subs.size < a.subs.size ? b : a));
    emptiest.subs.add(sub);
  }

  /**
   * One slot's movements since its last turn, the latest per entity, offered to each of its
   * subscribers: a TAK client at 1 Hz costs the hub one visit per track a second, not one per report.
   */
  private tick(pace: Pace): void {
    const slot = pace.slots[pace.next]!;
    pace.next = (pace.next + 1) % pace.slots.length;
    const from = slot.hadUpTo;
    slot.hadUpTo = this.seq;
    if (slot.subs.size) {
      const changes = pace.latest.since(from);
      for (const s of slot.subs) s.takeTurn(changes);
    }
    let oldest = slot.hadUpTo;
    for (const x of pace.slots) oldest = Math.min(oldest, x.hadUpTo);
    pace.latest.dropUpTo(oldest);
  }

  /** A small number per distinct (clearance, principals, caveats): what canSee depends on. */
  clearanceClassOf(v: Viewer): number {
    const key = `${v.clearance}|${[...v.principals].sort().join(',')}|${[...v.caveats].sort().join(',')}`;
    let n = this.clearanceClasses.get(key);
    if (n === undefined) {
      n = this.clearanceClasses.size;
      this.clearanceClasses.set(key, n);
    }
    return n;
  }

  hasLayer(layer: string): boolean {
    return layer in this.layers;
  }

  get size(): number {
    return this.subscribers.size;
  }

  accept(socket: WebSocket, viewer: Viewer, revalidate: Revalidate): void {
    const sub = new Subscriber(new WebSocketSink(socket), viewer, revalidate, this);
    this.subscribers.add(sub);
    this.grid.invalidate();
    socket.on('message', (data, isBinary) => {
      void this.onMessage(sub, data.toString(), isBinary);
    });
    socket.on('close', () => this.remove(sub));
    socket.on('error', () => this.remove(sub));
    sub.send({ type: 'welcome', user: viewer.username, heartbeatMs: this.options.heartbeatMs });
  }

  /**
   * Subscribes a sink that is not a WebSocket (a TAK client) to the given layers: it receives the
   * snapshots, then the upserts and deletes released to its viewer. Call detach() when it goes.
   */
  async attach(
    sink: LiveSink,
    viewer: Viewer,
    revalidate: Revalidate,
    layers: string[],
    bbox: BBox = WORLD,
    /** Above 0: movements at most once per entity per this many ms (see Subscriber.everyMs). */
    everyMs = 0,
  ): Promise<{ detach(): void }> {
    const sub = new Subscriber(sink, viewer, revalidate, this);
    if (everyMs > 0) this.pace(sub, everyMs);
    this.subscribers.add(sub);
    this.grid.invalidate();
    const detach = () => {
      this.remove(sub);
    };
    try {
      await this.subscribe(sub, layers, bbox, null);
    } catch (e) {
      detach();
      throw e;
    }
    return { detach };
  }

  drop(sub: Subscriber, reason: string): void {
    this.remove(sub);
    sub.sink.close(CLOSE.tooSlow, `too slow: ${reason}; reconnect and resume`);
  }

  private async onMessage(sub: Subscriber, text: string, isBinary: boolean): Promise<void> {
    let msg: LiveClientMessage;
    try {
      if (isBinary || text.length > 65_536) throw new Error('binary or oversize message');
      msg = JSON.parse(text) as LiveClientMessage;
    } catch {
      sub.send({ type: 'error', code: 'invalid-json', message: 'Messages must be JSON text.' });
      return;
    }
    if (msg?.type === 'ping') {
      sub.send({ type: 'heartbeat', at: new Date().toISOString(), lastEventId: sub.lastEventId });
      return;
    }
    if (
      msg?.type !== 'subscribe' ||
      !Array.isArray(msg.layers) ||
      !msg.layers.every((l) => typeof l === 'string')
    ) {
      sub.send({
        type: 'error',
        code: 'bad-message',
        message: 'Send {"type":"subscribe","layers":[...],"bbox"?:[w,s,e,n],"since"?:"<eventId>"}.',
      });
      return;
    }
    const unknown = msg.layers.filter((l) => !this.layers[l]);
    if (unknown.length) {
      sub.send({
        type: 'error',
        code: 'unknown-layer',
        message: `Unknown layer(s): ${unknown.join(', ')}; known: ${Object.keys(this.layers).join(', ')}.`,
      });
      return;
    }
    const bbox = msg.bbox;
    if (
      bbox !== undefined &&
      (!Array.isArray(bbox) ||
        bbox.length !== 4 ||
        !bbox.every((n) => Number.isFinite(n)) ||
        bbox[0] > bbox[2] ||
        bbox[1] > bbox[3])
    ) {
      sub.send({ type: 'error', code: 'bad-bbox', message: 'bbox must be [west, south, east, north].' });
      return;
    }
    const since = typeof msg.since === 'string' && /^\d{1,19}$/.test(msg.since) ? msg.since : null;
    sub.moves = msg.moves === true;
    try {
      await this.subscribe(sub, msg.layers, bbox ?? WORLD, since);
    } catch {
      sub.send({ type: 'error', code: 'internal', message: 'Could not load the snapshot; try again.' });
    }
  }

  private async subscribe(
    sub: Subscriber,
    layers: string[],
    bbox: BBox,
    since: string | null,
  ): Promise<void> {
    sub.holdEvents();
    sub.pacedFrom = this.seq;
    sub.layers = new Set(layers);
    sub.bbox = bbox;
    this.grid.invalidate();
    sub.subscribed = true;
    const at = this.relay.lastEventId;
    const visibleAt = await this.history.lastVisible(sub.viewer, at);
    let replay: ChangeEvent[] | null = null;
    if (since) {
      replay = await this.history.after(sub.viewer, since, this.options.maxResume + 1);
      if (replay.length > this.options.maxResume) replay = null;
    }
    for (const layer of layers) {
      const features = await this.layers[layer]!(sub.viewer, bbox === WORLD ? undefined : bbox);
      sub.rememberSnapshot(
        layer,
        features.map((f) => f.id),
        this.options.revisionOf?.[layer],
      );
      if (!replay || this.options.volatileLayers.includes(layer))
        sub.send({ type: 'snapshot', layer, features, lastEventId: visibleAt, reset: since !== null });
    }
    sub.lastEventId = visibleAt;
    if (replay) {
      for (const e of replay) if (BigInt(e.id) <= BigInt(at)) sub.apply(new Prepared(e), true);
      // A change committed after `at` but before the snapshot was read is missing from the
      // snapshot, so `known` lacks an entity the resuming client still holds. Wait until every
      // such event is held, and apply them as a resume too, so that the client learns it is gone.
      await this.relay.wake();
    }
    sub.releaseEvents(at, replay !== null);
  }

  private beat(): void {
    const at = new Date().toISOString();
    for (const s of this.subscribers) {
      if (!s.sink.heartbeat({ type: 'heartbeat', at, lastEventId: s.lastEventId })) {
        this.remove(s);
        continue;
      }
      void this.recheck(s);
    }
  }

  /** A socket lives no longer than its session, token or account; a changed clearance applies at once. */
  private async recheck(s: Subscriber): Promise<void> {
    let viewer: Viewer | null;
    try {
      viewer = await s.revalidate();
    } catch {
      return; // the database is briefly unavailable: keep serving, check again next beat
    }
    if (!viewer) {
      this.remove(s);
      s.sink.close(CLOSE.unauthenticated, 'the session or token has ended; log in again');
    } else s.viewer = viewer;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const pace of this.paced.values()) clearInterval(pace.timer);
    this.paced.clear();
    for (const s of this.subscribers) s.sink.close(CLOSE.shuttingDown, 'server shutting down');
    this.subscribers.clear();
    this.holders.clear();
  }
}
