import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACLED_COLUMNS, HXL_COLUMNS } from '../../src/domain/incident-export.js';
import { ALL, seedIncident, USA_GBR } from '../support/report-seed.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const HIDDEN_TITLE = 'Strike released to USA and GBR only';
const INJECTION = '=HYPERLINK("http://x.invalid","click")';
// Long before any demo incident, so that the filters below see only these.
const T0 = Date.parse('2025-03-01T08:00:00Z');
const at = (h: number) => new Date(T0 + h * 3_600_000);
const FROM = 'from=2025-02-28T00:00:00Z&to=2025-03-05T00:00:00Z';

let s: TestServer;
let planner: Client;
let canada: Client;
let liaison: Client;

beforeAll(async () => {
  s = await startTestServer();
  const db = s.database.db;
  await seedIncident(db, {
    marking: ALL,
    title: 'Shots across the line, "east" of Khan Younis, at dawn',
    category: 'fire-across-line',
    subtype: 'tank-fire',
    governorate: 'Khan Younis',
    lon: 34.33,
    lat: 31.35,
    observedAt: at(0),
    status: 'assessed',
    finding: 'confirmed',
    rationale: 'Crater analysis.',
    killed: 3,
    placeName: 'Abasan',
  });
  await seedIncident(db, {
    marking: USA_GBR,
    title: HIDDEN_TITLE,
    category: 'air-strike',
    subtype: 'drone',
    governorate: 'Rafah',
    observedAt: at(1),
  });
  await seedIncident(db, {
    marking: ALL,
    title: INJECTION,
    category: 'attack-on-aid',
    subtype: 'monitors',
    governorate: 'Gaza',
    accusedParty: 'PSE',
    allegingParty: 'ISR',
    observedAt: at(2),
    placeName: '+cmd|calc',
  });
  await seedIncident(db, {
    marking: ALL,
    title: 'Notified finding',
    category: 'detention',
    subtype: 'civilians',
    governorate: 'Gaza',
    observedAt: at(3),
    status: 'parties-notified',
    finding: 'unsubstantiated',
  });
  await seedIncident(db, { marking: ALL, title: 'Merged duplicate', status: 'merged', observedAt: at(4) });
  await seedIncident(db, { marking: ALL, title: 'Outside the dates', observedAt: at(24 * 10) });
  [planner, canada, liaison] = await Promise.all([
    Client.login(s.app, 'usa.planner'),
    Client.login(s.app, 'can.viewer'),
    Client.login(s.app, 'liaison.isr'),
  ]);
});
afterAll(() => s?.close());

const rowsOf = (csv: string) => parse(csv, { relax_column_count: false }) as string[][];

describe('incident exports', () => {
  it('HXL: header row, hashtag row, then one row per visible incident; marking in the header only', async () => {
    const r = await canada.get(`/api/v1/incidents/export.csv?format=hxl&${FROM}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    expect(r.headers['x-concord-marking']).toBe('UNCLASSIFIED//REL TO ALL');
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="concord-incidents-hxl-.*\.csv"/);
    expect(r.body).not.toContain(HIDDEN_TITLE);
    const rows = rowsOf(r.body);
    expect(rows[0]).toEqual(HXL_COLUMNS.map((c) => c.header));
    expect(rows[1]).toEqual(HXL_COLUMNS.map((c) => c.hashtag));
    expect(rows[1]).toEqual(
      expect.arrayContaining(['#event+id', '#date+occurred', '#adm1+name', '#geo+lat', '#geo+lon']),
    );
    const data = rows.slice(2);
    // Four visible to Canada in the dates: the merged duplicate is not exported by default.
    expect(data).toHaveLength(3);
    const col = (name: string) => HXL_COLUMNS.findIndex((c) => c.hashtag === name);
    const first = data.find((x) => x[col('#event+name')]!.startsWith('Shots'))!;
    expect(first[col('#event+name')]).toBe('Shots across the line, "east" of Khan Younis, at dawn');
    expect(first[col('#affected+killed')]).toBe('3');
    expect(first[col('#status+finding')]).toBe('confirmed');
    expect(first[col('#adm1+name')]).toBe('Khan Younis');
    expect(first[col('#meta+marking')]).toBe('UNCLASSIFIED//REL TO ALL');

    const p = await planner.get(`/api/v1/incidents/export.csv?format=hxl&${FROM}`);
    expect(p.headers['x-concord-marking']).toBe('RESTRICTED//REL TO USA, GBR');
    expect(rowsOf(p.body).slice(2)).toHaveLength(4);
    expect(p.body).toContain(HIDDEN_TITLE);
  });

  it('guards against formula injection', async () => {
    const r = await canada.get(`/api/v1/incidents/export.csv?format=hxl&${FROM}`);
    const data = rowsOf(r.body).slice(2);
    const title = HXL_COLUMNS.findIndex((c) => c.hashtag === '#event+name');
    const place = HXL_COLUMNS.findIndex((c) => c.hashtag === '#loc+name');
    const row = data.find((x) => x[title]!.includes('HYPERLINK'))!;
    expect(row[title]).toBe(`'${INJECTION}`);
    expect(row[place]).toBe("'+cmd|calc");
    for (const cell of data.flat()) expect(cell).not.toMatch(/^[=+@]/);
    const acled = rowsOf((await canada.get(`/api/v1/incidents/export.csv?${FROM}`)).body);
    for (const cell of acled.slice(1).flat()) expect(cell).not.toMatch(/^[=+@]/);
  });

  it('ACLED: the codebook columns, our taxonomy mapped, fatalities the killed', async () => {
    const r = await planner.get(`/api/v1/incidents/export.csv?format=acled&${FROM}`);
    expect(r.statusCode).toBe(200);
    const rows = rowsOf(r.body);
    expect(rows[0]).toEqual([...ACLED_COLUMNS]);
    const data = rows.slice(1).map((x) => Object.fromEntries(rows[0]!.map((h, i) => [h, x[i]!])));
    expect(data).toHaveLength(4);
    const fire = data.find((x) => x.notes!.includes('Shots across the line'))!;
    expect(fire).toMatchObject({
      event_date: '2025-03-01',
      year: '2025',
      time_precision: '1',
      event_type: 'Explosions/Remote violence',
      sub_event_type: 'Shelling/artillery/missile attack',
      disorder_type: 'Political violence',
      actor1: 'Military Forces of Israel',
      inter1: '1',
      admin1: 'Gaza Strip',
      admin2: 'Khan Younis',
      location: 'Abasan',
      latitude: '31.35',
      longitude: '34.33',
      geo_precision: '1',
      fatalities: '3',
      country: 'Palestine',
    });
    expect(fire.event_id_cnty).toMatch(/^INC-\d{6}$/);
    const monitors = data.find((x) => x.notes!.includes('HYPERLINK'))!;
    expect(monitors).toMatchObject({
      event_type: 'Violence against civilians',
      sub_event_type: 'Attack',
      civilian_targeting: 'Civilian targeting',
    });
    expect(data.find((x) => x.notes!.includes('Notified finding'))).toMatchObject({
      event_type: 'Strategic developments',
      sub_event_type: 'Arrests',
    });
  });

  it('withholds findings from party liaisons until the parties are notified', async () => {
    const r = await liaison.get(`/api/v1/incidents/export.csv?format=hxl&${FROM}`);
    const rows = rowsOf(r.body);
    const title = HXL_COLUMNS.findIndex((c) => c.hashtag === '#event+name');
    const finding = HXL_COLUMNS.findIndex((c) => c.hashtag === '#status+finding');
    const by = (t: string) => rows.find((x) => x[title]!.startsWith(t))!;
    expect(by('Shots')[finding]).toBe('');
    expect(by('Notified')[finding]).toBe('unsubstantiated');
    const g = (await liaison.get(`/api/v1/incidents/export.geojson?${FROM}`)).json<{
      features: { properties: { title: string; finding: string | null; rationale: string | null } }[];
    }>();
    const shots = g.features.find((f) => f.properties.title.startsWith('Shots'))!;
    expect(shots.properties).toMatchObject({ finding: null, rationale: null });
    expect(JSON.stringify(g)).not.toContain('Crater analysis');
    const acled = (await liaison.get(`/api/v1/incidents/export.csv?${FROM}`)).body;
    expect(acled).not.toContain('Finding: Confirmed');
  });

  it('GeoJSON: a FeatureCollection with a top-level marking, only what the viewer may see', async () => {
    const r = await planner.get(`/api/v1/incidents/export.geojson?${FROM}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/geo+json');
    expect(r.headers['x-concord-marking']).toBe('RESTRICTED//REL TO USA, GBR');
    const g = r.json<{
      type: string;
      marking: unknown;
      markingText: string;
      features: { geometry: { coordinates: number[] }; properties: { title: string; marking: unknown } }[];
    }>();
    expect(g.type).toBe('FeatureCollection');
    expect(g.markingText).toBe('RESTRICTED//REL TO USA, GBR');
    expect(g.marking).toEqual({ classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] });
    expect(g.features).toHaveLength(4);
    expect(g.features.find((f) => f.properties.title.startsWith('Shots'))!.geometry.coordinates).toEqual([
      34.33, 31.35,
    ]);
    const c = await canada.get(`/api/v1/incidents/export.geojson?${FROM}`);
    expect(c.body).not.toContain(HIDDEN_TITLE);
    expect(c.json<{ features: unknown[] }>().features).toHaveLength(3);
  });

  it("takes a place name only from reports the incident's marking covers", async () => {
    const { id } = await seedIncident(s.database.db, {
      marking: ALL,
      title: 'Place from a narrower report',
      observedAt: at(24 * 20),
      placeName: 'Secret hamlet',
    });
    await s.database.db.asSystem((tx) =>
      sql`UPDATE incident_reports SET classification = 1, releasable_to = '{USA,GBR}' WHERE incident_id = ${id}`.execute(
        tx,
      ),
    );
    const r = await planner.get('/api/v1/incidents/export.geojson?q=narrower');
    const f = r.json<{ features: { properties: { place: string | null; reporterKinds: string[] } }[] }>();
    expect(f.features).toHaveLength(1);
    expect(f.features[0]!.properties).toMatchObject({ place: null, reporterKinds: [] });
    expect(r.headers['x-concord-marking']).toBe('UNCLASSIFIED//REL TO ALL');
  });

  it('filters like the list: governorate, category, status, party, dates', async () => {
    const count = async (q: string) =>
      (await planner.get(`/api/v1/incidents/export.geojson?${FROM}&${q}`)).json<{ features: unknown[] }>()
        .features.length;
    expect(await count('governorate=Gaza')).toBe(2);
    expect(await count('governorate=Gaza,Rafah')).toBe(3);
    expect(await count('category=air-strike')).toBe(1);
    expect(await count('status=merged')).toBe(1);
    expect(await count('status=assessed,parties-notified')).toBe(2);
    expect(await count('party=PSE')).toBe(4);
    expect(await count('party=ISR&category=attack-on-aid')).toBe(1);
    expect(await count('q=notified')).toBe(1);
    expect(await count('bbox=34.32,31.34,34.34,31.36')).toBe(1);
    const all = await planner.get('/api/v1/incidents/export.geojson');
    expect(
      all.json<{ features: { properties: { title: string } }[] }>().features.map((f) => f.properties.title),
    ).toContain('Outside the dates');
  });

  it('answers bad parameters with a 400 problem', async () => {
    for (const url of [
      '/api/v1/incidents/export.csv?format=xlsx',
      '/api/v1/incidents/export.csv?status=bogus',
      '/api/v1/incidents/export.csv?category=fire',
      '/api/v1/incidents/export.geojson?governorate=Atlantis',
      '/api/v1/incidents/export.geojson?from=yesterday',
      '/api/v1/incidents/export.geojson?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z',
      '/api/v1/incidents/export.geojson?party=israel',
      '/api/v1/incidents/export.geojson?bbox=35,31,34,32',
    ]) {
      const r = await planner.get(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/incidents/export.csv' })).statusCode).toBe(401);
  });
});
