import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Marking } from '../../src/domain/marking.js';
import { ZONE_KINDS } from '../../src/domain/zones.js';
import { squareZone } from '../support/fixtures.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

/**
 * Whatever a client sends, the answer is a 4xx problem+json with a code and a detail, never a 500
 * and never a stack trace; the server keeps serving afterwards.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const M: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const JSON_CT = { 'content-type': 'application/json' };

let s: TestServer;
let small: TestServer;
let usa: Client;
let admin: Client;
let usaSmall: Client;
let zoneId: string;

beforeAll(async () => {
  [s, small] = await Promise.all([startTestServer(), startTestServer({ bodyLimitBytes: 10_000 })]);
  [usa, admin, usaSmall] = await Promise.all([
    Client.login(s.app, 'usa.planner'),
    Client.login(s.app, 'admin'),
    Client.login(small.app, 'usa.planner'),
  ]);
  const r = await usa.post('/api/v1/zones', squareZone('Bad input target', M));
  expect(r.statusCode).toBe(201);
  zoneId = r.json<{ id: string }>().id;
});
afterAll(async () => {
  await Promise.all([s?.close(), small?.close()]);
});

/** Stack frames, source paths or module paths in a body mean an internal error leaked out. */
const LEAKS = [/\n\s*at /, /\bat [\w.<>]+ \(/, /node_modules/, /\/work\//, /\.[cm]?[jt]s:\d+/, /file:\/\//];

function expectCleanProblem(r: LightMyRequestResponse, status?: number, code?: string, label = ''): void {
  const what = `${label} → ${r.statusCode} ${r.body.slice(0, 300)}`;
  expect(r.statusCode, what).toBeGreaterThanOrEqual(400);
  expect(r.statusCode, what).toBeLessThan(500);
  if (status) expect(r.statusCode, what).toBe(status);
  expect(r.headers['content-type'], what).toContain('application/problem+json');
  const p = r.json<{ code?: unknown; detail?: unknown; status?: unknown; type?: unknown }>();
  expect(typeof p.code, what).toBe('string');
  expect(typeof p.detail, what).toBe('string');
  expect((p.detail as string).length, what).toBeGreaterThan(0);
  expect(p.status, what).toBe(r.statusCode);
  if (code) expect(p.code, what).toBe(code);
  for (const leak of LEAKS) expect(r.body, `${what} leaks ${leak}`).not.toMatch(leak);
}

const raw = (
  c: Client,
  method: Method,
  url: string,
  body: string,
  headers: Record<string, string> = JSON_CT,
) => c.request(method, url, body, headers);

/** Every endpoint that takes a JSON body, with the client allowed to call it. */
const writeEndpoints = (): [string, Client, Method, string][] => [
  ['create zone', usa, 'POST', '/api/v1/zones'],
  ['update zone', usa, 'PUT', `/api/v1/zones/${zoneId}`],
  ['import zones', usa, 'POST', '/api/v1/zones/import'],
  ['login', usa, 'POST', '/api/v1/auth/login'],
  ['create token', usa, 'POST', '/api/v1/auth/tokens'],
  ['add user', admin, 'POST', '/api/v1/users'],
];

function circle(n: number, lon = 34.4, lat = 31.4, r = 0.05): number[][] {
  const ring = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    return [lon + r * Math.cos(a), lat + r * Math.sin(a)];
  });
  ring.push(ring[0]!);
  return ring;
}

function nested(depth: number, leaf = '1'): string {
  return `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
}

const zoneJson = (extra: string) =>
  `{"name":"raw","kind":"sector","marking":{"classification":"UNCLASSIFIED","releasableTo":["ALL"]},${extra}}`;
const squareJson = JSON.stringify(squareZone('x', M).geometry);

describe('malformed bodies', () => {
  it('answers invalid JSON with 400 invalid-json on every endpoint that takes a body', async () => {
    for (const [label, c, method, url] of writeEndpoints()) {
      for (const body of ['{"name":', '{name: "x"}', "{'a':1}", '[1,2', '{"a":1}}', 'nul', '\u0000']) {
        expectCleanProblem(
          await raw(c, method, url, body),
          400,
          'invalid-json',
          `${label} ${JSON.stringify(body)}`,
        );
      }
    }
  });

  it('answers an empty body declared as JSON with 400 where a body is required', async () => {
    // An empty JSON body counts as no body (clients that always send content-type), which the schema then refuses.
    for (const [label, c, method, url] of writeEndpoints())
      expectCleanProblem(await raw(c, method, url, ''), 400, undefined, label);
  });

  it('answers a body that is JSON but not an object with 400', async () => {
    for (const [label, c, method, url] of writeEndpoints()) {
      for (const body of ['null', '42', '"text"', 'true', '[]', '[{}]'])
        expectCleanProblem(await raw(c, method, url, body), 400, undefined, `${label} ${body}`);
    }
  });

  it('rejects NaN and Infinity literals (not JSON) and numbers that overflow to Infinity', async () => {
    for (const lit of ['NaN', 'Infinity', '-Infinity'])
      expectCleanProblem(
        await raw(
          usa,
          'POST',
          '/api/v1/zones',
          zoneJson(`"geometry":{"type":"Point","coordinates":[${lit},31]}`),
        ),
        400,
        'invalid-json',
        lit,
      );
    for (const n of ['1e999', '-1e999']) {
      const r = await raw(
        usa,
        'POST',
        '/api/v1/zones',
        zoneJson(`"geometry":{"type":"Polygon","coordinates":[[[${n},31],[34.1,31],[34.1,31.1],[${n},31]]]}`),
      );
      expectCleanProblem(r, 400, 'invalid-geometry', n);
      expect(r.json<{ detail: string }>().detail).toContain('finite');
    }
    const strings = squareZone('NaN as text', M);
    (strings.geometry.coordinates[0] as unknown[])[0] = ['NaN', 'Infinity'];
    expectCleanProblem(await usa.post('/api/v1/zones', strings), 400, 'invalid-geometry', 'strings');
    const huge = await raw(
      usa,
      'POST',
      '/api/v1/zones',
      zoneJson('"geometry":{"type":"Polygon","coordinates":[[[1e308,31],[34.1,31],[34.1,31.1],[1e308,31]]]}'),
    );
    expectCleanProblem(huge, 400, 'invalid-geometry', '1e308');
    expect(huge.json<{ detail: string }>().detail).toContain('longitude');
    expectCleanProblem(
      await raw(
        usa,
        'PUT',
        `/api/v1/zones/${zoneId}`,
        `${zoneJson(`"geometry":${squareJson}`).slice(0, -1)},"version":1e999}`,
      ),
      400,
      'validation',
      'version 1e999',
    );
    // Ajv coerces the query string "Infinity" to a number that then matches no version: 409, still clean.
    expectCleanProblem(await usa.del(`/api/v1/zones/${zoneId}?version=Infinity`));
    expectCleanProblem(await usa.get('/api/v1/zones?bbox=NaN,0,1,1'), 400);
    expectCleanProblem(await usa.get('/api/v1/zones?bbox=1.2.3,0,1,1'), 400);
  });

  it('rejects a prototype-pollution attempt and does not pollute', async () => {
    const r = await raw(
      usa,
      'POST',
      '/api/v1/zones',
      zoneJson(`"geometry":${squareJson},"__proto__":{"polluted":1}`),
    );
    expectCleanProblem(r, 400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('schema violations', () => {
  it('answers wrong types with 400 validation', async () => {
    const z = squareZone('Typed', M);
    const cases: [string, Client, Method, string, unknown][] = [
      ['name object', usa, 'POST', '/api/v1/zones', { ...z, name: { first: 'x' } }],
      ['kind number', usa, 'POST', '/api/v1/zones', { ...z, kind: 5 }],
      ['geometry string', usa, 'POST', '/api/v1/zones', { ...z, geometry: 'POLYGON((0 0))' }],
      [
        'coordinates object',
        usa,
        'POST',
        '/api/v1/zones',
        { ...z, geometry: { type: 'Point', coordinates: {} } },
      ],
      ['classification number', usa, 'POST', '/api/v1/zones', { ...z, marking: { ...M, classification: 3 } }],
      [
        'releasableTo object',
        usa,
        'POST',
        '/api/v1/zones',
        { ...z, marking: { ...M, releasableTo: { a: 1 } } },
      ],
      [
        'releasableTo lower case',
        usa,
        'POST',
        '/api/v1/zones',
        { ...z, marking: { ...M, releasableTo: ['usa'] } },
      ],
      ['properties array', usa, 'POST', '/api/v1/zones', { ...z, properties: [1, 2] }],
      ['properties null', usa, 'POST', '/api/v1/zones', { ...z, properties: null }],
      ['validFrom not a time', usa, 'POST', '/api/v1/zones', { ...z, validFrom: 'yesterday' }],
      ['version text', usa, 'PUT', `/api/v1/zones/${zoneId}`, { ...z, version: 'two' }],
      ['version zero', usa, 'PUT', `/api/v1/zones/${zoneId}`, { ...z, version: 0 }],
      ['version fraction', usa, 'PUT', `/api/v1/zones/${zoneId}`, { ...z, version: 1.5 }],
      ['features object', usa, 'POST', '/api/v1/zones/import', { type: 'FeatureCollection', features: {} }],
      ['username object', usa, 'POST', '/api/v1/auth/login', { username: { $ne: '' }, password: 'x' }],
      ['username two items', usa, 'POST', '/api/v1/auth/login', { username: ['a', 'b'], password: 'x' }],
      [
        'password too long',
        usa,
        'POST',
        '/api/v1/auth/login',
        { username: 'admin', password: 'x'.repeat(300) },
      ],
      ['token name object', usa, 'POST', '/api/v1/auth/tokens', { name: { a: 1 } }],
      [
        'roles object',
        admin,
        'POST',
        '/api/v1/users',
        {
          username: 'typed',
          organisation: 'OCHA',
          roles: { a: 1 },
          clearance: 'SECRET',
          password: 'long-enough-pw',
        },
      ],
    ];
    for (const [label, c, method, url, body] of cases)
      expectCleanProblem(await c.request(method, url, body), 400, undefined, label);
  });

  it('answers missing fields with 400 naming the field', async () => {
    const { geometry: _g, ...noGeometry } = squareZone('No geometry', M);
    const { marking: _m, ...noMarking } = squareZone('No marking', M);
    const cases: [Client, Method, string, unknown, string][] = [
      [usa, 'POST', '/api/v1/zones', noGeometry, 'geometry'],
      [usa, 'POST', '/api/v1/zones', noMarking, 'marking'],
      [
        usa,
        'POST',
        '/api/v1/zones',
        { ...squareZone('x', M), marking: { classification: 'SECRET' } },
        'releasableTo',
      ],
      [usa, 'PUT', `/api/v1/zones/${zoneId}`, squareZone('No version', M), 'version'],
      [usa, 'POST', '/api/v1/zones/import', { type: 'FeatureCollection' }, 'features'],
      [usa, 'POST', '/api/v1/auth/login', { username: 'admin' }, 'password'],
      [usa, 'POST', '/api/v1/auth/tokens', {}, 'name'],
      [
        admin,
        'POST',
        '/api/v1/users',
        { username: 'x1', roles: ['viewer'], clearance: 'SECRET', password: 'long-enough-pw' },
        'organisation',
      ],
    ];
    for (const [c, method, url, body, field] of cases) {
      const r = await c.request(method, url, body);
      expectCleanProblem(r, 400, 'validation', `${url} without ${field}`);
      expect(r.json<{ detail: string }>().detail).toContain(field);
    }
  });

  it('answers additional properties with 400 naming them', async () => {
    const cases: [Client, Method, string, unknown, string][] = [
      [usa, 'POST', '/api/v1/zones', { ...squareZone('x', M), colour: 'red' }, 'colour'],
      [usa, 'POST', '/api/v1/zones', { ...squareZone('x', M), marking: { ...M, owner: 'me' } }, 'owner'],
      [usa, 'PUT', `/api/v1/zones/${zoneId}`, { ...squareZone('x', M), version: 1, id: zoneId }, 'id'],
      [
        admin,
        'POST',
        '/api/v1/users',
        {
          username: 'x2',
          organisation: 'OCHA',
          roles: ['viewer'],
          clearance: 'SECRET',
          password: 'long-enough-pw',
          admin: true,
        },
        'admin',
      ],
    ];
    for (const [c, method, url, body, extra] of cases) {
      const r = await c.request(method, url, body);
      expectCleanProblem(r, 400, 'validation', `${url} with ${extra}`);
      expect(r.json<{ detail: string }>().detail).toContain(extra);
    }
  });
});

describe('ids and query strings', () => {
  it('answers an unknown but valid uuid with 404 and an invalid one with 400', async () => {
    const z = { ...squareZone('x', M), version: 1 };
    for (const id of [UNKNOWN_ID, '7d1e5b2a-9c4f-4e1b-8a3d-2f6c9e8b7a10']) {
      expectCleanProblem(await usa.get(`/api/v1/zones/${id}`), 404, 'not-found', `get ${id}`);
      expectCleanProblem(await usa.get(`/api/v1/zones/${id}/versions`), 404, 'not-found', `versions ${id}`);
      expectCleanProblem(await usa.put(`/api/v1/zones/${id}`, z), 404, 'not-found', `put ${id}`);
      expectCleanProblem(await usa.del(`/api/v1/zones/${id}`), 404, 'not-found', `delete ${id}`);
      expectCleanProblem(await usa.del(`/api/v1/auth/tokens/${id}`), 404, 'not-found', `token ${id}`);
    }
    for (const id of ['nope', '123', `${UNKNOWN_ID}0`, "1'%20OR%20'1'='1", '%00', 'x'.repeat(90)]) {
      expectCleanProblem(await usa.get(`/api/v1/zones/${id}`), 400, 'validation', `get ${id}`);
      expectCleanProblem(await usa.get(`/api/v1/zones/${id}/versions`), 400, 'validation', `versions ${id}`);
      expectCleanProblem(await usa.put(`/api/v1/zones/${id}`, z), 400, 'validation', `put ${id}`);
      expectCleanProblem(await usa.del(`/api/v1/zones/${id}`), 400, 'validation', `delete ${id}`);
      expectCleanProblem(await usa.del(`/api/v1/auth/tokens/${id}`), 400, 'validation', `token ${id}`);
    }
    // The router's own refusals (an over-long id, a malformed escape) are problems like the rest.
    expectCleanProblem(await usa.get(`/api/v1/zones/${'x'.repeat(2000)}`), 414, 'bad-request');
    expectCleanProblem(await usa.get('/api/v1/zones/%E0%A4%A'), 400, 'bad-request');
    expectCleanProblem(await admin.post('/api/v1/users/nobody.here/disable'), 404, 'not-found');
    expectCleanProblem(await usa.get('/api/v1/no-such-route'), 404, 'not-found');
  });

  it('answers bad query strings with 400', async () => {
    for (const q of [
      'bbox=1,2,3',
      'bbox=3,2,1,4',
      'bbox=0,-100,1,100',
      'at=yesterday',
      'at=2026-02-30T00:00:00Z',
      // A leap second passes the date-time format but is no JavaScript Date.
      'at=2026-12-31T23:59:60Z',
      `q=${'x'.repeat(101)}`,
      'q=%00',
    ]) {
      expectCleanProblem(await usa.get(`/api/v1/zones?${q}`), 400, undefined, q);
    }
    expectCleanProblem(await usa.get('/api/v1/zones/export?at=2026-12-31T23:59:60Z'), 400);
    expectCleanProblem(await usa.get(`/api/v1/zones/${zoneId}?at=2026-12-31T23:59:60Z`), 400);
    expectCleanProblem(
      await usa.post('/api/v1/zones/import?dryRun=maybe', { type: 'FeatureCollection', features: [] }),
      400,
    );
  });
});

describe('sizes and media types', () => {
  it('answers a body over the limit with 413 body-too-large and keeps accepting normal ones', async () => {
    const big = {
      ...squareZone('Too big', M),
      description: 'x'.repeat(3000),
      properties: { pad: 'y'.repeat(9000) },
    };
    expectCleanProblem(await usaSmall.post('/api/v1/zones', big), 413, 'body-too-large', 'zone');
    const fcBig = {
      type: 'FeatureCollection',
      features: Array.from({ length: 800 }, () => ({ type: 'Feature' })),
    };
    expectCleanProblem(await usaSmall.post('/api/v1/zones/import', fcBig), 413, 'body-too-large', 'import');
    expectCleanProblem(
      await usaSmall.post('/api/v1/auth/login', { username: 'admin', password: 'p'.repeat(20_000) }),
      413,
      'body-too-large',
      'login',
    );
    // Content-Length lying about a small body is refused too.
    expectCleanProblem(
      await raw(usaSmall, 'POST', '/api/v1/zones', JSON.stringify(squareZone('x', M)), {
        ...JSON_CT,
        'content-length': '999999',
      }),
      undefined,
      undefined,
      'lying content-length',
    );
    expect((await usaSmall.post('/api/v1/zones', squareZone('Small enough', M))).statusCode).toBe(201);
  });

  it('answers unsupported content types with 415', async () => {
    const body = JSON.stringify(squareZone('x', M));
    for (const [url, ct] of [
      ['/api/v1/zones', 'application/xml'],
      ['/api/v1/zones', 'multipart/form-data; boundary=x'],
      ['/api/v1/zones', 'application/x-www-form-urlencoded'],
      ['/api/v1/zones/import', 'text/csv'],
      ['/api/v1/auth/login', 'application/x-www-form-urlencoded'],
      ['/api/v1/auth/tokens', 'image/png'],
    ] as const) {
      expectCleanProblem(
        await raw(usa, 'POST', url, body, { 'content-type': ct }),
        415,
        'unsupported-media-type',
        `${url} ${ct}`,
      );
    }
    // text/plain is parsed as a string, which then fails the schema: still a clean 400.
    expectCleanProblem(await raw(usa, 'POST', '/api/v1/zones', body, { 'content-type': 'text/plain' }), 400);
    // GeoJSON's own media type is accepted for imports.
    const geo = await raw(
      usa,
      'POST',
      '/api/v1/zones/import',
      '{"type":"FeatureCollection","features":[{]}',
      {
        'content-type': 'application/geo+json',
      },
    );
    expectCleanProblem(geo, 400, 'invalid-json');
  });
});

describe('geometry and nesting', () => {
  it('refuses a geometry of more than 20,000 vertices with 400, in one ring or spread over parts', async () => {
    const one = await usa.post('/api/v1/zones', {
      ...squareZone('Huge', M),
      geometry: { type: 'Polygon', coordinates: [circle(20_001)] },
    });
    expectCleanProblem(one, 400, 'invalid-geometry', 'one ring');
    expect(one.json<{ detail: string }>().detail).toContain('20000');
    const parts = [0, 1, 2].map((i) => [circle(7_000, 34.2 + i * 0.15)]);
    const multi = await usa.post('/api/v1/zones', {
      ...squareZone('Huge multi', M),
      geometry: { type: 'MultiPolygon', coordinates: parts },
    });
    expectCleanProblem(multi, 400, 'invalid-geometry', 'multipolygon');
    expect(multi.json<{ detail: string }>().detail).toContain('the limit is 20000');
    const line = await usa.post('/api/v1/zones', {
      ...squareZone('Huge line', M),
      kind: 'ceasefire-line',
      geometry: { type: 'LineString', coordinates: circle(20_001).slice(0, -1) },
    });
    expectCleanProblem(line, 400, 'invalid-geometry', 'line');
    const imported = await usa.post('/api/v1/zones/import', {
      type: 'FeatureCollection',
      marking: M,
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: [circle(20_001)] },
          properties: { name: 'Huge', kind: 'sector' },
        },
      ],
    });
    expectCleanProblem(imported, 400, 'bad-request', 'import');
    expect(imported.body).toContain('20000');
    // Just under the limit is fine.
    const ok = await usa.post('/api/v1/zones', {
      ...squareZone('Big but fine', M),
      geometry: { type: 'Polygon', coordinates: [circle(19_000)] },
    });
    expect(ok.statusCode, ok.body.slice(0, 200)).toBe(201);
  });

  it('refuses deeply nested arrays in coordinates and properties with 400', async () => {
    for (const depth of [50, 5_000, 100_000]) {
      const coords = await raw(
        usa,
        'POST',
        '/api/v1/zones',
        zoneJson(`"geometry":{"type":"Polygon","coordinates":${nested(depth)}}`),
      );
      expectCleanProblem(coords, 400, 'invalid-geometry', `coordinates ${depth}`);
      const props = await raw(
        usa,
        'POST',
        '/api/v1/zones',
        zoneJson(`"geometry":${squareJson},"properties":{"a":${nested(depth)}}`),
      );
      expectCleanProblem(props, 400, undefined, `properties ${depth}`);
      expect(props.json<{ detail: string }>().detail).toContain('properties');
      const imp = await raw(
        usa,
        'POST',
        '/api/v1/zones/import',
        `{"type":"FeatureCollection","marking":${JSON.stringify(M)},"features":[{"type":"Feature","geometry":${squareJson},"properties":{"name":"deep","kind":"sector","a":${nested(depth)}}}]}`,
      );
      expectCleanProblem(imp, 400, 'bad-request', `import ${depth}`);
      const login = await raw(
        usa,
        'POST',
        '/api/v1/auth/login',
        `{"username":${nested(depth, '"a"')},"password":"x"}`,
      );
      expectCleanProblem(login, 400, undefined, `login ${depth}`);
    }
    const modest = await usa.post('/api/v1/zones', {
      ...squareZone('Nested a little', M),
      properties: { a: [[[{ b: [1] }]]] },
    });
    expect(modest.statusCode).toBe(201);
  });

  it('refuses text holding U+0000, which PostgreSQL cannot store, with 400', async () => {
    const cases: [Client, Method, string, unknown][] = [
      [usa, 'POST', '/api/v1/zones', squareZone('nul\u0000name', M)],
      [
        usa,
        'POST',
        '/api/v1/zones',
        { ...squareZone('nul in properties', M), properties: { note: 'a\u0000b' } },
      ],
      [usa, 'POST', '/api/v1/zones', { ...squareZone('nul in description', M), description: '\u0000' }],
      [usa, 'POST', '/api/v1/auth/login', { username: 'admin\u0000', password: 'whatever-pw' }],
      [usa, 'POST', '/api/v1/auth/tokens', { name: 'tok\u0000en' }],
      [
        usa,
        'POST',
        '/api/v1/zones/import',
        {
          type: 'FeatureCollection',
          marking: M,
          features: [
            {
              type: 'Feature',
              geometry: squareZone('x', M).geometry,
              properties: { name: 'n\u0000', kind: 'sector' },
            },
          ],
        },
      ],
    ];
    for (const [c, method, url, body] of cases)
      expectCleanProblem(await c.request(method, url, body), 400, 'bad-request', url);
    // Nothing half-written: the import ran in one transaction.
    const list = (await usa.get('/api/v1/zones?q=nul')).json<{ features: unknown[] }>();
    expect(list.features).toHaveLength(0);
  });
});

describe('GeoJSON import of something else', () => {
  it('answers every body that is not a FeatureCollection with 400', async () => {
    const feature = {
      type: 'Feature',
      geometry: squareZone('x', M).geometry,
      properties: { name: 'F', kind: 'sector' },
    };
    for (const body of [
      feature,
      squareZone('x', M).geometry,
      { type: 'GeometryCollection', geometries: [] },
      { type: 'FeatureCollection', features: 'none' },
      { type: 'FeatureCollection', features: null },
      { type: 'featurecollection', features: [feature] },
      { features: [feature] },
      [feature],
      'FeatureCollection',
      { type: 'FeatureCollection', features: [] },
      { type: 'FeatureCollection', features: [1, 'two', null, [], {}] },
      { type: 'FeatureCollection', features: Array.from({ length: 2001 }, () => feature) },
    ]) {
      const r = await raw(usa, 'POST', '/api/v1/zones/import', JSON.stringify(body));
      expectCleanProblem(r, 400, undefined, JSON.stringify(body).slice(0, 80));
    }
  });
});

describe('fuzz', () => {
  const position = fc.tuple(fc.double({ min: -200, max: 200 }), fc.double({ min: -100, max: 100 }));
  const geometry = fc.record({
    type: fc.constantFrom('Point', 'LineString', 'Polygon', 'MultiPolygon', 'MultiLineString', 'Nope'),
    coordinates: fc.oneof(
      position,
      fc.array(position, { maxLength: 8 }),
      fc.array(fc.array(position, { maxLength: 8 }), { maxLength: 3 }),
      fc.jsonValue({ maxDepth: 4 }),
    ),
  });
  const anything = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });
  const marking = fc.oneof(
    fc.constant(M),
    fc.record({
      classification: fc.constantFrom('UNCLASSIFIED', 'SECRET', 'TOP SECRET', ''),
      releasableTo: fc.array(fc.constantFrom('ALL', 'USA', 'GBR', 'usa', ''), { maxLength: 3 }),
    }),
    anything,
  );
  const zoneish = fc.record(
    {
      name: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), anything),
      kind: fc.oneof(fc.constantFrom(...ZONE_KINDS), anything),
      geometry: fc.oneof(fc.constant(squareZone('x', M).geometry), geometry, anything),
      marking,
      validFrom: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string(),
        anything,
      ),
      description: fc.oneof(fc.string({ unit: 'binary' }), anything),
      properties: fc.oneof(fc.dictionary(fc.string(), anything, { maxKeys: 4 }), anything),
    },
    { requiredKeys: [] },
  );

  const check = async (url: string, body: unknown, label: string) => {
    const r = await raw(usa, 'POST', url, JSON.stringify(body));
    if (r.statusCode >= 400)
      expectCleanProblem(r, undefined, undefined, `${label} ${JSON.stringify(body).slice(0, 200)}`);
    else expect(r.statusCode, r.body.slice(0, 200)).toBeLessThan(300);
  };

  it('never answers 500 to random JSON posted to /zones and /zones/import', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/v1/zones', '/api/v1/zones/import'), anything, (url, body) =>
        check(url, body, url),
      ),
      { numRuns: 150 },
    );
  });

  it('never answers 500 to near-valid zones, alone or in an import', async () => {
    await fc.assert(
      fc.asyncProperty(zoneish, (z) => check('/api/v1/zones', z, 'zone')),
      { numRuns: 200 },
    );
    const feature = fc.record(
      {
        type: fc.oneof(fc.constant('Feature'), anything),
        geometry: fc.oneof(fc.constant(squareZone('x', M).geometry), geometry, anything),
        properties: fc.oneof(zoneish, anything),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(feature, { maxLength: 5 }), fc.option(marking), (features, m) =>
        check(
          '/api/v1/zones/import',
          { type: 'FeatureCollection', features, ...(m ? { marking: m } : {}) },
          'import',
        ),
      ),
      { numRuns: 150 },
    );
  });

  it('never answers 500 to random text declared as JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        const r = await raw(usa, 'POST', '/api/v1/zones', text);
        expectCleanProblem(r, undefined, undefined, JSON.stringify(text));
      }),
      { numRuns: 100 },
    );
  });
});

describe('afterwards', () => {
  it('is still healthy and serving', async () => {
    const h = await s.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(h.statusCode).toBe(200);
    expect(h.json<{ status: string }>().status).toBe('ok');
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/ready' })).statusCode).toBe(200);
    expect((await small.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    const list = await usa.get('/api/v1/zones?q=Bad%20input%20target');
    expect(list.json<{ features: unknown[] }>().features).toHaveLength(1);
  });
});
