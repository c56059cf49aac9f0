import type { BBox } from '../../../domain/geometry.js';

/** Cell side in degrees: about 5.5 km, the size of a typical map window in the bench and on a phone. */
const CELL_DEG = 0.05;
/** A bbox over more cells than this is checked for every change instead of being listed in cells. */
const MAX_CELLS = 64;

const cellOf = (x: number) => Math.floor(x / CELL_DEG);
const keyOf = (cx: number, cy: number) => cx * 100_003 + cy;

/**
 * Which subscribers' bboxes may contain a point: the live hub asks it for every track movement,
 * so that a change is offered to the dozen subscribers that can see it, not to all of them. It is
 * rebuilt whole when a subscriber comes, goes or changes its bbox: that happens at human pace.
 */
export class SubscriberGrid<S extends { bbox: BBox }> {
  private cells = new Map<number, S[]>();
  private wide: S[] = [];
  private dirty = true;

  constructor(private readonly all: () => Iterable<S>) {}

  invalidate(): void {
    this.dirty = true;
  }

  /** Calls visit for each subscriber whose bbox may contain the point (and for no other). */
  near(lon: number, lat: number, visit: (s: S) => void): void {
    if (this.dirty) this.rebuild();
    for (const s of this.wide) visit(s);
    const list = this.cells.get(keyOf(cellOf(lon), cellOf(lat)));
    if (list) for (const s of list) visit(s);
  }

  private rebuild(): void {
    this.cells = new Map();
    this.wide = [];
    for (const s of this.all()) {
      const [w, so, e, n] = s.bbox;
      const x0 = cellOf(w);
      const x1 = cellOf(e);
      const y0 = cellOf(so);
      const y1 = cellOf(n);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS) {
        this.wide.push(s);
        continue;
      }
      for (let x = x0; x <= x1; x++)
        for (let y = y0; y <= y1; y++) {
          const k = keyOf(x, y);
          const list = this.cells.get(k);
          if (list) list.push(s);
          else this.cells.set(k, [s]);
        }
    }
    this.dirty = false;
  }
}
