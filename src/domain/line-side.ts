import { localFrame, segmentDistanceSq } from './geo-predicates.js';

/**
 * Which side of a control line a point lies on: left or right of the line walked in the order of
 * its vertices, decided by the nearest segment, and how far from the line it is. A point beyond an
 * end of the line takes the side of the end segment's extension.
 */
export function sideOfLine(
  parts: readonly (readonly (readonly number[])[])[],
  lon: number,
  lat: number,
): { side: 'left' | 'right'; distanceM: number } | null {
  const f = localFrame(lon, lat);
  let bestSq = Number.POSITIVE_INFINITY;
  let cross = 0;
  for (const part of parts) {
    for (let i = 1; i < part.length; i++) {
      const a = part[i - 1]!;
      const b = part[i]!;
      const ax = (a[0]! - lon) * f.kx;
      const ay = (a[1]! - lat) * f.ky;
      const bx = (b[0]! - lon) * f.kx;
      const by = (b[1]! - lat) * f.ky;
      const d = segmentDistanceSq(0, 0, ax, ay, bx, by);
      if (d < bestSq) {
        bestSq = d;
        // The point is the origin: the sign of (b - a) × (p - a) with p = 0.
        cross = (bx - ax) * -ay - (by - ay) * -ax;
      }
    }
  }
  if (!Number.isFinite(bestSq)) return null;
  return { side: cross >= 0 ? 'left' : 'right', distanceM: Math.sqrt(bestSq) };
}

/** The line parts of a LineString or MultiLineString, or [] for any other geometry. */
export function linePartsOf(geometry: unknown): number[][][] {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (g?.type === 'LineString') return [g.coordinates as number[][]];
  if (g?.type === 'MultiLineString') return g.coordinates as number[][][];
  return [];
}
