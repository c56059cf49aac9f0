import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsignmentInput } from '../../src/domain/consignments.js';
import type { Marking } from '../../src/domain/marking.js';
import type { ConsignmentDetail, ConvoyFeature } from '../../src/server/modules/consignments/index.js';
import type { BoardCrossing, Notice } from '../../src/server/modules/crossings/index.js';
import { LiveClient } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const COALITION: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] };

let s: TestServer;
let ngo: Client;
let un: Client;
let monitor: Client;
let admin: Client;
let viewer: Client;
let crossings: Record<string, BoardCrossing>;

beforeAll(async () => {
  s = await startTestServer();
  [ngo, un, monitor, admin, viewer] = await Promise.all([
    Client.login(s.app, 'ngo.field'),
    Client.login(s.app, 'un.logistics'),
    Client.login(s.app, 'usa.monitor'),
    Client.login(s.app, 'admin'),
    Client.login(s.app, 'can.viewer'),
  ]);
  const board = (await ngo.get('/api/v1/aid/crossings')).json<{ crossings: BoardCrossing[] }>();
  crossings = Object.fromEntries(board.crossings.map((c) => [c.name, c]));
});
afterAll(() => s?.close());

const input = (crossing: string, over: Partial<ConsignmentInput> = {}): ConsignmentInput => ({
  crossingId: crossings[crossing]!.id,
  items: [
    { category: 'food', description: 'Food parcels', quantity: 1200, unit: 'parcels' },
    { category: 'health', description: 'Trauma kits', quantity: 40, unit: 'kits' },
  ],
  pallets: 66,
  tonnes: 42.5,
  trucks: 3,
  marking: ALL,
  ...over,
});

async function register(c: Client, body: ConsignmentInput): Promise<ConsignmentDetail> {
  const r = await c.post('/api/v1/aid/consignments', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json<ConsignmentDetail>();
}

async function move(c: Client, id: string, to: string, version: number, reason?: string) {
  return c.post(`/api/v1/aid/consignments/${id}/state`, { to, version, ...(reason ? { reason } : {}) });
}

async function walk(c: Client, id: string, steps: string[], from: number): Promise<number> {
  let v = from;
  for (const to of steps) {
    const r = await move(c, id, to, v);
    expect(r.statusCode, `${to}: ${r.body}`).toBe(200);
    v = r.json<ConsignmentDetail>().version;
  }
  return v;
}

describe('OpenAPI', () => {
  it('documents the aid routes', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(r.statusCode).toBe(200);
    const paths = Object.keys(r.json<{ paths: Record<string, unknown> }>().paths);
    for (const p of [
      '/api/v1/aid/crossings',
      '/api/v1/aid/crossings/{id}/status',
      '/api/v1/aid/crossings/{id}/counts',
      '/api/v1/aid/notices',
      '/api/v1/aid/consignments',
      '/api/v1/aid/consignments/{id}/state',
      '/api/v1/aid/convoys',
      '/api/v1/aid/convoys/{id}',
      '/api/v1/aid/reconciliation',
      '/api/v1/aid/dashboard',
    ])
      expect(paths).toContain(p);
  });
});

describe('crossings board (demo)', () => {
  it('shows the five demo crossings with targets summing to 600 and Zikim restricted', async () => {
    expect(Object.keys(crossings).sort()).toEqual(['Erez', 'Kerem Shalom', 'Kissufim', 'Rafah', 'Zikim']);
    expect(Object.values(crossings).reduce((n, c) => n + c.dailyTruckTarget, 0)).toBe(600);
    expect(crossings.Zikim).toMatchObject({ status: 'restricted', opensAt: '07:00', closesAt: '15:00' });
    expect(crossings.Zikim!.reason).toBeTruthy();
    for (const c of Object.values(crossings)) {
      expect(c.last7Days).toHaveLength(7);
      expect(c.today).toEqual(c.last7Days.at(-1));
      expect(c.today.targetTrucks).toBe(c.dailyTruckTarget);
    }
    const week = Object.values(crossings).flatMap((c) => c.last7Days);
    expect(week.some((d) => d.trucks > 0)).toBe(true);
  });
});

describe('consignments', () => {
  it('walks the machine: who may move, reasons, versions and history', async () => {
    const c = await register(ngo, input('Kerem Shalom'));
    expect(c).toMatchObject({
      state: 'registered',
      version: 1,
      requestingOrganisation: { code: 'MEDRELIEF' },
      crossing: { name: 'Kerem Shalom' },
      allowedNext: [],
      markingText: 'UNCLASSIFIED//REL TO ALL',
    });
    expect(c.items).toHaveLength(2);
    expect(c.history).toEqual([
      expect.objectContaining({ from: null, to: 'registered', actor: 'ngo.field' }),
    ]);

    // The organisation cannot clear its own consignment; the centre can.
    const self = await move(ngo, c.id, 'cleared', 1);
    expect(self.statusCode).toBe(403);
    expect(self.json()).toMatchObject({ code: 'forbidden' });
    const seen = (await monitor.get(`/api/v1/aid/consignments/${c.id}`)).json<ConsignmentDetail>();
    expect(seen.allowedNext).toEqual(['cleared', 'partially-cleared', 'rejected']);

    const noReason = await move(monitor, c.id, 'partially-cleared', 1);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ code: 'reason-required', field: 'reason' });
    const blank = await move(monitor, c.id, 'rejected', 1, '   ');
    expect(blank.json()).toMatchObject({ code: 'reason-required' });

    const stale = await move(monitor, c.id, 'cleared', 2);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict', currentVersion: 1, state: 'registered' });

    const skip = await move(monitor, c.id, 'delivered', 1);
    expect(skip.statusCode).toBe(409);
    expect(skip.json()).toMatchObject({ code: 'invalid-transition', state: 'registered' });

    let v = await walk(monitor, c.id, ['cleared'], 1);
    expect(v).toBe(2);
    // Another humanitarian organisation cannot report this one's journey; a viewer cannot act at all.
    expect((await move(un, c.id, 'dispatched', v)).statusCode).toBe(403);
    expect((await move(viewer, c.id, 'dispatched', v)).statusCode).toBe(403);
    v = await walk(ngo, c.id, ['dispatched', 'queued-at-crossing'], v);
    expect((await move(ngo, c.id, 'screened', v)).statusCode).toBe(403);
    v = await walk(monitor, c.id, ['screened', 'offloaded'], v);
    v = await walk(ngo, c.id, ['collected', 'in-transit'], v);
    const partial = await move(ngo, c.id, 'partially-received', v);
    expect(partial.json()).toMatchObject({ code: 'reason-required' });
    const done = await move(ngo, c.id, 'partially-received', v, '2 pallets damaged');
    expect(done.statusCode, done.body).toBe(200);
    const end = done.json<ConsignmentDetail>();
    expect(end).toMatchObject({ state: 'partially-received', stateReason: '2 pallets damaged', version: 9 });
    expect(end.allowedNext).toEqual([]);
    expect(end.history.map((h) => h.to)).toEqual([
      'registered',
      'cleared',
      'dispatched',
      'queued-at-crossing',
      'screened',
      'offloaded',
      'collected',
      'in-transit',
      'partially-received',
    ]);
    expect(end.history.map((h) => h.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(end.history.at(-1)).toMatchObject({ actor: 'ngo.field', reason: '2 pallets damaged' });
    expect(new Date(end.stateAt).getTime()).toBeGreaterThan(new Date(end.createdAt).getTime());
    expect((await move(monitor, c.id, 'delivered', 9)).statusCode).toBe(409);
  });

  it("lists with filters, and registering needs aid:notify and one's own organisation", async () => {
    const mine = await register(ngo, input('Rafah', { reference: 'MR-RAFAH-1' }));
    const list = (
      await ngo.get(
        `/api/v1/aid/consignments?state=registered&crossing=${crossings.Rafah!.id}&organisation=MEDRELIEF`,
      )
    ).json<{ consignments: ConsignmentDetail[] }>();
    expect(list.consignments.map((c) => c.id)).toContain(mine.id);
    expect(list.consignments.every((c) => c.state === 'registered' && c.crossing.name === 'Rafah')).toBe(
      true,
    );
    const none = (
      await ngo.get(
        `/api/v1/aid/consignments?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      )
    ).json<{ consignments: unknown[] }>();
    expect(none.consignments).toEqual([]);

    expect((await monitor.post('/api/v1/aid/consignments', input('Rafah'))).statusCode).toBe(403);
    const other = await ngo.post(
      '/api/v1/aid/consignments',
      input('Rafah', { requestingOrganisation: 'WFP' }),
    );
    expect(other.statusCode).toBe(403);
    const forWfp = await register(admin, input('Rafah', { requestingOrganisation: 'WFP' }));
    expect(forWfp.requestingOrganisation.code).toBe('WFP');
    const above = await ngo.post('/api/v1/aid/consignments', input('Rafah', { marking: COALITION }));
    expect(above.statusCode).toBe(403);
  });

  it('answers bad input with 400 and what is wrong', async () => {
    const cases: unknown[] = [
      { ...input('Rafah'), items: [] },
      { ...input('Rafah'), items: [{ category: 'weapons', description: 'x', quantity: 1, unit: 'u' }] },
      { ...input('Rafah'), items: [{ category: 'food', description: 'x', quantity: 0, unit: 'u' }] },
      { ...input('Rafah'), trucks: -1 },
      { ...input('Rafah'), crossingId: 'not-a-uuid' },
      { ...input('Rafah'), extra: true },
      { ...input('Rafah'), marking: { classification: 'TOP', releasableTo: ['ALL'] } },
    ];
    for (const body of cases) {
      const r = await ngo.post('/api/v1/aid/consignments', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    const unknown = await ngo.post(
      '/api/v1/aid/consignments',
      input('Rafah', { crossingId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: 'crossingId' });
    expect((await ngo.get('/api/v1/aid/consignments?state=lost')).statusCode).toBe(400);
    expect((await ngo.get('/api/v1/aid/consignments/nope')).statusCode).toBe(400);
    expect((await ngo.get('/api/v1/aid/consignments/00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      404,
    );
    const c = await register(ngo, input('Rafah'));
    expect((await move(monitor, c.id, 'lost', 1)).statusCode).toBe(400);
    expect((await monitor.post(`/api/v1/aid/consignments/${c.id}/state`, { to: 'cleared' })).statusCode).toBe(
      400,
    );
  });

  it('keeps RESTRICTED consignments from ngo.field and the UN user', async () => {
    const hidden = await register(
      admin,
      input('Kissufim', { marking: COALITION, requestingOrganisation: 'MEDRELIEF' }),
    );
    expect(hidden.markingText).toBe('RESTRICTED//REL TO USA, GBR');
    expect((await ngo.get(`/api/v1/aid/consignments/${hidden.id}`)).statusCode).toBe(404);
    expect((await un.get(`/api/v1/aid/consignments/${hidden.id}`)).statusCode).toBe(404);
    expect((await move(ngo, hidden.id, 'dispatched', 1)).statusCode).toBe(404);
    for (const c of [ngo, un]) {
      const list = (await c.get('/api/v1/aid/consignments?limit=1000')).json<{
        consignments: ConsignmentDetail[];
        markingText: string;
      }>();
      expect(list.consignments.some((x) => x.id === hidden.id)).toBe(false);
      expect(list.consignments.every((x) => x.marking.classification === 'UNCLASSIFIED')).toBe(true);
    }
    const usa = (await monitor.get('/api/v1/aid/consignments?limit=1000')).json<{
      consignments: ConsignmentDetail[];
      markingText: string;
    }>();
    expect(usa.consignments.some((x) => x.id === hidden.id)).toBe(true);
    expect(usa.markingText).toBe('RESTRICTED//REL TO USA, GBR');
  });
});

describe('crossing status and notices', () => {
  it('a closure tells the owners of affected consignments only, as far as they may see them', async () => {
    const erez = crossings.Erez!;
    const a = await register(ngo, input('Erez', { reference: 'NGO-EREZ' }));
    const b = await register(un, input('Erez', { reference: 'UN-EREZ' }));
    const hidden = await register(
      admin,
      input('Erez', { marking: COALITION, requestingOrganisation: 'MEDRELIEF' }),
    );
    const elsewhere = await register(ngo, input('Kerem Shalom'));
    // One consignment of the organisation already crossed: it is not affected.
    const crossed = await register(ngo, input('Erez', { reference: 'NGO-EREZ-CROSSED' }));
    let v = await walk(monitor, crossed.id, ['cleared'], 1);
    v = await walk(ngo, crossed.id, ['dispatched', 'queued-at-crossing'], v);
    await walk(monitor, crossed.id, ['screened'], v);

    const status = (body: unknown, c = monitor) => c.post(`/api/v1/aid/crossings/${erez.id}/status`, body);
    expect((await status({ version: erez.version, status: 'closed' })).json()).toMatchObject({
      code: 'reason-required',
    });
    expect((await status({ version: erez.version, status: 'closed', reason: 'x' }, ngo)).statusCode).toBe(
      403,
    );
    expect((await status({ version: erez.version + 1, status: 'closed', reason: 'x' })).statusCode).toBe(409);
    expect((await status({ version: erez.version, status: 'shut', reason: 'x' })).statusCode).toBe(400);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const closed = await status({
      version: erez.version,
      status: 'closed',
      reason: 'Security incident nearby',
      until,
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().properties).toMatchObject({
      status: 'closed',
      reason: 'Security incident nearby',
      until,
    });

    const noticesOf = async (c: Client) =>
      (await c.get('/api/v1/aid/notices'))
        .json<{ notices: Notice[] }>()
        .notices.filter((n) => n.crossing.id === erez.id);
    const mine = [a.id, b.id, hidden.id, elsewhere.id, crossed.id];
    const ngoNotices = (await noticesOf(ngo)).filter((n) => mine.includes(n.consignment.id));
    expect(ngoNotices.map((n) => n.consignment.id)).toEqual([a.id]);
    expect(ngoNotices[0]).toMatchObject({ organisation: 'MEDRELIEF', status: 'closed', until });
    expect(ngoNotices[0]!.summary).toContain('Erez is closed: Security incident nearby');
    const unNotices = (await noticesOf(un)).filter((n) => mine.includes(n.consignment.id));
    expect(unNotices.map((n) => n.consignment.id)).toEqual([b.id]);
    expect((await noticesOf(monitor)).length).toBe(0);

    // The hidden consignment's owner was told, but under its marking: MEDRELIEF may not read it.
    const stored = await s.database.db.asSystem((tx) =>
      sql<{ consignment_id: string; classification: number }>`
        SELECT consignment_id, classification FROM aid_notices WHERE consignment_id = ${hidden.id}`.execute(
        tx,
      ),
    );
    expect(stored.rows).toEqual([{ consignment_id: hidden.id, classification: 1 }]);
    const events = await s.database.db.asSystem((tx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE layer = 'aid-notices'
        AND payload->'consignment'->>'id' = ANY(${[a.id, b.id, hidden.id]}::text[])`.execute(tx),
    );
    expect(events.rows[0]!.n).toBe(3);

    const detail = (await ngo.get(`/api/v1/aid/crossings/${erez.id}`)).json<{
      history: { status: string; actor: string }[];
    }>();
    expect(detail.history[0]).toMatchObject({ status: 'closed', actor: 'usa.monitor' });
    // Reopening tells nobody.
    const reopened = await status({ version: erez.version + 1, status: 'open' });
    expect(reopened.json().properties).toMatchObject({ status: 'open', reason: null, until: null });
    expect((await noticesOf(ngo)).filter((n) => mine.includes(n.consignment.id))).toHaveLength(1);
  });
});

describe('live layers', () => {
  it('sends crossing status, notices and consignments to those who may see them', async () => {
    const base = await s.listen();
    const layers = ['crossings', 'aid-notices', 'convoys', 'consignments'];
    const ngoLive = await LiveClient.subscribed(base, { cookie: ngo.sessionCookie }, { layers });
    const unLive = await LiveClient.subscribed(base, { cookie: un.sessionCookie }, { layers });
    try {
      const snap = await ngoLive.waitFor('snapshot', (m) => m.layer === 'crossings');
      expect(snap.msg.features).toHaveLength(5);
      const kissufim = (await ngo.get(`/api/v1/aid/crossings/${crossings.Kissufim!.id}`)).json<{
        properties: { version: number };
      }>();
      const mine = await register(ngo, input('Kissufim'));
      const hidden = await register(
        admin,
        input('Kissufim', { marking: COALITION, requestingOrganisation: 'MEDRELIEF' }),
      );
      await ngoLive.waitFor('upsert', (m) => m.layer === 'consignments' && m.id === mine.id);
      const r = await monitor.post(`/api/v1/aid/crossings/${crossings.Kissufim!.id}/status`, {
        version: kissufim.properties.version,
        status: 'restricted',
        reason: 'Scanner out of order',
      });
      expect(r.statusCode, r.body).toBe(200);
      await ngoLive.waitFor('upsert', (m) => m.layer === 'crossings' && m.id === crossings.Kissufim!.id);
      const notice = await ngoLive.waitFor(
        'upsert',
        (m) => m.layer === 'aid-notices' && (m.feature as Notice).consignment.id === mine.id,
      );
      expect((notice.msg.feature as Notice).status).toBe('restricted');
      await unLive.waitFor('upsert', (m) => m.layer === 'crossings' && m.id === crossings.Kissufim!.id);
      const seen = [...ngoLive.messages, ...unLive.messages].filter(
        (m) => m.type === 'upsert' && JSON.stringify(m).includes(hidden.id),
      );
      expect(seen).toEqual([]);
    } finally {
      await Promise.all([ngoLive.close(), unLive.close()]);
    }
  });
});

describe('convoys', () => {
  it("groups consignments and sits at its live track's position", async () => {
    const uid = `test-convoy-${Date.now()}`;
    const rep = await ngo.post('/api/v1/tracks/reports', [
      {
        uid,
        observedAt: new Date().toISOString(),
        lat: 31.35,
        lon: 34.31,
        kind: 'convoy',
        callsign: 'MR CONVOY',
      },
    ]);
    expect(rep.statusCode, rep.body).toBe(202);
    const c1 = await register(ngo, input('Kerem Shalom'));
    const c2 = await register(ngo, input('Kerem Shalom'));
    const theirs = await register(un, input('Kerem Shalom'));

    const bad = await ngo.post('/api/v1/aid/convoys', {
      name: 'x',
      consignmentIds: [c1.id],
      notificationId: '00000000-0000-4000-8000-000000000000',
      marking: ALL,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'notificationId' });
    const foreign = await ngo.post('/api/v1/aid/convoys', {
      name: 'x',
      consignmentIds: [theirs.id],
      marking: ALL,
    });
    expect(foreign.statusCode).toBe(403);
    expect(
      (await ngo.post('/api/v1/aid/convoys', { name: '', consignmentIds: [], marking: ALL })).statusCode,
    ).toBe(400);

    const r = await ngo.post('/api/v1/aid/convoys', {
      name: 'MedRelief convoy A',
      consignmentIds: [c1.id, c2.id],
      trackUid: uid,
      marking: ALL,
    });
    expect(r.statusCode, r.body).toBe(201);
    const convoy = r.json<ConvoyFeature>();
    expect(convoy.geometry).toEqual({ type: 'Point', coordinates: [34.31, 31.35] });
    expect(convoy.properties).toMatchObject({
      name: 'MedRelief convoy A',
      organisation: 'MEDRELIEF',
      trackUid: uid,
      trucks: 6,
      track: { callsign: 'MR CONVOY' },
    });
    expect(convoy.properties.consignments.map((c) => c.id).sort()).toEqual([c1.id, c2.id].sort());
    const again = await ngo.post('/api/v1/aid/convoys', { name: 'y', consignmentIds: [c1.id], marking: ALL });
    expect(again.statusCode).toBe(409);

    const fc = (await ngo.get('/api/v1/aid/convoys')).json<{ type: string; features: ConvoyFeature[] }>();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.find((f) => f.id === convoy.id)?.geometry?.coordinates).toEqual([34.31, 31.35]);
    // The track is released to MEDRELIEF only: others see the convoy, not where it is.
    const other = (await un.get(`/api/v1/aid/convoys/${convoy.id}`)).json<ConvoyFeature>();
    expect(other.geometry).toBeNull();
    expect(other.properties.track).toBeNull();
    // The live payload goes to everyone who may see the convoy: no position in it either.
    const ev = await s.database.db.asSystem((tx) =>
      sql<{ payload: ConvoyFeature }>`SELECT payload FROM events WHERE layer = 'convoys'
        AND entity_id = ${convoy.id} ORDER BY id DESC LIMIT 1`.execute(tx),
    );
    expect(ev.rows[0]!.payload.geometry).toBeNull();
    expect(ev.rows[0]!.payload.properties.consignments).toHaveLength(2);

    // The convoy's consignments changed (version), and a move republishes the convoy.
    const moved = (await monitor.get(`/api/v1/aid/consignments/${c1.id}`)).json<ConsignmentDetail>();
    expect(moved).toMatchObject({ convoyId: convoy.id, version: 2 });
    expect((await move(monitor, c1.id, 'cleared', 2)).statusCode).toBe(200);
    const last = await s.database.db.asSystem((tx) =>
      sql<{ payload: ConvoyFeature }>`SELECT payload FROM events WHERE layer = 'convoys'
        AND entity_id = ${convoy.id} ORDER BY id DESC LIMIT 1`.execute(tx),
    );
    expect(last.rows[0]!.payload.properties.consignments.find((c) => c.id === c1.id)?.state).toBe('cleared');

    const demo = fc.features.filter((f) => f.properties.trackUid?.startsWith('demo-convoy'));
    expect(demo).toHaveLength(2);

    // Changing it: its organisation or the centre, at the version seen.
    const patch = (c: Client, body: unknown) => c.patch(`/api/v1/aid/convoys/${convoy.id}`, body);
    expect((await patch(un, { version: 1, name: 'x' })).statusCode).toBe(403);
    expect((await patch(ngo, { version: 7, name: 'x' })).statusCode).toBe(409);
    expect((await patch(ngo, { version: 1, trackUid: 'bad uid!' })).statusCode).toBe(400);
    expect((await patch(ngo, { version: 1, consignmentIds: [theirs.id] })).statusCode).toBe(403);
    const changed = await patch(ngo, {
      version: 1,
      name: 'Convoy A (split)',
      consignmentIds: [c1.id],
      trackUid: null,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const after = changed.json<ConvoyFeature>();
    expect(after.geometry).toBeNull();
    expect(after.properties).toMatchObject({
      name: 'Convoy A (split)',
      trackUid: null,
      version: 2,
      trucks: 3,
    });
    expect(after.properties.consignments.map((c) => c.id)).toEqual([c1.id]);
    const left = (await ngo.get(`/api/v1/aid/consignments/${c2.id}`)).json<ConsignmentDetail>();
    expect(left.convoyId).toBeNull();
    const back = await patch(monitor, { version: 2, consignmentIds: [c1.id, c2.id], trackUid: uid });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json<ConvoyFeature>().properties.consignments).toHaveLength(2);
  });
});

describe('whatever a client sends', () => {
  it('answers a 4xx problem, never a 500', async () => {
    const c = await register(admin, input('Rafah'));
    const near = fc.record(
      {
        crossingId: fc.oneof(fc.constant(crossings.Rafah!.id), fc.uuid(), fc.string()),
        items: fc.oneof(
          fc.array(
            fc.record(
              {
                category: fc.oneof(fc.constant('food'), fc.string()),
                description: fc.string(),
                quantity: fc.oneof(fc.double(), fc.integer()),
                unit: fc.string(),
                dualUse: fc.anything(),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 3 },
          ),
          fc.anything(),
        ),
        pallets: fc.oneof(fc.integer(), fc.double(), fc.anything()),
        tonnes: fc.oneof(fc.double(), fc.anything()),
        trucks: fc.oneof(fc.integer({ min: -5, max: 20_000 }), fc.anything()),
        requestingOrganisation: fc.oneof(fc.constantFrom('WFP', 'NOPE-ORG', 'lower'), fc.string()),
        marking: fc.oneof(fc.constant(ALL), fc.constant(COALITION), fc.anything()),
      },
      { requiredKeys: [] },
    );
    const targets: [string, 'POST' | 'PUT', fc.Arbitrary<unknown>][] = [
      ['/api/v1/aid/consignments', 'POST', fc.oneof(near, fc.anything())],
      [
        `/api/v1/aid/consignments/${c.id}/state`,
        'POST',
        fc.oneof(
          fc.record({ to: fc.string(), version: fc.anything(), reason: fc.anything() }, { requiredKeys: [] }),
          fc.anything(),
        ),
      ],
      [
        '/api/v1/aid/convoys',
        'POST',
        fc.oneof(
          fc.record(
            {
              name: fc.string(),
              consignmentIds: fc.array(fc.oneof(fc.uuid(), fc.string()), { maxLength: 3 }),
              trackUid: fc.string(),
              marking: fc.constant(ALL),
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
      ],
      [
        `/api/v1/aid/crossings/${crossings.Rafah!.id}/counts`,
        'PUT',
        fc.oneof(
          fc.record(
            {
              day: fc.oneof(
                fc.string(),
                fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
              ),
              figures: fc.anything(),
              marking: fc.constant(ALL),
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
      ],
      [
        `/api/v1/aid/crossings/${crossings.Rafah!.id}/status`,
        'POST',
        fc.oneof(
          fc.record(
            {
              version: fc.anything(),
              status: fc.constantFrom('open', 'closed', 'x'),
              reason: fc.anything(),
              until: fc.string(),
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
      ],
    ];
    for (const [url, method, body] of targets)
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const r = await admin.request(method, url, b === undefined ? null : b);
          expect(r.statusCode, `${url} ${r.body}`).toBeLessThan(500);
          if (r.statusCode >= 400) expect(r.headers['content-type']).toContain('application/problem+json');
        }),
        { numRuns: 60 },
      );
  });
});
