import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsignmentInput } from '../../src/domain/consignments.js';
import type { Marking } from '../../src/domain/marking.js';
import type { Viewer } from '../../src/domain/viewer.js';
import type { Dashboard } from '../../src/server/modules/aid-dashboard/index.js';
import type { ConsignmentDetail } from '../../src/server/modules/consignments/index.js';
import type { BoardCrossing } from '../../src/server/modules/crossings/index.js';
import { identitiesStore, toViewer } from '../../src/server/modules/identities/index.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const TERMINAL = ['rejected', 'delivered', 'partially-received', 'intercepted', 'returned'];

let s: TestServer;
let ngo: Client;
let monitor: Client;
let crossings: Record<string, BoardCrossing>;

beforeAll(async () => {
  s = await startTestServer();
  [ngo, monitor] = await Promise.all([Client.login(s.app, 'ngo.field'), Client.login(s.app, 'usa.monitor')]);
  const board = (await ngo.get('/api/v1/aid/crossings')).json<{ crossings: BoardCrossing[] }>();
  crossings = Object.fromEntries(board.crossings.map((c) => [c.name, c]));
});
afterAll(() => s?.close());

const dashboard = async (c: Client, days = 14) => {
  const r = await c.get(`/api/v1/aid/dashboard?days=${days}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<Dashboard>();
};

async function viewerOf(username: string): Promise<Viewer> {
  const row = await identitiesStore.findUserByName(s.database.db.app, username);
  return toViewer(row!);
}

/** The same figures, computed by hand with plain SQL under the viewer's row-level security. */
async function direct(username: string, from: string) {
  return s.database.db.asViewer(await viewerOf(username), async (tx) => {
    const screened = await sql<{ day: string; trucks: number }>`
      SELECT to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(c.trucks)::int AS trucks
      FROM consignments c JOIN consignment_actions a ON a.consignment_id = c.id AND a.to_state = 'screened'
      WHERE a.at >= ${from}::date GROUP BY 1`.execute(tx);
    const states = await sql<{ state: string; n: number }>`
      SELECT state, count(*)::int AS n FROM consignments
      WHERE created_at >= ${from}::date OR state NOT IN ('rejected', 'delivered', 'partially-received', 'intercepted', 'returned')
      GROUP BY state`.execute(tx);
    const tonnes = await sql<{ t: number }>`
      SELECT coalesce(sum(c.tonnes), 0)::float8 AS t
      FROM consignments c JOIN consignment_actions a ON a.consignment_id = c.id AND a.to_state = 'screened'
      WHERE a.at >= ${from}::date AND EXISTS (SELECT 1 FROM consignment_items i WHERE i.consignment_id = c.id)`.execute(
      tx,
    );
    return {
      trucks: Object.fromEntries(screened.rows.map((r) => [r.day, r.trucks])),
      states: Object.fromEntries(states.rows.map((r) => [r.state, r.n])),
      tonnes: tonnes.rows[0]!.t,
    };
  });
}

const input = (over: Partial<ConsignmentInput> = {}): ConsignmentInput => ({
  crossingId: crossings.Rafah!.id,
  items: [
    { category: 'water', description: 'Bottled water', quantity: 10_000, unit: 'litres' },
    { category: 'shelter', description: 'Tents', quantity: 50, unit: 'tents' },
  ],
  pallets: 40,
  tonnes: 30,
  trucks: 7,
  marking: ALL,
  ...over,
});

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-6);

describe('aid dashboard', () => {
  it('equals plain SQL under the same viewer, and RESTRICTED consignments stay out of ngo.field totals', async () => {
    for (const user of ['ngo.field', 'usa.monitor']) {
      const d = await dashboard(user === 'ngo.field' ? ngo : monitor);
      expect(d.days).toHaveLength(14);
      expect(d.crossings).toHaveLength(5);
      expect(d.trucksPerDay.every((x) => x.targetTrucks === 600)).toBe(true);
      expect(d.basis).toMatch(/screened/);
      const sqlSide = await direct(user, d.from);
      for (const day of d.trucksPerDay) expect(day.trucks, day.day).toBe(sqlSide.trucks[day.day] ?? 0);
      for (const c of d.crossings) for (const [i, x] of c.days.entries()) expect(x.day).toBe(d.days[i]);
      for (const f of d.funnel) expect(f.count, f.state).toBe(sqlSide.states[f.state] ?? 0);
      close(
        d.tonnesByCategory.reduce((n, c) => n + c.tonnes, 0),
        sqlSide.tonnes,
      );
      expect(d.funnel.map((f) => f.state)).toEqual([
        'registered',
        'cleared',
        'partially-cleared',
        'dispatched',
        'queued-at-crossing',
        'screened',
        'offloaded',
        'collected',
        'in-transit',
        'delivered',
        'rejected',
        'partially-received',
        'intercepted',
        'returned',
      ]);
      // Everything that is in a later state passed through registration.
      const registered = d.funnel.find((f) => f.state === 'registered')!;
      expect(registered.reached).toBe(d.funnel.reduce((n, f) => n + f.count, 0));
    }
    const ngoView = await dashboard(ngo);
    const usaView = await dashboard(monitor);
    expect(ngoView.markingText).toBe('UNCLASSIFIED//REL TO ALL');
    expect(usaView.markingText).toBe('RESTRICTED//REL TO USA, GBR');
    const total = (d: Dashboard) => d.funnel.reduce((n, f) => n + f.count, 0);
    const hidden = await s.database.db.asSystem((tx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM consignments WHERE classification > 0
        AND (created_at >= ${ngoView.from}::date OR NOT (state = ANY(${TERMINAL}::text[])))`.execute(tx),
    );
    expect(hidden.rows[0]!.n).toBeGreaterThan(0);
    expect(total(usaView) - total(ngoView)).toBe(hidden.rows[0]!.n);
    const ngoTrucks = ngoView.trucksPerDay.reduce((n, d) => n + d.trucks, 0);
    const usaTrucks = usaView.trucksPerDay.reduce((n, d) => n + d.trucks, 0);
    expect(usaTrucks).toBeGreaterThanOrEqual(ngoTrucks);
    expect(ngoView.funnel.some((f) => f.stage === 'outcome' && f.count > 0)).toBe(true);
  });

  it('changes when a consignment moves', async () => {
    const before = await dashboard(ngo);
    const r = await ngo.post('/api/v1/aid/consignments', input());
    expect(r.statusCode, r.body).toBe(201);
    const c = r.json<ConsignmentDetail>();
    const registered = await dashboard(ngo);
    const count = (d: Dashboard, state: string) => d.funnel.find((f) => f.state === state)!.count;
    expect(count(registered, 'registered')).toBe(count(before, 'registered') + 1);

    let v = c.version;
    const step = async (who: Client, to: string) => {
      const m = await who.post(`/api/v1/aid/consignments/${c.id}/state`, { to, version: v });
      expect(m.statusCode, m.body).toBe(200);
      v = m.json<ConsignmentDetail>().version;
    };
    await step(monitor, 'cleared');
    const cleared = await dashboard(ngo);
    expect(count(cleared, 'registered')).toBe(count(before, 'registered'));
    expect(count(cleared, 'cleared')).toBe(count(before, 'cleared') + 1);
    await step(ngo, 'dispatched');
    await step(ngo, 'queued-at-crossing');
    await step(monitor, 'screened');
    const after = await dashboard(ngo);
    const today = (d: Dashboard) => d.crossings.find((x) => x.name === 'Rafah')!.days.at(-1)!;
    expect(today(after).trucks).toBe(today(before).trucks + 7);
    expect(after.trucksPerDay.at(-1)!.trucks).toBe(before.trucksPerDay.at(-1)!.trucks + 7);
    // Items in different units share the consignment's tonnes equally.
    const cat = (d: Dashboard, k: string) => d.tonnesByCategory.find((x) => x.category === k)!.tonnes;
    close(cat(after, 'water'), cat(before, 'water') + 15);
    close(cat(after, 'shelter'), cat(before, 'shelter') + 15);
    expect(after.funnel.find((f) => f.state === 'screened')!.reached).toBe(
      before.funnel.find((f) => f.state === 'screened')!.reached + 1,
    );
    const board = (await ngo.get('/api/v1/aid/crossings')).json<{ crossings: BoardCrossing[] }>();
    expect(board.crossings.find((x) => x.name === 'Rafah')!.today.trucks).toBe(today(after).trucks);
  });

  it('counts overdue answers the viewer may see', async () => {
    const insert = (marking: { classification: number; releasable_to: string[] }, due: string) =>
      s.database.db.asSystem((tx) =>
        sql`INSERT INTO aid_notifications (kind, title, priority, notice_only, organisation_id, geometry, bbox,
            window_start, parties, state, submitted_at, transmitted_at, answer_due_at, classification, releasable_to)
          SELECT 'movement', 'Test movement', 'routine', false, id, '{"type":"Point","coordinates":[34.3,31.3]}',
            box(point(34.3, 31.3), point(34.3, 31.3)), now() + interval '2 days', '{ISR}', 'transmitted',
            now() - interval '3 days', now() - interval '3 days', ${due}::timestamptz, ${marking.classification}, ${marking.releasable_to}
          FROM organisations WHERE code = 'MEDRELIEF'`.execute(tx),
      );
    const before = await dashboard(ngo);
    const usaBefore = await dashboard(monitor);
    await insert(
      { classification: 0, releasable_to: ['ALL'] },
      new Date(Date.now() - 3_600_000).toISOString(),
    );
    await insert(
      { classification: 1, releasable_to: ['USA'] },
      new Date(Date.now() - 7_200_000).toISOString(),
    );
    await insert(
      { classification: 0, releasable_to: ['ALL'] },
      new Date(Date.now() + 3_600_000).toISOString(),
    );
    const after = await dashboard(ngo);
    const usaAfter = await dashboard(monitor);
    expect(after.overdueAnswers.count).toBe(before.overdueAnswers.count + 1);
    expect(usaAfter.overdueAnswers.count).toBe(usaBefore.overdueAnswers.count + 2);
    expect(after.markingText).toBe('UNCLASSIFIED//REL TO ALL');
    expect(usaAfter.overdueAnswers.oldestDueAt).not.toBeNull();
  });

  it('refuses a bad window', async () => {
    for (const q of ['days=0', 'days=91', 'days=abc', 'days=1.5']) {
      const r = await ngo.get(`/api/v1/aid/dashboard?${q}`);
      expect(r.statusCode, q).toBe(400);
    }
    expect((await dashboard(ngo, 1)).days).toHaveLength(1);
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/aid/dashboard' })).statusCode).toBe(401);
  });
});
