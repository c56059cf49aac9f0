import { sql } from 'kysely';
import type { Marking } from '../../src/domain/marking.js';
import type { Db } from '../../src/server/db/database.js';
import { markingToColumns } from '../../src/server/db/marking-columns.js';

/** Crossings as the demo has them (lon, lat), for tests and benchmarks that need some. */
export const TEST_CROSSINGS: readonly { name: string; lon: number; lat: number }[] = [
  { name: 'Kerem Shalom', lon: 34.284, lat: 31.223 },
  { name: 'Rafah', lon: 34.26, lat: 31.247 },
  { name: 'Kissufim', lon: 34.384, lat: 31.376 },
  { name: 'Zikim', lon: 34.522, lat: 31.592 },
];

/**
 * A crossing written straight to the table as the system (the demo loader does this elsewhere);
 * one of that name already there is kept.
 */
export async function insertCrossing(
  db: Db,
  o: { name: string; lon: number; lat: number; marking?: Marking },
): Promise<string> {
  const m = markingToColumns(o.marking ?? { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] });
  return db.asSystem(async (tx) => {
    const r = await sql<{ id: string }>`
      INSERT INTO crossings (name, lon, lat, daily_truck_target, classification, releasable_to, caveats)
      VALUES (${o.name}, ${o.lon}, ${o.lat}, 100, ${m.classification}, ${m.releasable_to}, ${m.caveats})
      ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
      RETURNING id`.execute(tx);
    return r.rows[0]!.id;
  });
}

export async function insertTestCrossings(db: Db): Promise<void> {
  for (const c of TEST_CROSSINGS) await insertCrossing(db, c);
}
