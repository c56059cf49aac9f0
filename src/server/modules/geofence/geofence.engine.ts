import type { AlertCandidate, AlertTrigger, FencePosition, FenceTrack } from '../../../domain/alerts.js';
import { makeCandidate } from './geofence.alerts.js';
import { nearZonesBuffer, ZoneIndex } from './geofence.index.js';
import { crossings, edgeDistance, shapeBoxDistance, shapeContains, zoneDistance } from './geofence.shape.js';
import {
  APPROACH,
  type CompiledZone,
  CROSS,
  comboOf,
  DWELL,
  ENTER,
  EXIT,
  type FenceZone,
  ruleFor,
} from './geofence.zone.js';

export interface GeofenceOptions {
  /**
   * Metres a track must be beyond an edge or a line before its side counts (default 25). See
   * docs/architecture.md, "How a report raises an alert", for the exact semantics.
   */
  hysteresisM?: number;
}

/** What one track is to one zone, kept only while it differs from "outside, far, no crossing". */
interface ZoneState {
  zid: number;
  /** Firmly inside the area (entered beyond the hysteresis margin and not left beyond it). */
  inside: boolean;
  /** Within the approach distance (and not yet beyond it by the margin). */
  near: boolean;
  /** Crossings of a line since the track was last clear of it, modulo 2. */
  parity: number;
  /** Where the track was just before the first of those crossings. */
  crossFrom: FencePosition | null;
  dwellStart: number;
  dwellRaised: boolean;
  /** The evaluate call that last saw this zone near the track. */
  stamp: number;
}

interface TrackMemory {
  lon: number;
  lat: number;
  t: number;
  states: ZoneState[];
}

const INSIDE_BITS = ENTER | EXIT | CROSS | DWELL;
const NONE: readonly AlertCandidate[] = Object.freeze([]);

/**
 * The geofence engine: zones in memory behind a flatbush index, per-track state keyed by uid,
 * and one call per position report that returns the alerts it raises. Not thread-safe, not async:
 * one engine per process (or per partition of uids), fed in observation order per uid.
 */
export class GeofenceEngine {
  readonly hysteresisM: number;
  private readonly index: ZoneIndex;
  private readonly tracks = new Map<string, TrackMemory>();
  private stamp = 0;
  private raised: AlertCandidate[] | null = null;
  private scratch: ZoneState = blankState();
  private readonly near = nearZonesBuffer();

  constructor(opts: GeofenceOptions = {}) {
    this.hysteresisM = opts.hysteresisM ?? 25;
    if (!(this.hysteresisM >= 0)) throw new Error('hysteresisM must be zero or more metres');
    this.index = new ZoneIndex(this.hysteresisM);
  }

  /** Replaces every zone. Track state is kept: a reload of the same zones raises nothing. */
  setZones(zones: readonly FenceZone[]): void {
    this.index.clear();
    for (const z of zones) this.index.upsert(z);
  }

  /** Adds or replaces one version of a zone (id + version); the zone's other versions stay. */
  upsertZone(z: FenceZone): void {
    this.index.upsert(z);
  }

  /** Forgets every version of a zone; tracks inside it raise no exit. */
  removeZone(id: string): void {
    this.index.remove(id);
  }

  /**
   * Builds the index now. Zone changes are otherwise applied by the next evaluate, which then pays
   * for the rebuild (tens to hundreds of milliseconds for a thousand zones): call this after a load.
   */
  prepare(): void {
    this.index.prepare();
  }

  /** Drops a track's state (it went stale); its next report is a first sighting again. */
  forget(uid: string): void {
    this.tracks.delete(uid);
  }

  get trackCount(): number {
    return this.tracks.size;
  }

  get zoneCount(): number {
    return this.index.zoneCount();
  }

  /**
   * Checks one report against the zones in force at its time and returns the alerts it raises
   * (a shared empty array when none: do not mutate it). A report not newer than the last one of
   * its uid is ignored. The first report of a track only establishes its state.
   */
  evaluate(track: FenceTrack, pos: FencePosition): readonly AlertCandidate[] {
    const { lon, lat, t } = pos;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || !Number.isFinite(t)) return NONE;
    let mem = this.tracks.get(track.uid);
    if (mem && t <= mem.t) return NONE;
    const prev = mem;
    if (!mem) {
      mem = { lon, lat, t, states: [] };
      this.tracks.set(track.uid, mem);
    }
    const combo = comboOf(track.kind, track.affiliation);
    const stamp = ++this.stamp;
    this.raised = null;
    const near = this.near;
    this.index.near(lon, lat, prev ? prev.lon : lon, prev ? prev.lat : lat, near);
    const states = mem.states;
    for (let i = 0; i < near.n; i++) {
      const z = near.zones[i]!;
      const deep = near.deep[i] === 1;
      if (!(z.from <= t && t < z.to)) continue;
      const mask = z.masks[combo]!;
      if (mask === 0 || this.index.inForce(z.zid, t) !== z) continue;
      let s: ZoneState | undefined;
      for (let k = 0; k < states.length; k++) if (states[k]!.zid === z.zid) s = states[k];
      if (s) {
        s.stamp = stamp;
        this.check(z, mask, s, combo, track, pos, prev, deep);
        continue;
      }
      // Most zones near a track leave it "outside, far": check on a scratch state, keep it only if not.
      const fresh = this.scratch;
      fresh.zid = z.zid;
      fresh.stamp = stamp;
      this.check(z, mask, fresh, combo, track, pos, prev, deep);
      if (fresh.inside || fresh.near || fresh.parity !== 0) {
        states.push({ ...fresh });
        this.scratch = blankState();
      }
    }
    let kept = 0;
    for (let i = 0; i < states.length; i++) {
      const s = states[i]!;
      if (s.stamp !== stamp) this.leave(s, combo, track, pos, prev);
      if (s.inside || s.near || s.parity !== 0) states[kept++] = s;
    }
    if (kept !== states.length) states.length = kept;
    mem.lon = lon;
    mem.lat = lat;
    mem.t = t;
    return this.raised ?? NONE;
  }

  /** One zone near the report: update the track's state for it and raise what changed. */
  private check(
    z: CompiledZone,
    mask: number,
    s: ZoneState,
    combo: number,
    track: FenceTrack,
    pos: FencePosition,
    prev: TrackMemory | undefined,
    deep: boolean,
  ): void {
    const shape = z.shape;
    const f = shape.frame;
    const x = (pos.lon - f.lon0) * f.kx;
    const y = (pos.lat - f.lat0) * f.ky;
    const h = this.hysteresisM;
    let contains = -1;
    if (shape.kind === 'area' && (mask & INSIDE_BITS) !== 0) {
      // Deep inside: inside, and farther from every edge than the hysteresis, known from the grid.
      const pin = deep || shapeContains(shape, x, y);
      contains = pin ? 1 : 0;
      if (pin !== s.inside && (h === 0 || deep || edgeDistance(shape, x, y) > h)) {
        s.inside = pin;
        if (pin) {
          s.dwellStart = pos.t;
          s.dwellRaised = false;
        }
        if (prev) {
          if (mask & (pin ? ENTER : EXIT)) this.raise(pin ? 'enter' : 'exit', z, combo, track, [copy(pos)]);
          if (mask & CROSS) this.raise('cross', z, combo, track, [at(prev), copy(pos)]);
        }
      }
      if (s.inside && (mask & DWELL) !== 0 && !s.dwellRaised) {
        if (pos.t - s.dwellStart >= (ruleFor(z, combo, 'dwell').dwellS ?? 0) * 1000) {
          s.dwellRaised = true;
          this.raise('dwell', z, combo, track, [copy(pos)]);
        }
      }
    } else {
      s.inside = false;
    }
    if (shape.kind === 'line' && (mask & CROSS) !== 0 && prev) {
      const px = (prev.lon - f.lon0) * f.kx;
      const py = (prev.lat - f.lat0) * f.ky;
      const n = crossings(shape, px, py, x, y);
      if ((n & 1) === 1) {
        s.crossFrom = s.parity === 0 ? at(prev) : null;
        s.parity ^= 1;
      }
      if (s.parity === 1 && (h === 0 || edgeDistance(shape, x, y) > h)) {
        this.raise('cross', z, combo, track, [s.crossFrom ?? at(prev), copy(pos)]);
        s.parity = 0;
        s.crossFrom = null;
      }
    }
    if ((mask & APPROACH) !== 0) {
      const dist = ruleFor(z, combo, 'approach').distanceM ?? 0;
      const lower = shapeBoxDistance(shape, x, y);
      const d =
        lower > dist + h
          ? lower
          : contains === 1
            ? 0
            : contains === 0
              ? edgeDistance(shape, x, y)
              : zoneDistance(shape, x, y);
      if (!s.near && d <= dist) {
        s.near = true;
        if (prev) this.raise('approach', z, combo, track, [copy(pos)]);
      } else if (s.near && d > dist + h) {
        s.near = false;
      }
    } else {
      s.near = false;
    }
  }

  /**
   * A zone the track had state for is no longer near it (beyond its reach): it is firmly outside
   * and clear of it. If the zone is gone or no rule selects the track any more, the state just ends.
   */
  private leave(
    s: ZoneState,
    combo: number,
    track: FenceTrack,
    pos: FencePosition,
    prev: TrackMemory | undefined,
  ): void {
    const z = this.index.inForce(s.zid, pos.t);
    const mask = z ? z.masks[combo]! : 0;
    if (z && mask !== 0 && prev) {
      if (s.inside) {
        if (mask & EXIT) this.raise('exit', z, combo, track, [copy(pos)]);
        if (mask & CROSS) this.raise('cross', z, combo, track, [at(prev), copy(pos)]);
      }
      if (s.parity === 1 && z.shape.kind === 'line')
        this.raise('cross', z, combo, track, [s.crossFrom ?? at(prev), copy(pos)]);
    }
    s.inside = false;
    s.near = false;
    s.parity = 0;
    s.crossFrom = null;
  }

  private raise(
    trigger: AlertTrigger,
    z: CompiledZone,
    combo: number,
    track: FenceTrack,
    positions: FencePosition[],
  ): void {
    const c = makeCandidate(trigger, ruleFor(z, combo, trigger), track, z, positions);
    if (this.raised) this.raised.push(c);
    else this.raised = [c];
  }
}

function blankState(): ZoneState {
  return {
    zid: -1,
    inside: false,
    near: false,
    parity: 0,
    crossFrom: null,
    dwellStart: 0,
    dwellRaised: false,
    stamp: 0,
  };
}

function copy(p: FencePosition): FencePosition {
  return { lon: p.lon, lat: p.lat, t: p.t };
}

function at(m: TrackMemory): FencePosition {
  return { lon: m.lon, lat: m.lat, t: m.t };
}
