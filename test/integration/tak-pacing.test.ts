import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Marking } from '../../src/domain/marking.js';
import type { ZoneFeature } from '../../src/domain/zones.js';
import { type CotClient, startTestTak } from '../support/cot.js';
import { squareZone } from '../support/fixtures.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

/** CONCORD_TAK_SEND_MS: long enough that a burst of reports falls in one or two intervals. */
const EVERY_MS = 3000;
const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const USA_ONLY: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['USA'] };

let s: TestServer;
let stopTak: (() => Promise<void>) | undefined;
let usa: Client;
let connect: (user: string) => Promise<CotClient>;

const iso = (ms: number) => new Date(ms).toISOString();
const latOf = (xml: string) => Number(/ lat="([^"]+)"/.exec(xml)?.[1]);

beforeAll(async () => {
  s = await startTestServer();
  const started = await startTestTak(s, { sendEveryMs: EVERY_MS });
  connect = started.connect;
  stopTak = started.stop;
  usa = await Client.login(s.app, 'usa.planner');
});

afterAll(async () => {
  await stopTak?.();
  await s?.close();
});

describe('TAK clients paced by CONCORD_TAK_SEND_MS', () => {
  it('get a track that moved ten times once or twice per interval, always at its latest position', async () => {
    const c = await connect('usa.monitor');
    const id = `PACED-${process.pid}`;
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) {
      const r = await usa.post('/api/v1/tracks/reports', [
        { uid: id, observedAt: iso(t0 + i * 10), lat: 31.4 + i / 1000, lon: 34.4, callsign: 'PACED' },
      ]);
      expect(r.statusCode, r.body).toBe(202);
    }
    const last = await c.waitFor((x) => x.includes(`uid="${id}"`) && latOf(x) === 31.409, 3 * EVERY_MS);
    const sent = c.events.filter((x) => x.includes(`uid="${id}"`));
    const intervals = Math.ceil((Date.now() - t0) / EVERY_MS) + 1;
    expect(sent.length).toBeLessThanOrEqual(intervals);
    expect(sent.length).toBeLessThan(10);
    expect(sent.at(-1)).toBe(last);
    // Positions only ever go forward: a paced client never gets an older one after a newer.
    const lats = sent.map(latOf);
    expect([...lats].sort((a, b) => a - b)).toEqual(lats);
  });

  it('still get a new zone at once, not at the next interval', async () => {
    const c = await connect('usa.monitor');
    // Connected and past its snapshot: the zones it already had have arrived.
    await c.waitFor((x) => x.includes('type="u-d-f"'));
    const name = `Paced zone ${process.pid}`;
    const t0 = Date.now();
    const r = await usa.post('/api/v1/zones', squareZone(name, ALL, 34.42, 31.42));
    expect(r.statusCode, r.body).toBe(201);
    const zone = r.json<ZoneFeature>();
    const got = await c.waitFor((x) => x.includes(`callsign="${name}"`), EVERY_MS);
    expect(got).toContain(`concord.zone.${zone.id}`);
    expect(Date.now() - t0).toBeLessThan(EVERY_MS);
  });

  it('send each client every track released to it and none other, however its slot shares CoT with others', async () => {
    const monitors = [await connect('usa.monitor'), await connect('usa.monitor')];
    const gbr = await connect('gbr.planner');
    const id = (i: number) => `SHARED-${process.pid}-${i}`;
    const t0 = Date.now();
    const reports = Array.from({ length: 8 }, (_, i) => ({
      uid: id(i),
      observedAt: iso(t0 + i),
      lat: 31.4 + i / 1000,
      lon: 34.4,
      callsign: id(i),
      marking: i % 2 ? USA_ONLY : ALL,
    }));
    const r = await usa.post('/api/v1/tracks/reports', reports);
    expect(r.statusCode, r.body).toBe(202);
    const uidsOf = (xs: string[]) => new Set(xs.flatMap((x) => /uid="(SHARED-[^"]+)"/.exec(x)?.[1] ?? []));
    for (const m of monitors)
      for (let i = 0; i < 8; i++) await m.waitFor((x) => x.includes(`uid="${id(i)}"`), 3 * EVERY_MS);
    for (let i = 0; i < 8; i += 2) await gbr.waitFor((x) => x.includes(`uid="${id(i)}"`), 3 * EVERY_MS);
    // A further interval: anything withheld would have come by now.
    await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
    expect([...uidsOf(gbr.events)].sort()).toEqual([0, 2, 4, 6].map(id).sort());
    for (const m of monitors) expect(uidsOf(m.events).size).toBe(8);
  });
});
