import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFICATIONS, type Marking } from '../../src/domain/marking.js';
import type { ValidReport } from '../../src/domain/position-reports.js';
import { copyBinary } from '../../src/server/db/copy-binary.js';
import { markingToColumns } from '../../src/server/db/marking-columns.js';
import { tracksStore } from '../../src/server/modules/tracks/tracks.store.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { plainReport } from '../support/fixtures.js';

/**
 * The history's binary COPY must store exactly what the plain INSERT path stores: every double to
 * the bit, times to the millisecond, nulls as nulls, footprints and markings as they were.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

type Position = { report: ValidReport; marking: Marking };

const DAY = 86_400_000;
const double = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const orNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const markingArb: fc.Arbitrary<Marking> = fc.record({
  classification: fc.constantFrom(...CLASSIFICATIONS),
  releasableTo: fc.subarray(['ALL', 'USA', 'GBR', 'FRA', 'OCHA', 'MÉDECINS'], { minLength: 1 }),
  caveats: fc.option(fc.subarray(['ORCON', 'NOFORN', 'MEDICAL']), { nil: undefined }),
});
const positionArb = (
  now: number,
): fc.Arbitrary<Omit<Position, 'report'> & { report: Omit<ValidReport, 'uid'> }> =>
  fc.record({
    report: fc.record({
      observedAt: fc.integer({ min: now - 3 * DAY, max: now + DAY }),
      staleAt: fc.constant(now + DAY),
      lat: double(-90, 90),
      lon: double(-180, 180),
      alt: orNull(double(-500, 30_000)),
      course: orNull(double(0, 359.999)),
      speed: orNull(double(0, 400)),
      accuracy: orNull(double(0, 10_000)),
      footprint: orNull(
        fc.constant({
          type: 'Polygon' as const,
          coordinates: [
            [
              [34.3, 31.3],
              [34.31, 31.3],
              [34.31, 31.31],
              [34.3, 31.3],
            ],
          ],
        }),
      ),
    }),
    marking: markingArb,
  });

const read = (prefix: string) =>
  t.db.asSystem(async (tx) => {
    const r = await sql<Record<string, unknown>>`
      SELECT uid, observed_at, lat, lon, alt, course, speed, accuracy, footprint, classification,
        releasable_to, caveats
      FROM track_positions WHERE uid LIKE ${`${prefix}%`} ORDER BY uid`.execute(tx);
    return r.rows.map(
      (row): Record<string, unknown> => ({ ...row, uid: (row.uid as string).slice(prefix.length) }),
    );
  });

describe('position history by binary COPY', () => {
  it('stores exactly what the INSERT path stores, for any values', async () => {
    const now = Date.now();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(positionArb(now), { minLength: 1, maxLength: 40 }), async (rows) => {
        run++;
        const withUid = (prefix: string): Position[] =>
          rows.map((p, i) => ({
            ...p,
            report: { ...p.report, uid: `${prefix}ü-${String(i).padStart(3, '0')}` },
          }));
        const copied = withUid(`copy-${run}-`);
        const inserted = withUid(`insert-${run}-`);
        await t.db.withSystemClient((c) => tracksStore.copyPositions(c, copied));
        await t.db.asSystem((tx) => tracksStore.insertPositions(tx, inserted));
        const a = await read(`copy-${run}-`);
        expect(a).toEqual(await read(`insert-${run}-`));
        // And both are what was sent (-0 as 0, as the text paths always stored it).
        const n = (x: number | null) => (x === null ? null : x + 0);
        expect(a.map((r) => [(r.observed_at as Date).getTime(), r.lat, r.lon, r.alt, r.speed])).toEqual(
          copied.map((p) => [
            p.report.observedAt,
            n(p.report.lat),
            n(p.report.lon),
            n(p.report.alt),
            n(p.report.speed),
          ]),
        );
        expect(a.map((r) => [r.classification, r.releasable_to, r.caveats, r.footprint])).toEqual(
          copied.map((p) => {
            const m = markingToColumns(p.marking);
            return [m.classification, m.releasable_to, m.caveats, p.report.footprint];
          }),
        );
      }),
      {
        numRuns: 25,
        examples: [
          [
            [
              {
                report: {
                  observedAt: Date.now(),
                  staleAt: Date.now() + DAY,
                  lat: -0,
                  lon: -0,
                  alt: -0,
                  course: null,
                  speed: -0,
                  accuracy: null,
                  footprint: null,
                },
                marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
              },
            ],
          ],
        ],
      },
    );
  });

  it('refuses a batch that repeats a stored observation, whole, so that the caller can insert it instead', async () => {
    const marking: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
    const report = (observedAt: number): Position => ({
      report: plainReport('copy-repeat', observedAt, DAY),
      marking,
    });
    const now = Date.now();
    await t.db.withSystemClient((c) => tracksStore.copyPositions(c, [report(now)]));
    await expect(
      t.db.withSystemClient((c) => tracksStore.copyPositions(c, [report(now + 1), report(now)])),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await read('copy-repeat')).toHaveLength(1);
  });

  it('leaves the connection usable after a refused COPY, whose data was sent behind the command', async () => {
    await t.db.withSystemClient(async (c) => {
      await expect(copyBinary(c, 'no_such_table (x)', Buffer.alloc(64, 1))).rejects.toMatchObject({
        code: '42P01',
      });
      await expect(
        copyBinary(c, 'track_positions (uid)', Buffer.from('not binary COPY')),
      ).rejects.toMatchObject({
        code: '22P04',
      });
      const r = await c.query<{ n: number }>('SELECT 41 + 1 AS n');
      expect(r.rows).toEqual([{ n: 42 }]);
    });
  });
});
