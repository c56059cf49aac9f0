import type { LiveServerMessage } from '../../../domain/events.js';
import type { TrackFeature } from '../../../domain/tracks.js';
import type { ZoneFeature } from '../../../domain/zones.js';
import type { LiveSink, Outgoing } from '../../modules/live/index.js';
import {
  alertToCot,
  alertUid,
  deleteToCot,
  trackToCot,
  zoneToCot,
  zoneUid,
  zoneUids,
} from './feature-to-cot.js';
import type { TakSocket } from './tak-socket.js';

/**
 * The CoT of a track update, made and UTF-8 encoded once for all the TAK clients it goes to: the
 * hub hands every subscriber the same feature object, and a track's CoT depends on nothing else.
 */
const trackCot = new WeakMap<TrackFeature, Buffer>();

function sharedTrackToCot(f: TrackFeature, now: number): Buffer {
  let cot = trackCot.get(f);
  if (cot === undefined) {
    cot = Buffer.from(trackToCot(f, now));
    trackCot.set(f, cot);
  }
  return cot;
}

/**
 * The CoT of the last few flushes made only of track updates: the paced clients of one slot are
 * mostly sent the very same changes in the same order (the same Outgoing objects), and then
 * share one buffer instead of each walking and copying a thousand CoT events.
 */
const RECENT = 4;
const recentBatches: { changes: readonly Outgoing[]; cot: Buffer; count: number }[] = [];

function sameChanges(a: readonly Outgoing[], b: readonly Outgoing[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function onlyTrackUpserts(changes: readonly Outgoing[]): boolean {
  for (const c of changes) if (c.msg.type !== 'upsert' || c.msg.layer !== 'tracks') return false;
  return true;
}

/**
 * A TAK client as a live-hub subscriber: the hub filters by canSee and coalesces, this sink only
 * turns its messages into CoT. It remembers the CoT uids each entity became (a multi-part zone
 * becomes several drawings) so that a delete removes all of them.
 */
export class TakSink implements LiveSink {
  private readonly uids = new Map<string, string[]>();

  constructor(
    private readonly socket: TakSocket,
    /** Called with the number of CoT events written. */
    private readonly sent: (n: number) => void,
    /** True while the peer has sent anything recently: TAK clients ping, so silence means gone. */
    private readonly alive: () => boolean,
  ) {}

  get open(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  send(msg: LiveServerMessage): void {
    if (!this.open) return;
    const out: Buffer[] = [];
    this.toCot(msg, Date.now(), out);
    this.write(out);
  }

  /** A flush's changes in one write: one TLS record or a few, not one per change. */
  sendChanges(changes: readonly Outgoing[]): void {
    if (!this.open) return;
    if (changes.length > 1 && onlyTrackUpserts(changes)) {
      this.writeShared(changes);
      return;
    }
    const now = Date.now();
    const out: Buffer[] = [];
    for (const c of changes) this.toCot(c.msg, now, out);
    this.write(out);
  }

  private writeShared(changes: readonly Outgoing[]): void {
    let batch = recentBatches.find((b) => sameChanges(b.changes, changes));
    if (!batch) {
      const now = Date.now();
      const out: Buffer[] = [];
      for (const c of changes) this.toCot(c.msg, now, out);
      batch = { changes: [...changes], cot: Buffer.concat(out), count: out.length };
      recentBatches.unshift(batch);
      if (recentBatches.length > RECENT) recentBatches.pop();
    }
    this.socket.write(batch.cot);
    this.sent(batch.count);
  }

  private write(out: Buffer[]): void {
    if (!out.length) return;
    this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    this.sent(out.length);
  }

  private toCot(msg: LiveServerMessage, now: number, out: Buffer[]): void {
    if (msg.type === 'snapshot') {
      for (const f of msg.features) for (const c of this.upsert(msg.layer, f, now)) out.push(Buffer.from(c));
    } else if (msg.type === 'upsert') {
      if (msg.layer === 'tracks') out.push(sharedTrackToCot(msg.feature as TrackFeature, now));
      else for (const c of this.upsert(msg.layer, msg.feature, now)) out.push(Buffer.from(c));
    } else if (msg.type === 'delete') {
      const key = `${msg.layer}\u0000${msg.id}`;
      const uids = this.uids.get(key) ?? [this.uidOf(msg.layer, msg.id)];
      this.uids.delete(key);
      for (const u of uids) out.push(Buffer.from(deleteToCot(u, now)));
    }
  }

  private uidOf(layer: string, id: string): string {
    return layer === 'zones' ? zoneUid(id) : layer === 'alerts' ? alertUid(id) : id;
  }

  private upsert(layer: string, feature: unknown, now: number): string[] {
    switch (layer) {
      case 'tracks':
        return [trackToCot(feature as TrackFeature, now)];
      case 'zones': {
        const z = feature as ZoneFeature;
        const uids = zoneUids(z);
        const key = `zones\u0000${z.id}`;
        // A zone that lost parts since it was last sent: remove the drawings it no longer has.
        const gone = (this.uids.get(key) ?? [])
          .filter((u) => !uids.includes(u))
          .map((u) => deleteToCot(u, now));
        this.uids.set(key, uids);
        return [...gone, ...zoneToCot(z, now)];
      }
      case 'alerts': {
        const a = alertToCot(feature as Parameters<typeof alertToCot>[0], now);
        return a ? [a] : [];
      }
      default:
        return [];
    }
  }

  close(_code: number, _reason: string): void {
    // CoT has no close reason: end the stream, and cut it if the peer does not finish in time.
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  heartbeat(_msg: LiveServerMessage): boolean {
    if (this.alive()) return true;
    this.socket.destroy();
    return false;
  }
}
