import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertFeature } from '../../src/domain/alert-status.js';
import type { ZoneFeature } from '../../src/domain/zones.js';
import { LiveClient, sleep } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

let s: TestServer;
let usa: Client;
let gbr: Client;
const sockets: LiveClient[] = [];

beforeAll(async () => {
  s = await startTestServer();
  await s.listen();
  [usa, gbr] = await Promise.all([Client.login(s.app, 'usa.planner'), Client.login(s.app, 'gbr.planner')]);
});
afterAll(async () => {
  await Promise.all(sockets.map((c) => c.close()));
  await s.close();
});

const live = async (c: Client, layers: string[]) => {
  const l = await LiveClient.subscribed(s.baseUrl, { cookie: c.sessionCookie }, { layers });
  sockets.push(l);
  return l;
};
const alertsOf = async (c: Client) =>
  (await c.get('/api/v1/alerts?status=open')).json<{ features: AlertFeature[] }>().features;

describe('tracks → geofence → alerts', () => {
  it('raises an alert when a vehicle crosses a control line, marked from both, seen only where released', async () => {
    const zones = await live(usa, ['zones', 'alerts']);
    const line = await usa.post('/api/v1/zones', {
      name: 'Test withdrawal line',
      kind: 'withdrawal-line',
      geometry: {
        type: 'LineString',
        coordinates: [
          [34.45, 31.3],
          [34.45, 31.4],
        ],
      },
      marking: { classification: 'RESTRICTED', releasableTo: ['USA'] },
    });
    expect(line.statusCode).toBe(201);
    const zone = line.json<ZoneFeature>();
    // Once live clients have the zone, so has the geofence: both hear of it from the same relay event.
    await zones.waitFor('upsert', (m) => m.id === zone.id);

    const uid = `veh-cross-${process.pid}`;
    // After the zone's validity begins (its creation): a line is only in force from then on.
    const t0 = Date.now();
    const at = (i: number) => new Date(t0 + i * 200).toISOString();
    const common = {
      uid,
      kind: 'vehicle',
      affiliation: 'unknown',
      callsign: 'VEH 7',
      marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
    };
    // West of the line, then jitter near it (no alert), then firmly east: one crossing.
    for (const [i, lon] of [
      [0, 34.44],
      [1, 34.4499],
      [2, 34.4501],
      [3, 34.4499],
      [4, 34.46],
    ] as const) {
      const r = await usa.post('/api/v1/tracks/reports', [{ ...common, observedAt: at(i), lat: 31.35, lon }]);
      expect(r.statusCode).toBe(202);
    }

    const pushed = await zones.waitFor('upsert', (m) => m.layer === 'alerts', { timeoutMs: 5000 });
    const alert = pushed.msg.feature as AlertFeature;
    expect(alert.properties).toMatchObject({
      trigger: 'cross',
      severity: 'critical',
      trackUid: uid,
      zoneId: zone.id,
      zoneVersion: 1,
      at: at(4),
      status: 'open',
      markingText: 'RESTRICTED//REL TO USA',
    });
    expect(alert.properties.summary).toContain('VEH 7');
    expect(alert.properties.positions.map((p) => p.lon)).toContain(34.46);

    const mine = (await alertsOf(usa)).filter((a) => a.properties.trackUid === uid);
    expect(mine).toHaveLength(1);
    // GBR sees the track (released to all) but not the line, so not the alert either.
    expect((await gbr.get(`/api/v1/tracks/${uid}`)).statusCode).toBe(200);
    expect((await alertsOf(gbr)).some((a) => a.properties.trackUid === uid)).toBe(false);
    expect((await gbr.get(`/api/v1/alerts/${alert.id}`)).statusCode).toBe(404);

    // Back across past the 60 s dedup window: a second crossing, a second alert.
    await usa.post('/api/v1/tracks/reports', [{ ...common, observedAt: at(400), lat: 31.35, lon: 34.44 }]);
    const deadline = Date.now() + 5000;
    let n = 0;
    while (Date.now() < deadline) {
      n = (await alertsOf(usa)).filter((a) => a.properties.trackUid === uid).length;
      if (n === 2) break;
      await sleep(50);
    }
    expect(n).toBe(2);
  });
});
