import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Marking } from '../../src/domain/marking.js';
import type { RejectedReport } from '../../src/domain/position-reports.js';
import type { TrackFeature, TrackPositionFeature } from '../../src/domain/tracks.js';
import { type BuiltApp, buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { squareZone } from '../support/fixtures.js';
import { LiveClient, sleep } from '../support/live-client.js';
import { Client } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const USA_ONLY: Marking = { classification: 'RESTRICTED', releasableTo: ['USA'] };

type Accepted = { accepted: number; rejected: RejectedReport[] };
type TrackList = { features: TrackFeature[]; markingText: string };
type History = { uid: string; features: TrackPositionFeature[]; truncated: boolean };

let database: TestDatabase;
let built: BuiltApp;
let base: string;
let usa: Client;
let gbr: Client;
let ngo: Client;
const sockets: LiveClient[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  // A short sweep interval so that the stale-expiry test need not wait five seconds.
  built = await buildApp(
    loadConfig({ NODE_ENV: 'test' }, { webDir: '/nonexistent' }),
    database.db,
    pino({ level: process.env.TEST_LOG ?? 'silent' }),
    undefined,
    { trackSweepMs: 100 },
  );
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const a = built.app.server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  [usa, gbr, ngo] = await Promise.all([
    Client.login(built.app, 'usa.planner'),
    Client.login(built.app, 'gbr.planner'),
    Client.login(built.app, 'ngo.field'),
  ]);
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await built.app.close();
  await database.drop();
});

let seq = 0;
/** A uid no other test (or run) uses. */
const uid = (what: string) => `t-${what}-${process.pid}-${++seq}`;
const iso = (ms: number) => new Date(ms).toISOString();
const report = (id: string, over: Record<string, unknown> = {}) => ({
  uid: id,
  observedAt: iso(Date.now()),
  lat: 31.4,
  lon: 34.4,
  ...over,
});
const point = (coordinates: number[], properties: Record<string, unknown>) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates },
  properties,
});
const square = squareZone('footprint', ALL, 34.3, 31.3, 0.01).geometry as { coordinates: number[][][] };
const post = (c: Client, body: unknown) => c.post('/api/v1/tracks/reports', body);
const list = async (c: Client, q = '') => (await c.get(`/api/v1/tracks${q}`)).json<TrackList>();
const uids = async (c: Client, q = '') => (await list(c, q)).features.map((f) => f.id);
const live = async (c: Client) => {
  const l = await LiveClient.subscribed(base, { cookie: c.sessionCookie }, { layers: ['tracks'] });
  sockets.push(l);
  return l;
};
const track = async (c: Client, id: string) => (await c.get(`/api/v1/tracks/${id}`)).json<TrackFeature>();
const history = async (c: Client, id: string, q = '') =>
  (await c.get(`/api/v1/tracks/${id}/history${q}`)).json<History>();
const OTHER = { path: 'uid', message: 'uid belongs to another organisation' };

describe('tracks: ingest', () => {
  it('stores the good reports of a JSON array and names the problem of each bad one', async () => {
    const good1 = uid('good');
    const good2 = uid('good');
    const now = Date.now();
    const r = await post(usa, [
      report(good1, { alt: 120, course: 90, speed: 12.5, accuracy: 8 }),
      report(uid('bad'), { lat: 95 }),
      { uid: uid('bad'), lat: 31.4, lon: 34.4 },
      report(uid('bad'), {
        footprint: { type: 'Polygon', coordinates: [square.coordinates[0]!.slice(0, 3)] },
      }),
      report(uid('bad'), { marking: { classification: 'RESTRICTED', releasableTo: ['GBR'] } }),
      report('has spaces'),
      report(uid('bad'), { staleAt: iso(now - 1000) }),
      report(uid('bad'), { observedAt: iso(now + 3_600_000) }),
      report(uid('bad'), { colour: 'red' }),
      report(good2, { kind: 'uav', affiliation: 'friend', callsign: 'REAPER 1', marking: USA_ONLY }),
    ]);
    expect(r.statusCode, r.body).toBe(202);
    const body = r.json<Accepted>();
    expect(body.accepted).toBe(2);
    const why = body.rejected.map((x) => [
      x.index,
      x.problems.map((p) => `${p.path}: ${p.message}`).join('; '),
    ]);
    expect(why).toEqual([
      [1, 'lat: must be <= 90'],
      [2, 'observedAt: is required'],
      [3, expect.stringContaining('footprint.coordinates[0]: a linear ring needs at least 4 positions')],
      [
        4,
        expect.stringMatching(/^marking: RESTRICTED\/\/REL TO GBR is above your clearance or not released/),
      ],
      [5, expect.stringContaining('uid: must match pattern')],
      [6, 'staleAt: must be after observedAt'],
      [7, 'observedAt: is more than 5 minutes in the future'],
      [8, 'colour: is not a known field'],
    ]);
    expect(body.rejected.find((x) => x.index === 5)?.uid).toBe('has spaces');

    const features = (await list(usa)).features;
    const a = features.find((f) => f.id === good1)!;
    expect(a.geometry).toEqual({ type: 'Point', coordinates: [34.4, 31.4] });
    expect(a.properties).toMatchObject({
      uid: good1,
      kind: 'unit',
      affiliation: 'unknown',
      sidc: 'SUGPU----------',
      callsign: good1,
      organisation: 'USA-CMCC',
      alt: 120,
      course: 90,
      speed: 12.5,
      accuracy: 8,
      footprint: null,
      marking: { classification: 'UNCLASSIFIED', releasableTo: ['USA'] },
      markingText: 'UNCLASSIFIED//REL TO USA',
    });
    expect(Date.parse(a.properties.staleAt) - Date.parse(a.properties.observedAt)).toBe(5 * 60_000);
    const b = features.find((f) => f.id === good2)!;
    expect(b.properties).toMatchObject({ kind: 'uav', sidc: 'SFAPMFQ--------', callsign: 'REAPER 1' });
    expect(b.properties.markingText).toBe('RESTRICTED//REL TO USA');
  });

  it('takes a GeoJSON FeatureCollection of points, properties holding the other fields', async () => {
    const good = uid('geo');
    const fromId = uid('geo');
    const r = await usa.request(
      'POST',
      '/api/v1/tracks/reports',
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          point([34.3, 31.3, 2500], {
            uid: good,
            observedAt: iso(Date.now()),
            kind: 'aircraft',
            affiliation: 'friend',
            footprint: square,
            name: 'extra properties are ignored',
          }),
          { ...point([34.31, 31.31], { observedAt: iso(Date.now()) }), id: fromId },
          { ...point([34, 31], { uid: uid('bad'), observedAt: iso(Date.now()) }), geometry: square },
          point([34.3, 31.3], { uid: uid('bad') }),
          point([34.3, 95], { uid: uid('bad'), observedAt: iso(Date.now()) }),
          { type: 'Nonsense' },
        ],
      }),
      { 'content-type': 'application/geo+json' },
    );
    expect(r.statusCode, r.body).toBe(202);
    const body = r.json<Accepted>();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((x) => [x.index, x.problems[0]!.path])).toEqual([
      [2, 'geometry'],
      [3, 'properties.observedAt'],
      [4, 'geometry.coordinates'],
      [5, 'feature'],
    ]);
    const got = await track(usa, good);
    expect(got.properties).toMatchObject({
      alt: 2500,
      kind: 'aircraft',
      sidc: 'SFAPMF---------',
      footprint: square,
    });
    expect((await usa.get(`/api/v1/tracks/${fromId}`)).statusCode).toBe(200);

    // What GET answers can be posted back as it is.
    const again = await post(usa, {
      type: 'FeatureCollection',
      features: [{ ...got, properties: { ...got.properties, observedAt: iso(Date.now() + 1) } }],
    });
    expect(again.json<Accepted>()).toEqual({ accepted: 1, rejected: [] });
  });

  it('answers 400 with every error when no report is accepted, and refuses bodies of the wrong shape', async () => {
    const r = await post(usa, [report(uid('bad'), { lat: 'north' }), { nonsense: true }]);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const p = r.json<{ code: string; errors: RejectedReport[] }>();
    expect(p.code).toBe('bad-request');
    expect(p.errors.map((e) => e.index)).toEqual([0, 1]);
    expect((await post(usa, [])).statusCode).toBe(400);
    expect((await post(usa, { type: 'Feature' })).statusCode).toBe(400);
    const tooMany = Array.from({ length: 10_001 }, (_, i) => report(`x${i}`));
    expect((await post(usa, tooMany)).statusCode).toBe(400);
  });

  it('keeps the latest observation as current state, and every distinct one as history', async () => {
    const id = uid('order');
    const t0 = Date.now() - 60_000;
    const at = (s: number) => iso(t0 + s * 1000);
    expect(
      (await post(usa, [report(id, { observedAt: at(20), lat: 31.42, callsign: 'LATE' })])).statusCode,
    ).toBe(202);
    // Older than the stored state: history only; its attributes do not win either.
    const older = await post(usa, [
      report(id, { observedAt: at(10), lat: 31.41, callsign: 'OLD', kind: 'vessel' }),
      report(id, { observedAt: at(5), lat: 31.405 }),
    ]);
    expect(older.json<Accepted>()).toEqual({ accepted: 2, rejected: [] });
    let cur = await track(usa, id);
    expect(cur.properties).toMatchObject({ callsign: 'LATE', kind: 'unit', observedAt: at(20) });
    expect(cur.geometry.coordinates[1]).toBe(31.42);

    // A duplicate (same uid and observedAt) is ignored, in history too, also within one batch;
    // newer reports in one batch are applied in observedAt order whatever their order in the body.
    const c = await live(usa);
    const batch = await post(usa, [
      report(id, { observedAt: at(40), lat: 31.44 }),
      report(id, { observedAt: at(20), lat: 39 }),
      report(id, { observedAt: at(30), lat: 31.43, callsign: 'MID' }),
      report(id, { observedAt: at(40), lat: 31.99 }),
    ]);
    expect(batch.json<Accepted>().accepted).toBe(4);
    cur = await track(usa, id);
    expect(cur.properties).toMatchObject({ callsign: 'MID', observedAt: at(40) });
    expect(cur.geometry.coordinates[1]).toBe(31.44);
    const up = await c.waitFor('upsert', (m) => m.id === id);
    expect((up.msg.feature as TrackFeature).properties.observedAt).toBe(at(40));
    await sleep(300);
    const ups = c.messages.filter((m) => m.type === 'upsert' && m.id === id);
    expect(ups, 'one live update per track and request').toHaveLength(1);

    const hist = await history(usa, id);
    expect(hist.uid).toBe(id);
    expect(hist.features.map((f) => [f.properties.observedAt, f.geometry.coordinates[1]])).toEqual([
      [at(5), 31.405],
      [at(10), 31.41],
      [at(20), 31.42],
      [at(30), 31.43],
      [at(40), 31.44],
    ]);
    const window = await history(usa, id, `?from=${at(10)}&to=${at(30)}&limit=2`);
    expect(window.features.map((f) => f.properties.observedAt)).toEqual([at(10), at(20)]);
    expect(window.truncated).toBe(true);
    expect((await history(usa, id, `?to=${iso(t0 - 3_600_001)}`)).features).toEqual([]);
    expect((await usa.get(`/api/v1/tracks/${id}/history?from=${at(30)}&to=${at(10)}`)).statusCode).toBe(400);
  });

  it('stores moves that repeat an observation already in the history: the repeat once, the new ones too', async () => {
    const id = uid('resent');
    const t0 = Date.now() - 30_000;
    const at = (s: number) => iso(t0 + s * 1000);
    expect((await post(usa, [report(id, { observedAt: at(0), lat: 31.4 })])).statusCode).toBe(202);
    expect((await post(usa, [report(id, { observedAt: at(10), lat: 31.41 })])).statusCode).toBe(202);
    // Mere moves of a known track go by one COPY, which a repeated (uid, observedAt) fails whole.
    const resent = await post(usa, [
      report(id, { observedAt: at(10), lat: 31.41 }),
      report(id, { observedAt: at(20), lat: 31.42 }),
    ]);
    expect(resent.json<Accepted>()).toEqual({ accepted: 2, rejected: [] });
    expect((await track(usa, id)).geometry.coordinates[1]).toBe(31.42);
    const hist = await history(usa, id);
    expect(hist.features.map((f) => [f.properties.observedAt, f.geometry.coordinates[1]])).toEqual([
      [at(0), 31.4],
      [at(10), 31.41],
      [at(20), 31.42],
    ]);
  });

  it('refuses a uid owned by another organisation, and one the reporter may not see, saying no more', async () => {
    const shared = uid('owned');
    const hidden = uid('hidden');
    expect(
      (await post(usa, [report(shared, { marking: ALL }), report(hidden, { marking: USA_ONLY })])).statusCode,
    ).toBe(202);

    const mine = uid('gbr');
    const r = await post(gbr, [report(mine), report(shared, { lat: 31.5 })]);
    expect(r.statusCode).toBe(202);
    expect(r.json<Accepted>()).toEqual({
      accepted: 1,
      rejected: [{ index: 1, uid: shared, problems: [OTHER] }],
    });
    const h = await post(ngo, [report(hidden, { lat: 31.5 })]);
    expect(h.statusCode).toBe(400);
    expect(h.json<{ errors: RejectedReport[] }>().errors).toEqual([
      { index: 0, uid: hidden, problems: [OTHER] },
    ]);
    // Nothing moved.
    expect((await track(usa, shared)).geometry.coordinates[1]).toBe(31.4);
    expect((await track(usa, hidden)).geometry.coordinates[1]).toBe(31.4);
  });

  it('takes concurrent first reports of one new uid without losing any', async () => {
    const id = uid('race');
    const t0 = Date.now() - 10_000;
    const rs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post(usa, [report(id, { observedAt: iso(t0 + i * 1000), lat: 31 + i / 100 })]),
      ),
    );
    expect(rs.map((r) => r.statusCode)).toEqual(Array(6).fill(202));
    expect((await track(usa, id)).properties.observedAt).toBe(iso(t0 + 5000));
    expect((await history(usa, id)).features).toHaveLength(6);
  });

  it('lets every role report except viewer', async () => {
    const viewer = await Client.login(built.app, 'can.viewer');
    const r = await post(viewer, [report(uid('viewer'))]);
    expect(r.statusCode).toBe(403);
    expect(r.json<{ code: string }>().code).toBe('forbidden');
    expect((await viewer.get('/api/v1/tracks')).statusCode).toBe(200);
    const ngoReport = await post(ngo, [report(uid('ngo'))]);
    expect(ngoReport.json<Accepted>().accepted).toBe(1);
    expect((await built.app.inject({ method: 'GET', url: '/api/v1/tracks' })).statusCode).toBe(401);
  });
});

describe('tracks: access and live', () => {
  it('hides a track marked REL USA from ngo.field in list, get, history and live', async () => {
    const secret = uid('usa');
    const open = uid('open');
    const usaLive = await live(usa);
    const ngoLive = await live(ngo);
    await post(usa, [report(secret, { marking: USA_ONLY }), report(open, { marking: ALL })]);
    await usaLive.waitFor('upsert', (m) => m.id === secret);
    await usaLive.waitFor('upsert', (m) => m.id === open);
    await ngoLive.waitFor('upsert', (m) => m.id === open);

    expect(await uids(usa)).toContain(secret);
    const seen = await list(ngo);
    expect(seen.features.map((f) => f.id)).toContain(open);
    expect(seen.features.map((f) => f.id)).not.toContain(secret);
    expect((await ngo.get(`/api/v1/tracks/${secret}`)).statusCode).toBe(404);
    expect((await ngo.get(`/api/v1/tracks/${secret}/history`)).statusCode).toBe(404);
    expect((await history(usa, secret)).features).toHaveLength(1);
    expect(ngoLive.about(secret)).toEqual([]);
    expect(ngoLive.raw.join('\n')).not.toContain(secret);

    // Re-marked REL USA: ngo.field is told the open track is gone, and never sees the new state.
    await post(usa, [report(open, { marking: USA_ONLY, lat: 31.45, observedAt: iso(Date.now() + 1) })]);
    await ngoLive.waitFor('delete', (m) => m.id === open);
    await usaLive.waitFor(
      'upsert',
      (m) => m.id === open && (m.feature as TrackFeature).geometry.coordinates[1] === 31.45,
    );
    expect(ngoLive.raw.join('\n')).not.toContain('31.45');
    expect(await uids(ngo)).not.toContain(open);
    // History is reached through the track: no track, no history.
    expect((await ngo.get(`/api/v1/tracks/${open}/history`)).statusCode).toBe(404);

    // The snapshot of a new subscriber is filtered the same way.
    const later = await live(ngo);
    const snap = later.messages.find((m) => m.type === 'snapshot');
    expect(JSON.stringify(snap)).not.toContain(secret);
  });

  it('filters the list by bbox and leaves stale tracks out unless asked', async () => {
    const inBox = uid('box');
    const outside = uid('box');
    const staleOne = uid('stale');
    const now = Date.now();
    await post(usa, [
      report(inBox, { lat: 31.25, lon: 34.25 }),
      report(outside, { lat: 31.55, lon: 34.5 }),
      report(staleOne, { observedAt: iso(now - 120_000), staleAt: iso(now - 60_000) }),
    ]);
    const boxed = await uids(usa, '?bbox=34.2,31.2,34.3,31.3');
    expect(boxed).toContain(inBox);
    expect(boxed).not.toContain(outside);
    expect((await usa.get('/api/v1/tracks?bbox=34.3,31.2,34.2,31.3')).statusCode).toBe(400);
    expect(await uids(usa)).not.toContain(staleOne);
    expect(await uids(usa, '?includeStale=true')).toContain(staleOne);
    expect((await usa.get(`/api/v1/tracks/${staleOne}`)).statusCode).toBe(200);
  });

  it('tells live clients to drop a track once it goes stale', async () => {
    const id = uid('expire');
    const c = await live(usa);
    const now = Date.now();
    await post(usa, [report(id, { observedAt: iso(now), staleAt: iso(now + 1500) })]);
    const up = await c.waitFor('upsert', (m) => m.id === id);
    const gone = await c.waitFor('delete', (m) => m.id === id, { from: up.index, timeoutMs: 5000 });
    expect(gone.msg.layer).toBe('tracks');
    expect(Date.now()).toBeGreaterThanOrEqual(now + 1500);
    expect(await uids(usa)).not.toContain(id);
    // Refreshed by a new report, it comes back.
    await post(usa, [report(id, { observedAt: iso(Date.now()) })]);
    await c.waitFor('upsert', (m) => m.id === id, { from: gone.index });
  });

  it('sends a delete, not an upsert, for a state that is stale on arrival', async () => {
    const id = uid('late');
    const c = await live(usa);
    const now = Date.now();
    await post(usa, [report(id, { observedAt: iso(now - 30_000) })]);
    const up = await c.waitFor('upsert', (m) => m.id === id);
    await post(usa, [report(id, { observedAt: iso(now - 20_000), staleAt: iso(now - 10_000) })]);
    await c.waitFor('delete', (m) => m.id === id, { from: up.index });
  });
});

describe('tracks: moves on the live feed', () => {
  const liveMoves = async (c: Client, bbox?: [number, number, number, number]) => {
    const l = await LiveClient.subscribed(base, { cookie: c.sessionCookie }, {
      layers: ['tracks'],
      ...(bbox ? { bbox } : {}),
      moves: true,
    } as never);
    sockets.push(l);
    return l;
  };
  const movesOf = (c: LiveClient, id: string) =>
    c.messages.flatMap((m) => (m.type === 'moves' ? m.moves.filter((x) => x[0] === id) : []));

  it('sends a track whole first, then only its moves; whole again when anything but the position changes', async () => {
    const id = uid('moves');
    const c = await liveMoves(usa);
    const plain = await live(usa);
    const t0 = Date.now();
    await post(usa, [report(id, { observedAt: iso(t0), callsign: 'MOVER', course: 10, speed: 5 })]);
    await c.waitFor('upsert', (m) => m.id === id);
    await post(usa, [
      report(id, { observedAt: iso(t0 + 1000), lat: 31.401, lon: 34.402, course: 20, speed: 6 }),
    ]);
    const mv = await c.waitFor('moves', (m) => m.moves.some((x) => x[0] === id));
    const move = mv.msg.moves.find((x) => x[0] === id)!;
    expect(move).toEqual([id, 34.402, 31.401, null, 20, 6, null, t0 + 1000, expect.any(Number)]);
    expect(move[8]).toBeGreaterThan(t0 + 1000);
    // A client that did not ask for moves gets whole features, as before.
    await plain.waitFor('upsert', (m) => m.id === id && (m.feature as TrackFeature).properties.course === 20);
    expect(plain.messages.some((m) => m.type === 'moves')).toBe(false);

    // A new callsign is not a move: the whole feature goes again, then moves resume.
    await post(usa, [report(id, { observedAt: iso(t0 + 2000), callsign: 'RENAMED' })]);
    const whole = await c.waitFor(
      'upsert',
      (m) => m.id === id && (m.feature as TrackFeature).properties.callsign === 'RENAMED',
    );
    await post(usa, [report(id, { observedAt: iso(t0 + 3000), lat: 31.403 })]);
    await c.waitFor('moves', (m) => m.moves.some((x) => x[0] === id && x[2] === 31.403), {
      from: whole.index,
    });
    expect(c.about(id).filter((m) => m.type === 'upsert')).toHaveLength(2);
    expect(movesOf(c, id)).toHaveLength(2);

    // A client subscribing now has the track whole in its snapshot: its next movement is a move.
    const later = await liveMoves(usa);
    const snap = later.messages.find((m) => m.type === 'snapshot');
    expect(JSON.stringify(snap)).toContain('RENAMED');
    await post(usa, [report(id, { observedAt: iso(t0 + 4000), lat: 31.404 })]);
    await later.waitFor('moves', (m) => m.moves.some((x) => x[0] === id && x[2] === 31.404));
    expect(later.about(id)).toEqual([]);
  });

  it('never moves a track the client was not sent, and deletes it when it leaves the bbox', async () => {
    const id = uid('moves-bbox');
    const box: [number, number, number, number] = [34.3, 31.3, 34.5, 31.5];
    const c = await liveMoves(usa, box);
    const ngoC = await liveMoves(ngo);
    const t0 = Date.now();
    // Outside the box first: nothing, then inside: whole, then a move inside, then outside: delete.
    await post(usa, [report(id, { observedAt: iso(t0), lat: 31.1, lon: 34.2, marking: USA_ONLY })]);
    await post(usa, [report(id, { observedAt: iso(t0 + 1000), lat: 31.4, lon: 34.4 })]);
    const up = await c.waitFor('upsert', (m) => m.id === id);
    await post(usa, [report(id, { observedAt: iso(t0 + 2000), lat: 31.41, lon: 34.41 })]);
    await c.waitFor('moves', (m) => m.moves.some((x) => x[0] === id), { from: up.index });
    await post(usa, [report(id, { observedAt: iso(t0 + 3000), lat: 31.6, lon: 34.6 })]);
    await c.waitFor('delete', (m) => m.id === id, { from: up.index });
    expect(movesOf(c, id).map((x) => x[2])).toEqual([31.41]);
    // Back inside: whole again (the client dropped it), not a move.
    await post(usa, [report(id, { observedAt: iso(t0 + 4000), lat: 31.42, lon: 34.42 })]);
    await c.waitFor(
      'upsert',
      (m) => m.id === id && (m.feature as TrackFeature).geometry.coordinates[1] === 31.42,
    );
    expect(movesOf(c, id)).toHaveLength(1);
    // ngo.field may not see it: not a byte about it, moves included.
    await sleep(200);
    expect(ngoC.raw.join('\n')).not.toContain(id);
  });
});
