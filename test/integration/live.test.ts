import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../src/domain/events.js';
import { bboxOf, type Geometry } from '../../src/domain/geometry.js';
import type { Marking } from '../../src/domain/marking.js';
import type { ZoneFeature } from '../../src/domain/zones.js';
import type { Db } from '../../src/server/db/database.js';
import { markingToColumns } from '../../src/server/db/marking-columns.js';
import { CLOSE, DEFAULT_HUB_OPTIONS, type HubOptions } from '../../src/server/modules/live/index.js';
import { toFeature } from '../../src/server/modules/zones/zones.features.js';
import { zonesStore } from '../../src/server/modules/zones/zones.store.js';
import { EventRelay, recordEvent } from '../../src/server/platform/events.js';
import { squareZone } from '../support/fixtures.js';
import { LiveClient, type LiveConnectOptions, sleep } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const USA_ONLY: Marking = { classification: 'RESTRICTED', releasableTo: ['USA'] };
const USA_GBR: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] };
const GBR_ONLY: Marking = { classification: 'RESTRICTED', releasableTo: ['GBR'] };

let s: TestServer;
let base: string;
let usa: Client;
let gbr: Client;
let ngo: Client;
const open: LiveClient[] = [];

/** Opens a socket and remembers it so that every test leaves no socket behind. */
async function live(
  opts: LiveConnectOptions,
  sub?: Parameters<typeof LiveClient.subscribed>[2],
  url = base,
): Promise<LiveClient> {
  const c = await LiveClient.subscribed(url, opts, sub);
  open.push(c);
  return c;
}
const as = (c: Client): LiveConnectOptions => ({ cookie: c.sessionCookie });

let seq = 0;
/** A name no other test uses, so that raw messages can be searched for it. */
const unique = (what: string) => `${what} ${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

async function createZone(
  c: Client,
  name: string,
  marking: Marking,
  lon = 34.4,
  lat = 31.4,
): Promise<ZoneFeature> {
  const r = await c.post('/api/v1/zones', squareZone(name, marking, lon, lat));
  expect(r.statusCode, r.body).toBe(201);
  return r.json<ZoneFeature>();
}

async function updateZone(
  c: Client,
  z: ZoneFeature,
  change: {
    name?: string;
    marking?: Marking;
    lon?: number;
    lat?: number;
    properties?: Record<string, unknown>;
  },
): Promise<ZoneFeature> {
  const input = squareZone(
    change.name ?? z.properties.name,
    change.marking ?? z.properties.marking,
    change.lon ?? 34.4,
    change.lat ?? 31.4,
  );
  const r = await c.put(`/api/v1/zones/${z.id}`, {
    ...input,
    ...(change.properties ? { properties: change.properties } : {}),
    version: z.properties.version,
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<ZoneFeature>();
}

async function deleteZone(c: Client, z: ZoneFeature): Promise<void> {
  expect((await c.del(`/api/v1/zones/${z.id}`)).statusCode).toBe(204);
}

async function restIds(c: Client, query = ''): Promise<string[]> {
  return (await c.get(`/api/v1/zones${query}`))
    .json<{ features: { id: string }[] }>()
    .features.map((f) => f.id)
    .sort();
}

/** Creates a zone everyone sees and waits until each client has it: everything before it has arrived. */
async function barrier(clients: LiveClient[], lon = 34.4, lat = 31.4): Promise<string> {
  const z = await createZone(usa, unique('barrier'), ALL, lon, lat);
  await Promise.all(clients.map((c) => c.waitFor('upsert', (m) => m.id === z.id)));
  return z.id;
}

beforeAll(async () => {
  s = await startTestServer();
  base = await s.listen();
  [usa, gbr, ngo] = await Promise.all([
    Client.login(s.app, 'usa.planner'),
    Client.login(s.app, 'gbr.planner'),
    Client.login(s.app, 'ngo.field'),
  ]);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});
afterAll(() => s.close());

describe('live: authentication', () => {
  it('closes an unauthenticated socket with 4401 before saying anything', async () => {
    const c = await LiveClient.connect(base);
    const closed = await c.closed;
    expect(closed.code).toBe(CLOSE.unauthenticated);
    expect(c.messages).toEqual([]);
  });

  it('refuses a cookie session from another origin with 4401', async () => {
    const c = await LiveClient.connect(base, { cookie: usa.sessionCookie, origin: 'https://evil.example' });
    expect((await c.closed).code).toBe(CLOSE.unauthenticated);
    expect(c.messages).toEqual([]);
  });

  it('refuses the handshake for an unknown API token', async () => {
    await expect(LiveClient.connect(base, { token: 'ct_not-a-real-token' })).rejects.toThrow(/HTTP 401/);
  });

  it('welcomes a cookie client and a Bearer or query-token client, each with their own snapshot', async () => {
    const cookieClient = await live(as(usa));
    expect(cookieClient.messages[0]).toMatchObject({ type: 'welcome', user: 'usa.planner' });

    const tok = await ngo.post('/api/v1/auth/tokens', { name: 'live test' });
    expect(tok.statusCode).toBe(201);
    const token = tok.json<{ token: string }>().token;
    const bearer = await live({ token });
    expect(bearer.messages[0]).toMatchObject({ type: 'welcome', user: 'ngo.field' });
    const query = await live({ queryToken: token });
    expect(query.messages[0]).toMatchObject({ type: 'welcome', user: 'ngo.field' });

    const snap = async (c: LiveClient) => {
      const { msg } = await c.waitFor('snapshot');
      expect(msg.layer).toBe('zones');
      expect(msg.reset).toBe(false);
      return (msg.features as ZoneFeature[]).map((f) => f.id).sort();
    };
    const names = async (c: LiveClient) =>
      ((await c.waitFor('snapshot')).msg.features as ZoneFeature[]).map((f) => f.properties.name);
    expect(await snap(cookieClient)).toEqual(await restIds(usa));
    expect(await snap(bearer)).toEqual(await restIds(ngo));
    expect(await snap(query)).toEqual(await restIds(ngo));
    expect(await names(cookieClient)).toContain('NAI 3 (synthetic)');
    expect(await names(bearer)).not.toContain('NAI 3 (synthetic)');
    expect(await names(bearer)).toContain('Gaza Strip');
  });
});

describe('live: changes made through REST', () => {
  it('reaches each subscriber within a second, filtered by what each may see', async () => {
    const u = await live(as(usa));
    const n = await live(as(ngo));
    const secretName = unique('US only');

    // Released to USA only: the US planner hears of it, the NGO never does. Each wait below
    // starts when the REST call has returned (the change is committed) and allows one second.
    const z = await createZone(usa, secretName, USA_ONLY);
    const created = await u.waitFor('upsert', (m) => m.id === z.id, { timeoutMs: 1000 });
    expect((created.msg.feature as ZoneFeature).properties.name).toBe(secretName);

    const renamed = unique('US only renamed');
    const z2 = await updateZone(usa, z, { name: renamed, lon: 34.41 });
    const upd = await u.waitFor('upsert', (m) => m.id === z.id && m.eventId !== created.msg.eventId, {
      timeoutMs: 1000,
    });
    expect((upd.msg.feature as ZoneFeature).properties).toMatchObject({ name: renamed, version: 2 });
    expect(BigInt(upd.msg.eventId ?? -1)).toBeGreaterThan(BigInt(created.msg.eventId ?? 0));

    await deleteZone(usa, z2);
    const del = await u.waitFor('delete', (m) => m.id === z.id, { timeoutMs: 1000 });
    expect(del.msg.layer).toBe('zones');

    // Released to all: both hear of the whole life of it.
    // (Each step waits for the last, or the hub may rightly coalesce them into one message.)
    const shared = await createZone(usa, unique('shared'), ALL);
    await Promise.all([u, n].map((c) => c.waitFor('upsert', (m) => m.id === shared.id, { timeoutMs: 1000 })));
    const shared2 = await updateZone(usa, shared, { lon: 34.42 });
    const v2 = (m: { id: string; feature: unknown }) =>
      m.id === shared.id && (m.feature as ZoneFeature).properties.version === 2;
    await Promise.all([u, n].map((c) => c.waitFor('upsert', v2, { timeoutMs: 1000 })));
    await deleteZone(usa, shared2);
    for (const c of [u, n]) {
      await c.waitFor('delete', (m) => m.id === shared.id, { timeoutMs: 1000 });
      expect(c.about(shared.id).map((m) => m.type)).toEqual(['upsert', 'upsert', 'delete']);
    }

    await barrier([u, n]);
    expect(u.about(z.id).map((m) => m.type)).toEqual(['upsert', 'upsert', 'delete']);
    expect(n.about(z.id)).toEqual([]);
    for (const text of n.raw) {
      expect(text).not.toContain(z.id);
      expect(text).not.toContain(secretName);
      expect(text).not.toContain(renamed);
    }
  });

  it('tells a viewer that a zone is gone when its marking stops releasing it to them, and nothing else', async () => {
    const g = await live(as(gbr));
    const z = await createZone(usa, unique('shared with GBR'), USA_GBR);
    await g.waitFor('upsert', (m) => m.id === z.id);
    const from = g.messages.length;
    const hiddenName = unique('now US only');
    const z2 = await updateZone(usa, z, { name: hiddenName, marking: USA_ONLY });
    await updateZone(usa, z2, { lon: 34.43 });
    await barrier([g]);
    expect(g.about(z.id, from).map((m) => m.type)).toEqual(['delete']);
    expect(g.raw.join('\n')).not.toContain(hiddenName);
  });
});

describe('live: bbox', () => {
  it('sends only zones that meet the bbox: outside is silent, moving in is an upsert, moving out a delete', async () => {
    const bbox: [number, number, number, number] = [34.2, 31.2, 34.35, 31.35];
    const c = await live(as(usa), { bbox });
    const snap = (await c.waitFor('snapshot')).msg.features as ZoneFeature[];
    expect(snap.map((f) => f.id).sort()).toEqual(await restIds(usa, `?bbox=${bbox.join(',')}`));
    expect(snap.length).toBeLessThan((await restIds(usa)).length);

    const outsideName = unique('outside');
    const z = await createZone(usa, outsideName, ALL, 34.5, 31.5);
    await barrier([c], 34.3, 31.3);
    expect(c.about(z.id)).toEqual([]);
    expect(c.raw.join('\n')).not.toContain(outsideName);

    const inside = await updateZone(usa, z, { lon: 34.3, lat: 31.3 });
    const up = await c.waitFor('upsert', (m) => m.id === z.id, { timeoutMs: 1000 });
    expect((up.msg.feature as ZoneFeature).properties.version).toBe(2);

    await updateZone(usa, inside, { lon: 34.5, lat: 31.5 });
    await c.waitFor('delete', (m) => m.id === z.id, { timeoutMs: 1000 });
    await barrier([c], 34.3, 31.3);
    expect(c.about(z.id).map((m) => m.type)).toEqual(['upsert', 'delete']);
  });
});

describe('live: resume', () => {
  it('replays exactly the missed changes after `since`, with no snapshot', async () => {
    // Zones the US planner knows before going offline.
    const keep = await createZone(usa, unique('kept'), ALL);
    const revoke = await createZone(gbr, unique('revoked'), USA_GBR);
    const retire = await createZone(usa, unique('retired'), ALL);
    const away = await createZone(usa, unique('moved away'), ALL, 34.3, 31.3);

    const bbox: [number, number, number, number] = [34.2, 31.2, 34.45, 31.45];
    const first = await live(as(usa), { bbox });
    const seen = await createZone(usa, unique('seen'), ALL);
    const since = (await first.waitFor('upsert', (m) => m.id === seen.id)).msg.eventId;
    await first.close();

    // Missed while offline.
    const added = await createZone(usa, unique('added'), ALL);
    await updateZone(usa, keep, { name: unique('kept, renamed') });
    const hiddenName = unique('GBR only now');
    await updateZone(gbr, revoke, { name: hiddenName, marking: GBR_ONLY });
    await deleteZone(usa, retire);
    await updateZone(usa, away, { lon: 34.6, lat: 31.6 });
    const neverName = unique('never for USA');
    const never = await createZone(gbr, neverName, GBR_ONLY);
    const outsideName = unique('outside bbox');
    const outside = await createZone(usa, outsideName, ALL, 34.6, 31.6);
    await s.relay.wake();

    const again = await live(as(usa), { bbox, since });
    const b = await barrier([again]);
    expect(again.messages.some((m) => m.type === 'snapshot')).toBe(false);
    const got = again.messages
      .filter((m) => m.type === 'upsert' || m.type === 'delete')
      .filter((m) => m.id !== b)
      .map((m) => `${m.type} ${m.id}`)
      .sort();
    expect(got).toEqual(
      [
        `upsert ${added.id}`,
        `upsert ${keep.id}`,
        `delete ${revoke.id}`,
        `delete ${retire.id}`,
        `delete ${away.id}`,
      ].sort(),
    );
    const text = again.raw.join('\n');
    for (const secret of [never.id, neverName, hiddenName, outside.id, outsideName])
      expect(text).not.toContain(secret);
  });

  it('still sends the delete when a zone is withdrawn from the client while the resume snapshot is read', async () => {
    // The hub notes the last event id, replays up to it, then reads the snapshot. A zone the client
    // knew whose marking stops releasing it to the client in between is missing from the snapshot,
    // while its event comes after that id: the client must still be told it is gone. A table lock
    // holds the snapshot read at exactly that point while the change commits.
    const first = await live(as(usa));
    const z = await createZone(gbr, unique('withdrawn mid-resume'), USA_GBR);
    const since = (await first.waitFor('upsert', (m) => m.id === z.id)).msg.eventId;
    await first.close();

    const writer = (await gbr.get('/api/v1/auth/me')).json<{ id: string }>().id;
    const watcher = new pg.Client({ connectionString: s.database.url });
    await watcher.connect();
    const again = await LiveClient.connect(base, as(usa));
    open.push(again);
    await again.waitFor('welcome');
    const hiddenName = unique('GBR only, mid-resume');
    try {
      await s.database.db.asSystem(async (tx) => {
        await sql`LOCK TABLE zones IN ACCESS EXCLUSIVE MODE`.execute(tx);
        again.send({ type: 'subscribe', layers: ['zones'], since });
        const deadline = Date.now() + 5000;
        for (;;) {
          const w = await watcher.query(
            `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'zones'::regclass
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          );
          if (w.rows[0].n > 0) break;
          if (Date.now() > deadline) throw new Error('the snapshot never waited for the lock');
          await sleep(5);
        }
        // What the zones service does for a new version, in the transaction that holds the lock.
        const head = (await zonesStore.lockHeader(tx, z.id))!;
        const cur = (await zonesStore.headVersion(tx, z.id))!;
        const cols = markingToColumns(GBR_ONLY);
        const next = head.head_version + 1;
        await zonesStore.insertVersion(tx, {
          zoneId: z.id,
          version: next,
          name: hiddenName,
          kind: cur.kind,
          geometry: cur.geometry,
          bbox: bboxOf(cur.geometry as Geometry),
          validFrom: new Date(),
          validTo: null,
          description: cur.description,
          properties: {},
          deleted: false,
          createdBy: writer,
          ...cols,
        });
        await zonesStore.updateHeader(tx, z.id, next, cols, false);
        await recordEvent(tx, {
          actor: writer,
          kind: 'upsert',
          layer: 'zones',
          entityId: z.id,
          payload: toFeature((await zonesStore.headVersion(tx, z.id))!),
          marking: GBR_ONLY,
          prevMarking: USA_GBR,
        });
      });
    } finally {
      await watcher.end();
    }
    await barrier([again]);
    expect(again.messages.some((m) => m.type === 'snapshot')).toBe(false);
    expect(again.about(z.id).map((m) => m.type)).toEqual(['delete']);
    expect(again.raw.join('\n')).not.toContain(hiddenName);
  });
});

describe('live: malformed messages', () => {
  it('answers each with an error and keeps the socket usable', async () => {
    const c = await LiveClient.connect(base, as(usa));
    open.push(c);
    await c.waitFor('welcome');
    const cases: [unknown, string][] = [
      ['not json', 'invalid-json'],
      ['{"type":', 'invalid-json'],
      ['null', 'bad-message'],
      [{ type: 'bogus' }, 'bad-message'],
      [{ type: 'subscribe' }, 'bad-message'],
      [{ type: 'subscribe', layers: [1] }, 'bad-message'],
      [{ type: 'subscribe', layers: ['zones', 'nope'] }, 'unknown-layer'],
      [{ type: 'subscribe', layers: ['zones'], bbox: [34, 31, 35] }, 'bad-bbox'],
      [{ type: 'subscribe', layers: ['zones'], bbox: [35, 31, 34, 32] }, 'bad-bbox'],
      [{ type: 'subscribe', layers: ['zones'], bbox: ['34', 31, 35, 32] }, 'bad-bbox'],
      [{ type: 'subscribe', layers: ['zones'], bbox: 'x' }, 'bad-bbox'],
    ];
    for (const [msg, code] of cases) {
      const from = c.messages.length;
      c.send(msg);
      const e = await c.waitFor('error', () => true, { from });
      expect(e.msg.code, JSON.stringify(msg)).toBe(code);
      expect(c.closeInfo).toBeNull();
    }
    const from = c.messages.length;
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await c.waitFor('error', () => true, { from })).msg.code).toBe('invalid-json');

    // Nothing was subscribed by the bad messages: a change is not sent.
    const z = await createZone(usa, unique('before subscribe'), ALL);
    await s.relay.wake();
    await sleep(50);
    expect(c.about(z.id)).toEqual([]);

    c.send({ type: 'ping' });
    expect((await c.waitFor('heartbeat')).msg.lastEventId).toMatch(/^\d+$/);
    c.send({ type: 'subscribe', layers: ['zones'] });
    const snap = await c.waitFor('snapshot');
    expect((snap.msg.features as ZoneFeature[]).map((f) => f.id)).toContain(z.id);
    await barrier([c]);
  });
});

/** A second server with other hub options, for the tests that need them. */
async function withServer(
  hub: HubOptions,
  fn: (t: TestServer, url: string, writer: Client) => Promise<void>,
) {
  const t = await startTestServer({ hub });
  try {
    const url = await t.listen();
    await fn(t, url, await Client.login(t.app, 'usa.planner'));
  } finally {
    await t.close();
  }
}

/**
 * Bytes the server holds back for its first socket (what ws reports as bufferedAmount). Each test
 * below connects the slow client first, so it is the first in the server's client set.
 */
function serverBacklog(t: TestServer): number {
  const first = [...t.app.websocketServer.clients][0];
  return first?.bufferedAmount ?? 0;
}

/**
 * Updates a zone with a large payload until the paused client's socket has bytes waiting in the
 * server beyond the high-water mark: the kernel buffers are full and the hub must hold back.
 */
async function fillUntilBacklogged(
  t: TestServer,
  writer: Client,
  z: ZoneFeature,
  blobBytes: number,
  over: number,
): Promise<ZoneFeature> {
  const blob = 'x'.repeat(blobBytes);
  let cur = z;
  for (let i = 0; i < 200; i++) {
    cur = await updateZone(writer, cur, { properties: { blob, i } });
    await t.relay.wake();
    await sleep(5);
    if (serverBacklog(t) > over) return cur;
  }
  throw new Error(`the server never held back more than ${over} bytes`);
}

describe('live: slow consumers', () => {
  it('closes a consumer that stays over the high-water mark with 4408; the server carries on', async () => {
    await withServer(
      { ...DEFAULT_HUB_OPTIONS, highWaterBytes: 1024, slowGraceMs: 200, maxPending: 50 },
      async (t, url, writer) => {
        const slow = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
        try {
          const z = await createZone(writer, unique('busy'), ALL);
          await slow.waitFor('upsert', (m) => m.id === z.id);
          expect(t.hub.size).toBe(1);

          slow.ws.pause();
          let cur = await fillUntilBacklogged(t, writer, z, 1024 * 1024, 1024);
          // One more change queues behind the backlog; the hub waits slowGraceMs, then gives up.
          cur = await updateZone(writer, cur, { properties: { last: true } });
          const deadline = Date.now() + 5000;
          while (t.hub.size > 0 && Date.now() < deadline) await sleep(20);
          expect(t.hub.size).toBe(0);

          slow.ws.resume();
          const closed = await slow.closed;
          expect(closed.code).toBe(CLOSE.tooSlow);
          expect(closed.reason).toMatch(/too slow/);
          const versions = slow
            .about(z.id)
            .map((m) => (m.type === 'upsert' ? (m.feature as ZoneFeature).properties.version : -1));
          // What did arrive arrived in order, and the last change never did.
          expect(versions).toEqual([...versions].sort((a, b) => a - b));
          expect(versions).not.toContain(cur.properties.version);

          // Reconnecting gets the latest state.
          const fresh = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
          try {
            const snap = (await fresh.waitFor('snapshot')).msg.features as ZoneFeature[];
            expect(snap.find((f) => f.id === z.id)?.properties.version).toBe(cur.properties.version);
          } finally {
            await fresh.close();
          }
        } finally {
          await slow.close();
        }
      },
    );
  });

  it('does not drop a consumer that keeps up when one commit brings more changes than maxPending', async () => {
    await withServer(
      { ...DEFAULT_HUB_OPTIONS, highWaterBytes: 1024, slowGraceMs: 200, maxPending: 50 },
      async (_t, url, writer) => {
        const c = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
        try {
          // One import is one transaction: its 60 events reach the hub in one batch.
          const features = Array.from({ length: 60 }, (_, i) => {
            const z = squareZone(unique(`burst ${i}`), ALL, 34.3 + i * 0.001, 31.4, 0.0005);
            return { type: 'Feature', geometry: z.geometry, properties: { name: z.name, kind: z.kind } };
          });
          const r = await writer.post('/api/v1/zones/import', {
            type: 'FeatureCollection',
            features,
            marking: ALL,
          });
          expect(r.statusCode, r.body).toBe(201);
          const ids = r.json<{ created: string[] }>().created;
          expect(ids).toHaveLength(60);
          await c.waitFor('upsert', (m) => m.id === ids[59], { timeoutMs: 3000 });
          await sleep(50);
          expect(c.closeInfo).toBeNull();
          const got = new Set(c.messages.flatMap((m) => (m.type === 'upsert' ? [m.id] : [])));
          for (const id of ids) expect(got.has(id)).toBe(true);
        } finally {
          await c.close();
        }
      },
    );
  });

  it('drops a consumer that is behind once more than maxPending entities wait for it', async () => {
    await withServer(
      { ...DEFAULT_HUB_OPTIONS, highWaterBytes: 1024, slowGraceMs: 30_000, maxPending: 50 },
      async (t, url, writer) => {
        const slow = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
        try {
          const big = await createZone(writer, unique('big'), ALL);
          await slow.waitFor('upsert', (m) => m.id === big.id);
          slow.ws.pause();
          await fillUntilBacklogged(t, writer, big, 1024 * 1024, 1024);
          expect(t.hub.size).toBe(1);
          const features = Array.from({ length: 60 }, (_, i) => {
            const z = squareZone(unique(`pending ${i}`), ALL, 34.3 + i * 0.001, 31.4, 0.0005);
            return { type: 'Feature', geometry: z.geometry, properties: { name: z.name, kind: z.kind } };
          });
          const r = await writer.post('/api/v1/zones/import', {
            type: 'FeatureCollection',
            features,
            marking: ALL,
          });
          expect(r.statusCode, r.body).toBe(201);
          await t.relay.wake();
          expect(t.hub.size).toBe(0);
          slow.ws.resume();
          const closed = await slow.closed;
          expect(closed.code).toBe(CLOSE.tooSlow);
          expect(closed.reason).toMatch(/too many pending/);
        } finally {
          await slow.close();
        }
      },
    );
  });

  it('coalesces updates to one entity while a consumer is behind, then delivers the latest state', async () => {
    await withServer(
      { ...DEFAULT_HUB_OPTIONS, highWaterBytes: 1024, slowGraceMs: 30_000, maxPending: 1000 },
      async (t, url, writer) => {
        const slow = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
        const witness = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
        try {
          const big = await createZone(writer, unique('big'), ALL);
          let small = await createZone(writer, unique('small'), ALL);
          await Promise.all([slow, witness].map((c) => c.waitFor('upsert', (m) => m.id === small.id)));

          slow.ws.pause();
          await fillUntilBacklogged(t, writer, big, 1024 * 1024, 1024);
          const versions: number[] = [];
          for (let i = 0; i < 8; i++) {
            small = await updateZone(writer, small, { name: unique(`small v${i + 2}`) });
            versions.push(small.properties.version);
          }
          const final = small.properties.version;
          await witness.waitFor(
            'upsert',
            (m) => m.id === small.id && (m.feature as ZoneFeature).properties.version === final,
          );
          // Precondition of the claim below: the hub had to hold everything for `slow` back.
          expect(serverBacklog(t)).toBeGreaterThan(1024);

          slow.ws.resume();
          await slow.waitFor(
            'upsert',
            (m) => m.id === small.id && (m.feature as ZoneFeature).properties.version === final,
            { timeoutMs: 10_000 },
          );
          const got = slow
            .about(small.id)
            .map((m) => (m.type === 'upsert' ? (m.feature as ZoneFeature).properties.version : -1));
          expect(got).toEqual([1, final]);
          expect(versions.length).toBeGreaterThan(2);
          expect(slow.closeInfo).toBeNull();
        } finally {
          await Promise.all([slow.close(), witness.close()]);
        }
      },
    );
  });
});

describe('live: heartbeat and resume limits', () => {
  it('sends heartbeats, keeps answering clients, cuts off a silent one and resets a too-long resume', async () => {
    await withServer({ ...DEFAULT_HUB_OPTIONS, heartbeatMs: 400, maxResume: 2 }, async (t, url, writer) => {
      const c = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
      const silent = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
      try {
        expect(c.messages[0]).toMatchObject({ type: 'welcome', heartbeatMs: 400 });
        const snap = await c.waitFor('snapshot');
        const hb = await c.waitFor('heartbeat', () => true, { timeoutMs: 2000, from: snap.index });
        expect(Date.parse(hb.msg.at)).not.toBeNaN();
        expect(hb.msg.lastEventId).toBe(snap.msg.lastEventId);

        // A client that stops reading cannot answer pings: two beats later it is gone.
        silent.ws.pause();
        const deadline = Date.now() + 5000;
        while (t.hub.size > 1 && Date.now() < deadline) await sleep(20);
        expect(t.hub.size).toBe(1);
        silent.ws.resume();
        expect((await silent.closed).code).toBe(1006);

        // The answering client meanwhile got beat after beat and is still connected.
        const beats = () => c.messages.filter((m) => m.type === 'heartbeat').length;
        const until = Date.now() + 3000;
        while (beats() < 3 && Date.now() < until) await sleep(50);
        expect(beats()).toBeGreaterThanOrEqual(3);
        expect(c.closeInfo).toBeNull();

        // More changes than maxResume since the client left: it gets a full snapshot marked reset.
        const since = snap.msg.lastEventId;
        await c.close();
        const made: string[] = [];
        for (let i = 0; i < 3; i++) made.push((await createZone(writer, unique('many'), ALL)).id);
        await t.relay.wake();
        const r = await LiveClient.subscribed(url, { cookie: writer.sessionCookie }, { since });
        try {
          const reset = await r.waitFor('snapshot');
          expect(reset.msg.reset).toBe(true);
          const ids = (reset.msg.features as ZoneFeature[]).map((f) => f.id);
          for (const id of made) expect(ids).toContain(id);
        } finally {
          await r.close();
        }
      } finally {
        await Promise.all([c.close(), silent.close()]);
      }
    });
  });
});

describe('live: credentials end the socket', () => {
  it('closes the sockets of a session that logs out, a token that is revoked and a user who is disabled', async () => {
    await withServer({ ...DEFAULT_HUB_OPTIONS, heartbeatMs: 300 }, async (t, url, writer) => {
      const admin = await Client.login(t.app, 'admin');
      const leaver = await Client.login(t.app, 'gbr.planner');
      const disabled = await Client.login(t.app, 'can.viewer');
      const tokenRes = await writer.post('/api/v1/auth/tokens', { name: 'live test' });
      const { id: tokenId, token } = tokenRes.json<{ id: string; token: string }>();
      const bySession = await LiveClient.subscribed(url, { cookie: leaver.sessionCookie });
      const byToken = await LiveClient.subscribed(url, { token });
      const byDisabled = await LiveClient.subscribed(url, { cookie: disabled.sessionCookie });
      const stays = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
      try {
        expect((await leaver.post('/api/v1/auth/logout')).statusCode).toBe(204);
        expect((await writer.del(`/api/v1/auth/tokens/${tokenId}`)).statusCode).toBe(204);
        expect((await admin.post('/api/v1/users/can.viewer/disable')).statusCode).toBe(204);
        for (const c of [bySession, byToken, byDisabled]) {
          const closed = await Promise.race([c.closed, sleep(3000).then(() => null)]);
          expect(closed?.code).toBe(CLOSE.unauthenticated);
        }
        await sleep(700);
        expect(stays.closeInfo).toBeNull();
      } finally {
        await Promise.all([bySession, byToken, byDisabled, stays].map((c) => c.close()));
      }
    });
  });

  it('gives event ids only of changes the viewer may see', async () => {
    await withServer(DEFAULT_HUB_OPTIONS, async (t, url, writer) => {
      const ngoUser = await Client.login(t.app, 'ngo.field');
      await createZone(writer, unique('seen by all'), ALL);
      await createZone(writer, unique('hidden before'), USA_ONLY);
      await t.relay.wake();
      const c = await LiveClient.subscribed(url, { cookie: ngoUser.sessionCookie });
      try {
        const snap = await c.waitFor('snapshot');
        const newest = await t.database.db.asSystem((tx) =>
          sql<{ id: string }>`SELECT max(id)::text AS id FROM events`.execute(tx),
        );
        expect(BigInt(snap.msg.lastEventId)).toBe(BigInt(newest.rows[0]!.id) - 1n);
        for (let i = 0; i < 3; i++) await createZone(writer, unique('hidden'), USA_ONLY);
        await t.relay.wake();
        c.ws.send(JSON.stringify({ type: 'ping' }));
        const hb = await c.waitFor('heartbeat', () => true, { from: snap.index });
        expect(hb.msg.lastEventId).toBe(snap.msg.lastEventId);
      } finally {
        await c.close();
      }
    });
  });
});

describe('live: validity periods', () => {
  it('sends a zone version when it comes into force and removes it when its validity ends, not when written', async () => {
    const t = await startTestServer({ app: { zoneActivationMs: 100 } });
    try {
      const url = await t.listen();
      const writer = await Client.login(t.app, 'usa.planner');
      const c = await LiveClient.subscribed(url, { cookie: writer.sessionCookie });
      try {
        const snap = await c.waitFor('snapshot');
        const name = unique('scheduled');
        const from = new Date(Date.now() + 2500);
        const to = new Date(from.getTime() + 1500);
        const r = await writer.post('/api/v1/zones', {
          ...squareZone(name, ALL),
          validFrom: from.toISOString(),
          validTo: to.toISOString(),
        });
        expect(r.statusCode, r.body).toBe(201);
        const id = r.json<ZoneFeature>().id;
        const isThis = (m: { id?: string }) => m.id === id;
        await sleep(1000);
        expect(c.messages.slice(snap.index).some((m) => 'id' in m && m.id === id)).toBe(false);
        const up = await c.waitFor('upsert', isThis, { timeoutMs: 4000, from: snap.index });
        expect(Date.now()).toBeGreaterThanOrEqual(from.getTime());
        expect(
          (await writer.get('/api/v1/zones'))
            .json<{ features: { id: string }[] }>()
            .features.map((f) => f.id),
        ).toContain(id);
        await c.waitFor('delete', isThis, { timeoutMs: 4000, from: up.index });
        expect(Date.now()).toBeGreaterThanOrEqual(to.getTime());
      } finally {
        await c.close();
      }
    } finally {
      await t.close();
    }
  });
});

describe('event relay', () => {
  it('wake() resolves only once events committed before the call are emitted, even mid-drain', async () => {
    // The outbox reads are scripted here: each read waits until the test hands it its rows.
    const reads: ((rows: ChangeEvent[]) => void)[] = [];
    const outbox = {
      asSystem: () => new Promise<ChangeEvent[]>((resolve) => reads.push(resolve)),
    } as unknown as Db;
    const relay = new EventRelay(outbox, pino({ level: 'silent' }));
    const emitted: string[] = [];
    relay.on('event', (e) => emitted.push(e.id));
    const event = (id: string): ChangeEvent => ({
      id,
      at: new Date().toISOString(),
      actor: null,
      kind: 'upsert',
      layer: 'zones',
      entityId: `z${id}`,
      payload: null,
      marking: ALL,
      prevMarking: null,
    });

    const first = relay.wake();
    expect(reads).toHaveLength(1);
    // Event 1 commits now, after the running drain has read the outbox; then someone waits for it.
    let done = false;
    const second = relay.wake().then(() => {
      done = true;
    });
    reads[0]!([]);
    await first;
    await sleep(10);
    expect(done).toBe(false);
    expect(reads).toHaveLength(2);
    reads[1]!([event('1')]);
    await second;
    expect(emitted).toEqual(['1']);
    await relay.stop();
  });
});
