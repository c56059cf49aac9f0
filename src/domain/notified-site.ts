import { localFrame, METRES_PER_DEGREE, pointInRing, segmentDistanceSq } from './geo-predicates.js';

/**
 * Distance in metres from a point to a notified site or route (Point, LineString or Polygon; a
 * point inside a polygon is at 0). Computed in a local metric frame around the point: exact enough
 * over the few kilometres correlation looks at.
 */
export function distanceToNotifiedM(
  geometry: { type: string; coordinates: unknown },
  lon: number,
  lat: number,
): number {
  const f = localFrame(lon, lat);
  const flat = (ring: readonly number[][]) => {
    const out = new Float64Array(ring.length * 2);
    ring.forEach((p, i) => {
      out[2 * i] = (p[0]! - f.lon0) * f.kx;
      out[2 * i + 1] = (p[1]! - f.lat0) * f.ky;
    });
    return out;
  };
  const toPath = (path: Float64Array) => {
    if (path.length === 2) return Math.hypot(path[0]!, path[1]!);
    let best = Infinity;
    for (let i = 2; i < path.length; i += 2)
      best = Math.min(best, segmentDistanceSq(0, 0, path[i - 2]!, path[i - 1]!, path[i]!, path[i + 1]!));
    return Math.sqrt(best);
  };
  switch (geometry.type) {
    case 'Point':
      return toPath(flat([geometry.coordinates as number[]]));
    case 'LineString':
      return toPath(flat(geometry.coordinates as number[][]));
    case 'Polygon': {
      const rings = (geometry.coordinates as number[][][]).map(flat);
      const outer = rings[0];
      if (!outer) return Infinity;
      const inside = pointInRing(outer, 0, 0) && !rings.slice(1).some((h) => pointInRing(h, 0, 0));
      return inside ? 0 : Math.min(...rings.map(toPath));
    }
    default:
      return Infinity;
  }
}

/** A box around a point that holds every place within `radiusM` of it: [west, south, east, north]. */
export function boxAround(lon: number, lat: number, radiusM: number): [number, number, number, number] {
  const dLat = radiusM / METRES_PER_DEGREE;
  const dLon = radiusM / (METRES_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}
