/** GeoJSON geometry validation and bounding boxes. WGS84, positions are [lon, lat(, alt)]. */

export type Position = number[];
export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };
export type GeometryType = Geometry['type'];
export type BBox = [west: number, south: number, east: number, north: number];

export interface GeometryProblem {
  path: string;
  message: string;
}

export const GEOMETRY_LIMITS = { maxVertices: 20_000, maxParts: 500 } as const;

type Result = { ok: true; geometry: Geometry } | { ok: false; problems: GeometryProblem[] };

/** Checks shape, finite in-range coordinates, ring closure, minimum sizes and self-intersection. */
export function validateGeometry(input: unknown, allowed?: readonly GeometryType[]): Result {
  const problems: GeometryProblem[] = [];
  const v = new Validator(problems);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('geometry', 'must be a GeoJSON geometry object');
  }
  const g = input as { type?: unknown; coordinates?: unknown };
  const known: GeometryType[] = ['Point', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];
  if (typeof g.type !== 'string' || !known.includes(g.type as GeometryType)) {
    return fail('geometry.type', `must be one of ${known.join(', ')}`);
  }
  const type = g.type as GeometryType;
  if (allowed && !allowed.includes(type))
    return fail('geometry.type', `must be one of ${allowed.join(', ')}`);
  const c = g.coordinates;
  const p = 'geometry.coordinates';
  switch (type) {
    case 'Point':
      v.position(c, p);
      break;
    case 'LineString':
      v.line(c, p);
      break;
    case 'MultiLineString':
      v.parts(c, p, (part, pp) => v.line(part, pp));
      break;
    case 'Polygon':
      v.polygon(c, p);
      break;
    case 'MultiPolygon':
      v.parts(c, p, (part, pp) => v.polygon(part, pp));
      break;
  }
  if (problems.length === 0 && v.vertices > GEOMETRY_LIMITS.maxVertices) {
    problems.push({
      path: p,
      message: `has ${v.vertices} vertices; the limit is ${GEOMETRY_LIMITS.maxVertices}`,
    });
  }
  return problems.length
    ? { ok: false, problems }
    : { ok: true, geometry: { type, coordinates: c } as Geometry };
}

function fail(path: string, message: string): Result {
  return { ok: false, problems: [{ path, message }] };
}

class Validator {
  vertices = 0;
  constructor(private readonly problems: GeometryProblem[]) {}

  private add(path: string, message: string): false {
    if (this.problems.length < 20) this.problems.push({ path, message });
    return false;
  }

  position(c: unknown, path: string): c is Position {
    this.vertices++;
    if (!Array.isArray(c) || c.length < 2 || c.length > 3)
      return this.add(path, 'must be [lon, lat] or [lon, lat, alt]');
    if (!c.every((n) => typeof n === 'number' && Number.isFinite(n)))
      return this.add(path, 'must hold finite numbers');
    const [lon, lat] = c as number[];
    if (lon! < -180 || lon! > 180) return this.add(path, `longitude ${lon} is outside -180..180`);
    if (lat! < -90 || lat! > 90) return this.add(path, `latitude ${lat} is outside -90..90`);
    return true;
  }

  private positions(c: unknown, path: string, min: number, what: string): c is Position[] {
    if (!Array.isArray(c)) return this.add(path, `must be an array of positions`);
    if (c.length < min) return this.add(path, `${what} needs at least ${min} positions, has ${c.length}`);
    if (c.length > GEOMETRY_LIMITS.maxVertices)
      return this.add(path, `has more than ${GEOMETRY_LIMITS.maxVertices} positions`);
    let ok = true;
    c.forEach((pos, i) => {
      if (!this.position(pos, `${path}[${i}]`)) ok = false;
    });
    return ok;
  }

  line(c: unknown, path: string): void {
    if (!this.positions(c, path, 2, 'a line')) return;
    const hit = firstSelfIntersection([c], false);
    if (hit) this.add(path, `line crosses itself at segment ${hit[0]} and ${hit[1]}`);
  }

  polygon(c: unknown, path: string): void {
    if (!Array.isArray(c) || c.length === 0) {
      this.add(path, 'a polygon must be an array of linear rings');
      return;
    }
    if (c.length > GEOMETRY_LIMITS.maxParts) {
      this.add(path, `has more than ${GEOMETRY_LIMITS.maxParts} rings`);
      return;
    }
    let ok = true;
    c.forEach((ring, i) => {
      const rp = `${path}[${i}]`;
      if (!this.positions(ring, rp, 4, 'a linear ring')) {
        ok = false;
        return;
      }
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) {
        ok = this.add(rp, 'ring is not closed: the first and last positions differ');
      }
    });
    if (!ok) return;
    const hit = firstSelfIntersection(c as Position[][], true);
    if (hit) {
      this.add(path, `polygon is self-intersecting: edge ${hit[0]} crosses edge ${hit[1]}`);
      return;
    }
    (c as Position[][]).forEach((ring, i) => {
      if (ringArea(ring) === 0) this.add(`${path}[${i}]`, 'ring has no area');
    });
  }

  parts(c: unknown, path: string, each: (part: unknown, path: string) => void): void {
    if (!Array.isArray(c) || c.length === 0) {
      this.add(path, 'must be a non-empty array');
      return;
    }
    if (c.length > GEOMETRY_LIMITS.maxParts) {
      this.add(path, `has more than ${GEOMETRY_LIMITS.maxParts} parts`);
      return;
    }
    c.forEach((part, i) => {
      each(part, `${path}[${i}]`);
    });
  }
}

function ringArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[i + 1]!;
    a += p[0]! * q[1]! - q[0]! * p[1]!;
  }
  return a / 2;
}

interface Segment {
  ring: number;
  index: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
  minX: number;
  maxX: number;
}

/**
 * Finds a pair of non-adjacent segments that touch or cross. A sweep over x keeps this near
 * O(n log n) for the shapes people draw, so large control lines validate quickly.
 */
function firstSelfIntersection(rings: Position[][], closed: boolean): [string, string] | null {
  const segs: Segment[] = [];
  rings.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[i + 1]!;
      if (a[0] === b[0] && a[1] === b[1]) continue;
      segs.push({
        ring: r,
        index: i,
        ax: a[0]!,
        ay: a[1]!,
        bx: b[0]!,
        by: b[1]!,
        minX: Math.min(a[0]!, b[0]!),
        maxX: Math.max(a[0]!, b[0]!),
      });
    }
  });
  segs.sort((s, t) => s.minX - t.minX);
  const count = rings.map((r) => r.length - 1);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    for (let j = i + 1; j < segs.length; j++) {
      const t = segs[j]!;
      if (t.minX > s.maxX) break;
      if (s.ring === t.ring && adjacent(s.index, t.index, count[s.ring]!, closed)) continue;
      if (segmentsTouch(s, t)) {
        const name = (x: Segment) => (rings.length > 1 ? `${x.ring}:${x.index}` : `${x.index}`);
        return [name(s), name(t)];
      }
    }
  }
  return null;
}

function adjacent(i: number, j: number, n: number, closed: boolean): boolean {
  const d = Math.abs(i - j);
  return d <= 1 || (closed && d === n - 1);
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

function segmentsTouch(s: Segment, t: Segment): boolean {
  const o1 = orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay);
  const o2 = orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by);
  const o3 = orient(t.ax, t.ay, t.bx, t.by, s.ax, s.ay);
  const o4 = orient(t.ax, t.ay, t.bx, t.by, s.bx, s.by);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(s.ax, s.ay, s.bx, s.by, t.ax, t.ay)) return true;
  if (o2 === 0 && onSegment(s.ax, s.ay, s.bx, s.by, t.bx, t.by)) return true;
  if (o3 === 0 && onSegment(t.ax, t.ay, t.bx, t.by, s.ax, s.ay)) return true;
  if (o4 === 0 && onSegment(t.ax, t.ay, t.bx, t.by, s.bx, s.by)) return true;
  return false;
}

export function bboxOf(g: Geometry): BBox {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const x = c[0] as number;
      const y = c[1] as number;
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    } else if (Array.isArray(c)) {
      for (const x of c) visit(x);
    }
  };
  visit(g.coordinates);
  return [w, s, e, n];
}

export function bboxIntersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
