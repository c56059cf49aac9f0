import type Flatbush from 'flatbush';
import { METRES_PER_DEGREE } from '../../../domain/geo-predicates.js';
import { edgeDistance, shapeContains } from './geofence.shape.js';
import type { CompiledZone } from './geofence.zone.js';

/** Side of a grid cell in metres: small enough that most cells lie wholly in or out of each zone. */
const CELL_M = 100;
/** Bounds memory and build time when zones are spread over a large region: cells grow instead. */
const MAX_CELLS = 400_000;

/**
 * A uniform grid over the zones, derived from the flatbush tree when the zones change: per cell,
 * the zones that can matter there, each flagged "deep inside" when every point of the cell is inside
 * the area by more than the hysteresis. Zones that are beyond their reach from every point of the
 * cell are left out. A report then costs one array lookup and, in most cells, no geometry at all.
 */
export class ZoneGrid {
  readonly west: number;
  readonly south: number;
  readonly cellW: number;
  readonly cellH: number;
  readonly nx: number;
  readonly ny: number;
  /** Items of cell c are entries start[c] .. start[c + 1] of `items`: (zone index << 1) | deep. */
  readonly start: Int32Array;
  readonly items: Int32Array;

  constructor(tree: Flatbush, zones: readonly CompiledZone[], hysteresisM: number) {
    this.west = tree.minX;
    this.south = tree.minY;
    const midLat = (tree.minY + tree.maxY) / 2;
    let cellH = CELL_M / METRES_PER_DEGREE;
    let cellW = CELL_M / (METRES_PER_DEGREE * Math.cos((midLat * Math.PI) / 180));
    const spanX = tree.maxX - tree.minX;
    const spanY = tree.maxY - tree.minY;
    const cells = Math.ceil(spanX / cellW + 1) * Math.ceil(spanY / cellH + 1);
    if (cells > MAX_CELLS) {
      const grow = Math.sqrt(cells / MAX_CELLS);
      cellW *= grow;
      cellH *= grow;
    }
    this.cellW = cellW;
    this.cellH = cellH;
    this.nx = Math.max(1, Math.ceil(spanX / cellW));
    this.ny = Math.max(1, Math.ceil(spanY / cellH));
    const start = new Int32Array(this.nx * this.ny + 1);
    const items: number[] = [];
    for (let cy = 0; cy < this.ny; cy++)
      for (let cx = 0; cx < this.nx; cx++) {
        const w = this.west + cx * cellW;
        const s = this.south + cy * cellH;
        for (const i of tree.search(w, s, w + cellW, s + cellH)) {
          const flag = classify(zones[i]!, w + cellW / 2, s + cellH / 2, cellW, cellH, hysteresisM);
          if (flag >= 0) items.push((i << 1) | flag);
        }
        start[cy * this.nx + cx + 1] = items.length;
      }
    this.start = start;
    this.items = Int32Array.from(items);
  }

  /** Cell column of a longitude, possibly outside 0 .. nx - 1. */
  col(lon: number): number {
    return Math.floor((lon - this.west) / this.cellW);
  }

  row(lat: number): number {
    return Math.floor((lat - this.south) / this.cellH);
  }
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
  if (margin <= hysteresisM + 1) return 0;
  if (shapeContains(s, x, y)) return 1;
  return margin > z.reachM + 1 ? -1 : 0;
}
