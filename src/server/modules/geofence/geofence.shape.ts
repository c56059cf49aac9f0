import {
  bandRing,
  boxDistanceSq,
  crossingCount,
  type LocalFrame,
  localFrame,
  pathDistanceSq,
  pointInBandedRing,
  type RingBands,
} from '../../../domain/geo-predicates.js';
import type { Geometry, Position } from '../../../domain/geometry.js';

/**
 * A zone's geometry compiled for the hot path: every ring or line part as a Float64Array of
 * local metres (see domain/geo-predicates.ts) with its own bounding box, so a report costs a few
 * comparisons for most parts and full edge loops only for the parts near it.
 */
export interface Shape {
  /** area: Polygon/MultiPolygon; line: LineString/MultiLineString; point: a Point (approach only). */
  kind: 'area' | 'line' | 'point';
  frame: LocalFrame;
  /** Rings (closed) or line parts, in local metres. */
  paths: Float64Array[];
  /** Edge buckets per path, for ray casting (areas only; empty for lines and points). */
  bands: RingBands[];
  /** [minX, minY, maxX, maxY] per path, local metres. */
  pathBoxes: Float64Array;
  /** For areas: index of each polygon's exterior ring in `paths`, and paths.length at the end. */
  polygonStarts: Int32Array;
  /** Bounding box of the whole shape in local metres. */
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** Bounding box in degrees, for the spatial index. */
  west: number;
  south: number;
  east: number;
  north: number;
}

export function compileShape(g: Geometry): Shape {
  const parts: Position[][] = [];
  const polygonStarts: number[] = [];
  let kind: Shape['kind'];
  switch (g.type) {
    case 'Point':
      kind = 'point';
      parts.push([g.coordinates]);
      break;
    case 'LineString':
      kind = 'line';
      parts.push(g.coordinates);
      break;
    case 'MultiLineString':
      kind = 'line';
      parts.push(...g.coordinates);
      break;
    case 'Polygon':
      kind = 'area';
      polygonStarts.push(0);
      parts.push(...g.coordinates);
      break;
    case 'MultiPolygon':
      kind = 'area';
      for (const poly of g.coordinates) {
        polygonStarts.push(parts.length);
        parts.push(...poly);
      }
      break;
  }
  polygonStarts.push(parts.length);
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const part of parts)
    for (const p of part) {
      const [x, y] = p as [number, number];
      if (x < west) west = x;
      if (x > east) east = x;
      if (y < south) south = y;
      if (y > north) north = y;
    }
  if (!(west <= east && south <= north)) throw new Error('a zone geometry needs at least one position');
  const frame = localFrame((west + east) / 2, (south + north) / 2);
  const pathBoxes = new Float64Array(4 * parts.length);
  const paths = parts.map((part, i) => {
    const a = new Float64Array(2 * part.length);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    part.forEach((p, j) => {
      const x = (p[0]! - frame.lon0) * frame.kx;
      const y = (p[1]! - frame.lat0) * frame.ky;
      a[2 * j] = x;
      a[2 * j + 1] = y;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    });
    pathBoxes.set([minX, minY, maxX, maxY], 4 * i);
    return a;
  });
  return {
    kind,
    frame,
    paths,
    pathBoxes,
    bands: kind === 'area' ? paths.map(bandRing) : [],
    polygonStarts: Int32Array.from(polygonStarts),
    minX: (west - frame.lon0) * frame.kx,
    minY: (south - frame.lat0) * frame.ky,
    maxX: (east - frame.lon0) * frame.kx,
    maxY: (north - frame.lat0) * frame.ky,
    west,
    south,
    east,
    north,
  };
}

function inBox(boxes: Float64Array, i: number, x: number, y: number): boolean {
  const o = 4 * i;
  return x >= boxes[o]! && x <= boxes[o + 2]! && y >= boxes[o + 1]! && y <= boxes[o + 3]!;
}

/** Inside some polygon's exterior and none of its holes (local metres). Polygons may overlap. */
export function shapeContains(s: Shape, x: number, y: number): boolean {
  if (s.kind !== 'area' || x < s.minX || x > s.maxX || y < s.minY || y > s.maxY) return false;
  const starts = s.polygonStarts;
  for (let p = 0; p + 1 < starts.length; p++) {
    const ext = starts[p]!;
    const end = starts[p + 1]!;
    if (!inBox(s.pathBoxes, ext, x, y) || !pointInBandedRing(s.paths[ext]!, s.bands[ext]!, x, y)) continue;
    let inHole = false;
    for (let h = ext + 1; h < end && !inHole; h++)
      inHole = inBox(s.pathBoxes, h, x, y) && pointInBandedRing(s.paths[h]!, s.bands[h]!, x, y);
    if (!inHole) return true;
  }
  return false;
}

/** Distance in metres from a point (local metres) to the shape's edges, lines or point. */
export function edgeDistance(s: Shape, x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i < s.paths.length; i++) {
    if (boxDistanceSq(s.pathBoxes, i, x, y) >= best) continue;
    best = pathDistanceSq(s.paths[i]!, x, y, best);
  }
  return Math.sqrt(best);
}

/** Distance in metres from a point to the zone: zero inside an area. */
export function zoneDistance(s: Shape, x: number, y: number): number {
  return shapeContains(s, x, y) ? 0 : edgeDistance(s, x, y);
}

/** Squared distance from a point to the shape's bounding box, local metres: a cheap lower bound. */
export function shapeBoxDistance(s: Shape, x: number, y: number): number {
  const dx = Math.max(s.minX - x, 0, x - s.maxX);
  const dy = Math.max(s.minY - y, 0, y - s.maxY);
  return Math.sqrt(dx * dx + dy * dy);
}

/** Crossings of the shape's paths by the movement p→q (local metres), parts skipped by their boxes. */
export function crossings(s: Shape, px: number, py: number, qx: number, qy: number): number {
  const minX = Math.min(px, qx);
  const maxX = Math.max(px, qx);
  const minY = Math.min(py, qy);
  const maxY = Math.max(py, qy);
  if (maxX < s.minX || minX > s.maxX || maxY < s.minY || minY > s.maxY) return 0;
  const b = s.pathBoxes;
  let n = 0;
  for (let i = 0; i < s.paths.length; i++) {
    const o = 4 * i;
    if (maxX < b[o]! || minX > b[o + 2]! || maxY < b[o + 1]! || minY > b[o + 3]!) continue;
    n += crossingCount(s.paths[i]!, px, py, qx, qy);
  }
  return n;
}
