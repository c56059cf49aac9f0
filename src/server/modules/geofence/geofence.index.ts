import Flatbush from 'flatbush';
import { METRES_PER_DEGREE } from '../../../domain/geo-predicates.js';
import { type CompiledZone, compileZone, type FenceZone } from './geofence.zone.js';

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
  private stale = false;

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

  /** Zone versions whose widened box meets the query box (degrees). The array is the caller's. */
  search(west: number, south: number, east: number, north: number): readonly CompiledZone[] {
    if (this.stale) this.rebuild();
    if (!this.tree) return [];
    const hits = this.tree.search(west, south, east, north);
    const out: CompiledZone[] = new Array(hits.length);
    for (let i = 0; i < hits.length; i++) out[i] = this.items[hits[i]!]!;
    return out;
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
  }
}
