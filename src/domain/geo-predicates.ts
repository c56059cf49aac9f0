/**
 * Planar predicates for the geofence engine, on flat typed arrays of interleaved coordinates
 * `[x0, y0, x1, y1, …]`. Callers project WGS84 into local metres first (`localFrame`): an
 * equirectangular projection of the sphere around a reference latitude. Over a zone a few
 * kilometres wide at 31.4°N it stays within 0.1% of haversine distances, far below GPS error, and
 * it is affine, so point-in-polygon and crossings are exact in it.
 */

/** Mean Earth radius (IUGG), the sphere haversine uses. */
export const EARTH_RADIUS_M = 6_371_008.8;
/** Metres along a meridian per degree of latitude on that sphere. */
export const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;

/** Origin and scale of a local metric frame: x = (lon - lon0) * kx, y = (lat - lat0) * ky. */
export interface LocalFrame {
  lon0: number;
  lat0: number;
  kx: number;
  ky: number;
}

export function localFrame(lon0: number, lat0: number): LocalFrame {
  return { lon0, lat0, kx: METRES_PER_DEGREE * Math.cos((lat0 * Math.PI) / 180), ky: METRES_PER_DEGREE };
}

/** Great-circle distance in metres; the reference the local frame is checked against. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Even-odd ray casting against one closed ring (last vertex equals the first). A point exactly on
 * an edge may fall either way; hysteresis makes that irrelevant to alerts.
 */
export function pointInRing(ring: Float64Array, x: number, y: number): boolean {
  let inside = false;
  const n = ring.length;
  let xj = ring[0]!;
  let yj = ring[1]!;
  for (let i = 2; i < n; i += 2) {
    const xi = ring[i]!;
    const yi = ring[i + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    xj = xi;
    yj = yi;
  }
  return inside;
}

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
export function segmentDistanceSq(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len = dx * dx + dy * dy;
  let t = len > 0 ? ((px - ax) * dx + (py - ay) * dy) / len : 0;
  t = Math.max(0, Math.min(1, t));
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/**
 * Squared distance from a point to a path (a ring or a line; a single vertex is a point), or
 * `bestSq` when the path is no closer: pass the best so far to skip work.
 */
export function pathDistanceSq(path: Float64Array, x: number, y: number, bestSq: number): number {
  const n = path.length;
  if (n === 2) {
    const dx = path[0]! - x;
    const dy = path[1]! - y;
    return Math.min(bestSq, dx * dx + dy * dy);
  }
  let best = bestSq;
  for (let i = 2; i < n; i += 2) {
    const d = segmentDistanceSq(x, y, path[i - 2]!, path[i - 1]!, path[i]!, path[i + 1]!);
    if (d < best) best = d;
  }
  return best;
}

/** Squared distance from a point to a box [minX, minY, maxX, maxY] stored at `boxes[4 * i]`. */
export function boxDistanceSq(boxes: Float64Array, i: number, x: number, y: number): number {
  const o = 4 * i;
  const dx = Math.max(boxes[o]! - x, 0, x - boxes[o + 2]!);
  const dy = Math.max(boxes[o + 1]! - y, 0, y - boxes[o + 3]!);
  return dx * dx + dy * dy;
}

/** Which side of the directed line a→b the point c lies on; zero counts as the left so parity stays right at vertices. */
function leftOf(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax) >= 0;
}

/**
 * How many segments of a path the movement p→q crosses. Touching is broken consistently (a
 * vertex on the movement counts as on its left), so a movement through a vertex of the line counts
 * once and one that only grazes it counts zero or twice: the parity is always the side change.
 */
export function crossingCount(path: Float64Array, px: number, py: number, qx: number, qy: number): number {
  const n = path.length;
  let count = 0;
  let ax = path[0]!;
  let ay = path[1]!;
  let aLeft = leftOf(px, py, qx, qy, ax, ay);
  for (let i = 2; i < n; i += 2) {
    const bx = path[i]!;
    const by = path[i + 1]!;
    const bLeft = leftOf(px, py, qx, qy, bx, by);
    if (aLeft !== bLeft && leftOf(ax, ay, bx, by, px, py) !== leftOf(ax, ay, bx, by, qx, qy)) count++;
    ax = bx;
    ay = by;
    aLeft = bLeft;
  }
  return count;
}

/**
 * Edges of a ring bucketed by horizontal bands, so that a ray cast looks at the few edges whose
 * y-range can contain the point's y instead of all of them.
 */
export interface RingBands {
  minY: number;
  /** Bands per metre: band = floor((y - minY) * scale). */
  scale: number;
  count: number;
  /** Start of each band's edges in `edges`, count + 1 entries. */
  start: Int32Array;
  /** Edge i joins vertex i and i + 1 (coordinates at 2i and 2i + 2). */
  edges: Int32Array;
}

export function bandRing(ring: Float64Array): RingBands {
  const edgeCount = ring.length / 2 - 1;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 1; i < ring.length; i += 2) {
    minY = Math.min(minY, ring[i]!);
    maxY = Math.max(maxY, ring[i]!);
  }
  const count = Math.max(1, Math.min(64, Math.floor(edgeCount / 3)));
  const scale = maxY > minY ? count / (maxY - minY) : 0;
  const band = (y: number) => Math.min(count - 1, Math.max(0, Math.floor((y - minY) * scale)));
  const lists: number[][] = Array.from({ length: count }, () => []);
  for (let e = 0; e < edgeCount; e++) {
    const a = ring[2 * e + 1]!;
    const b = ring[2 * e + 3]!;
    for (let k = band(Math.min(a, b)); k <= band(Math.max(a, b)); k++) lists[k]!.push(e);
  }
  const start = new Int32Array(count + 1);
  lists.forEach((l, k) => {
    start[k + 1] = start[k]! + l.length;
  });
  return { minY, scale, count, start, edges: Int32Array.from(lists.flat()) };
}

/** pointInRing over the edges of the point's band only: the same answer, a fraction of the work. */
export function pointInBandedRing(ring: Float64Array, bands: RingBands, x: number, y: number): boolean {
  let k = Math.floor((y - bands.minY) * bands.scale);
  if (k < 0 || k >= bands.count) {
    if (y < bands.minY || k > bands.count) return false;
    k = bands.count - 1;
  }
  let inside = false;
  const end = bands.start[k + 1]!;
  for (let j = bands.start[k]!; j < end; j++) {
    const o = 2 * bands.edges[j]!;
    const xj = ring[o]!;
    const yj = ring[o + 1]!;
    const xi = ring[o + 2]!;
    const yi = ring[o + 3]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
