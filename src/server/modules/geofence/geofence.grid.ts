import { METRES_PER_DEGREE } from '../../../domain/geo-predicates.js';
import { edgeDistance, shapeContains } from './geofence.shape.js';
import type { CompiledZone } from './geofence.zone.js';

/** Side of a grid cell in metres: small enough that most cells lie wholly in or out of each zone. */
export const CELL_M = 50;
/** Bounds memory and build time when zones are spread over a large region: cells grow instead. */
const MAX_CELLS = 2_000_000;

/** Cell flags of an item (the low two bits of an `items` entry). */
export const EDGE = 0;
export const DEEP = 1;

/**
 * A uniform grid over the zones, all flat typed arrays: per cell, the zone versions (items of the
 * index) that can matter there, each flagged DEEP when every point of the cell is inside the area
 * by more than the hysteresis, else EDGE (exact tests needed). Versions beyond their reach from
 * every point of the cell are left out.
 *
 * A cell whose items are all DEEP (or that has none) is *quiet*: wherever a report falls in it,
 * the state of a track there is the same. Quiet cells with the same item list share a class id
 * (`cls`, 0 = no item, -1 = not quiet), so that a track moving among cells of one class changes
 * nothing and the engine can skip the report (see GeofenceEngine.evaluateAt).
 */
export class ZoneGrid {
  readonly west: number;
  readonly south: number;
  readonly cellW: number;
  readonly cellH: number;
  /** 1 / cellW, 1 / cellH: a cell is floor((lon - west) * invW), floor((lat - south) * invH). */
  readonly invW: number;
  readonly invH: number;
  readonly nx: number;
  readonly ny: number;
  /** Items of cell c are entries start[c] .. start[c + 1] of `items`: (item << 1) | DEEP or EDGE. */
  readonly start: Int32Array;
  readonly items: Int32Array;
  /** Quiet class per cell: 0 no item, > 0 a list of DEEP items, -1 some EDGE item. */
  readonly cls: Int32Array;

  /**
   * @param box per item, its bounding box in degrees widened by its reach: [w, s, e, n] at 4i.
   * @param extent the union of those boxes.
   */
  constructor(
    zones: readonly CompiledZone[],
    box: Float64Array,
    extent: { minX: number; minY: number; maxX: number; maxY: number },
    hysteresisM: number,
    cellM = CELL_M,
  ) {
    this.west = extent.minX;
    this.south = extent.minY;
    const midLat = (extent.minY + extent.maxY) / 2;
    let cellH = cellM / METRES_PER_DEGREE;
    let cellW = cellM / (METRES_PER_DEGREE * Math.cos((midLat * Math.PI) / 180));
    const spanX = extent.maxX - extent.minX;
    const spanY = extent.maxY - extent.minY;
    const cells = Math.ceil(spanX / cellW + 1) * Math.ceil(spanY / cellH + 1);
    if (cells > MAX_CELLS) {
      const grow = Math.sqrt(cells / MAX_CELLS);
      cellW *= grow;
      cellH *= grow;
    }
    this.cellW = cellW;
    this.cellH = cellH;
    this.invW = 1 / cellW;
    this.invH = 1 / cellH;
    const nx = Math.max(1, Math.ceil(spanX / cellW));
    const ny = Math.max(1, Math.ceil(spanY / cellH));
    this.nx = nx;
    this.ny = ny;

    // Zone by zone over the cells of its widened box: (cell, entry) pairs, then a counting sort.
    let pairCells: Int32Array = new Int32Array(1024);
    let pairVals: Int32Array = new Int32Array(1024);
    let n = 0;
    const count = new Int32Array(nx * ny + 1);
    for (let i = 0; i < zones.length; i++) {
      const x0 = Math.max(0, Math.floor((box[4 * i]! - this.west) * this.invW));
      const y0 = Math.max(0, Math.floor((box[4 * i + 1]! - this.south) * this.invH));
      const x1 = Math.min(nx - 1, Math.floor((box[4 * i + 2]! - this.west) * this.invW));
      const y1 = Math.min(ny - 1, Math.floor((box[4 * i + 3]! - this.south) * this.invH));
      for (let cy = y0; cy <= y1; cy++)
        for (let cx = x0; cx <= x1; cx++) {
          const flag = classify(
            zones[i]!,
            this.west + (cx + 0.5) * cellW,
            this.south + (cy + 0.5) * cellH,
            cellW,
            cellH,
            hysteresisM,
          );
          if (flag < 0) continue;
          if (n === pairCells.length) {
            pairCells = grow(pairCells);
            pairVals = grow(pairVals);
          }
          const c = cy * nx + cx;
          pairCells[n] = c;
          pairVals[n] = (i << 1) | flag;
          n++;
          count[c + 1]!++;
        }
    }
    const start = new Int32Array(nx * ny + 1);
    for (let c = 0; c < nx * ny; c++) start[c + 1] = start[c]! + count[c + 1]!;
    const fill = start.slice(0, nx * ny);
    const items = new Int32Array(n);
    for (let k = 0; k < n; k++) items[fill[pairCells[k]!]!++] = pairVals[k]!;
    this.start = start;
    this.items = items;

    // Quiet classes: cells of DEEP items only, one id per distinct list.
    const cls = new Int32Array(nx * ny);
    const ids = new Map<string, number>();
    for (let c = 0; c < nx * ny; c++) {
      const a = start[c]!;
      const b = start[c + 1]!;
      if (a === b) continue;
      let quiet = true;
      for (let j = a; j < b && quiet; j++) quiet = (items[j]! & 1) === DEEP;
      if (!quiet) {
        cls[c] = -1;
        continue;
      }
      const key = items.subarray(a, b).join(',');
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size + 1;
        ids.set(key, id);
      }
      cls[c] = id;
    }
    this.cls = cls;
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(2 * a.length);
  b.set(a);
  return b;
}

/** -1: beyond reach from the whole cell; 1: the whole cell is deep inside; 0: needs exact tests. */
function classify(
  z: CompiledZone,
  lon: number,
  lat: number,
  w: number,
  h: number,
  hysteresisM: number,
): number {
  const s = z.shape;
  const f = s.frame;
  const x = (lon - f.lon0) * f.kx;
  const y = (lat - f.lat0) * f.ky;
  // Half the diagonal, a little more for the projection's change of scale across the cell.
  const r = 1.01 * Math.hypot((w * f.kx) / 2, (h * f.ky) / 2);
  const margin = edgeDistance(s, x, y) - r;
  if (margin <= hysteresisM + 1) return EDGE;
  if (shapeContains(s, x, y)) return DEEP;
  return margin > z.reachM + 1 ? -1 : EDGE;
}
