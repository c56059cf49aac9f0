import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCheckedReport } from '../../src/domain/checked-reports.js';
import {
  checkPositionReport,
  EARLIEST,
  LATEST,
  MAX_CLOCK_AHEAD_MS,
  type ValidReport,
} from '../../src/domain/position-reports.js';
import { plainReport } from '../support/fixtures.js';

const NOW = Date.UTC(2026, 11, 2, 12);

/** The report as a client would send it in JSON: times as ISO strings, absent fields left out. */
function wire(r: ValidReport): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (v === null || v === undefined) continue;
    out[k] = k === 'observedAt' || k === 'staleAt' ? new Date(v as number).toISOString() : v;
  }
  return out;
}

/** Mostly a valid value, sometimes one at or past a limit, so that both outcomes are common. */
const mostly = <T>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: edge, weight: 1 });
const number = (min: number, max: number, edges: number[]) =>
  mostly(
    fc.double({ min, max, noNaN: true }),
    fc.oneof(fc.constantFrom(...edges, Number.NaN, Number.POSITIVE_INFINITY, -0), fc.double()),
  );
const time = (around: number) =>
  mostly(
    fc.integer({ min: around - 3_600_000, max: around + 60_000 }),
    fc.oneof(
      fc.constantFrom(
        EARLIEST - 1,
        EARLIEST,
        LATEST - 1,
        LATEST,
        NOW + MAX_CLOCK_AHEAD_MS,
        NOW + MAX_CLOCK_AHEAD_MS + 1,
      ),
      fc.integer({ min: -62_000_000_000_000, max: 300_000_000_000_000 }),
      fc.double({ min: NOW, max: NOW + 1000, noNaN: true }),
    ),
  );
const text = (n: number) =>
  mostly(
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.oneof(
      fc.constant(''),
      fc.string({ unit: 'grapheme', minLength: n - 1, maxLength: n + 1 }),
      fc.string({ unit: 'binary', minLength: n - 1, maxLength: n + 1 }),
      fc.constant('x'.repeat(n)),
      fc.constant('x'.repeat(n + 1)),
    ),
  );
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const orNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const report: fc.Arbitrary<ValidReport> = fc
  .record({
    uid: mostly(fc.stringMatching(/^[A-Za-z0-9._:-]{1,100}$/), fc.string({ maxLength: 101 })),
    observedAt: time(NOW),
    staleAt: time(NOW + 120_000),
    lat: number(-90, 90, [-90, 90, -90.000001, 90.000001]),
    lon: number(-180, 180, [-180, 180, -180.000001, 180.000001]),
    alt: orNull(number(-500, 20_000, [-1e300, 1e300])),
    course: orNull(number(0, 360, [0, 360, -0.001, 360.001])),
    speed: orNull(number(0, 400, [0, -0.001])),
    accuracy: orNull(number(0, 1e4, [0, -0.001])),
    footprint: fc.constant(null),
    kind: optional(mostly(fc.constantFrom('uav', 'team', 'unit'), fc.constant('rover'))),
    affiliation: optional(
      mostly(fc.constantFrom('friend', 'hostile', 'neutral', 'unknown'), fc.constant('ally')),
    ),
    sidc: optional(
      mostly(
        fc.constantFrom('SFGPUC---------', 'SHAPMFQ--------'),
        fc.constantFrom('sfgpuc---------', 'SFGPUC--------'),
      ),
    ),
    callsign: optional(text(100)),
    source: optional(text(100)),
  })
  .map(
    (r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as ValidReport,
  );

describe('reports a trusted mapping makes in their checked form', () => {
  it('are accepted exactly when checkPositionReport makes the very same report of them', () => {
    const outcomes = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(report, (r) => {
        const full = checkPositionReport(wire(r), NOW);
        const same = full.ok && isEqual(full.report, r);
        expect(isCheckedReport(r, NOW), JSON.stringify(wire(r))).toBe(same);
        outcomes[same ? 'accepted' : 'refused']++;
      }),
      { numRuns: 20_000 },
    );
    // Both answers are common, or the property would say little.
    expect(outcomes.accepted).toBeGreaterThan(2000);
    expect(outcomes.refused).toBeGreaterThan(2000);
  });

  it('leave reports with a marking or a footprint to the full check', () => {
    const r = plainReport('A-1', NOW);
    expect(isCheckedReport(r, NOW)).toBe(true);
    expect(
      isCheckedReport({ ...r, marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] } }, NOW),
    ).toBe(false);
    expect(
      isCheckedReport(
        {
          ...r,
          footprint: {
            type: 'Polygon',
            coordinates: [
              [
                [34.4, 31.4],
                [34.5, 31.4],
                [34.5, 31.5],
                [34.4, 31.4],
              ],
            ],
          },
        },
        NOW,
      ),
    ).toBe(false);
  });
});

function isEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toStrictEqual(b);
    return true;
  } catch {
    return false;
  }
}
