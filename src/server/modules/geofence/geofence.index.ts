import { METRES_PER_DEGREE } from '../../../domain/geo-predicates.js';
import { ZoneGrid } from './geofence.grid.js';
import { COMBOS, type CompiledZone, compileZone, type FenceZone } from './geofence.zone.js';

/** Every loaded version of one zone, highest version first. */
interface ZoneGroup {
  zid: number;
  versions: CompiledZone[];
}

/** Shape kinds as the hot path reads them. */
export const AREA = 0;
export const LINE = 1;
export const POINT = 2;

const EMPTY_F64 = new Float64Array(0);

/**
 * The zones the engine knows, every loaded version of each, and what the hot path reads about
 * them, rebuilt together when zones change: the versions ("items") in one array, their validity,
 * zid, kind and per-combo rule masks and thresholds in flat typed arrays, and a grid of cells
 * built from their boxes widened by their reach (ZoneGrid).
 * Zones change rarely and reports come by the million: a change only marks the index stale, and
 * the next report (or prepare()) rebuilds it once.
 */
export class ZoneIndex {
  private readonly groups = new Map<string, ZoneGroup>();
  private readonly groupByZid: (ZoneGroup | undefined)[] = [];
  private readonly zidOf = new Map<string, number>();
  stale = false;
  /** Bumped at every rebuild: what a track cached about cells is void after it. */
  generation = 0;

  items: CompiledZone[] = [];
  grid: ZoneGrid | null = null;
  /** Per item: validity [from, to), epoch ms. */
  itemFrom = EMPTY_F64;
  itemTo = EMPTY_F64;
  itemZid = new Int32Array(0);
  /** Per item: its shape's local frame [lon0, lat0, kx, ky] at 4i. */
  itemFrame = EMPTY_F64;
  /** Per item: AREA, LINE or POINT. */
  itemKind = new Uint8Array(0);
  /** Per item: 1 when it is the only version of its zone (then it is in force whenever valid). */
  itemSolo = new Uint8Array(0);
  /** Per zid: the item of its only version, -1 when it has several or none. */
  soloItem = new Int32Array(0);
  /** Per item and combo (item * COMBOS + combo): trigger bits, dwell in ms, approach distance in m. */
  itemMask = new Uint8Array(0);
  itemDwellMs = EMPTY_F64;
  itemApproachM = EMPTY_F64;
  /** Every finite validity bound of every item, ascending: the set in force is constant between two. */
  bounds = EMPTY_F64;
  /** The items that are lines with some rule, and their bounding boxes in degrees [w, s, e, n] at 4k. */
  lineItems = new Int32Array(0);
  lineBoxes = EMPTY_F64;

  constructor(
    private readonly hysteresisM: number,
    private readonly cellM?: number,
  ) {}

  /** Adds or replaces one version (id + version); other versions of the zone stay. */
  upsert(z: FenceZone): void {
    let zid = this.zidOf.get(z.id);
    if (zid === undefined) {
      zid = this.groupByZid.length;
      this.zidOf.set(z.id, zid);
      this.groupByZid.push(undefined);
    }
    const compiled = compileZone(z, zid, this.hysteresisM);
    let g = this.groups.get(z.id);
    if (!g) {
      g = { zid, versions: [] };
      this.groups.set(z.id, g);
      this.groupByZid[zid] = g;
    }
    g.versions = [...g.versions.filter((v) => v.zone.version !== z.version), compiled].sort(
      (a, b) => b.zone.version - a.zone.version,
    );
    this.stale = true;
  }

  /** Forgets every version of a zone. Its id keeps its zid, so tracks' state survives a reload of the same zone. */
  remove(id: string): void {
    const g = this.groups.get(id);
    if (!g) return;
    this.groups.delete(id);
    this.groupByZid[g.zid] = undefined;
    this.stale = true;
  }

  clear(): void {
    for (const id of [...this.groups.keys()]) this.remove(id);
  }

  /** The version of zone `zid` in force at t: the highest-numbered one whose validity contains t. */
  inForce(zid: number, t: number): CompiledZone | undefined {
    const g = this.groupByZid[zid];
    if (!g) return undefined;
    const vs = g.versions;
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i]!;
      if (v.from <= t && t < v.to) return v;
    }
    return undefined;
  }

  /** Item i is valid at t and the version of its zone in force then. */
  isInForce(i: number, t: number): boolean {
    if (!(this.itemFrom[i]! <= t && t < this.itemTo[i]!)) return false;
    return this.itemSolo[i] === 1 || this.inForce(this.itemZid[i]!, t) === this.items[i];
  }

  /** The first validity bound after t (Infinity when none): until then, the same versions are in force. */
  nextBound(t: number): number {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo < b.length ? b[lo]! : Number.POSITIVE_INFINITY;
  }

  /** Rebuilds the index now if zones changed, rather than on the next report. */
  prepare(): void {
    if (this.stale) this.rebuild();
  }

  zoneCount(): number {
    return this.groups.size;
  }

  versionCount(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.versions.length;
    return n;
  }

  rebuild(): void {
    const items: CompiledZone[] = [];
    for (const g of this.groups.values()) items.push(...g.versions);
    this.items = items;
    this.stale = false;
    this.generation++;
    const n = items.length;
    this.itemFrom = new Float64Array(n);
    this.itemTo = new Float64Array(n);
    this.itemZid = new Int32Array(n);
    this.itemFrame = new Float64Array(4 * n);
    this.itemKind = new Uint8Array(n);
    this.itemSolo = new Uint8Array(n);
    this.soloItem = new Int32Array(this.groupByZid.length).fill(-1);
    this.itemMask = new Uint8Array(n * COMBOS);
    this.itemDwellMs = new Float64Array(n * COMBOS);
    this.itemApproachM = new Float64Array(n * COMBOS);
    const bounds = new Set<number>();
    for (let i = 0; i < n; i++) {
      const z = items[i]!;
      this.itemFrom[i] = z.from;
      this.itemTo[i] = z.to;
      this.itemZid[i] = z.zid;
      const f = z.shape.frame;
      this.itemFrame.set([f.lon0, f.lat0, f.kx, f.ky], 4 * i);
      this.itemKind[i] = z.shape.kind === 'area' ? AREA : z.shape.kind === 'line' ? LINE : POINT;
      this.itemSolo[i] = this.groupByZid[z.zid]!.versions.length === 1 ? 1 : 0;
      if (this.itemSolo[i] === 1) this.soloItem[z.zid] = i;
      this.itemMask.set(z.masks, i * COMBOS);
      for (let c = 0; c < COMBOS; c++) {
        this.itemDwellMs[i * COMBOS + c] = (z.rules[c * 5 + 4]?.dwellS ?? 0) * 1000;
        this.itemApproachM[i * COMBOS + c] = z.rules[c * 5 + 3]?.distanceM ?? 0;
      }
      if (Number.isFinite(z.from)) bounds.add(z.from);
      if (Number.isFinite(z.to)) bounds.add(z.to);
    }
    this.bounds = Float64Array.from([...bounds].sort((a, b) => a - b));
    const lines = items.flatMap((z, i) =>
      z.shape.kind === 'line' && z.masks.some((m) => m !== 0) ? [i] : [],
    );
    this.lineItems = Int32Array.from(lines);
    this.lineBoxes = new Float64Array(4 * lines.length);
    lines.forEach((i, k) => {
      const s = items[i]!.shape;
      this.lineBoxes.set([s.west, s.south, s.east, s.north], 4 * k);
    });
    if (n === 0) {
      this.grid = null;
      return;
    }
    const extent = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    const box = new Float64Array(4 * n);
    for (let i = 0; i < n; i++) {
      const z = items[i]!;
      const s = z.shape;
      const dLat = z.reachM / METRES_PER_DEGREE;
      const dLon = z.reachM / s.frame.kx;
      box[4 * i] = s.west - dLon;
      box[4 * i + 1] = s.south - dLat;
      box[4 * i + 2] = s.east + dLon;
      box[4 * i + 3] = s.north + dLat;
      extent.minX = Math.min(extent.minX, box[4 * i]!);
      extent.minY = Math.min(extent.minY, box[4 * i + 1]!);
      extent.maxX = Math.max(extent.maxX, box[4 * i + 2]!);
      extent.maxY = Math.max(extent.maxY, box[4 * i + 3]!);
    }
    this.grid = new ZoneGrid(items, box, extent, this.hysteresisM, this.cellM, this.grid);
  }
}
