import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TrackFeature } from '../../src/domain/tracks.js';
import type { Viewer } from '../../src/domain/viewer.js';
import { identitiesStore, toViewer } from '../../src/server/modules/identities/index.js';
import { HistoryKeeper, TrackEngine, tracksService } from '../../src/server/modules/tracks/index.js';
import { LiveClient, sleep } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

let s: TestServer;
let usa: Client;
let token: string;
const sockets: { close(): unknown }[] = [];

beforeAll(async () => {
  s = await startTestServer({ app: { trackSweepMs: 100 } });
  await s.listen();
  usa = await Client.login(s.app, 'usa.planner');
  const t = await usa.post('/api/v1/auth/tokens', { name: 'stream test' });
  token = t.json<{ token: string }>().token;
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await s.close();
});

let seq = 0;
const uid = (what: string) => `e-${what}-${process.pid}-${++seq}`;
const report = (id: string, over: Record<string, unknown> = {}) => ({
  uid: id,
  observedAt: new Date().toISOString(),
  lat: 31.4,
  lon: 34.4,
  ...over,
});
const track = async (id: string) => {
  const r = await usa.get(`/api/v1/tracks/${id}`);
  return r.statusCode === 200 ? r.json<TrackFeature>() : null;
};

/** A WebSocket on /api/v1/tracks/stream that collects the server's replies. */
async function stream(headers: Record<string, string>) {
  const ws = new WebSocket(`${s.baseUrl.replace(/^http/, 'ws')}/api/v1/tracks/stream`, { headers });
  const replies: Record<string, unknown>[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (d) => replies.push(JSON.parse(d.toString()) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  sockets.push(ws);
  const until = async (n: number) => {
    const deadline = Date.now() + 5000;
    while (replies.length < n && Date.now() < deadline) await sleep(10);
    return replies;
  };
  return { ws, replies, until, closed };
}

async function viewerOf(name: string): Promise<Viewer> {
  const row = await identitiesStore.findUserByName(s.database.db.app, name);
  if (!row) throw new Error(`no user ${name}`);
  return toViewer(row);
}

describe('tracks: WebSocket ingest', () => {
  it('answers each message in order: results, per-report errors, invalid JSON; the track goes live', async () => {
    const id = uid('ws');
    const live = await LiveClient.subscribed(s.baseUrl, { token }, { layers: ['tracks'] });
    sockets.push(live);
    const c = await stream({ authorization: `Bearer ${token}` });
    c.ws.send(JSON.stringify({ ref: 'first', reports: [report(id, { callsign: 'WS-1' })] }));
    c.ws.send('{not json');
    c.ws.send(
      JSON.stringify([
        report(id, { lat: 95 }),
        report(id, { lat: 31.41, observedAt: new Date(Date.now() + 1).toISOString() }),
      ]),
    );
    c.ws.send(JSON.stringify([report(id, { lat: 95 })]));
    const r = await c.until(4);
    expect(r[0]).toEqual({ type: 'result', ref: 'first', accepted: 1, rejected: [] });
    expect(r[1]).toMatchObject({ type: 'error', code: 'invalid-json' });
    expect(r[2]).toMatchObject({ type: 'result', accepted: 1, rejected: [{ index: 0 }] });
    expect(r[3]).toMatchObject({ type: 'error', code: 'bad-request', errors: [{ index: 0 }] });
    expect((await track(id))?.properties.callsign).toBe('WS-1');
    const up = await live.waitFor('upsert', (m) => m.id === id);
    expect(up.msg.eventId).toBeUndefined();
  });

  it('sends a burst of moves to a live client as batch frames holding every track once, in order', async () => {
    const live = await LiveClient.subscribed(s.baseUrl, { token }, { layers: ['tracks'] });
    sockets.push(live);
    const from = live.frames.length;
    const ids = Array.from({ length: 300 }, () => uid('batch'));
    const c = await stream({ authorization: `Bearer ${token}` });
    c.ws.send(JSON.stringify(ids.map((id, i) => report(id, { lat: 31.3 + i / 10_000 }))));
    expect((await c.until(1))[0]).toMatchObject({ type: 'result', accepted: 300 });
    await live.waitFor('upsert', (m) => m.id === ids[299], { timeoutMs: 5000 });
    const batches = live.frames.slice(from).filter((f) => f.type === 'batch');
    expect(batches.length).toBeGreaterThan(0);
    const inBatches = batches.flatMap((b) => (b.type === 'batch' ? b.messages : []));
    expect(inBatches.every((m) => m.type === 'upsert' && m.eventId === undefined)).toBe(true);
    const got = live.messages.flatMap((m) => (m.type === 'upsert' && ids.includes(m.id) ? [m.id] : []));
    expect(got).toEqual(ids);
  });

  it('refuses sockets without credentials and roles that may not report', async () => {
    const anonymous = await stream({});
    expect(await anonymous.closed).toBe(4401);
    const viewer = await Client.login(s.app, 'can.viewer');
    const t = await viewer.post('/api/v1/auth/tokens', { name: 'viewer' });
    const refused = await stream({ authorization: `Bearer ${t.json<{ token: string }>().token}` });
    expect(await refused.closed).toBe(4403);
  });

  it('keeps taking reports after a burst of 200 messages without losing one', async () => {
    const c = await stream({ authorization: `Bearer ${token}` });
    const ids = Array.from({ length: 20 }, () => uid('burst'));
    // In the past: history reads up to now, and a fast server answers within the burst's 200 ms.
    const t0 = Date.now() - 1000;
    for (let i = 0; i < 200; i++)
      c.ws.send(JSON.stringify(ids.map((id) => report(id, { observedAt: new Date(t0 + i).toISOString() }))));
    const r = await c.until(200);
    expect(r.filter((x) => x.type === 'result' && x.accepted === 20)).toHaveLength(200);
    const hist = await usa.get(`/api/v1/tracks/${ids[0]}/history?limit=1000`);
    expect(hist.json<{ features: unknown[] }>().features).toHaveLength(200);
  });
});

describe('tracks: memory, other processes and history', () => {
  it('takes in tracks another process wrote (the CLI simulator) and sends them live', async () => {
    const id = uid('other');
    const live = await LiveClient.subscribed(s.baseUrl, { token }, { layers: ['tracks'] });
    sockets.push(live);
    const other = new TrackEngine(s.database.db, pino({ level: 'silent' }));
    await other.start();
    try {
      await tracksService(s.database.db, other).report(await viewerOf('usa.planner'), [report(id)]);
      const up = await live.waitFor('upsert', (m) => m.id === id, { timeoutMs: 5000 });
      expect((up.msg.feature as TrackFeature).geometry.coordinates).toEqual([34.4, 31.4]);
      expect(await track(id)).not.toBeNull();
      // The uid is now the other process's organisation's... which is the same one here: it may move it.
      const moved = await usa.post('/api/v1/tracks/reports', [report(id, { lat: 31.5 })]);
      expect(moved.statusCode).toBe(202);
    } finally {
      await other.stop();
    }
  });

  it('refuses a uid another process created first for another organisation', async () => {
    const id = uid('race');
    const other = new TrackEngine(s.database.db, pino({ level: 'silent' }));
    await other.start();
    try {
      // The NGO's process creates it; our server has not heard yet (no notification processed).
      await tracksService(s.database.db, other).report(await viewerOf('ngo.field'), [report(id)]);
      const r = await usa.post('/api/v1/tracks/reports', [report(id, { lat: 31.45 })]);
      expect(r.statusCode).toBe(400);
      expect(JSON.stringify(r.json())).toContain('uid belongs to another organisation');
    } finally {
      await other.stop();
    }
  });

  it('restores the latest state on restart, moves included', async () => {
    const id = uid('restart');
    const t0 = Date.now() - 10_000;
    const viewer = await viewerOf('usa.planner');
    const first = new TrackEngine(s.database.db, pino({ level: 'silent' }));
    await first.start();
    for (let i = 0; i < 5; i++)
      await tracksService(s.database.db, first).report(viewer, [
        report(id, { observedAt: new Date(t0 + i * 1000).toISOString(), lat: 31.4 + i / 100 }),
      ]);
    await first.stop(); // writes the moves still pending, as a shutdown does
    const fresh = new TrackEngine(s.database.db, pino({ level: 'silent' }));
    await fresh.start();
    const f = fresh.get(viewer, id);
    expect(f?.geometry.coordinates[1]).toBeCloseTo(31.44, 6);
    expect(f?.properties.observedAt).toBe(new Date(t0 + 4000).toISOString());
    await fresh.stop();
  });

  it('after a crash, takes the moves the history has and the tracks rows missed', async () => {
    const id = uid('crash');
    const t0 = Date.now() - 10_000;
    const viewer = await viewerOf('usa.planner');
    // Rows written only every minute: as if the process died between two state writes.
    const first = new TrackEngine(s.database.db, pino({ level: 'silent' }), undefined, 60_000);
    await first.start();
    const svc = tracksService(s.database.db, first);
    await svc.report(viewer, [
      report(id, { observedAt: new Date(t0).toISOString(), staleAt: new Date(t0 + 600_000).toISOString() }),
    ]);
    for (let i = 1; i < 4; i++)
      await svc.report(viewer, [
        report(id, { observedAt: new Date(t0 + i * 1000).toISOString(), lat: 31.4 + i / 100 }),
      ]);
    // No stop(): nothing pending is written.
    const row = await sql<{ lat: number }>`SELECT lat FROM tracks WHERE uid = ${id}`.execute(
      s.database.db.system,
    );
    expect(row.rows[0]?.lat).toBe(31.4);
    const fresh = new TrackEngine(s.database.db, pino({ level: 'silent' }));
    await fresh.start();
    const f = fresh.get(viewer, id);
    expect(f?.geometry.coordinates[1]).toBeCloseTo(31.43, 6);
    expect(f?.properties.observedAt).toBe(new Date(t0 + 3000).toISOString());
    expect(f?.properties.staleAt).toBe(new Date(t0 + 3000 + 600_000).toISOString());
    await fresh.stop();
    const after = await sql<{ lat: number }>`SELECT lat FROM tracks WHERE uid = ${id}`.execute(
      s.database.db.system,
    );
    expect(after.rows[0]?.lat).toBeCloseTo(31.43, 6);
  });

  it('keeps history in daily partitions, moves a late day out of the default one, and drops old days', async () => {
    const db = s.database.db;
    const id = uid('history');
    const day = 86_400_000;
    const now = Date.now();
    const r = await usa.post('/api/v1/tracks/reports', [
      report(id, { observedAt: new Date(now - 40 * day).toISOString() }),
      report(id, { observedAt: new Date(now - 10 * day).toISOString(), lat: 31.3 }),
      report(id, { observedAt: new Date(now).toISOString(), lat: 31.2 }),
    ]);
    expect(r.json()).toMatchObject({ accepted: 3 });
    const where = async () =>
      (
        await sql<{ part: string; observed_at: Date }>`
          SELECT tableoid::regclass::text AS part, observed_at FROM track_positions WHERE uid = ${id}
          ORDER BY observed_at`.execute(db.system)
      ).rows.map((x) => x.part);
    const today = new Date(now).toISOString().slice(0, 10).replace(/-/g, '');
    expect(await where()).toEqual([
      'track_positions_default',
      'track_positions_default',
      `track_positions_${today}`,
    ]);

    await db.asSystem((tx) =>
      sql`SELECT concord_ensure_position_partitions((now() AT TIME ZONE 'UTC')::date - 12, (now() AT TIME ZONE 'UTC')::date)`.execute(
        tx,
      ),
    );
    const tenDaysAgo = new Date(now - 10 * day).toISOString().slice(0, 10).replace(/-/g, '');
    expect(await where()).toEqual([
      'track_positions_default',
      `track_positions_${tenDaysAgo}`,
      `track_positions_${today}`,
    ]);

    const kept = await new HistoryKeeper(db, pino({ level: 'silent' }), 30).run();
    expect(kept.dropped).toBeGreaterThanOrEqual(0);
    expect(await where()).toEqual([`track_positions_${tenDaysAgo}`, `track_positions_${today}`]);
    await new HistoryKeeper(db, pino({ level: 'silent' }), 5).run();
    expect(await where()).toEqual([`track_positions_${today}`]);
    // The history API reads through the partitions.
    const hist = await usa.get(`/api/v1/tracks/${id}/history?from=${new Date(now - 60_000).toISOString()}`);
    expect(hist.json<{ features: unknown[] }>().features).toHaveLength(1);
  });
});
