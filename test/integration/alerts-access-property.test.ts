import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertCounts, AlertFeature } from '../../src/domain/alert-status.js';
import { type Clearance, canSee, type Marking } from '../../src/domain/marking.js';
import { identitiesService } from '../../src/server/modules/identities/index.js';
import { candidate } from '../support/alerts.js';
import { DEMO_PASSWORD } from '../support/constants.js';
import { LiveClient } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

/**
 * Whatever alerts are raised, with whatever markings, every way a viewer reads them (list, counts,
 * one by one, the live snapshot and live upserts) shows exactly those canSee allows, and of the
 * others nothing: not their id, not their summary.
 */

const PRINCIPALS = ['USA', 'GBR', 'FRA', 'CAN', 'ISR', 'PSE', 'OCHA', 'MEDRELIEF', 'USA-CMCC', 'GBR-PLAN'];
const CAVEATS = ['ORCON', 'NOFORN'];
const VIEWERS = [
  'usa.monitor',
  'gbr.planner',
  'fra.analyst',
  'un.logistics',
  'ngo.field',
  'liaison.isr',
  'can.viewer',
  'cav.usa',
];
const EXTRA_USERS = [
  {
    username: 'cav.usa',
    organisation: 'USA-CMCC',
    roles: ['monitor'],
    clearance: 'SECRET',
    caveats: ['ORCON'],
  },
];

const markingArb: fc.Arbitrary<Marking> = fc
  .record({
    classification: fc.constantFrom('UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET' as const),
    releasableTo: fc.oneof(
      { weight: 1, arbitrary: fc.constant<string[]>(['ALL']) },
      { weight: 4, arbitrary: fc.subarray(PRINCIPALS, { minLength: 1, maxLength: 3 }) },
    ),
    caveats: fc.oneof(
      { weight: 3, arbitrary: fc.constant<string[]>([]) },
      { weight: 1, arbitrary: fc.subarray(CAVEATS, { minLength: 1, maxLength: 1 }) },
    ),
  })
  .map((m) => (m.caveats.length ? m : { classification: m.classification, releasableTo: m.releasableTo }));

let s: TestServer;
const actors = new Map<string, { client: Client; clearance: Clearance }>();
/** Every alert raised in this file, with its marking: the oracle. */
const raised: { id: string; summary: string; marking: Marking }[] = [];

beforeAll(async () => {
  s = await startTestServer();
  await s.listen();
  const identities = identitiesService(s.database.db, 12);
  for (const u of EXTRA_USERS) await identities.addUser({ ...u, password: DEMO_PASSWORD });
  for (const v of VIEWERS) {
    const client = await Client.login(s.app, v);
    const me = (await client.get('/api/v1/auth/me')).json<Clearance>();
    actors.set(v, {
      client,
      clearance: { clearance: me.clearance, principals: me.principals, caveats: me.caveats },
    });
  }
});
afterAll(() => s?.close());

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('alerts access: every read path shows exactly what canSee allows', () => {
  it('holds for random markings and viewers', async () => {
    const scenario = fc.record({
      viewers: fc.shuffledSubarray(VIEWERS, { minLength: 2, maxLength: 4 }),
      markings: fc.array(markingArb, { minLength: 1, maxLength: 5 }),
    });
    let hiddenChecked = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ viewers, markings }) => {
        const live = new Map<string, LiveClient>();
        try {
          for (const v of viewers) {
            const a = actors.get(v)!;
            const c = await LiveClient.subscribed(
              s.baseUrl,
              { cookie: a.client.sessionCookie },
              { layers: ['alerts'] },
            );
            const snap = await c.waitFor('snapshot');
            const ids = (snap.msg.features as AlertFeature[]).map((f) => f.id);
            const want = raised.filter((r) => canSee(a.clearance, r.marking)).map((r) => r.id);
            expect(sorted(ids), `${v} snapshot`).toEqual(sorted(want));
            live.set(v, c);
          }
          const batch = await s.alerts.raise(markings.map((m) => candidate(m)));
          for (const f of batch)
            raised.push({ id: f.id, summary: f.properties.summary, marking: f.properties.marking });
          // Everyone sees the barrier: once it arrived, every earlier upsert has too.
          const [barrier] = await s.alerts.raise([
            candidate({ classification: 'UNCLASSIFIED', releasableTo: ['ALL'] }),
          ]);
          raised.push({
            id: barrier!.id,
            summary: barrier!.properties.summary,
            marking: barrier!.properties.marking,
          });
          await Promise.all(
            [...live.values()].map((c) =>
              c.waitFor('upsert', (m) => m.id === barrier!.id, { timeoutMs: 5000 }),
            ),
          );

          for (const v of viewers) {
            const { client, clearance } = actors.get(v)!;
            const c = live.get(v)!;
            const text = c.raw.join('\n');
            for (const f of batch) {
              const visible = canSee(clearance, f.properties.marking);
              expect(c.about(f.id).length, `${v} live ${f.id}`).toBe(visible ? 1 : 0);
              if (!visible) {
                expect(text.includes(f.id), `${v} saw the id of ${f.id}`).toBe(false);
                expect(text.includes(`"${f.properties.summary}"`)).toBe(false);
                hiddenChecked++;
              }
              const one = await client.get(`/api/v1/alerts/${f.id}`);
              expect(one.statusCode, `${v} GET ${f.id}`).toBe(visible ? 200 : 404);
              if (!visible) expect(one.body).not.toContain(f.properties.summary);
            }
            const want = raised.filter((r) => canSee(clearance, r.marking)).map((r) => r.id);
            const list = (await client.get('/api/v1/alerts?limit=1000')).json<{ features: AlertFeature[] }>();
            expect(sorted(list.features.map((f) => f.id)), `${v} list`).toEqual(sorted(want));
            for (const f of list.features) expect(canSee(clearance, f.properties.marking)).toBe(true);
            const counts = (await client.get('/api/v1/alerts/counts')).json<AlertCounts>();
            expect(counts.open, `${v} counts`).toBe(want.length);
          }
        } finally {
          await Promise.all([...live.values()].map((c) => c.close()));
        }
      }),
      { numRuns: 8 },
    );
    expect(hiddenChecked).toBeGreaterThan(0);
  }, 120_000);
});
