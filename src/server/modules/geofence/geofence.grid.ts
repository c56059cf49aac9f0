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
 * every point of the cell are left out, and so are versions without any rule (they raise nothing).
 *
 * A cell whose items are all DEEP (or that has none) is *quiet*: wherever a report falls in it,
 * the state of a track there is the same. Quiet cells with the same item list share a class
 * (0 = no item), and each quiet cell knows how many cells around it, in every direction, are of
 * its class. A track moving from a cell of one class to a cell of the same class changes nothing,
 * unless it crossed a line on the way (`lineFree`), so the engine can skip the report; within the
 * square of its class around the cell of its last full evaluation, it does not even need the grid
 * (see GeofenceEngine.evaluateAt).
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
  /**
   * Two entries per cell c (and one at the end): cells[2c] is -1 when the cell is not quiet, else
   * (class << 8) | radius, where every cell within `radius` cells (Chebyshev, at most 255) is of
   * that class, cells outside the grid counting as class 0; the cell's items are entries
   * cells[2c + 1] .. cells[2c + 3] of `items`: (item << 1) | DEEP or EDGE.
   */
  readonly cells: Int32Array;
  readonly items: Int32Array;
  /** 1 when no line is within reach of any point of the cell. */
  readonly lineFree: Uint8Array;
  /** How many zone versions kept their cells from the grid before (see the constructor). */
  readonly reusedZones: number = 0;
  private readonly cellM: number;
  private readonly hysteresisM: number;
  /** Per zone version, the cells it matters in and how: reused by the next grid of the same frame. */
  private readonly classified = new Map<CompiledZone, Classified>();

  /**
   * @param box per item, its bounding box in degrees widened by its reach: [w, s, e, n] at 4i.
   * @param extent the union of those boxes.
   * @param previous the grid this one replaces: while the zones still fit in its frame, that frame
   *   is kept and the zone versions it already classified are not classified again. Classifying
   *   is most of a build (~300 ms for a thousand zones here), so one zone's change costs a fraction.
   */
  constructor(
    zones: readonly CompiledZone[],
    box: Float64Array,
    extent: { minX: number; minY: number; maxX: number; maxY: number },
    hysteresisM: number,
    cellM = CELL_M,
    previous: ZoneGrid | null = null,
  ) {
    this.cellM = cellM;
    this.hysteresisM = hysteresisM;
    const same = previous?.covers(extent, hysteresisM, cellM) ? previous : null;
    const frame = same ?? frameOf(extent, cellM);
    const { nx, ny, cellW, cellH } = frame;
    this.west = frame.west;
    this.south = frame.south;
    this.cellW = cellW;
    this.cellH = cellH;
    this.invW = 1 / cellW;
    this.invH = 1 / cellH;
    this.nx = nx;
    this.ny = ny;

    // Zone by zone over the cells of its widened box: (cell, entry) pairs, then a counting sort.
    let pairCells: Int32Array = new Int32Array(1024);
    let pairVals: Int32Array = new Int32Array(1024);
    let n = 0;
    let reused = 0;
    const count = new Int32Array(nx * ny + 1);
    const lineFree = new Uint8Array(nx * ny).fill(1);
    for (let i = 0; i < zones.length; i++) {
      const z = zones[i]!;
      // A version with no rule for any track raises nothing and keeps no state: it never matters.
      if (z.masks.every((m) => m === 0)) continue;
      let found = same?.classified.get(z);
      if (found) reused++;
      else found = this.classify(z, box, i, hysteresisM);
      this.classified.set(z, found);
      const { cells, flags } = found;
      const line = z.shape.kind === 'line';
      if (n + cells.length > pairCells.length) {
        pairCells = grow(pairCells, n + cells.length);
        pairVals = grow(pairVals, n + cells.length);
      }
      for (let k = 0; k < cells.length; k++) {
        const c = cells[k]!;
        pairCells[n] = c;
        pairVals[n] = (i << 1) | flags[k]!;
        n++;
        count[c + 1]!++;
        if (line) lineFree[c] = 0;
      }
    }
    this.reusedZones = reused;
    const ncell = nx * ny;
    const start = new Int32Array(ncell + 1);
    for (let c = 0; c < ncell; c++) start[c + 1] = start[c]! + count[c + 1]!;
    const fill = start.slice(0, ncell);
    const items = new Int32Array(n);
    for (let k = 0; k < n; k++) items[fill[pairCells[k]!]!++] = pairVals[k]!;
    this.items = items;

    // Quiet classes: cells of DEEP items only, one class per distinct list; -1 not quiet.
    const cls = new Int32Array(ncell);
    const ids = new Map<string, number>();
    // Same list as the cell to the left or below (most cells inside a zone): same class, no key.
    const sameList = (c: number, o: number): boolean => {
      const a = start[c]!;
      const n = start[c + 1]! - a;
      const b = start[o]!;
      if (start[o + 1]! - b !== n) return false;
      for (let j = 0; j < n; j++) if (items[a + j] !== items[b + j]) return false;
      return true;
    };
    for (let c = 0; c < ncell; c++) {
      const a = start[c]!;
      const b = start[c + 1]!;
      if (a === b) continue;
      let quiet = true;
      for (let j = a; j < b && quiet; j++) quiet = (items[j]! & 1) === DEEP;
      if (!quiet) {
        cls[c] = -1;
        continue;
      }
      if (c % nx > 0 && cls[c - 1]! > 0 && sameList(c, c - 1)) {
        cls[c] = cls[c - 1]!;
        continue;
      }
      if (c >= nx && cls[c - nx]! > 0 && sameList(c, c - nx)) {
        cls[c] = cls[c - nx]!;
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
    if (ids.size >= 1 << 23) throw new Error('too many distinct quiet cells for the zone grid');
    const radius = classRadius(cls, nx, ny);
    const cells = new Int32Array(2 * ncell + 2);
    for (let c = 0; c < ncell; c++) {
      cells[2 * c] = cls[c]! < 0 ? -1 : (cls[c]! << 8) | Math.min(255, radius[c]!);
      cells[2 * c + 1] = start[c]!;
    }
    cells[2 * ncell + 1] = n;
    this.cells = cells;
    this.lineFree = lineFree;
  }

  /** Whether a grid for `extent` can keep this one's frame and what it classified. */
  private covers(
    extent: { minX: number; minY: number; maxX: number; maxY: number },
    hysteresisM: number,
    cellM: number,
  ): boolean {
    return (
      cellM === this.cellM &&
      hysteresisM === this.hysteresisM &&
      extent.minX >= this.west &&
      extent.minY >= this.south &&
      extent.maxX <= this.west + this.nx * this.cellW &&
      extent.maxY <= this.south + this.ny * this.cellH
    );
  }

  /** The cells of item i's widened box where it can matter, y-major, and DEEP or EDGE for each. */
  private classify(z: CompiledZone, box: Float64Array, i: number, hysteresisM: number): Classified {
    const { nx, ny, cellW, cellH } = this;
    const x0 = Math.max(0, Math.floor((box[4 * i]! - this.west) * this.invW));
    const y0 = Math.max(0, Math.floor((box[4 * i + 1]! - this.south) * this.invH));
    const x1 = Math.min(nx - 1, Math.floor((box[4 * i + 2]! - this.west) * this.invW));
    const y1 = Math.min(ny - 1, Math.floor((box[4 * i + 3]! - this.south) * this.invH));
    let cells: Int32Array = new Int32Array(64);
    let flags: Uint8Array = new Uint8Array(64);
    let n = 0;
    for (let cy = y0; cy <= y1; cy++)
      for (let cx = x0; cx <= x1; cx++) {
        const flag = classify(
          z,
          this.west + (cx + 0.5) * cellW,
          this.south + (cy + 0.5) * cellH,
          cellW,
          cellH,
          hysteresisM,
        );
        if (flag < 0) continue;
        if (n === cells.length) {
          cells = grow(cells, n + 1);
          const more = new Uint8Array(cells.length);
          more.set(flags);
          flags = more;
        }
        cells[n] = cy * nx + cx;
        flags[n] = flag;
        n++;
      }
    return { cells: cells.slice(0, n), flags: flags.slice(0, n) };
  }
}

interface Classified {
  cells: Int32Array;
  flags: Uint8Array;
}

/** Cells of about `cellM` over `extent`, larger when there would be more than MAX_CELLS. */
function frameOf(
  extent: { minX: number; minY: number; maxX: number; maxY: number },
  cellM: number,
): { west: number; south: number; cellW: number; cellH: number; nx: number; ny: number } {
  const midLat = (extent.minY + extent.maxY) / 2;
  let cellH = cellM / METRES_PER_DEGREE;
  let cellW = cellM / (METRES_PER_DEGREE * Math.cos((midLat * Math.PI) / 180));
  const spanX = extent.maxX - extent.minX;
  const spanY = extent.maxY - extent.minY;
  const wanted = Math.ceil(spanX / cellW + 1) * Math.ceil(spanY / cellH + 1);
  if (wanted > MAX_CELLS) {
    const grow = Math.sqrt(wanted / MAX_CELLS);
    cellW *= grow;
    cellH *= grow;
  }
  return {
    west: extent.minX,
    south: extent.minY,
    cellW,
    cellH,
    nx: Math.max(1, Math.ceil(spanX / cellW)),
    ny: Math.max(1, Math.ceil(spanY / cellH)),
  };
}

/**
 * Per cell, the Chebyshev radius of the square around it whose cells are all of its class, outside
 * the grid counting as class 0: the chessboard distance to the nearest cell of another class, less
 * one, by the two-pass distance transform from the cells that touch another class.
 */
function classRadius(cls: Int32Array, nx: number, ny: number): Int32Array {
  // On a copy with a border of cells outside the grid (class 0, never a source of distance), so
  // that no step needs a bounds check: this runs over every cell at every rebuild.
  const w = nx + 2;
  const h = ny + 2;
  const k = new Int32Array(w * h);
  for (let y = 0; y < ny; y++) k.set(cls.subarray(y * nx, (y + 1) * nx), (y + 1) * w + 1);
  const far = 1 << 30;
  const d = new Int32Array(w * h).fill(far);
  for (let y = 1; y <= ny; y++)
    for (let x = 1; x <= nx; x++) {
      const c = y * w + x;
      const v = k[c]!;
      const edge =
        k[c - w - 1] !== v ||
        k[c - w] !== v ||
        k[c - w + 1] !== v ||
        k[c - 1] !== v ||
        k[c + 1] !== v ||
        k[c + w - 1] !== v ||
        k[c + w] !== v ||
        k[c + w + 1] !== v;
      d[c] = edge ? 1 : far;
    }
  for (let y = 1; y <= ny; y++)
    for (let x = 1; x <= nx; x++) {
      const c = y * w + x;
      let m = d[c]!;
      const a = Math.min(d[c - 1]!, d[c - w - 1]!, d[c - w]!, d[c - w + 1]!) + 1;
      if (a < m) m = a;
      d[c] = m;
    }
  for (let y = ny; y >= 1; y--)
    for (let x = nx; x >= 1; x--) {
      const c = y * w + x;
      let m = d[c]!;
      const a = Math.min(d[c + 1]!, d[c + w + 1]!, d[c + w]!, d[c + w - 1]!) + 1;
      if (a < m) m = a;
      d[c] = m;
    }
  // A region of one class that touches nothing else (a single class everywhere) is unbounded.
  const out = new Int32Array(nx * ny);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) out[y * nx + x] = Math.min(d[(y + 1) * w + x + 1]!, 256) - 1;
  return out;
}

function grow(a: Int32Array, atLeast: number): Int32Array {
  const b = new Int32Array(Math.max(2 * a.length, atLeast));
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
