import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLASSIFICATIONS,
  type Clearance,
  canSee,
  classificationLevel,
  type Marking,
  RELEASABLE_TO_ALL,
} from '../../src/domain/marking.js';
import type { Tx } from '../../src/server/db/database.js';
import { APP_ROLE } from '../../src/server/db/database.js';
import { markingToColumns } from '../../src/server/db/marking-columns.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * The SQL access rule (concord_can_see and the RLS policies built on it) must decide exactly
 * as canSee() does, for any viewer and any marking.
 */

const PRINCIPALS = ['USA', 'GBR', 'FRA', 'ISR', 'PSE', 'OCHA', 'MEDRELIEF', 'USA-CMCC', 'NONE'];
const CAVEATS = ['ORCON', 'NOFORN', 'PROPIN', 'MEDICAL'];

const classification = fc.constantFrom(...CLASSIFICATIONS);
const viewerArb: fc.Arbitrary<Clearance> = fc.record({
  clearance: classification,
  principals: fc.subarray(
    PRINCIPALS.filter((p) => p !== 'NONE'),
    { minLength: 0, maxLength: 3 },
  ),
  caveats: fc.subarray(CAVEATS),
});
/** Raw markings as a client could send them: duplicates, 'ALL' mixed with nations, unknown codes. */
const markingArb: fc.Arbitrary<Marking> = fc
  .record({
    classification,
    releasableTo: fc.array(fc.constantFrom(...PRINCIPALS, RELEASABLE_TO_ALL), { minLength: 1, maxLength: 4 }),
    caveats: fc.option(fc.array(fc.constantFrom(...CAVEATS), { maxLength: 3 }), { nil: undefined }),
  })
  .map((m) =>
    m.caveats === undefined ? { classification: m.classification, releasableTo: m.releasableTo } : m,
  );

/** Markings as jsonb rows so that one statement evaluates a whole batch. */
function asJson(markings: readonly Marking[]): string {
  return JSON.stringify(
    markings.map((m, i) => ({
      i,
      c: classificationLevel(m.classification),
      r: m.releasableTo,
      v: m.caveats ?? [],
    })),
  );
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  // The WITH CHECK property provokes policy violations on purpose; keep them out of the server log
  // (this database only; needs a superuser, which both test set-ups have).
  await sql`ALTER DATABASE ${sql.id(t.name)} SET log_min_messages = fatal`
    .execute(t.db.system)
    .catch(() => undefined);
});
afterAll(() => t.drop());

describe('concord_can_see mirrors canSee', () => {
  it('agrees with canSee for random viewers and markings (raw and normalised)', async () => {
    let visible = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(
        viewerArb,
        fc.array(markingArb, { minLength: 1, maxLength: 60 }),
        async (viewer, raw) => {
          const markings = [
            ...raw,
            ...raw.map((m) => {
              const c = markingToColumns(m);
              return { classification: m.classification, releasableTo: c.releasable_to, caveats: c.caveats };
            }),
          ];
          const r = await t.db.asViewer(viewer, (tx) =>
            sql<{ i: number; ok: boolean }>`
            SELECT (x->>'i')::int AS i,
                   concord_can_see((x->>'c')::smallint,
                                   ARRAY(SELECT jsonb_array_elements_text(x->'r')),
                                   ARRAY(SELECT jsonb_array_elements_text(x->'v'))) IS TRUE AS ok
            FROM jsonb_array_elements(${asJson(markings)}::jsonb) AS x
            ORDER BY 1`.execute(tx),
          );
          expect(r.rows).toHaveLength(markings.length);
          for (const row of r.rows) {
            const m = markings[row.i]!;
            expect(row.ok, `${JSON.stringify(viewer)} ${JSON.stringify(m)}`).toBe(canSee(viewer, m));
            total++;
            if (row.ok) visible++;
          }
        },
      ),
      { numRuns: 150 },
    );
    // The generators must exercise both answers, or the property proves little.
    expect(visible).toBeGreaterThan(total * 0.05);
    expect(total - visible).toBeGreaterThan(total * 0.05);
  });

  // NOT concord_can_see(...) must mean "withheld": the function never answers NULL.
  it('answers false, never NULL, when the viewer may not see a row', async () => {
    const r = await t.db.asViewer({ clearance: 'UNCLASSIFIED', principals: ['GBR'], caveats: [] }, (tx) =>
      sql<{ ok: boolean | null }>`SELECT concord_can_see(3::smallint, ARRAY['USA'], '{}') AS ok`.execute(tx),
    );
    expect(r.rows[0]!.ok).toBe(false);
  });

  it('ignores the system flag on the request role', async () => {
    const count = (tx: Tx) => sql<{ n: number }>`SELECT count(*)::int AS n FROM zones`.execute(tx);
    const r = await t.db.asViewer(
      { clearance: 'UNCLASSIFIED', principals: ['GBR'], caveats: [] },
      async (tx) => {
        const before = (await count(tx)).rows[0]!.n;
        await sql`SELECT set_config('concord.system', 'on', true)`.execute(tx);
        const ok = await sql<{
          ok: boolean;
        }>`SELECT concord_can_see(3::smallint, ARRAY['USA'], '{}') AS ok`.execute(tx);
        return { before, after: (await count(tx)).rows[0]!.n, ok: ok.rows[0]!.ok };
      },
    );
    const all = (await t.db.asSystem(count)).rows[0]!.n;
    expect(r.ok).toBe(false);
    expect(r.after).toBe(r.before);
    expect(r.after).toBeLessThan(all);
  });

  it('filters rows of the marked tables exactly as canSee, for the current and the previous marking of events', async () => {
    // One batch of committed rows per run, each tagged so that the viewer query reads only them.
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(markingArb, fc.option(markingArb, { nil: null })), { minLength: 1, maxLength: 12 }),
        fc.array(viewerArb, { minLength: 1, maxLength: 4 }),
        async (rows, viewers) => {
          const tag = `rls-${run++}`;
          const ids = await t.db.asSystem(async (tx) => {
            const zoneIds: string[] = [];
            for (const [i, [m, prev]] of rows.entries()) {
              const c = markingToColumns(m);
              const p = prev ? markingToColumns(prev) : null;
              await tx
                .insertInto('events')
                .values({
                  actor: null,
                  kind: 'upsert',
                  layer: tag,
                  entity_id: String(i),
                  payload: null,
                  ...c,
                  prev_classification: p?.classification ?? null,
                  prev_releasable_to: p?.releasable_to ?? null,
                  prev_caveats: p?.caveats ?? null,
                })
                .execute();
              const z = await tx
                .insertInto('zones')
                .values({ head_version: 1, ...c })
                .returning('id')
                .executeTakeFirstOrThrow();
              zoneIds.push(z.id);
            }
            return zoneIds;
          });
          for (const viewer of viewers) {
            const seen = await t.db.asViewer(viewer, async (tx) => ({
              events: (
                await tx.selectFrom('events').select('entity_id').where('layer', '=', tag).execute()
              ).map((e) => Number(e.entity_id)),
              zones: (await tx.selectFrom('zones').select('id').where('id', 'in', ids).execute()).map(
                (z) => z.id,
              ),
            }));
            const expectEvents = rows
              .map(([m, prev], i) => (canSee(viewer, m) || (prev !== null && canSee(viewer, prev)) ? i : -1))
              .filter((i) => i >= 0);
            const expectZones = ids.filter((_, i) => canSee(viewer, rows[i]![0]));
            expect(seen.events.sort((a, b) => a - b)).toEqual(expectEvents);
            expect(seen.zones.sort()).toEqual(expectZones.sort());
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses to let a viewer write a row they could not read (WITH CHECK)', async () => {
    const rollback = new Error('rollback');
    await fc.assert(
      fc.asyncProperty(
        viewerArb,
        fc.array(markingArb, { minLength: 1, maxLength: 8 }),
        async (viewer, markings) => {
          const outcomes: boolean[] = [];
          await t.db
            .asViewer(viewer, async (tx) => {
              for (const m of markings) {
                await sql`SAVEPOINT w`.execute(tx);
                try {
                  await tx
                    .insertInto('zones')
                    .values({ head_version: 1, ...markingToColumns(m) })
                    .execute();
                  outcomes.push(true);
                } catch (e) {
                  expect(String(e)).toContain('row-level security');
                  outcomes.push(false);
                }
                await sql`ROLLBACK TO SAVEPOINT w`.execute(tx);
              }
              throw rollback;
            })
            .catch((e) => {
              if (e !== rollback) throw e;
            });
          expect(outcomes).toEqual(markings.map((m) => canSee(viewer, m)));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the request role', () => {
  it('runs as concord_app, which sees no marked row outside asViewer', async () => {
    const who = await sql<{ current_user: string }>`SELECT current_user`.execute(t.db.app);
    expect(who.rows[0]?.current_user).toBe(APP_ROLE);

    const all = await t.db.asSystem(async (tx) => ({
      zones: Number((await sql<{ n: string }>`SELECT count(*) AS n FROM zones`.execute(tx)).rows[0]!.n),
      versions: Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM zone_versions`.execute(tx)).rows[0]!.n,
      ),
      events: Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(tx)).rows[0]!.n),
    }));
    expect(all.zones).toBeGreaterThan(0);
    expect(all.versions).toBeGreaterThan(0);
    expect(all.events).toBeGreaterThan(0);

    const everyone: Clearance = { clearance: 'SECRET', principals: PRINCIPALS, caveats: CAVEATS };
    // Repeat on several pooled connections, after viewer transactions ran on them: the viewer's
    // settings are transaction-local and must not outlive it.
    for (let i = 0; i < 8; i++) {
      const inside = await t.db.asViewer(everyone, (tx) =>
        sql<{ n: string }>`SELECT count(*) AS n FROM zones`.execute(tx),
      );
      expect(Number(inside.rows[0]!.n)).toBeGreaterThan(0);
      const [z, v, e, cls] = await Promise.all([
        sql<{ n: string }>`SELECT count(*) AS n FROM zones`.execute(t.db.app),
        sql<{ n: string }>`SELECT count(*) AS n FROM zone_versions`.execute(t.db.app),
        sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(t.db.app),
        sql<{ s: string | null }>`SELECT current_setting('concord.clearance', true) AS s`.execute(t.db.app),
      ]);
      expect([z.rows[0]!.n, v.rows[0]!.n, e.rows[0]!.n].map(Number)).toEqual([0, 0, 0]);
      expect(cls.rows[0]!.s ?? '').toBe('');
    }
  });

  it('has no way around the policies: not superuser, no BYPASSRLS, owns no marked table', async () => {
    const r = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`.execute(t.db.app);
    expect(r.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    const owners = await sql<{ relname: string; owner: string; forced: boolean }>`
      SELECT relname, pg_get_userbyid(relowner) AS owner, relforcerowsecurity AS forced
      FROM pg_class WHERE relname IN ('zones', 'zone_versions', 'events')`.execute(t.db.app);
    expect(owners.rows).toHaveLength(3);
    for (const o of owners.rows) {
      expect(o.owner).not.toBe(APP_ROLE);
      expect(o.forced).toBe(true);
    }
  });
});
