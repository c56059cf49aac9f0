import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportProgress, RowError } from '../../src/domain/aid-imports.js';
import { importsService } from '../../src/server/modules/aid-import/index.js';
import { insertCrossing, insertTestCrossings } from '../support/aid.js';
import { LiveClient } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const RESTRICTED_OCHA = 'RESTRICTED//REL TO OCHA';
const UNCLASS = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };

let server: TestServer;
let un: Client;
let ngo: Client;
let admin: Client;

async function post(c: Client, csv: string, kind = 'consignments', marking: unknown = RESTRICTED_OCHA) {
  const m = typeof marking === 'string' ? marking : JSON.stringify(marking);
  return c.request('POST', `/api/v1/aid/imports?kind=${kind}&marking=${encodeURIComponent(m)}`, csv, {
    'content-type': 'text/csv',
  });
}

/** Polls the job as a client would until it is no longer running. */
async function finished(c: Client, id: string): Promise<ImportProgress> {
  for (let i = 0; i < 600; i++) {
    const r = await c.get(`/api/v1/aid/imports/${id}`);
    expect(r.statusCode).toBe(200);
    const p = r.json<ImportProgress>();
    if (p.state !== 'running') return p;
    expect(p.percent).toBeLessThan(100);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`import ${id} did not finish`);
}

async function importCsv(c: Client, csv: string, kind = 'consignments', marking: unknown = RESTRICTED_OCHA) {
  const r = await post(c, csv, kind, marking);
  expect(r.statusCode, r.body).toBe(202);
  const { jobId } = r.json<{ jobId: string }>();
  const progress = await finished(c, jobId);
  const e = await c.get(`/api/v1/aid/imports/${jobId}/errors`);
  expect(e.statusCode).toBe(200);
  return { jobId, progress, errors: e.json<{ errors: RowError[] }>().errors };
}

const HEAD = [
  'Crossing,Organisation,Category,Item,Quantity,Unit,Pallets,Tonnes,Trucks,Date,Marking',
  '#loc+crossing,#org+code,#item+type,#item+name,#value+quantity,#indicator+unit,#value+pallets,#value+tonnes,#value+trucks,#date+registered,#meta+marking',
];

beforeAll(async () => {
  server = await startTestServer();
  await insertTestCrossings(server.database.db);
  await insertCrossing(server.database.db, {
    name: 'Gate Seven',
    lon: 34.3,
    lat: 31.3,
    marking: { classification: 'RESTRICTED', releasableTo: ['OCHA'] },
  });
  un = await Client.login(server.app, 'un.logistics');
  ngo = await Client.login(server.app, 'ngo.field');
  admin = await Client.login(server.app, 'admin');
});

afterAll(async () => {
  await server?.close();
});

describe('consignment lists', () => {
  it('imports the good rows and reports each bad row with its row number and reason', async () => {
    const csv = [
      ...HEAD,
      'Kerem Shalom,OCHA,food,Wheat flour,1200,sacks,20,25,2,2026-11-30,',
      'Atlantis,OCHA,food,Rice,10,sacks,1,1,1,,',
      'Rafah,OCHA,water,Bottled water,lots,litres,1,1,1,,',
      'Rafah,OCHA,weapons,Things,10,boxes,1,1,1,,',
      'Kissufim,OCHA,health,,5,kits,1,1,1,,',
      'Kissufim,OCHA,health,Trauma kits,5,kits,1,1,1,30/11/2026,',
      'Zikim,OCHA,shelter,Tents,50,pieces,1,1,1,,SECRET//REL TO OCHA',
      'zikim,ocha,Shelter,Tarpaulins,"1,500",pieces,3,2.5,1,2026-11-29T08:00:00Z,UNCLASSIFIED//REL TO ALL',
      'Rafah,WFP,food,Lentils,10,sacks,1,1,1,,',
    ].join('\r\n');
    const { progress, errors } = await importCsv(un, csv);
    expect(progress).toMatchObject({
      state: 'done',
      percent: 100,
      processedRows: 9,
      importedRows: 2,
      errorCount: 7,
      totalRows: 9,
    });
    const byRow = new Map(errors.map((e) => [e.row, e]));
    expect(byRow.get(4)).toMatchObject({ column: '#loc+crossing', value: 'Atlantis' });
    expect(byRow.get(4)?.reason).toMatch(/unknown crossing/);
    expect(byRow.get(5)?.reason).toMatch(/quantity is not a number/);
    expect(byRow.get(6)?.reason).toMatch(/unknown item category/);
    expect(byRow.get(7)?.reason).toMatch(/item is missing/);
    expect(byRow.get(8)?.reason).toMatch(/not an ISO 8601 date/);
    expect(byRow.get(9)?.reason).toMatch(/not writable/);
    expect(byRow.get(11)?.reason).toMatch(/WFP is not your organisation/);
    expect(errors.map((e) => e.row)).toEqual([4, 5, 6, 7, 8, 9, 11]);

    const report = await un.get(`/api/v1/aid/imports/${progress.id}/errors?format=csv`);
    expect(report.headers['content-type']).toMatch(/text\/csv/);
    const lines = report.body.trim().split('\r\n');
    expect(lines[0]).toBe('row,column,value,reason');
    expect(lines[1]).toBe('4,#loc+crossing,Atlantis,"unknown crossing ""Atlantis"""');
  });

  it('keeps counting across batches and reports the bad rows at their edges', async () => {
    const lines = [...HEAD];
    for (let i = 0; i < 4500; i++) {
      const row = lines.length + 1;
      const bad = row === 2002 || row === 2003 || row === 4502;
      lines.push(`Kissufim,OCHA,food,Flour ${i},${bad ? 'x' : '5'},sacks,1,1,1,,`);
    }
    const { progress, errors } = await importCsv(un, lines.join('\n'));
    expect(progress).toMatchObject({ state: 'done', processedRows: 4500, importedRows: 4497, errorCount: 3 });
    expect(errors.map((e) => e.row)).toEqual([2002, 2003, 4502]);
    const paged = await un.get(`/api/v1/aid/imports/${progress.id}/errors?offset=1&limit=1`);
    expect(paged.json<{ errors: RowError[] }>().errors.map((e) => e.row)).toEqual([2003]);
  });

  it('matches hashtags whatever their case, spacing, attribute order and extra columns', async () => {
    const csv = [
      'Notes,Qty,Unit,What,Kind,Where,Funder,Ignored',
      ' #meta +notes , #VALUE + Quantity ,#Indicator+Unit,#item +NAME, #item+type ,#loc +crossing, #org+funder,#x_extra+thing',
      'first,10,boxes,Soap,wash,Rafah,ECHO,zzz',
      'second,20,boxes,Buckets,WASH,rafah ,ECHO,',
    ].join('\n');
    const { progress, errors } = await importCsv(un, csv);
    expect(errors).toEqual([]);
    expect(progress.importedRows).toBe(2);

    // The hashtag row may come first, or after several header lines; attributes in any order.
    const first = [
      '#item+name,#item+type,#value+quantity,#unit+indicator,#crossing+loc',
      'Blankets,shelter,100,pieces,Zikim',
    ].join('\n');
    const r1 = await post(un, first);
    // `#unit+indicator` and `#crossing+loc` are other hashtags: the required ones are missing.
    expect(r1.statusCode).toBe(400);
    expect(r1.json<{ code: string }>().code).toBe('missing-hashtag');
    const reordered = [
      'Title line of the list',
      'Item,Type,Qty,Unit,Crossing',
      '#item+name,#item+type,#value+quantity,#indicator+unit,#loc+x+crossing',
      'Blankets,shelter,100,pieces,Zikim',
    ].join('\n');
    const ok = await importCsv(un, reordered);
    expect(ok.errors).toEqual([]);
    expect(ok.progress.importedRows).toBe(1);
  });

  it('refuses a file over the size cap with 413', async () => {
    const big = `${HEAD.join('\n')}\n${'x'.repeat(50 * 1024 * 1024)}`;
    const r = await post(un, big);
    expect(r.statusCode).toBe(413);
    expect(r.json<{ code: string }>().code).toBe('import-too-large');
  });

  it('refuses a file without an HXL row or without a required hashtag, at once', async () => {
    const none = await post(un, 'Crossing,Item\nRafah,Flour\n');
    expect(none.statusCode).toBe(400);
    expect(none.json<{ code: string; detail: string }>()).toMatchObject({ code: 'no-hxl-row' });
    const missing = await post(un, 'Crossing,Item\n#loc+crossing,#item+name\nRafah,Flour\n');
    expect(missing.statusCode).toBe(400);
    const p = missing.json<{ code: string; detail: string }>();
    expect(p.code).toBe('missing-hashtag');
    expect(p.detail).toMatch(/item category/);
    expect(p.detail).toMatch(/quantity/);
    const noMarking = await un.request('POST', '/api/v1/aid/imports?kind=consignments', HEAD.join('\n'), {
      'content-type': 'text/csv',
    });
    expect(noMarking.statusCode).toBe(400);
    const tooSecret = await post(un, HEAD.join('\n'), 'consignments', 'SECRET//REL TO OCHA');
    expect(tooSecret.statusCode).toBe(403);
    const ngoCannot = await post(
      await Client.login(server.app, 'can.viewer'),
      HEAD.join('\n'),
      'consignments',
      UNCLASS,
    );
    expect(ngoCannot.statusCode).toBe(403);
  });

  it('survives hostile content: formulas, unbalanced quotes, a 10 MB cell, NUL bytes', async () => {
    const formula = '=HYPERLINK("http://x.invalid","click")';
    const csv = [
      ...HEAD,
      `Rafah,OCHA,food,"${formula.replaceAll('"', '""')}",1,sacks,0,0,0,,`,
      `Rafah,OCHA,food,${'A'.repeat(10 * 1024 * 1024)},1,sacks,0,0,0,,`,
      'Rafah,OCHA,food,Salt\u0000,1,sacks,0,0,0,,',
      '+Rafah,OCHA,food,Sugar,1,sacks,0,0,0,,',
      'Rafah,OCHA,food,Oil,2,litres,0,0,0,,',
      'Rafah,OCHA,food,"Dates, unclosed,1,sacks,0,0,0,,',
      'Rafah,OCHA,food,Never read,1,sacks,0,0,0,,',
    ].join('\n');
    const { progress, errors } = await importCsv(un, csv);
    expect(progress.state).toBe('done');
    expect(progress.importedRows).toBe(2);
    const reasons = errors.map((e) => `${e.row}: ${e.reason}`);
    expect(reasons.some((r) => /^4: item is longer than 200 characters/.test(r))).toBe(true);
    expect(reasons.some((r) => /^5: item holds a NUL character/.test(r))).toBe(true);
    expect(reasons.some((r) => /^6: unknown crossing/.test(r))).toBe(true);
    expect(
      reasons.some((r) => /unbalanced quote.*line 8/.test(r)),
      reasons.join('\n'),
    ).toBe(true);
    const long = errors.find((e) => e.row === 4)!;
    expect(long.value!.length).toBeLessThan(300);
    expect(errors.find((e) => e.row === 5)!.value).toBe('Salt\u2400');

    const report = await un.get(`/api/v1/aid/imports/${progress.id}/errors?format=csv`);
    expect(report.body).toContain(`'+Rafah`);
    expect(report.body).not.toMatch(/(^|,)\+Rafah/m);

    // The formula was stored as text and leaves in exports defused.
    const exported = await un.get('/api/v1/aid/consignments/export.csv');
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain(`'=HYPERLINK(`);
    expect(exported.body).not.toMatch(/(^|,)=HYPERLINK/m);
    expect((await un.get('/api/v1/health')).statusCode).toBeLessThan(500);
  });
});

describe('access', () => {
  it("hides a job's progress and errors from whoever may not see its marking", async () => {
    const r = await post(un, [...HEAD, 'Rafah,OCHA,food,Flour,1,sacks,0,0,0,,'].join('\n'));
    const { jobId } = r.json<{ jobId: string }>();
    await finished(un, jobId);
    expect((await ngo.get(`/api/v1/aid/imports/${jobId}`)).statusCode).toBe(404);
    expect((await ngo.get(`/api/v1/aid/imports/${jobId}/errors`)).statusCode).toBe(404);
    expect((await ngo.get('/api/v1/aid/imports')).json<ImportProgress[]>().map((j) => j.id)).not.toContain(
      jobId,
    );
    expect((await un.get(`/api/v1/aid/imports/${jobId}`)).json<ImportProgress>().state).toBe('done');
  });

  it('shows imported consignments only per their marking, and crossings only as the importer sees them', async () => {
    const csv = [
      ...HEAD,
      'Kerem Shalom,MEDRELIEF,health,Public kits,7,kits,1,1,1,,UNCLASSIFIED//REL TO ALL',
      'Gate Seven,MEDRELIEF,health,Hidden gate kits,7,kits,1,1,1,,UNCLASSIFIED//REL TO ALL',
      'Rafah,MEDRELIEF,health,Restricted kits,7,kits,1,1,1,,RESTRICTED//REL TO OCHA',
    ].join('\n');
    const { progress, errors } = await importCsv(ngo, csv, 'consignments', UNCLASS);
    expect(progress.importedRows).toBe(1);
    expect(errors.map((e) => e.row)).toEqual([4, 5]);
    expect(errors[0]!.reason).toMatch(/unknown crossing "Gate Seven"/);
    expect(errors[1]!.reason).toMatch(/not writable/);

    const ngoGeo = await ngo.get('/api/v1/aid/consignments/export.geojson');
    expect(ngoGeo.statusCode).toBe(200);
    expect(ngoGeo.headers['x-concord-marking']).toBe('UNCLASSIFIED//REL TO ALL');
    const feats = ngoGeo.json<{ features: { properties: { items: { description: string }[] } }[] }>()
      .features;
    const names = feats.flatMap((f) => f.properties.items.map((i) => i.description));
    expect(names).toContain('Public kits');
    expect(names).not.toContain('Wheat flour');

    const unGeo = await un.get('/api/v1/aid/consignments/export.geojson');
    const body = unGeo.json<{
      marking: { classification: string };
      features: { geometry: { coordinates: number[] } | null; properties: { crossing: string } }[];
    }>();
    expect(unGeo.headers['x-concord-marking']).toBe('RESTRICTED//REL TO OCHA');
    expect(body.marking.classification).toBe('RESTRICTED');
    const kerem = body.features.find((f) => f.properties.crossing === 'Kerem Shalom')!;
    expect(kerem.geometry?.coordinates).toEqual([34.284, 31.223]);

    const csvOut = await un.get('/api/v1/aid/consignments/export.csv');
    const [header, hashtags] = csvOut.body.split('\r\n');
    expect(header).toMatch(/^Number,Reference,Organisation/);
    expect(hashtags).toMatch(/^#meta\+number,#meta\+ref,#org\+code/);
    expect(csvOut.headers['x-concord-marking']).toBe('RESTRICTED//REL TO OCHA');
  });
});

describe('round trip', () => {
  it('imports its own consignment export again', async () => {
    const exported = await un.get('/api/v1/aid/consignments/export.csv');
    const lines = exported.body.trim().split('\r\n');
    const data = lines.slice(2);
    // Consignments of other organisations the importer sees cannot be registered by it.
    const others = data.filter((l) => l.split(',')[2] !== 'OCHA').length;
    const { progress, errors } = await importCsv(un, exported.body);
    expect(progress).toMatchObject({ state: 'done', processedRows: data.length });
    expect(progress.importedRows).toBe(data.length - others);
    expect(errors.every((e) => /is not your organisation/.test(e.reason))).toBe(true);
  });
});

describe('restart', () => {
  it('fails the jobs a stopped server left running, keeping what they stored', async () => {
    const db = server.database.db;
    const r = await db.asSystem((tx) =>
      sql<{ id: string }>`
        INSERT INTO import_jobs (kind, state, total_rows, processed_rows, imported_rows, started_at,
          classification, releasable_to)
        VALUES ('consignments', 'running', 10, 4, 4, now() - interval '1 hour', 1, '{OCHA}')
        RETURNING id`.execute(tx),
    );
    const id = r.rows[0]!.id;
    const n = await importsService(db, pino({ level: 'silent' }), { maxBytes: 1, batchRows: 1 }).recover();
    expect(n).toBeGreaterThanOrEqual(1);
    const p = (await un.get(`/api/v1/aid/imports/${id}`)).json<ImportProgress>();
    expect(p).toMatchObject({ state: 'failed', importedRows: 4, percent: 100 });
    expect(p.failure).toMatch(/server stopped/);
  });
});

describe('live progress', () => {
  it('pushes each stored batch of a job on the aid-imports layer, to whoever may see the job', async () => {
    const base = server.baseUrl || (await server.listen());
    const seen = await LiveClient.subscribed(base, { cookie: un.sessionCookie }, { layers: ['aid-imports'] });
    const blind = await LiveClient.subscribed(
      base,
      { cookie: ngo.sessionCookie },
      { layers: ['aid-imports'] },
    );
    try {
      const lines = [...HEAD];
      for (let i = 0; i < 2500; i++) lines.push(`Zikim,OCHA,water,Water ${i},5,litres,1,1,1,,`);
      const { jobId, progress } = await importCsv(un, lines.join('\n'));
      expect(progress.importedRows).toBe(2500);
      // The last batch's upsert carries the job's final count.
      await seen.waitFor(
        'upsert',
        (m) => m.id === jobId && JSON.stringify(m).includes('"processedRows":2500'),
        {
          timeoutMs: 5000,
        },
      );
      expect(blind.about(jobId)).toEqual([]);
    } finally {
      await seen.close();
      await blind.close();
    }
  });
});

describe('3W lists', () => {
  it('imports activities and exports them as GeoJSON', async () => {
    const csv = [
      'Organisation,Sector,Activity,Governorate,Location,Lat,Lon,Start,End,Reached,Status',
      '#org+name,#sector,#activity+name,#adm1+name,#loc+name,#geo+lat,#geo+lon,#date+start,#date+end,#reached,#status',
      '"MedRelief (NGO, synthetic)",Health,Mobile clinic,Deir al-Balah,Deir al-Balah,31.418,34.35,2026-11-01,2026-12-31,1200,Ongoing',
      'AquaAid,WASH,Water trucking,Khan Younis,,,,2026-11-05,,300,planned',
      'Some NGO,Food,,,,,,,,,',
      'Other NGO,Food,Bakery support,Gaza,Gaza City,95,34.4,2026-11-10,2026-11-01,ten,maybe',
    ].join('\n');
    const { progress, errors } = await importCsv(admin, csv, 'activities', UNCLASS);
    expect(progress, JSON.stringify(errors)).toMatchObject({ state: 'done', importedRows: 2, errorCount: 2 });
    expect(errors.filter((e) => e.row === 5)[0]!.reason).toMatch(/where is missing/);
    const row6 = errors.filter((e) => e.row === 6).map((e) => e.reason);
    expect(row6.join('; ')).toMatch(/latitude must be at most 90/);
    expect(row6.join('; ')).toMatch(/end date is before start date/);
    expect(row6.join('; ')).toMatch(/people reached is not a number/);
    expect(row6.join('; ')).toMatch(/status must be/);

    const geo = await ngo.get('/api/v1/aid/activities/export.geojson');
    expect(geo.statusCode).toBe(200);
    const fc = geo.json<{
      features: { geometry: unknown; properties: { organisationCode: string | null; status: string } }[];
    }>();
    expect(fc.features).toHaveLength(2);
    expect(fc.features[0]).toMatchObject({
      geometry: { type: 'Point', coordinates: [34.35, 31.418] },
      properties: { organisationCode: 'MEDRELIEF', status: 'ongoing' },
    });
    expect(fc.features[1]!.geometry).toBeNull();
  });
});
