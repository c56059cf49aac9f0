import type { AlertCandidate, AlertTrigger, FencePosition, FenceTrack } from '../../../domain/alerts.js';
import { makeCandidate } from './geofence.alerts.js';
import { DEEP, EDGE } from './geofence.grid.js';
import { AREA, LINE, ZoneIndex } from './geofence.index.js';
import { crossings, edgeDistance, shapeBoxDistance, shapeContains, zoneDistance } from './geofence.shape.js';
import {
  APPROACH,
  COMBOS,
  type CompiledZone,
  CROSS,
  comboOf,
  DWELL,
  ENTER,
  EXIT,
  type FenceZone,
  ruleSlot,
} from './geofence.zone.js';

export interface GeofenceOptions {
  /**
   * Metres a track must be beyond an edge or a line before its side counts (default 25). See
   * docs/architecture.md, "How a report raises an alert", for the exact semantics.
   */
  hysteresisM?: number;
  /** Side of a grid cell in metres (default 50); cells grow when the zones span a large region. */
  cellM?: number;
}

const INSIDE_BITS = ENTER | EXIT | CROSS | DWELL;
const NONE: readonly AlertCandidate[] = Object.freeze([]);

/** A zone of the movement's cells that is not in the report's own cell: beyond its reach there. */
const FAR = 2;
/** A movement spanning more grid cells than this takes the list of lines instead of the grid. */
const MAX_GRID_CELLS = 9;

/** Bits of a track's state for one zone (sFlags). */
/** Firmly inside the area (entered beyond the hysteresis margin and not left beyond it). */
const S_INSIDE = 1;
/** Within the approach distance (and not yet beyond it by the margin). */
const S_NEAR = 2;
/** Crossings of a line since the track was last clear of it, modulo 2. */
const S_PARITY = 4;
const S_DWELT = 8;
/** sFrom* hold where the track was just before the first of those crossings. */
const S_FROM = 16;
const S_KEEP = S_INSIDE | S_NEAR | S_PARITY;

const STAMP_LIMIT = 0x7fff_fff0;

/**
 * The geofence engine: zones in memory (see ZoneIndex and ZoneGrid), per-track state in flat
 * typed arrays indexed by a small integer handle, and one call per position report that returns
 * the alerts it raises. Not thread-safe, not async: one engine per process (or per partition of
 * uids), fed in observation order per uid.
 *
 * Two ways in, one code path: `evaluate(track, pos)` (what the track engine calls), and for a
 * caller that keeps the handle of each track, `handleOf(track)` once and then
 * `evaluateAt(handle, lon, lat, t)` or `evaluateBatch(…)`, which look nothing up by uid and
 * allocate nothing unless an alert fires.
 *
 * Long, and one file on purpose: split into seven files by purpose (session 12), the same code
 * measured 10–20 % slower on `npm run bench -- geofence` (three alternating runs each, quiet
 * machine), the hot loop then reading its flag bits and state through other modules' bindings.
 */
export class GeofenceEngine {
  readonly hysteresisM: number;
  private readonly index: ZoneIndex;

  // Tracks: uid → handle, and per handle (struct of arrays).
  private readonly handles = new Map<string, number>();
  private readonly freeHandles: number[] = [];
  private trackCap = 0;
  private trackTop = 0;
  private tTrack: (FenceTrack | undefined)[] = [];
  /**
   * One cache line per track, what the fast path reads: at 8h, the last report (lon, lat, t; t is
   * -Infinity before the first), the time until which nothing can change while the track stays in
   * its quiet class (-Infinity when that is unknown), and the square of cells (x0, x1, y0, y1) of
   * that class around the cell of its last full evaluation.
   */
  private tRec = new Float64Array(0);
  private tCombo = new Int8Array(0);
  /** First state slot of the track (-1: none). */
  private tHead = new Int32Array(0);
  /** Quiet class of the track's last cell, valid while tRec's quiet-until is after the report. */
  private tCls = new Int32Array(0);

  // Per-track, per-zone states in a pool of slots (struct of arrays, singly linked per track).
  private stateCap = 0;
  private stateTop = 0;
  private stateFree = -1;
  /**
   * Per slot s, interleaved so that walking a track's list reads one cache line per slot:
   * sInt[4s] zid, sInt[4s + 1] next slot (-1: none), sInt[4s + 2] stamp, sInt[4s + 3] flags.
   */
  private sInt = new Int32Array(0);
  private sDwellStart = new Float64Array(0);
  private sFromLon = new Float64Array(0);
  private sFromLat = new Float64Array(0);
  private sFromT = new Float64Array(0);
  private stamp = 0;

  // The zones near the current movement, reused: item and flag (DEEP, EDGE or FAR).
  private nearItem = new Int32Array(64);
  private nearFlag = new Uint8Array(64);
  /** Per item, the last query that listed it. */
  private mark = new Int32Array(0);
  private markGen = -1;
  private query = 0;

  // The report being evaluated.
  private cH = 0;
  private cCombo = 0;
  private cLon = 0;
  private cLat = 0;
  private cT = 0;
  private hasPrev = false;
  private pLon = 0;
  private pLat = 0;
  private pT = 0;
  private dwellDue = 0;
  private raised: AlertCandidate[] = [];

  constructor(opts: GeofenceOptions = {}) {
    this.hysteresisM = opts.hysteresisM ?? 25;
    if (!(this.hysteresisM >= 0)) throw new Error('hysteresisM must be zero or more metres');
    if (opts.cellM !== undefined && !(opts.cellM > 0)) throw new Error('cellM must be more than zero metres');
    this.index = new ZoneIndex(this.hysteresisM, opts.cellM);
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
   * for the rebuild (hundreds of milliseconds for a thousand zones): call this after a load.
   */
  prepare(): void {
    this.index.prepare();
  }

  /** Drops a track's state (it went stale); its next report is a first sighting again. Its handle is void. */
  forget(uid: string): void {
    const h = this.handles.get(uid);
    if (h === undefined) return;
    this.handles.delete(uid);
    let s = this.tHead[h]!;
    while (s >= 0) {
      const next = this.sInt[4 * s + 1]!;
      this.freeState(s);
      s = next;
    }
    this.tTrack[h] = undefined;
    this.freeHandles.push(h);
  }

  get trackCount(): number {
    return this.handles.size;
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
    return this.evaluateAt(this.handleOf(track), lon, lat, t) === 0 ? NONE : this.takeAlerts();
  }

  /**
   * The handle of a track, registering it on first use, valid until `forget(track.uid)`. Also
   * records the track's current kind, affiliation and the object alerts will carry: call it again
   * when those change (evaluate does, at every report).
   */
  handleOf(track: FenceTrack): number {
    let h = this.handles.get(track.uid);
    if (h === undefined) {
      h = this.newHandle();
      this.handles.set(track.uid, h);
    }
    const combo = comboOf(track.kind, track.affiliation);
    if (this.tCombo[h] !== combo) {
      this.tCombo[h] = combo;
      this.tRec[8 * h + 3] = Number.NEGATIVE_INFINITY;
    }
    this.tTrack[h] = track;
    return h;
  }

  /**
   * `evaluate` for the track of `handle` and the report (lon, lat, t): returns how many alerts
   * it raised, which `takeAlerts()` then hands over (until the next call). Allocates nothing
   * when none is raised.
   */
  evaluateAt(handle: number, lon: number, lat: number, t: number): number {
    // x - x is 0 for every finite number, NaN for NaN and ±Infinity.
    if (lon - lon !== 0 || lat - lat !== 0 || t - t !== 0) return 0;
    const rec = this.tRec;
    const o = 8 * handle;
    if (t <= rec[o + 2]!) return 0;
    const idx = this.index;
    if (idx.stale) this.rebuild();
    if (this.raised.length !== 0) this.raised = [];
    const g = idx.grid;
    if (g === null) return this.evaluateSlow(handle, lon, lat, t, 0, 0, false);
    const cx = Math.floor((lon - g.west) * g.invW);
    const cy = Math.floor((lat - g.south) * g.invH);
    // The fast paths: the report falls in a cell of the quiet class of the previous one, no line
    // lies across the way, no version starts or ends and no dwell falls due. Then the zones around
    // are those the track was deep inside at the previous report, it is deep inside them now, and
    // nothing can change (docs/adr/0005-in-memory-geofence.md).
    if (t < rec[o + 3]!) {
      // Within the square of that class around the cell of the last full evaluation (convex: the
      // way there crossed no line either), the grid is not even read.
      if (cx >= rec[o + 4]! && cx <= rec[o + 5]! && cy >= rec[o + 6]! && cy <= rec[o + 7]!) {
        rec[o] = lon;
        rec[o + 1] = lat;
        rec[o + 2] = t;
        return 0;
      }
      const nx = g.nx;
      const ny = g.ny;
      const own = cx >= 0 && cx < nx && cy >= 0 && cy < ny;
      const info = own ? g.cells[2 * (cy * nx + cx)]! : 0;
      if (info >= 0 && info >> 8 === this.tCls[handle]) {
        const px = Math.floor((rec[o]! - g.west) * g.invW);
        const py = Math.floor((rec[o + 1]! - g.south) * g.invH);
        // Within one cell or two side by side (both quiet: no line near), the way is clear.
        let clear = Math.abs(px - cx) + Math.abs(py - cy) <= 1;
        if (!clear) {
          const x0 = Math.max(0, Math.min(px, cx));
          const x1 = Math.min(nx - 1, Math.max(px, cx));
          const y0 = Math.max(0, Math.min(py, cy));
          const y1 = Math.min(ny - 1, Math.max(py, cy));
          if ((x1 - x0 + 1) * (y1 - y0 + 1) <= MAX_GRID_CELLS) {
            const lineFree = g.lineFree;
            clear = true;
            for (let y = y0; y <= y1 && clear; y++)
              for (let x = x0; x <= x1; x++)
                if (lineFree[y * nx + x] === 0) {
                  clear = false;
                  break;
                }
          }
        }
        if (clear) {
          rec[o] = lon;
          rec[o + 1] = lat;
          rec[o + 2] = t;
          this.setSquare(o, cx, cy, info & 255);
          return 0;
        }
      }
    }
    return this.evaluateSlow(handle, lon, lat, t, cx, cy, true);
  }

  private setSquare(o: number, cx: number, cy: number, r: number): void {
    const rec = this.tRec;
    rec[o + 4] = cx - r;
    rec[o + 5] = cx + r;
    rec[o + 6] = cy - r;
    rec[o + 7] = cy + r;
  }

  /** Rebuilds the zone index; what tracks knew about quiet cells is void. */
  private rebuild(): void {
    this.index.rebuild();
    const rec = this.tRec;
    for (let h = 0; h < this.trackTop; h++) rec[8 * h + 3] = Number.NEGATIVE_INFINITY;
  }

  /**
   * Many reports at once: report i is (handles[i], lon[i], lat[i], t[i]) for i < n, in order.
   * Appends the alerts to `out` and returns how many were raised.
   */
  evaluateBatch(
    handles: Int32Array,
    lon: Float64Array,
    lat: Float64Array,
    t: Float64Array,
    n: number,
    out: AlertCandidate[],
  ): number {
    let count = 0;
    for (let i = 0; i < n; i++) {
      const k = this.evaluateAt(handles[i]!, lon[i]!, lat[i]!, t[i]!);
      if (k === 0) continue;
      const raised = this.raised;
      for (let j = 0; j < k; j++) out.push(raised[j]!);
      count += k;
    }
    if (count !== 0) this.raised = [];
    return count;
  }

  /** The alerts of the last evaluateAt, now the caller's; empty when it raised none. */
  takeAlerts(): AlertCandidate[] {
    const r = this.raised;
    if (r.length === 0) return [];
    this.raised = [];
    return r;
  }

  /** Every zone near the movement: update the track's state for it, raise what changed. */
  private evaluateSlow(
    h: number,
    lon: number,
    lat: number,
    t: number,
    cx: number,
    cy: number,
    grid: boolean,
  ): number {
    const idx = this.index;
    const g = idx.grid;
    const rec = this.tRec;
    const o = 8 * h;
    const known = rec[o + 2]! > Number.NEGATIVE_INFINITY;
    this.cH = h;
    this.cCombo = this.tCombo[h]!;
    this.cLon = lon;
    this.cLat = lat;
    this.cT = t;
    this.hasPrev = known;
    this.pLon = known ? rec[o]! : lon;
    this.pLat = known ? rec[o + 1]! : lat;
    this.pT = rec[o + 2]!;
    this.dwellDue = Number.POSITIVE_INFINITY;
    if (++this.stamp === STAMP_LIMIT) {
      for (let k = 2; k < this.sInt.length; k += 4) this.sInt[k] = 0;
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const n = grid ? this.nearZones(cx, cy) : 0;
    const items = idx.items;
    const combo = this.cCombo;
    for (let k = 0; k < n; k++) {
      const i = this.nearItem[k]!;
      const flag = this.nearFlag[k]!;
      if (!(idx.itemFrom[i]! <= t && t < idx.itemTo[i]!)) continue;
      const mask = idx.itemMask[i * COMBOS + combo]!;
      if (mask === 0) continue;
      const zid = idx.itemZid[i]!;
      if (idx.itemSolo[i] !== 1 && idx.inForce(zid, t) !== items[i]) continue;
      let s = this.tHead[h]!;
      let last = -1;
      while (s >= 0 && this.sInt[4 * s] !== zid) {
        last = s;
        s = this.sInt[4 * s + 1]!;
      }
      if (s >= 0) {
        this.sInt[4 * s + 2] = stamp;
        this.check(i, flag, mask, s);
        continue;
      }
      // Most zones near a track leave it "outside, far": a zone beyond reach with no state stays
      // so (a line may still be crossed); others are checked on a new slot, kept only if not.
      if (flag === FAR && idx.itemKind[i] !== LINE) continue;
      s = this.newState(zid, stamp);
      this.check(i, flag, mask, s);
      if ((this.sInt[4 * s + 3]! & S_KEEP) !== 0) {
        if (last >= 0) this.sInt[4 * last + 1] = s;
        else this.tHead[h] = s;
      } else this.freeState(s);
    }
    // States of zones no longer near, then drop those back to "outside, far".
    let prev = -1;
    let s = this.tHead[h]!;
    while (s >= 0) {
      const next = this.sInt[4 * s + 1]!;
      if (this.sInt[4 * s + 2] !== stamp) this.leave(s);
      if ((this.sInt[4 * s + 3]! & S_KEEP) !== 0) prev = s;
      else {
        if (prev >= 0) this.sInt[4 * prev + 1] = next;
        else this.tHead[h] = next;
        this.freeState(s);
      }
      s = next;
    }
    rec[o] = lon;
    rec[o + 1] = lat;
    rec[o + 2] = t;
    rec[o + 3] = Number.NEGATIVE_INFINITY;
    if (grid && g !== null) {
      const info = cx >= 0 && cx < g.nx && cy >= 0 && cy < g.ny ? g.cells[2 * (cy * g.nx + cx)]! : 0;
      if (info >= 0) {
        this.tCls[h] = info >> 8;
        this.setSquare(o, cx, cy, info & 255);
        rec[o + 3] = Math.min(idx.nextBound(t), this.dwellDue);
      }
    }
    return this.raised.length;
  }

  /**
   * Lists the items that can matter to the movement from the previous report to the cell
   * (cx, cy) in nearItem/nearFlag: those of the report's own cell, with their flag, then the lines
   * with a rule near the way there, FAR. Away from the report's cell, only a line can raise
   * anything that the states of the track do not (crossing it on the way): any other zone there
   * is beyond its reach from the report, and the track's state for it, if any, ends as it would
   * for a zone not listed at all (see leave).
   */
  private nearZones(cx: number, cy: number): number {
    const idx = this.index;
    const g = idx.grid!;
    if (this.markGen !== idx.generation) {
      this.mark = new Int32Array(idx.items.length);
      this.markGen = idx.generation;
      this.query = 0;
    }
    if (++this.query === STAMP_LIMIT) {
      this.mark.fill(0);
      this.query = 1;
    }
    const q = this.query;
    const mark = this.mark;
    const nx = g.nx;
    const ny = g.ny;
    const cells = g.cells;
    const cellItems = g.items;
    let n = 0;
    const hasLines = idx.lineItems.length !== 0;
    if (cx >= 0 && cx < nx && cy >= 0 && cy < ny) {
      const c = 2 * (cy * nx + cx);
      const end = cells[c + 3]!;
      for (let j = cells[c + 1]!; j < end; j++) {
        const v = cellItems[j]!;
        // Marked only for the lines near the way, listed next once each.
        if (hasLines) mark[v >> 1] = q;
        n = this.pushNear(n, v >> 1, v & 1);
      }
    }
    if (!hasLines) return n;
    const pcx = Math.floor((this.pLon - g.west) * g.invW);
    const pcy = Math.floor((this.pLat - g.south) * g.invH);
    const cx0 = Math.max(0, Math.min(cx, pcx));
    const cx1 = Math.min(nx - 1, Math.max(cx, pcx));
    const cy0 = Math.max(0, Math.min(cy, pcy));
    const cy1 = Math.min(ny - 1, Math.max(cy, pcy));
    if (cx0 > cx1 || cy0 > cy1) return n;
    const kind = idx.itemKind;
    if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) <= MAX_GRID_CELLS) {
      const lineFree = g.lineFree;
      for (let y = cy0; y <= cy1; y++)
        for (let x = cx0; x <= cx1; x++) {
          if (lineFree[y * nx + x] === 1) continue;
          const c = 2 * (y * nx + x);
          const end = cells[c + 3]!;
          for (let j = cells[c + 1]!; j < end; j++) {
            const i = cellItems[j]! >> 1;
            if (kind[i] !== LINE || mark[i] === q) continue;
            mark[i] = q;
            n = this.pushNear(n, i, FAR);
          }
        }
      return n;
    }
    // A long movement: every line whose box meets the movement's.
    const w = Math.min(this.cLon, this.pLon);
    const e = Math.max(this.cLon, this.pLon);
    const s = Math.min(this.cLat, this.pLat);
    const nn = Math.max(this.cLat, this.pLat);
    const lines = idx.lineItems;
    const boxes = idx.lineBoxes;
    for (let k = 0; k < lines.length; k++) {
      const i = lines[k]!;
      if (
        mark[i] === q ||
        boxes[4 * k]! > e ||
        boxes[4 * k + 2]! < w ||
        boxes[4 * k + 1]! > nn ||
        boxes[4 * k + 3]! < s
      )
        continue;
      mark[i] = q;
      n = this.pushNear(n, i, FAR);
    }
    return n;
  }

  private pushNear(n: number, item: number, flag: number): number {
    if (n === this.nearItem.length) {
      const items = new Int32Array(2 * n);
      items.set(this.nearItem);
      this.nearItem = items;
      const flags = new Uint8Array(2 * n);
      flags.set(this.nearFlag);
      this.nearFlag = flags;
    }
    this.nearItem[n] = item;
    this.nearFlag[n] = flag;
    return n + 1;
  }

  /**
   * One zone version near the report: update the track's state slot s for it and raise what
   * changed. flag: DEEP (the report is inside by more than the hysteresis, known from the grid),
   * FAR (beyond its reach, known from the grid) or EDGE (exact tests).
   */
  private check(i: number, flag: number, mask: number, s: number): void {
    const idx = this.index;
    const z = idx.items[i]!;
    const kind = idx.itemKind[i]!;
    // DEEP and FAR areas and points need no geometry: the zone's shape is not even read.
    let x = 0;
    let y = 0;
    if (flag === EDGE || kind === LINE) {
      const f = idx.itemFrame;
      x = (this.cLon - f[4 * i]!) * f[4 * i + 2]!;
      y = (this.cLat - f[4 * i + 1]!) * f[4 * i + 3]!;
    }
    const hys = this.hysteresisM;
    const t = this.cT;
    let fl = this.sInt[4 * s + 3]!;
    let contains = -1;
    if (kind === AREA && (mask & INSIDE_BITS) !== 0) {
      const pin = flag === DEEP || (flag === EDGE && shapeContains(z.shape, x, y));
      contains = pin ? 1 : 0;
      if (
        pin !== ((fl & S_INSIDE) !== 0) &&
        (hys === 0 || flag !== EDGE || edgeDistance(z.shape, x, y) > hys)
      ) {
        if (pin) {
          fl = (fl | S_INSIDE) & ~S_DWELT;
          this.sDwellStart[s] = t;
        } else fl &= ~S_INSIDE;
        if (this.hasPrev) {
          if (mask & (pin ? ENTER : EXIT)) this.raise(pin ? 'enter' : 'exit', z, this.here());
          if (mask & CROSS) this.raise('cross', z, this.before(), this.here());
        }
      }
      if ((fl & S_INSIDE) !== 0 && (mask & DWELL) !== 0 && (fl & S_DWELT) === 0) {
        const dwellMs = idx.itemDwellMs[i * COMBOS + this.cCombo]!;
        if (t - this.sDwellStart[s]! >= dwellMs) {
          fl |= S_DWELT;
          this.raise('dwell', z, this.here());
        } else {
          // Conservatively early: the fast path must not pass the moment it falls due.
          const due = this.sDwellStart[s]! + dwellMs - 1;
          if (due < this.dwellDue) this.dwellDue = due;
        }
      }
    } else {
      fl &= ~S_INSIDE;
    }
    if (kind === LINE && (mask & CROSS) !== 0 && this.hasPrev) {
      const f = z.shape.frame;
      const px = (this.pLon - f.lon0) * f.kx;
      const py = (this.pLat - f.lat0) * f.ky;
      const n = crossings(z.shape, px, py, x, y);
      if ((n & 1) === 1) {
        if ((fl & S_PARITY) === 0) {
          fl |= S_FROM;
          this.sFromLon[s] = this.pLon;
          this.sFromLat[s] = this.pLat;
          this.sFromT[s] = this.pT;
        } else fl &= ~S_FROM;
        fl ^= S_PARITY;
      }
      if ((fl & S_PARITY) !== 0 && (hys === 0 || flag === FAR || edgeDistance(z.shape, x, y) > hys)) {
        this.raise('cross', z, this.crossFrom(s, fl), this.here());
        fl &= ~(S_PARITY | S_FROM);
      }
    }
    if ((mask & APPROACH) !== 0) {
      if (flag === FAR) fl &= ~S_NEAR;
      else {
        const dist = idx.itemApproachM[i * COMBOS + this.cCombo]!;
        let d = 0;
        if (flag === EDGE) {
          const lower = shapeBoxDistance(z.shape, x, y);
          d =
            lower > dist + hys
              ? lower
              : contains === 1
                ? 0
                : contains === 0
                  ? edgeDistance(z.shape, x, y)
                  : zoneDistance(z.shape, x, y);
        }
        if ((fl & S_NEAR) === 0 && d <= dist) {
          fl |= S_NEAR;
          if (this.hasPrev) this.raise('approach', z, this.here());
        } else if ((fl & S_NEAR) !== 0 && d > dist + hys) {
          fl &= ~S_NEAR;
        }
      }
    } else {
      fl &= ~S_NEAR;
    }
    this.sInt[4 * s + 3] = fl;
  }

  /**
   * A zone the track had state for is no longer near it (beyond its reach): it is firmly outside
   * and clear of it. If the zone is gone or no rule selects the track any more, the state just ends.
   */
  private leave(s: number): void {
    const idx = this.index;
    const zid = this.sInt[4 * s]!;
    const t = this.cT;
    // A zone of one version: its item's flat arrays answer without reading the version.
    const solo = zid < idx.soloItem.length ? idx.soloItem[zid]! : -1;
    const z =
      solo < 0
        ? idx.inForce(zid, t)
        : idx.itemFrom[solo]! <= t && t < idx.itemTo[solo]!
          ? idx.items[solo]
          : undefined;
    const mask =
      z === undefined ? 0 : solo < 0 ? z.masks[this.cCombo]! : idx.itemMask[solo * COMBOS + this.cCombo]!;
    const fl = this.sInt[4 * s + 3]!;
    if (z && mask !== 0 && this.hasPrev) {
      if ((fl & S_INSIDE) !== 0) {
        if (mask & EXIT) this.raise('exit', z, this.here());
        if (mask & CROSS) this.raise('cross', z, this.before(), this.here());
      }
      if ((fl & S_PARITY) !== 0 && z.shape.kind === 'line')
        this.raise('cross', z, this.crossFrom(s, fl), this.here());
    }
    this.sInt[4 * s + 3] = fl & S_DWELT;
  }

  private raise(trigger: AlertTrigger, z: CompiledZone, p0: FencePosition, p1?: FencePosition): void {
    const track = this.tTrack[this.cH]!;
    const positions = p1 === undefined ? [p0] : [p0, p1];
    const c = makeCandidate(trigger, ruleSlot(this.cCombo, trigger), track, z, positions);
    // Most reports that raise anything raise one alert: an array of exactly one, grown if not.
    if (this.raised.length === 0) this.raised = [c];
    else this.raised.push(c);
  }

  private here(): FencePosition {
    return { lon: this.cLon, lat: this.cLat, t: this.cT };
  }

  private before(): FencePosition {
    return { lon: this.pLon, lat: this.pLat, t: this.pT };
  }

  private crossFrom(s: number, fl: number): FencePosition {
    return (fl & S_FROM) !== 0
      ? { lon: this.sFromLon[s]!, lat: this.sFromLat[s]!, t: this.sFromT[s]! }
      : this.before();
  }

  private newHandle(): number {
    let h = this.freeHandles.pop();
    if (h === undefined) {
      if (this.trackTop === this.trackCap) this.growTracks(Math.max(1024, 2 * this.trackCap));
      h = this.trackTop++;
    }
    const o = 8 * h;
    this.tRec.fill(0, o, o + 8);
    this.tRec[o + 2] = Number.NEGATIVE_INFINITY;
    this.tRec[o + 3] = Number.NEGATIVE_INFINITY;
    this.tCombo[h] = -1;
    this.tHead[h] = -1;
    this.tCls[h] = -1;
    return h;
  }

  private growTracks(cap: number): void {
    const rec = new Float64Array(8 * cap);
    rec.set(this.tRec);
    this.tRec = rec;
    const combo = new Int8Array(cap);
    combo.set(this.tCombo);
    this.tCombo = combo;
    const head = new Int32Array(cap);
    head.set(this.tHead);
    this.tHead = head;
    const cls = new Int32Array(cap);
    cls.set(this.tCls);
    this.tCls = cls;
    this.trackCap = cap;
  }

  private newState(zid: number, stamp: number): number {
    let s = this.stateFree;
    if (s >= 0) this.stateFree = this.sInt[4 * s + 1]!;
    else {
      if (this.stateTop === this.stateCap) this.growStates(Math.max(1024, 2 * this.stateCap));
      s = this.stateTop++;
    }
    this.sInt[4 * s] = zid;
    this.sInt[4 * s + 3] = 0;
    this.sDwellStart[s] = 0;
    this.sInt[4 * s + 2] = stamp;
    this.sInt[4 * s + 1] = -1;
    return s;
  }

  private freeState(s: number): void {
    this.sInt[4 * s + 1] = this.stateFree;
    this.stateFree = s;
  }

  private growStates(cap: number): void {
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const ints = new Int32Array(4 * cap);
    ints.set(this.sInt);
    this.sInt = ints;
    this.sDwellStart = f64(this.sDwellStart);
    this.sFromLon = f64(this.sFromLon);
    this.sFromLat = f64(this.sFromLat);
    this.sFromT = f64(this.sFromT);
    this.stateCap = cap;
  }
}
