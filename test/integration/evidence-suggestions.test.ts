import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem, EvidenceSuggestions } from '../../src/domain/evidence.js';
import type { Marking } from '../../src/domain/marking.js';
import type { Viewer } from '../../src/domain/viewer.js';
import { suggestEvidence } from '../../src/server/modules/evidence/index.js';
import { squarePolygon } from '../support/fixtures.js';
import { insertIncident } from '../support/incidents.js';
import { sleep } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const SECRET_USA: Marking = { classification: 'SECRET', releasableTo: ['USA'] };
const LON = 34.4;
const LAT = 31.45;
// Four hours ago, so that a track three hours after it is still in the past.
const T = Math.floor((Date.now() - 4 * 3600_000) / 60_000) * 60_000;
const MIN = 60_000;

let server: TestServer;
let dir: string;
let planner: Client;
let analyst: Client;
let admin: Client;
let canViewer: Client;
let incident: string;

const id = (what: string) => `ev-${what}-${process.pid}`;
const OVER = id('over');
const FAR = id('far');
const LATE = id('late');
const WIDE = id('wide');
const SECRET = id('secret');

const iso = (ms: number) => new Date(ms).toISOString();
const report = (uid: string, at: number, lon: number, lat: number, over: Record<string, unknown> = {}) => ({
  uid,
  observedAt: iso(at),
  lon,
  lat,
  kind: 'uav',
  affiliation: 'friend',
  marking: ALL,
  ...over,
});
const suggestions = async (c: Client, q = '') => {
  const r = await c.get(`/api/v1/incidents/${incident}/evidence/suggestions${q}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<EvidenceSuggestions>();
};

async function waitForPositions(uids: string[], n: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await server.database.db.asSystem((tx) =>
      sql<{
        n: string;
      }>`SELECT count(*)::text AS n FROM track_positions WHERE uid = ANY(${uids}::text[])`.execute(tx),
    );
    if (Number(r.rows[0]?.n) >= n) return;
    await sleep(100);
  }
  throw new Error(`positions of ${uids.join(', ')} did not arrive`);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-evidence-'));
  server = await startTestServer({ config: { evidenceDir: dir } });
  const login = (u: string) => Client.login(server.app, u);
  [planner, analyst, admin, canViewer] = await Promise.all([
    login('usa.planner'),
    login('fra.analyst'),
    login('admin'),
    login('can.viewer'),
  ]);
  incident = (
    await insertIncident(server.database.db, { marking: ALL, observedAt: new Date(T), lon: LON, lat: LAT })
  ).id;
  const camera = squarePolygon(LON, LAT, 0.01);
  const r = await planner.post('/api/v1/tracks/reports', [
    // A UAV over the incident point at the time, its camera footprint around it.
    report(OVER, T - 2 * MIN, LON - 0.002, LAT, { callsign: 'REAPER 7', footprint: camera }),
    report(OVER, T, LON, LAT, { footprint: camera }),
    report(OVER, T + 2 * MIN, LON + 0.002, LAT, { footprint: camera }),
    // About 20 km east, at the time.
    report(FAR, T, LON + 0.22, LAT, { callsign: 'FAR 1' }),
    // Over the point, three hours later.
    report(LATE, T + 3 * 60 * MIN, LON, LAT, { callsign: 'LATE 1' }),
    // 8 km north, its sensor footprint over the point.
    report(WIDE, T + MIN, LON, LAT + 0.072, { callsign: 'WIDE 1', kind: 'aircraft', footprint: camera }),
    // Over the point at the time, but SECRET.
    report(SECRET, T, LON + 0.001, LAT, { callsign: 'SHADOW', marking: SECRET_USA }),
  ]);
  expect(r.statusCode, r.body).toBe(202);
  expect(r.json<{ accepted: number }>().accepted).toBe(7);
  await waitForPositions([OVER, FAR, LATE, WIDE, SECRET], 7);
});
afterAll(async () => {
  await server?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('evidence suggestion', () => {
  it('ranks the track over the incident first and leaves out the far and the late', async () => {
    const s = await suggestions(planner);
    const uids = s.items.map((x) => x.uid);
    expect(uids[0]).toBe(OVER);
    expect(uids).not.toContain(FAR);
    expect(uids).not.toContain(LATE);
    expect(s).toMatchObject({ radiusM: 5000, windowMinutes: 30, capped: false, from: iso(T - 30 * MIN) });
    const over = s.items[0]!;
    expect(over).toMatchObject({
      uid: OVER,
      callsign: 'REAPER 7',
      kind: 'uav',
      affiliation: 'friend',
      organisation: 'USA-CMCC',
      closestDistanceM: 0,
      closestAt: iso(T),
      positions: 3,
      footprintCovers: true,
      timeGapS: 0,
      from: iso(T - 2 * MIN),
      to: iso(T + 2 * MIN),
      markingText: 'UNCLASSIFIED//REL TO ALL',
    });
    expect(over.sidc).toMatch(/^S/);

    const wide = s.items.find((x) => x.uid === WIDE)!;
    expect(wide.footprintCovers).toBe(true);
    expect(wide.closestDistanceM).toBeGreaterThan(7900);
    expect(wide.closestDistanceM).toBeLessThan(8100);
    // Footprint over the point first, then by distance: the SECRET track is closer but sees nothing.
    expect(uids).toEqual([OVER, WIDE, SECRET]);
    expect(s.items.find((x) => x.uid === SECRET)!.footprintCovers).toBe(false);
    expect(s.markingText).toBe('SECRET//REL TO USA');
    expect(over.score).toBeGreaterThan(s.items[2]!.score);

    // A wider window finds the late one.
    const wider = await suggestions(planner, '?windowMinutes=240');
    expect(wider.items.map((x) => x.uid)).toContain(LATE);
    // A radius of 30 km finds the far one.
    expect((await suggestions(planner, '?radiusM=30000')).items.map((x) => x.uid)).toContain(FAR);
  });

  it('does not suggest a SECRET track to a RESTRICTED viewer', async () => {
    const s = await suggestions(canViewer);
    expect(s.items.map((x) => x.uid)).toEqual([OVER, WIDE]);
    expect(s.markingText).toBe('UNCLASSIFIED//REL TO ALL');
  });

  it('validates its bounds and says when the scan was capped', async () => {
    for (const q of [
      '?radiusM=10',
      '?radiusM=60000',
      '?windowMinutes=0',
      '?windowMinutes=5000',
      '?radiusM=abc',
    ]) {
      const r = await planner.get(`/api/v1/incidents/${incident}/evidence/suggestions${q}`);
      expect(r.statusCode, q).toBe(400);
    }
    const viewer: Viewer = {
      userId: '00000000-0000-4000-8000-000000000000',
      username: 'test',
      displayName: 'Test',
      organisationId: '00000000-0000-4000-8000-000000000000',
      organisationCode: 'USA-CMCC',
      nation: 'USA',
      roles: ['viewer'],
      clearance: 'SECRET',
      principals: ['USA', 'USA-CMCC'],
      caveats: [],
    };
    const capped = await suggestEvidence(server.database.db, 2)(viewer, incident);
    expect(capped).toMatchObject({ capped: true, scanned: 2 });
  });

  it('links the suggested segment in one step and returns it as a LineString', async () => {
    const over = (await suggestions(analyst)).items.find((x) => x.uid === OVER)!;
    const url = `/api/v1/incidents/${incident}/evidence/links`;
    const r = await analyst.post(url, {
      kind: 'track-segment',
      trackUid: over.uid,
      from: over.from,
      to: over.to,
      description: 'UAV overhead',
    });
    expect(r.statusCode, r.body).toBe(201);
    const item = r.json<EvidenceItem>();
    expect(item).toMatchObject({
      kind: 'track-segment',
      trackUid: OVER,
      from: over.from,
      to: over.to,
      markingText: 'UNCLASSIFIED//REL TO ALL',
      lastCustody: { action: 'linked' },
    });
    const seg = await canViewer.get(`/api/v1/evidence/${item.id}/segment`);
    expect(seg.statusCode, seg.body).toBe(200);
    expect(seg.json()).toMatchObject({
      type: 'Feature',
      geometry: {
        type: 'LineString',
        coordinates: [
          [LON - 0.002, LAT],
          [LON, LAT],
          [LON + 0.002, LAT],
        ],
      },
      properties: { trackUid: OVER, times: [iso(T - 2 * MIN), iso(T), iso(T + 2 * MIN)], count: 3 },
    });

    // No positions released to the viewer in that window: the same answer as none at all.
    const hidden = await analyst.post(url, {
      kind: 'track-segment',
      trackUid: SECRET,
      from: iso(T - MIN),
      to: iso(T + MIN),
    });
    const none = await analyst.post(url, {
      kind: 'track-segment',
      trackUid: OVER,
      from: iso(T + 10 * MIN),
      to: iso(T + 20 * MIN),
    });
    expect([hidden.statusCode, none.statusCode]).toEqual([404, 404]);
    expect(hidden.json().code).toBe('no-track-positions');
    const backwards = await analyst.post(url, {
      kind: 'track-segment',
      trackUid: OVER,
      from: iso(T),
      to: iso(T - MIN),
    });
    expect(backwards.statusCode).toBe(400);

    // A SECRET segment takes the aggregate marking and cannot be marked below it.
    const low = await admin.post(url, {
      kind: 'track-segment',
      trackUid: SECRET,
      from: iso(T - MIN),
      to: iso(T + MIN),
      marking: ALL,
    });
    expect(low.statusCode).toBe(400);
    const secret = await admin.post(url, {
      kind: 'track-segment',
      trackUid: SECRET,
      from: iso(T - MIN),
      to: iso(T + MIN),
    });
    expect(secret.statusCode, secret.body).toBe(201);
    expect(secret.json<EvidenceItem>().markingText).toBe('SECRET//REL TO USA');
    const seen = (await canViewer.get(`/api/v1/incidents/${incident}/evidence`)).json<{
      items: EvidenceItem[];
    }>();
    expect(seen.items.map((x) => x.id)).toEqual([item.id]);
  });
});
