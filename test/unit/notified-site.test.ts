import { describe, expect, it } from 'vitest';
import { partiesHiddenByMarking } from '../../src/domain/deconfliction.js';
import { haversineM, METRES_PER_DEGREE } from '../../src/domain/geo-predicates.js';
import { boxAround, distanceToNotifiedM } from '../../src/domain/notified-site.js';

const lon = 34.4;
const lat = 31.4;
const northM = (m: number) => lat + m / METRES_PER_DEGREE;

describe('distanceToNotifiedM', () => {
  it('measures to a point as haversine does, within a metre over a few kilometres', () => {
    for (const m of [0, 200, 500, 5000]) {
      const d = distanceToNotifiedM({ type: 'Point', coordinates: [lon, lat] }, lon + 0.001, northM(m));
      expect(Math.abs(d - haversineM(lon, lat, lon + 0.001, northM(m)))).toBeLessThan(1);
    }
  });

  it('measures to the nearest segment of a route, not its vertices', () => {
    const route = {
      type: 'LineString',
      coordinates: [
        [34.3, lat],
        [34.5, lat],
      ],
    };
    expect(distanceToNotifiedM(route, lon, northM(200))).toBeCloseTo(200, 0);
    expect(distanceToNotifiedM(route, 34.6, lat)).toBeGreaterThan(9000);
  });

  it('is 0 inside a polygon, the distance to its edge outside, and outside in a hole', () => {
    const d = 0.01;
    const ring = [
      [lon - d, lat - d],
      [lon + d, lat - d],
      [lon + d, lat + d],
      [lon - d, lat + d],
      [lon - d, lat - d],
    ];
    const hole = [
      [lon - d / 2, lat - d / 2],
      [lon + d / 2, lat - d / 2],
      [lon + d / 2, lat + d / 2],
      [lon - d / 2, lat + d / 2],
      [lon - d / 2, lat - d / 2],
    ];
    expect(distanceToNotifiedM({ type: 'Polygon', coordinates: [ring] }, lon, lat)).toBe(0);
    const edge = lat + d;
    expect(
      distanceToNotifiedM({ type: 'Polygon', coordinates: [ring] }, lon, edge + 300 / METRES_PER_DEGREE),
    ).toBeCloseTo(300, 0);
    expect(distanceToNotifiedM({ type: 'Polygon', coordinates: [ring, hole] }, lon, lat)).toBeGreaterThan(
      470,
    );
  });

  it('gives a box that holds the whole circle', () => {
    const [w, s, e, n] = boxAround(lon, lat, 500);
    expect(haversineM(lon, lat, lon, n)).toBeGreaterThanOrEqual(499.9);
    expect(haversineM(lon, lat, e, lat)).toBeGreaterThanOrEqual(499.9);
    expect(w).toBeLessThan(lon);
    expect(s).toBeLessThan(lat);
  });
});

describe('partiesHiddenByMarking', () => {
  it('names the parties a marking hides the notification from', () => {
    expect(partiesHiddenByMarking({ releasableTo: ['ALL'] }, ['ISR', 'PSE'])).toEqual([]);
    expect(partiesHiddenByMarking({ releasableTo: ['MEDRELIEF', 'ISR'] }, ['ISR', 'PSE'])).toEqual(['PSE']);
  });
});

describe('answers of several parties', () => {
  it('waits for every party, then the least favourable answer wins', async () => {
    const { combinedAnswer, stateAfterAnswer } = await import('../../src/domain/deconfliction.js');
    expect(stateAfterAnswer(['ISR', 'PSE'], {}, 'ISR', 'facilitated')).toBe('acknowledged');
    expect(stateAfterAnswer(['ISR', 'PSE'], { ISR: 'facilitated' }, 'PSE', 'facilitated')).toBe(
      'facilitated',
    );
    expect(stateAfterAnswer(['ISR', 'PSE'], { ISR: 'facilitated' }, 'PSE', 'denied')).toBe('denied');
    expect(stateAfterAnswer(['ISR'], {}, 'ISR', 'postponed')).toBe('postponed');
    expect(combinedAnswer(['facilitated', 'partially-facilitated'])).toBe('partially-facilitated');
  });
});
