import { describe, expect, it } from 'vitest';
import { bboxOf, GEOMETRY_LIMITS, validateGeometry } from '../../src/domain/geometry.js';

const ring = (pts: number[][]) => [...pts, pts[0]!];

describe('validateGeometry', () => {
  it('accepts valid points, lines and polygons with holes', () => {
    expect(validateGeometry({ type: 'Point', coordinates: [34.4, 31.5] }).ok).toBe(true);
    expect(
      validateGeometry({
        type: 'LineString',
        coordinates: [
          [34, 31],
          [34.1, 31.1],
          [34.2, 31],
        ],
      }).ok,
    ).toBe(true);
    const outer = ring([
      [34, 31],
      [35, 31],
      [35, 32],
      [34, 32],
    ]);
    const hole = ring([
      [34.2, 31.2],
      [34.4, 31.2],
      [34.4, 31.4],
      [34.2, 31.4],
    ]);
    expect(validateGeometry({ type: 'Polygon', coordinates: [outer, hole] }).ok).toBe(true);
    expect(validateGeometry({ type: 'MultiPolygon', coordinates: [[outer]] }).ok).toBe(true);
  });

  it.each([
    [null, 'geometry', 'GeoJSON geometry'],
    [{ type: 'Circle', coordinates: [] }, 'geometry.type', 'must be one of'],
    [{ type: 'Point', coordinates: [34] }, 'geometry.coordinates', '[lon, lat]'],
    [{ type: 'Point', coordinates: [34, 91] }, 'geometry.coordinates', 'latitude 91'],
    [{ type: 'Point', coordinates: [Number.NaN, 1] }, 'geometry.coordinates', 'finite'],
    [{ type: 'LineString', coordinates: [[34, 31]] }, 'geometry.coordinates', 'at least 2'],
    [
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [2, 2],
          [2, 0],
          [0, 2],
        ],
      },
      'geometry.coordinates',
      'crosses itself',
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      },
      'geometry.coordinates[0]',
      'not closed',
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          ring([
            [0, 0],
            [1, 1],
            [1, 0],
            [0, 1],
          ]),
        ],
      },
      'geometry.coordinates',
      'self-intersecting',
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          ring([
            [0, 0],
            [1, 0],
            [2, 0],
          ]),
        ],
      },
      'geometry.coordinates[0]',
      'no area',
    ],
    [{ type: 'Polygon', coordinates: [] }, 'geometry.coordinates', 'linear rings'],
  ])('rejects %j at %s (%s)', (g, path, msg) => {
    const r = validateGeometry(g);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]!.path).toBe(path);
      expect(r.problems[0]!.message).toContain(msg);
    }
  });

  it('limits the number of vertices', () => {
    const n = GEOMETRY_LIMITS.maxVertices + 10;
    const pts = Array.from({ length: n }, (_, i) => [
      Math.cos((2 * Math.PI * i) / n),
      Math.sin((2 * Math.PI * i) / n),
    ]);
    const r = validateGeometry({ type: 'Polygon', coordinates: [ring(pts)] });
    expect(r.ok).toBe(false);
  });

  it('validates a large valid ring quickly', () => {
    const n = GEOMETRY_LIMITS.maxVertices - 10;
    const pts = Array.from({ length: n }, (_, i) => [
      34 + 0.1 * Math.cos((2 * Math.PI * i) / n),
      31 + 0.1 * Math.sin((2 * Math.PI * i) / n),
    ]);
    const t = performance.now();
    expect(validateGeometry({ type: 'Polygon', coordinates: [ring(pts)] }).ok).toBe(true);
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('restricts types when asked', () => {
    const r = validateGeometry({ type: 'Point', coordinates: [0, 0] }, ['Polygon']);
    expect(r.ok).toBe(false);
  });
});

describe('bboxOf', () => {
  it('covers every position', () => {
    expect(
      bboxOf({
        type: 'LineString',
        coordinates: [
          [34, 31],
          [35, 30],
          [34.5, 32],
        ],
      }),
    ).toEqual([34, 30, 35, 32]);
  });
});
