import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Position } from '../../src/domain/geometry.js';
import { compileShape, shapeContains } from '../../src/server/modules/geofence/geofence.shape.js';
import { GeofenceEngine } from '../../src/server/modules/geofence/index.js';
import { at, ENTER_EXIT, pt, track, zone } from './geofence-helpers.js';

/** The reference: winding number in plain degrees, an algorithm other than the engine's ray casting. */
function windingContains(ring: Position[], lon: number, lat: number): boolean {
  let w = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    const cross = (x2 - x1) * (lat - y1) - (lon - x1) * (y2 - y1);
    if (y1 <= lat) {
      if (y2 > lat && cross > 0) w++;
    } else if (y2 <= lat && cross < 0) w--;
  }
  return w !== 0;
}

/** Star-shaped rings (vertices at increasing angles around a centre) are simple by construction. */
const starRing = fc
  .record({
    n: fc.integer({ min: 3, max: 60 }),
    radii: fc.array(fc.double({ min: 50, max: 2000, noNaN: true }), { minLength: 60, maxLength: 60 }),
    jitter: fc.array(fc.double({ min: 0, max: 0.9, noNaN: true }), { minLength: 60, maxLength: 60 }),
  })
  .map(({ n, radii, jitter }) => {
    const ring: Position[] = [];
    for (let i = 0; i < n; i++) {
      const a = ((i + jitter[i]!) / n) * 2 * Math.PI;
      ring.push(pt(radii[i]! * Math.cos(a), radii[i]! * Math.sin(a)));
    }
    ring.push(ring[0]!);
    return ring;
  });

const point = fc.tuple(
  fc.double({ min: -2500, max: 2500, noNaN: true }),
  fc.double({ min: -2500, max: 2500, noNaN: true }),
);

describe('geofence engine: properties', () => {
  it('point-in-polygon equals a winding-number reference on random simple polygons', () => {
    fc.assert(
      fc.property(starRing, fc.array(point, { minLength: 1, maxLength: 50 }), (ring, points) => {
        const shape = compileShape({ type: 'Polygon', coordinates: [ring] });
        for (const [x, y] of points) {
          const [lon, lat] = pt(x, y) as [number, number];
          const lx = (lon - shape.frame.lon0) * shape.frame.kx;
          const ly = (lat - shape.frame.lat0) * shape.frame.ky;
          expect(shapeContains(shape, lx, ly)).toBe(windingContains(ring, lon, lat));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('without hysteresis, enter/exit alerts are exactly the containment changes of the reference', () => {
    fc.assert(
      fc.property(
        fc.array(starRing, { minLength: 1, maxLength: 4 }),
        fc.array(point, { minLength: 2, maxLength: 80 }),
        (rings, path) => {
          const e = new GeofenceEngine({ hysteresisM: 0 });
          e.setZones(rings.map((r, i) => zone(`z${i}`, { type: 'Polygon', coordinates: [r] }, ENTER_EXIT)));
          const expected: string[] = [];
          const got: string[] = [];
          let prev: boolean[] | null = null;
          path.forEach(([x, y], step) => {
            const p = at(x, y, 1000 + step);
            const now = rings.map((r) => windingContains(r, p.lon, p.lat));
            if (prev)
              now.forEach((inside, i) => {
                if (inside !== prev![i]) expected.push(`${step}:${inside ? 'enter' : 'exit'}:z${i}`);
              });
            prev = now;
            for (const a of e.evaluate(track('t'), p)) got.push(`${step}:${a.trigger}:${a.zone.id}`);
          });
          expect(got.sort()).toEqual(expected.sort());
        },
      ),
      { numRuns: 200 },
    );
  });
});
