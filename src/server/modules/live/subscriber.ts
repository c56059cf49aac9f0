import type { LiveServerMessage } from '../../../domain/events.js';
import { type BBox, bboxIntersects } from '../../../domain/geometry.js';
import { canSee } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { LiveHub, Revalidate } from './live.hub.js';
import type { LiveSink } from './live-sink.js';
import type { Outgoing, Prepared } from './prepared.js';

export const WORLD: BBox = [-180, -90, 180, 90];
/** Most changes in one `batch` frame; a flush sends several frames if more are queued. */
const MAX_BATCH = 1000;

/** One live client: its filter, what it has been sent, and what waits to be sent. */
export class Subscriber {
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
    const msg = this.decide(p, resuming, holders);
    if (msg) this.queue(p.key, msg, p);
  }

  /**
   * A paced subscriber's turn (LiveHub.tick). One that keeps up is sent its share now, in one
   * write, without the bookkeeping of queue and flush: at 1 Hz, a TAK client's turn is a thousand
   * changes. One that is behind, or taking a snapshot, gets them one by one as any subscriber.
   */
  takeTurn(changes: readonly Prepared[]): void {
    if (
      this.buffered ||
      this.pending.size ||
      this.fresh.length ||
      !this.sink.open ||
      this.sink.bufferedAmount > this.hub.options.highWaterBytes
    ) {
      for (const p of changes) if (p.seq > this.pacedFrom) this.onEvent(p, undefined);
      return;
    }
    const out: Outgoing[] = [];
    for (const p of changes) {
      if (p.seq <= this.pacedFrom) continue;
      const msg = this.decide(p, false, undefined);
      if (msg) out.push(msg);
    }
    if (out.length <= MAX_BATCH) {
      if (out.length) this.sendOut(out);
    } else for (let i = 0; i < out.length; i += MAX_BATCH) this.sendOut(out.slice(i, i + MAX_BATCH));
  }

  /** What this subscriber is to be sent of a change, if anything; it then counts as sent. */
  private decide(
    p: Prepared,
    resuming: boolean,
    holders: ReadonlySet<Subscriber> | undefined,
  ): Outgoing | null {
    const e = p.e;
    if (!this.subscribed || !this.layers.has(e.layer)) return null;
    const key = p.key;
    // The bbox test first: it is cheaper than canSee and fails more often.
    const b = p.bbox;
    const visible =
      e.kind === 'upsert' &&
      (b === null || bboxIntersects(b, this.bbox)) &&
      p.visibleTo(this.who, this.clearanceClass);
    let msg: Outgoing;
    if (visible) {
      const sent = this.known.get(key);
      if (p.move && this.moves && sent === p.rev && sent >= 0) msg = p.moveMessage(p.move);
      else {
        this.know(key, p.rev);
        msg = p.upsertMessage();
      }
    } else if (
      ((this.everyMs ? this.known.has(key) : holders?.has(this)) && this.forget(key)) ||
      (resuming && e.prevMarking && canSee(this.viewer, e.prevMarking))
    ) {
      msg = p.deleteMessage();
    } else {
      return null;
    }
    if (e.id && BigInt(e.id) > BigInt(this.lastEventId)) this.lastEventId = e.id;
    return msg;
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
