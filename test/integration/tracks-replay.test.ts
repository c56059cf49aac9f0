import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Marking } from '../../src/domain/marking.js';
import type { ReplayTrack, ReplayWindow } from '../../src/domain/replay.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const USA_ONLY: Marking = { classification: 'RESTRICTED', releasableTo: ['USA'] };
const USA_GBR: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] };

let server: TestServer;
let usa: Client;
let gbr: Client;
let ngo: Client;

beforeAll(async () => {
  server = await startTestServer();
  [usa, gbr, ngo] = await Promise.all([
    Client.login(server.app, 'usa.planner'),
    Client.login(server.app, 'gbr.planner'),
    Client.login(server.app, 'ngo.field'),
  ]);
});
afterAll(async () => {
  await server.close();
});

const iso = (ms: number) => new Date(ms).toISOString();
const tag = `${process.pid}-${Date.now().toString(36)}`;
/**
 * A window two hours back, on a whole second and shifted by the pid, so that no other test's
 * reports (all made "now") fall into it.
 */
const T0 = Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000 - (process.pid % 600) * 1000;
const at = (s: number) => iso(T0 + s * 1000);

const SHARED = `rp-shared-${tag}`;
const SECRET = `rp-usa-${tag}`;
const FAR = `rp-far-${tag}`;

async function replay(c: Client, q: string) {
  return c.get(`/api/v1/tracks/replay?${q}`);
}
async function load(c: Client, q: string): Promise<ReplayWindow> {
  const r = await replay(c, q);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<ReplayWindow>();
}
const byUid = (w: ReplayWindow) => new Map(w.tracks.map((t) => [t.uid, t]));
const ours = (w: ReplayWindow) => w.tracks.filter((t) => t.uid.endsWith(tag)).map((t) => t.uid);

beforeAll(async () => {
  // One batch: the latest report of each track sets its current marking, so SHARED stays
  // releasable to all while two of its positions are kept under narrower markings.
  const r = await usa.post('/api/v1/tracks/reports', [
    {
      uid: SHARED,
      observedAt: at(0),
      lat: 31.4,
      lon: 34.4,
      course: 90,
      speed: 10,
      kind: 'vehicle',
      affiliation: 'neutral',
      callsign: 'RP SHARED',
      marking: ALL,
    },
    { uid: SHARED, observedAt: at(10), lat: 31.41, lon: 34.41, marking: USA_ONLY },
    { uid: SHARED, observedAt: at(20), lat: 31.42, lon: 34.42, marking: USA_GBR },
    { uid: SHARED, observedAt: at(30), lat: 31.43, lon: 34.43, marking: ALL },
    {
      uid: SECRET,
      observedAt: at(5),
      lat: 31.3,
      lon: 34.3,
      kind: 'uav',
      affiliation: 'friend',
      callsign: 'RP HAWK',
      staleAt: at(65),
      marking: USA_ONLY,
    },
    { uid: SECRET, observedAt: at(15), lat: 31.31, lon: 34.31, staleAt: at(75), marking: USA_ONLY },
    { uid: FAR, observedAt: at(12), lat: 31.9, lon: 35.2, marking: ALL },
  ]);
  expect(r.statusCode, r.body).toBe(202);
  expect(r.json<{ accepted: number }>().accepted).toBe(7);
});

describe('tracks replay: what each viewer gets', () => {
  const q = `from=${at(0)}&to=${at(30)}`;

  it('gives the US planner every position in [from, to), as column arrays per track', async () => {
    const w = await load(usa, q);
    expect(w).toMatchObject({ from: at(0), to: at(30), until: at(30), truncated: false });
    expect(ours(w).sort()).toEqual([FAR, SECRET, SHARED].sort());
    const shared = byUid(w).get(SHARED)!;
    expect(shared).toEqual<ReplayTrack>({
      uid: SHARED,
      kind: 'vehicle',
      affiliation: 'neutral',
      sidc: 'SNGPEV---------',
      callsign: 'RP SHARED',
      staleAfterMs: 5 * 60_000,
      // The aggregate of the positions' markings: what a screen showing them must carry.
      marking: { classification: 'RESTRICTED', releasableTo: ['USA'] },
      markingText: 'RESTRICTED//REL TO USA',
      // from is inclusive, to exclusive: the report at 30 s belongs to the next window.
      t: [0, 10_000, 20_000],
      lon: [34.4, 34.41, 34.42],
      lat: [31.4, 31.41, 31.42],
      course: [90, null, null],
      speed: [10, null, null],
    });
    const hawk = byUid(w).get(SECRET)!;
    expect(hawk).toMatchObject({
      callsign: 'RP HAWK',
      kind: 'uav',
      t: [5_000, 15_000],
      staleAfterMs: 60_000,
    });
    expect(w.markingText).toBe('RESTRICTED//REL TO USA');
    expect(w.positions).toBeGreaterThanOrEqual(6);
  });

  it('leaves out each position the viewer may not see, even of a track they see', async () => {
    const ngoWindow = await load(ngo, q);
    expect(ours(ngoWindow).sort()).toEqual([FAR, SHARED].sort());
    const shared = byUid(ngoWindow).get(SHARED)!;
    expect(shared.t).toEqual([0]);
    expect(shared.markingText).toBe('UNCLASSIFIED//REL TO ALL');
    expect(JSON.stringify(ngoWindow)).not.toContain('RP HAWK');
    expect(JSON.stringify(ngoWindow)).not.toContain('31.41');

    const gbrWindow = await load(gbr, q);
    expect(ours(gbrWindow).sort()).toEqual([FAR, SHARED].sort());
    const forGbr = byUid(gbrWindow).get(SHARED)!;
    expect(forGbr.t).toEqual([0, 20_000]);
    expect(forGbr.markingText).toBe('RESTRICTED//REL TO USA, GBR');
  });

  it('narrows to named uids and to a bbox', async () => {
    const one = await load(usa, `${q}&uids=${SECRET},${SECRET}`);
    expect(one.tracks.map((t) => t.uid)).toEqual([SECRET]);
    const none = await load(ngo, `${q}&uids=${SECRET}`);
    expect(none.tracks).toEqual([]);
    expect(none.markingText).toBe('UNCLASSIFIED//REL TO ALL');
    const far = await load(usa, `${q}&bbox=35,31.5,35.5,32`);
    expect(ours(far)).toEqual([FAR]);
  });

  it('cuts a window past the limit at a time, so what it gives is complete up to `until`', async () => {
    const uids = `uids=${SHARED},${SECRET},${FAR}`;
    // In time order: SHARED 0, SECRET 5, SHARED 10, FAR 12, SECRET 15, SHARED 20.
    const w = await load(usa, `${q}&${uids}&limit=3`);
    expect(w).toMatchObject({ truncated: true, until: at(12), positions: 3 });
    expect(byUid(w).get(SHARED)!.t).toEqual([0, 10_000]);
    expect(byUid(w).get(SECRET)!.t).toEqual([5_000]);
    expect(byUid(w).has(FAR)).toBe(false);
    const whole = await load(usa, `${q}&${uids}&limit=6`);
    expect(whole).toMatchObject({ truncated: false, until: at(30), positions: 6 });
  });

  it('is empty for a window with nothing in it', async () => {
    const w = await load(usa, `from=${at(-600)}&to=${at(-300)}`);
    expect(w).toMatchObject({ tracks: [], positions: 0, truncated: false });
  });
});

describe('tracks replay: bad input', () => {
  it.each([
    ['no from', `to=${at(30)}`, /from/],
    ['no to', `from=${at(0)}`, /to/],
    ['from after to', `from=${at(30)}&to=${at(0)}`, /from must be before to/],
    ['an empty window', `from=${at(0)}&to=${at(0)}`, /from must be before to/],
    ['over 24 hours', `from=${at(0)}&to=${iso(T0 + 24 * 3_600_000 + 1)}`, /longer than 24 hours/],
    ['a leap second', `from=2016-12-31T23:59:60Z&to=2017-01-01T01:00:00Z`, /not a time Concord can use/],
    ['not a time', `from=yesterday&to=${at(0)}`, /from/],
    ['a bad bbox', `from=${at(0)}&to=${at(30)}&bbox=35,32,34,31`, /bbox/],
    ['a bad uid', `from=${at(0)}&to=${at(30)}&uids=a%20b`, /not a track uid/],
    ['a zero limit', `from=${at(0)}&to=${at(30)}&limit=0`, /limit/],
  ])('answers 400 for %s', async (_what, q, reason) => {
    const r = await replay(usa, q);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json<{ detail: string }>().detail).toMatch(reason);
  });

  it('takes exactly 24 hours, and asks who is asking', async () => {
    expect((await replay(usa, `from=${at(0)}&to=${iso(T0 + 24 * 3_600_000)}`)).statusCode).toBe(200);
    const anonymous = await server.app.inject({ url: `/api/v1/tracks/replay?from=${at(0)}&to=${at(30)}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
