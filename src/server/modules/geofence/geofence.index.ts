import Flatbush from 'flatbush';
import { METRES_PER_DEGREE } from '../../../domain/geo-predicates.js';
import { ZoneGrid } from './geofence.grid.js';
import { type CompiledZone, compileZone, type FenceZone } from './geofence.zone.js';

/** A reusable answer of ZoneIndex.near: the first n entries are valid. */
export interface NearZones {
  n: number;
  zones: CompiledZone[];
  /** 1 when the report lies deep inside zones[i] (no geometry needed), else 0. */
  deep: Uint8Array;
}

export function nearZonesBuffer(): NearZones {
  return { n: 0, zones: [], deep: new Uint8Array(64) };
}

/** A movement spanning more grid cells than this asks the tree instead. */
const MAX_GRID_CELLS = 9;

/** Every loaded version of one zone, highest version first. */
interface ZoneGroup {
  zid: number;
  versions: CompiledZone[];
}

/**
 * The zones the engine knows, every loaded version of each, and a packed R-tree (flatbush) over
 * their bounding boxes widened by each zone's reach. Zones change rarely and reports come by the
 * million: a change only marks the tree stale, and the next search rebuilds it once.
 */
export class ZoneIndex {
  private readonly groups = new Map<string, ZoneGroup>();
  private readonly groupByZid: (ZoneGroup | undefined)[] = [];
  private readonly zidOf = new Map<string, number>();
  private items: CompiledZone[] = [];
  private tree: Flatbush | null = null;
  private grid: ZoneGrid | null = null;
  private stale = false;
  /** Per item, the last query that listed it, so that a movement over several cells lists it once. */
  private seen = new Int32Array(0);
  private query = 0;

  constructor(private readonly hysteresisM: number) {}

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
    for (const v of g.versions) if (v.from <= t && t < v.to) return v;
    return undefined;
  }

  /**
   * The zone versions that can matter to a report at (lon, lat) coming from (fromLon, fromLat):
   * those whose reach meets the movement. Zones of the report's own grid cell come first, with
   * their "deep inside" flag; for a long movement the tree answers and no zone is flagged.
   */
  near(lon: number, lat: number, fromLon: number, fromLat: number, out: NearZones): void {
    out.n = 0;
    if (this.stale) this.rebuild();
    const g = this.grid;
    if (!g || !this.tree) return;
    const cx = g.col(lon);
    const cy = g.row(lat);
    const cx0 = Math.max(0, Math.min(cx, g.col(fromLon)));
    const cx1 = Math.min(g.nx - 1, Math.max(cx, g.col(fromLon)));
    const cy0 = Math.max(0, Math.min(cy, g.row(fromLat)));
    const cy1 = Math.min(g.ny - 1, Math.max(cy, g.row(fromLat)));
    if (cx0 > cx1 || cy0 > cy1) return;
    if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > MAX_GRID_CELLS) {
      const hits = this.tree.search(
        Math.min(lon, fromLon),
        Math.min(lat, fromLat),
        Math.max(lon, fromLon),
        Math.max(lat, fromLat),
      );
      for (const i of hits) push(out, this.items[i]!, 0);
      return;
    }
    const q = ++this.query;
    const inside = cx >= 0 && cx < g.nx && cy >= 0 && cy < g.ny;
    if (inside) this.addCell(g, cy * g.nx + cx, q, 1, out);
    for (let y = cy0; y <= cy1; y++)
      for (let x = cx0; x <= cx1; x++)
        if (!inside || x !== cx || y !== cy) this.addCell(g, y * g.nx + x, q, 0, out);
  }

  private addCell(g: ZoneGrid, cell: number, q: number, deepAllowed: number, out: NearZones): void {
    const end = g.start[cell + 1]!;
    for (let j = g.start[cell]!; j < end; j++) {
      const v = g.items[j]!;
      const i = v >> 1;
      if (this.seen[i] === q) continue;
      this.seen[i] = q;
      push(out, this.items[i]!, v & deepAllowed);
    }
  }

  /** Rebuilds the tree and the grid now if zones changed, rather than on the next report. */
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

  private rebuild(): void {
    this.items = [];
    for (const g of this.groups.values()) this.items.push(...g.versions);
    this.stale = false;
    if (this.items.length === 0) {
      this.tree = null;
      this.grid = null;
      return;
    }
    const tree = new Flatbush(this.items.length);
    for (const z of this.items) {
      const s = z.shape;
      const dLat = z.reachM / METRES_PER_DEGREE;
      const dLon = z.reachM / s.frame.kx;
      tree.add(s.west - dLon, s.south - dLat, s.east + dLon, s.north + dLat);
    }
    tree.finish();
    this.tree = tree;
    this.grid = new ZoneGrid(tree, this.items, this.hysteresisM);
    this.seen = new Int32Array(this.items.length);
    this.query = 0;
  }
}

function push(out: NearZones, z: CompiledZone, deep: number): void {
  if (out.n === out.deep.length) {
    const grown = new Uint8Array(2 * out.n);
    grown.set(out.deep);
    out.deep = grown;
  }
  out.zones[out.n] = z;
  out.deep[out.n] = deep;
  out.n++;
}
