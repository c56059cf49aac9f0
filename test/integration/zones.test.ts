import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { squareZone } from '../support/fixtures.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

interface FC {
  features: { id: string; properties: { name: string; version: number; markingText: string } }[];
  markingText: string;
}

let s: TestServer;
let usa: Client;
let gbr: Client;
let ngo: Client;

beforeAll(async () => {
  s = await startTestServer();
  [usa, gbr, ngo] = await Promise.all([
    Client.login(s.app, 'usa.planner'),
    Client.login(s.app, 'gbr.planner'),
    Client.login(s.app, 'ngo.field'),
  ]);
});
afterAll(() => s.close());

const names = async (c: Client, q = '') =>
  (await c.get(`/api/v1/zones${q}`)).json<FC>().features.map((f) => f.properties.name);

describe('zones', () => {
  it('lists different demo zones to users of different nations, as their markings say', async () => {
    const u = await names(usa);
    const g = await names(gbr);
    const n = await names(ngo);
    expect(u).toContain('NAI 3 (synthetic)');
    expect(g).not.toContain('NAI 3 (synthetic)');
    expect(g).toContain('Sector North (UK planning)');
    expect(n).not.toContain('Sector North (UK planning)');
    expect(n).not.toContain('Eastern buffer zone');
    expect(n).toContain('UN warehouse Deir al-Balah');
    expect(n).toContain('Gaza Strip');
  });

  it('creates, versions and retires a zone, keeping every version and answering "as of"', async () => {
    const created = await usa.post(
      '/api/v1/zones',
      squareZone('Test area', { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] }),
    );
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const t1 = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));

    const moved = {
      ...squareZone(
        'Test area (moved)',
        { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] },
        34.41,
      ),
      version: 1,
    };
    const upd = await gbr.put(`/api/v1/zones/${id}`, moved);
    expect(upd.statusCode).toBe(200);
    expect(upd.json<{ properties: { version: number } }>().properties.version).toBe(2);

    const stale = await usa.put(`/api/v1/zones/${id}`, moved);
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json<{ code: string; currentVersion: number }>()).toMatchObject({
      code: 'conflict',
      currentVersion: 2,
    });

    const asOf = await usa.get(`/api/v1/zones/${id}?at=${encodeURIComponent(t1)}`);
    expect(asOf.json<{ properties: { name: string } }>().properties.name).toBe('Test area');

    expect((await usa.del(`/api/v1/zones/${id}?version=2`)).statusCode).toBe(204);
    expect((await usa.get(`/api/v1/zones/${id}`)).statusCode).toBe(404);
    expect(await names(usa)).not.toContain('Test area (moved)');
    const hist = (await usa.get(`/api/v1/zones/${id}/versions`)).json<
      { properties: { version: number; deleted: boolean } }[]
    >();
    expect(hist.map((h) => [h.properties.version, h.properties.deleted])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const before = (await usa.get(`/api/v1/zones?at=${encodeURIComponent(t1)}`)).json<FC>();
    expect(before.features.map((f) => f.properties.name)).toContain('Test area');
  });

  it('answers the withdrawal line version in force at a time', async () => {
    const oct = (await usa.get('/api/v1/zones?kind=withdrawal-line&at=2026-10-20T00:00:00Z')).json<FC>();
    const now = (await usa.get('/api/v1/zones?kind=withdrawal-line')).json<FC>();
    expect(oct.features[0]?.properties.version).toBe(1);
    expect(now.features[0]?.properties.version).toBe(2);
    const sept = (await usa.get('/api/v1/zones?kind=withdrawal-line&at=2026-09-01T00:00:00Z')).json<FC>();
    expect(sept.features).toHaveLength(0);
  });

  it('refuses to write a marking not released to the writer or above their clearance', async () => {
    const r = await gbr.post(
      '/api/v1/zones',
      squareZone('US only', { classification: 'RESTRICTED', releasableTo: ['USA'] }),
    );
    expect(r.statusCode).toBe(403);
    expect(r.json<{ code: string }>().code).toBe('forbidden');
    const v = await Client.login(s.app, 'usa.monitor');
    expect(
      (
        await v.post(
          '/api/v1/zones',
          squareZone('x', { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] }),
        )
      ).statusCode,
    ).toBe(403);
  });

  it('does not reveal zones of others: 404 for get, update and delete', async () => {
    const nai = (await usa.get('/api/v1/zones?q=NAI')).json<FC>().features[0]!;
    expect((await gbr.get(`/api/v1/zones/${nai.id}`)).statusCode).toBe(404);
    expect((await gbr.get(`/api/v1/zones/${nai.id}/versions`)).statusCode).toBe(404);
    const upd = await gbr.put(`/api/v1/zones/${nai.id}`, {
      ...squareZone('taken', { classification: 'RESTRICTED', releasableTo: ['GBR'] }),
      version: 1,
    });
    expect(upd.statusCode).toBe(404);
    expect((await gbr.del(`/api/v1/zones/${nai.id}`)).statusCode).toBe(404);
    expect((await usa.get(`/api/v1/zones/${nai.id}`)).statusCode).toBe(200);
  });

  it('rejects invalid geometry with a 400 naming what is wrong', async () => {
    const m = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] } as const;
    const cases: [unknown, string][] = [
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [34, 31],
              [34.1, 31],
              [34.1, 31.1],
              [34, 31],
            ].slice(0, 3),
          ],
        },
        'at least 4',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [34, 31],
              [34.1, 31],
              [34.1, 31.1],
              [34, 31.1],
            ],
          ],
        },
        'not closed',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [34, 31],
              [34.1, 31.1],
              [34.1, 31],
              [34, 31.1],
              [34, 31],
            ],
          ],
        },
        'self-intersecting',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [200, 31],
              [34.1, 31],
              [34.1, 31.1],
              [200, 31],
            ],
          ],
        },
        'longitude',
      ],
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              [34, 'x'],
              [34.1, 31],
              [34.1, 31.1],
              [34, 'x'],
            ],
          ],
        },
        'finite',
      ],
      [
        {
          type: 'LineString',
          coordinates: [
            [34, 31],
            [34.1, 31],
          ],
        },
        'must be one of Polygon',
      ],
    ];
    for (const [geometry, reason] of cases) {
      const r = await usa.post('/api/v1/zones', { name: 'bad', kind: 'buffer-zone', marking: m, geometry });
      expect(r.statusCode, JSON.stringify(geometry)).toBe(400);
      expect(r.json<{ detail: string }>().detail).toContain(reason);
    }
  });

  it('imports a FeatureCollection, reporting each bad feature and keeping the good ones; exports GeoJSON', async () => {
    const good = squareZone('Imported A', { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] }, 34.3);
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: good.geometry,
          properties: { name: 'Imported A', kind: 'sector', marking: good.marking },
        },
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [34, 31],
                [35, 31],
                [34, 32],
              ],
            ],
          },
          properties: { name: 'Broken B', kind: 'sector' },
        },
        { type: 'Feature', geometry: good.geometry, properties: { name: 'No kind C' } },
      ],
      marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
    };
    const dry = await usa.post('/api/v1/zones/import?dryRun=true', fc);
    expect(dry.statusCode).toBe(200);
    expect(dry.json<{ valid: number }>().valid).toBe(1);
    expect(await names(usa)).not.toContain('Imported A');

    const r = await usa.post('/api/v1/zones/import', fc);
    expect(r.statusCode).toBe(201);
    const body = r.json<{
      created: string[];
      errors: { index: number; name: string; problems: { path: string; message: string }[] }[];
    }>();
    expect(body.created).toHaveLength(1);
    expect(body.errors.map((e) => e.index)).toEqual([1, 2]);
    expect(body.errors[0]!.problems[0]!.message).toContain('at least 4');
    expect(body.errors[1]!.problems[0]!.path).toBe('properties.kind');
    expect(await names(ngo)).toContain('Imported A');

    const exp = await ngo.get('/api/v1/zones/export');
    expect(exp.headers['content-disposition']).toContain('attachment');
    const out = exp.json<FC>();
    expect(out.features.map((f) => f.properties.name)).toContain('Imported A');
    expect(out.features.map((f) => f.properties.name)).not.toContain('NAI 3 (synthetic)');
    expect(out.markingText).toMatch(/^UNCLASSIFIED\/\/REL TO /);
  });

  it('does not coerce body types: a number is not a name, a string is not a list', async () => {
    const base = squareZone('typed', { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] });
    const asNumber = await usa.post('/api/v1/zones', { ...base, name: 5 });
    expect(asNumber.statusCode).toBe(400);
    expect(asNumber.json<{ code: string; detail: string }>().detail).toContain('/name');
    const asString = await usa.post('/api/v1/zones', {
      ...base,
      marking: { classification: 'UNCLASSIFIED', releasableTo: 'ALL' },
    });
    expect(asString.statusCode).toBe(400);
    expect((await usa.get('/api/v1/zones?bbox=34.2,31.2,34.6,31.6&kind=sector')).statusCode).toBe(200);
  });

  it('refuses validity times outside 1900–9999 with a 400, in create and import', async () => {
    const base = squareZone('ancient', { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] });
    const r = await usa.post('/api/v1/zones', { ...base, validFrom: '-004713-11-23T23:59:59.999Z' });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ detail: string }>().detail).toContain('validFrom');
    const imp = await usa.post('/api/v1/zones/import', {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: base.geometry,
          properties: {
            name: 'x',
            kind: 'sector',
            marking: base.marking,
            validTo: '+275760-09-13T00:00:00.000Z',
          },
        },
      ],
    });
    expect(imp.statusCode).toBe(400);
    expect(JSON.stringify(imp.json())).toContain('validTo');
  });

  it('counts only what the viewer may see', async () => {
    const u = (await usa.get('/api/v1/zones/counts')).json<Record<string, number>>();
    const n = (await ngo.get('/api/v1/zones/counts')).json<Record<string, number>>();
    expect(u['buffer-zone']).toBe(1);
    expect(n['buffer-zone']).toBeUndefined();
  });
});
