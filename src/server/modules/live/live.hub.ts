import type { WebSocket } from 'ws';
import type {
  ChangeEvent,
  LiveChangeMessage,
  LiveClientMessage,
  LiveServerMessage,
  VolatileChange,
} from '../../../domain/events.js';
import { type BBox, bboxIntersects, bboxOf, type Geometry } from '../../../domain/geometry.js';
import { canSee } from '../../../domain/marking.js';
import type { TrackMove } from '../../../domain/tracks.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { EventRelay } from '../../platform/events.js';
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

const WORLD: BBox = [-180, -90, 180, 90];
/** Most changes in one `batch` frame; a flush sends several frames if more are queued. */
const MAX_BATCH = 1000;

function featureBbox(feature: unknown): BBox | null {
  const g = (feature as { geometry?: unknown } | null)?.geometry as Geometry | null | undefined;
  if (!g || !Array.isArray(g.coordinates)) return null;
  return bboxOf(g);
}

/**
 * A change as every subscriber sees it, worked out once however many subscribers there are: its
 * key, its bbox, and its upsert or delete message, identical for all who receive it, serialised once.
 */
class Prepared {
  readonly key: string;
  readonly bbox: BBox | null;
  private upsert: Outgoing | null = null;
  private gone: Outgoing | null = null;
  private moved: Outgoing | null = null;

  /** canSee(viewer, marking) by clearance class: subscribers who hold the same clearance share the answer. */
  private readonly seen: (boolean | undefined)[] = [];
  /** The hub's count of volatile changes when this one was published (see Subscriber.pacedFrom). */
  seq = 0;

  /**
   * `move`: the change only moved a track (see VolatileChange); `rev`: the entity's count of other
   * changes, -1 for changes from the outbox, which are always sent whole.
   */
  constructor(
    readonly e: ChangeEvent,
    readonly move: TrackMove | undefined = undefined,
    readonly rev = -1,
    point: readonly [number, number] | undefined = undefined,
    private readonly feature: (() => unknown) | undefined = undefined,
  ) {
    this.key = `${e.layer}\u0000${e.entityId}`;
    this.bbox =
      e.kind !== 'upsert' ? null : point ? [point[0], point[1], point[0], point[1]] : featureBbox(e.payload);
  }

  visibleTo(viewer: Viewer, clearanceClass: number): boolean {
    let v = this.seen[clearanceClass];
    if (v === undefined) {
      v = canSee(viewer, this.e.marking);
      this.seen[clearanceClass] = v;
    }
    return v;
  }

  // A volatile change carries no event id: the client keeps resuming from its last outbox id.
  upsertMessage(): Outgoing {
    const e = this.e;
    this.upsert ??= new Outgoing({
      type: 'upsert',
      layer: e.layer,
      id: e.entityId,
      feature: e.payload ?? this.feature?.(),
      eventId: e.id || undefined,
    });
    return this.upsert;
  }

  moveMessage(move: TrackMove): Outgoing {
    this.moved ??= new Outgoing({ type: 'moves', layer: this.e.layer, moves: [move] }, move);
    return this.moved;
  }

  deleteMessage(): Outgoing {
    const e = this.e;
    this.gone ??= new Outgoing({
      type: 'delete',
      layer: e.layer,
      id: e.entityId,
      eventId: e.id || undefined,
    });
    return this.gone;
  }
}

/**
 * A change message and its JSON, made on first use and shared by every subscriber it goes to. A
 * move's text is the move alone: sinks gather the moves of a flush into one `moves` message.
 */
export class Outgoing {
  private json: string | null = null;
  constructor(
    readonly msg: LiveChangeMessage,
    readonly move: TrackMove | null = null,
  ) {}
  get text(): string {
    this.json ??= JSON.stringify(this.move ?? this.msg);
    return this.json;
  }
}

/**
 * The messages of one flush as JSON texts, in order: whole changes one by one, each run of moves
 * of one layer as one `moves` message. An entity may come more than once (moved, then gone).
 */
export function changeTexts(changes: readonly Outgoing[]): string[] {
  const texts: string[] = [];
  let run: string[] = [];
  let runLayer = '';
  const endRun = () => {
    if (run.length)
      texts.push(`{"type":"moves","layer":${JSON.stringify(runLayer)},"moves":[${run.join(',')}]}`);
    run = [];
  };
  for (const c of changes) {
    if (!c.move || c.msg.layer !== runLayer) endRun();
    if (!c.move) texts.push(c.text);
    else {
      runLayer = c.msg.layer;
      run.push(c.text);
    }
  }
  endRun();
  return texts;
}

/**
 * Where a subscriber's messages go: a browser's WebSocket, or a TAK client's CoT stream that
 * translates them. The hub filters and coalesces; the sink only delivers.
 */
export interface LiveSink {
  readonly open: boolean;
  /** Bytes accepted but not yet written to the network: the hub holds back above its high-water mark. */
  readonly bufferedAmount: number;
  send(msg: LiveServerMessage): void;
  /**
   * Sends queued changes, already serialised, in one frame where the protocol allows (a `batch`);
   * a sink without it gets them one by one through send().
   */
  sendChanges?(changes: readonly Outgoing[]): void;
  close(code: number, reason: string): void;
  /** Called every heartbeat; false when the peer stopped answering (the hub then forgets it). */
  heartbeat(msg: LiveServerMessage): boolean;
}

/** A browser or API client on /api/v1/live: JSON messages, WebSocket ping/pong for liveness. */
class WebSocketSink implements LiveSink {
  private alive = true;
  constructor(private readonly socket: WebSocket) {
    socket.on('pong', () => {
      this.alive = true;
    });
  }
  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }
  send(msg: LiveServerMessage): void {
    if (this.open) this.socket.send(JSON.stringify(msg));
  }
  /** One frame and one write however many changes: a write per change costs more than the change. */
  sendChanges(changes: readonly Outgoing[]): void {
    if (!this.open) return;
    const texts = changeTexts(changes);
    if (texts.length === 1) this.socket.send(texts[0]!);
    else this.socket.send(`{"type":"batch","messages":[${texts.join(',')}]}`);
  }
  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }
  heartbeat(msg: LiveServerMessage): boolean {
    if (!this.alive) {
      this.socket.terminate();
      return false;
    }
    this.alive = false;
    this.socket.ping();
    this.send(msg);
    return true;
  }
}

/**
 * Paced subscribers of one interval, spread over PACE_SLOTS slots served in turn, so that their
 * sends are spread over the interval instead of stalling the process once per interval.
 */
interface Pace {
  slots: { subs: Set<Subscriber>; latest: Map<string, Prepared> }[];
  next: number;
  timer: NodeJS.Timeout;
}
const PACE_SLOTS = 10;

/** One live client: its filter, what it has been sent, and what waits to be sent. */
class Subscriber {
  layers = new Set<string>();
  bbox: BBox = WORLD;
  subscribed = false;
  /** Takes `moves` for tracks it holds (see Prepared.move). */
  moves = false;
  /** Entity key -> the rev of the whole state sent (see Prepared.rev). */
  private known = new Map<string, number>();
  /** Coalesced messages of a client that fell behind, by entity key. */
  private pending = new Map<string, Outgoing>();
  /** Messages since the last flush, in order, while the client keeps up (with their keys and changes). */
  private fresh: Outgoing[] = [];
  private freshKeys: string[] = [];
  private freshFrom: Prepared[] = [];
  private slowSince: number | null = null;
  private flushScheduled = false;
  private buffered: Prepared[] | null = null;
  lastEventId = '0';
  /**
   * Above 0, a paced subscriber: its movements come at the hub's tick of this interval, the latest
   * per entity (LiveHub.tick), not one by one; it is in neither the grid nor the holders index.
   */
  everyMs = 0;
  /** A paced subscriber's snapshot holds the changes up to this seq: older ones must not follow it. */
  pacedFrom = 0;

  private who: Viewer;
  /** Viewers with equal clearance, principals and caveats share a class (see Prepared.visibleTo). */
  clearanceClass: number;

  constructor(
    readonly sink: LiveSink,
    viewer: Viewer,
    readonly revalidate: Revalidate,
    private readonly hub: LiveHub,
  ) {
    this.who = viewer;
    this.clearanceClass = hub.clearanceClassOf(viewer);
  }

  get viewer(): Viewer {
    return this.who;
  }

  set viewer(v: Viewer) {
    this.who = v;
    this.clearanceClass = this.hub.clearanceClassOf(v);
  }

  send(msg: LiveServerMessage): void {
    if (this.sink.open) this.sink.send(msg);
  }

  /** Events that arrive while a snapshot is being taken wait here, then are replayed in order. */
  holdEvents(): void {
    this.buffered = [];
  }

  releaseEvents(afterId: string, resuming: boolean): void {
    const held = this.buffered ?? [];
    this.buffered = null;
    // A volatile change (no outbox id) held here happened after the snapshot began: it applies.
    for (const p of held)
      if (!p.e.id || BigInt(p.e.id) > BigInt(afterId)) this.apply(p, resuming && !!p.e.id);
  }

  /** Without a rev (-1), the next change of an entity goes whole. */
  rememberSnapshot(
    layer: string,
    ids: (string | number)[],
    revOf?: (id: string) => number | undefined,
  ): void {
    for (const k of [...this.known.keys()]) if (k.startsWith(`${layer}\u0000`)) this.forget(k);
    for (const id of ids) this.know(`${layer}\u0000${id}`, revOf?.(String(id)) ?? -1);
  }

  onEvent(p: Prepared, holders: ReadonlySet<Subscriber> | undefined): void {
    if (this.buffered) this.buffered.push(p);
    else this.apply(p, false, holders);
  }

  /**
   * `holders` are the subscribers that were sent the entity (LiveHub.holdersOf): the fan-out looks
   * them up once per change, so that each subscriber does not search its own (large) set for
   * every change it is not sent, which cost more than everything else here together.
   */
  apply(p: Prepared, resuming: boolean, holders = this.hub.holdersOf(p.key)): void {
    const e = p.e;
    if (!this.subscribed || !this.layers.has(e.layer)) return;
    const key = p.key;
    // The bbox test first: it is cheaper than canSee and fails more often.
    const b = p.bbox;
    const visible =
      e.kind === 'upsert' &&
      (b === null || bboxIntersects(b, this.bbox)) &&
      p.visibleTo(this.who, this.clearanceClass);
    if (visible) {
      const sent = this.known.get(key);
      if (p.move && this.moves && sent === p.rev && sent >= 0) this.queue(key, p.moveMessage(p.move), p);
      else {
        this.know(key, p.rev);
        this.queue(key, p.upsertMessage(), p);
      }
    } else if (
      ((this.everyMs ? this.known.has(key) : holders?.has(this)) && this.forget(key)) ||
      (resuming && e.prevMarking && canSee(this.viewer, e.prevMarking))
    ) {
      this.queue(key, p.deleteMessage(), p);
    } else {
      return;
    }
    if (e.id && BigInt(e.id) > BigInt(this.lastEventId)) this.lastEventId = e.id;
  }

  private know(key: string, rev: number): void {
    if (!this.everyMs && !this.known.has(key)) this.hub.hold(key, this);
    this.known.set(key, rev);
  }

  private forget(key: string): boolean {
    if (!this.known.delete(key)) return false;
    if (!this.everyMs) this.hub.release(key, this);
    return true;
  }

  /** When it goes: the hub's index of who holds what must not keep it. */
  forgetAll(): void {
    if (!this.everyMs) for (const k of this.known.keys()) this.hub.release(k, this);
    this.known.clear();
  }

  /**
   * Later messages about the same entity replace earlier unsent ones: a slow client gets the latest
   * state. A move cannot replace a whole state the client has not had yet: it goes whole too.
   */
  private queue(key: string, msg: Outgoing, p: Prepared): void {
    // A client that keeps up gets everything in order at the next flush: no coalescing to pay for.
    const o = this.hub.options;
    if (!this.pending.size && this.sink.bufferedAmount <= o.highWaterBytes) {
      this.fresh.push(msg);
      this.freshKeys.push(key);
      this.freshFrom.push(p);
      this.scheduleFlush();
      return;
    }
    this.coalesce(key, msg, p);
    // One relay batch queues all its events before the next flush; only a consumer that is behind
    // (its socket over the high-water mark) is held to maxPending.
    if (this.pending.size > o.maxPending && this.sink.bufferedAmount > o.highWaterBytes) {
      this.hub.drop(this, 'too many pending updates');
      return;
    }
    this.scheduleFlush();
  }

  private coalesce(key: string, msg: Outgoing, p: Prepared): void {
    const before = this.pending.get(key);
    if (before) this.pending.delete(key);
    this.pending.set(key, msg.move && before && !before.move ? p.upsertMessage() : msg);
  }

  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Sends what is pending, oldest first, in frames of up to MAX_BATCH changes while the socket keeps up. */
  private flush(): void {
    const o = this.hub.options;
    if (this.fresh.length) {
      const fresh = this.fresh;
      this.fresh = [];
      if (!this.pending.size && this.sink.open && this.sink.bufferedAmount <= o.highWaterBytes) {
        this.freshKeys = [];
        this.freshFrom = [];
        for (let i = 0; i < fresh.length; i += MAX_BATCH) this.sendOut(fresh.slice(i, i + MAX_BATCH));
        this.slowSince = null;
        return;
      }
      // Behind: from now on, later messages about an entity replace earlier ones.
      const keys = this.freshKeys;
      const from = this.freshFrom;
      this.freshKeys = [];
      this.freshFrom = [];
      for (let i = 0; i < fresh.length; i++) this.coalesce(keys[i]!, fresh[i]!, from[i]!);
    }
    while (this.pending.size) {
      if (!this.sink.open) return;
      if (this.sink.bufferedAmount > o.highWaterBytes) {
        this.slowSince ??= Date.now();
        if (Date.now() - this.slowSince > o.slowGraceMs) {
          this.hub.drop(this, 'consumer stayed behind');
          return;
        }
        setTimeout(() => this.scheduleFlush(), 50).unref();
        return;
      }
      const out: Outgoing[] = [];
      for (const [key, msg] of this.pending) {
        this.pending.delete(key);
        out.push(msg);
        if (out.length >= MAX_BATCH) break;
      }
      this.sendOut(out);
    }
    this.slowSince = null;
  }

  private sendOut(out: Outgoing[]): void {
    if (this.sink.sendChanges) this.sink.sendChanges(out);
    else for (const m of out) this.send(m.msg);
  }
}

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
      for (const pace of this.paced.values())
        for (const slot of pace.slots) if (slot.subs.size) slot.latest.set(p.key, p);
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
      for (const slot of pace.slots) if (slot.subs.delete(sub) && !slot.subs.size) slot.latest.clear();
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
      const slots = Array.from({ length: PACE_SLOTS }, () => ({
        subs: new Set<Subscriber>(),
        latest: new Map(),
      }));
      const p: Pace = { slots, next: 0, timer: setInterval(() => this.tick(p), everyMs / PACE_SLOTS) };
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
    pace.next = (pace.next + 1) % PACE_SLOTS;
    if (!slot.latest.size) return;
    const changes = slot.latest;
    slot.latest = new Map();
    for (const s of slot.subs)
      for (const p of changes.values()) if (p.seq > s.pacedFrom) s.onEvent(p, undefined);
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
