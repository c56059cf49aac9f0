import { createRequire } from 'node:module';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DailyReport } from '../../src/domain/daily-report.js';
import type { Viewer } from '../../src/domain/viewer.js';
import { ALL, seedIncident, USA_GBR, viewerOf } from '../support/report-seed.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

// A period long before any demo incident: 19:30 in Gaza (UTC+2 in February).
const END = '2025-02-20T17:30:00.000Z';
const H = 3_600_000;
const START_MS = Date.parse(END) - 24 * H;
const cur = (h: number) => new Date(START_MS + h * H);
const prev = (h: number) => new Date(START_MS - 24 * H + h * H);
const require = createRequire(import.meta.url);
const Q = `end=${encodeURIComponent(END)}&hours=24`;
const SCRIPT_TITLE = '<script>alert(1)</script> & "quoted"';
const HIDDEN_TITLE = 'Drone strike released to USA and GBR only';

let s: TestServer;
let planner: Client;
let canada: Client;
let liaison: Client;

/** Text of every page of a PDF. */
async function pdfPages(buf: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const standardFontDataUrl = `${path.dirname(require.resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(buf),
    useSystemFonts: false,
    standardFontDataUrl,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const c = await page.getTextContent();
    // Wrapped lines come back as separate items: one space between words, whatever the layout.
    pages.push(
      c.items
        .map((x) => ('str' in x ? x.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  await doc.destroy();
  return pages;
}

beforeAll(async () => {
  s = await startTestServer();
  const db = s.database.db;
  const seed = seedIncident.bind(null, db);
  await seed({
    marking: ALL,
    title: 'Small-arms fire across the line near Gaza City',
    category: 'fire-across-line',
    governorate: 'Gaza',
    lon: 34.467,
    lat: 31.502,
    observedAt: cur(2),
    status: 'assessed',
    finding: 'confirmed',
    rationale: 'Two monitor reports and a sensor track agree.',
    killed: 2,
    placeName: 'Shujaiyya',
  });
  await seed({
    marking: USA_GBR,
    title: HIDDEN_TITLE,
    category: 'air-strike',
    subtype: 'drone',
    governorate: 'Rafah',
    lon: 34.244,
    lat: 31.297,
    observedAt: cur(5),
  });
  await seed({
    marking: ALL,
    title: 'Monitor patrol fired upon',
    category: 'attack-on-aid',
    subtype: 'monitors',
    governorate: 'Khan Younis',
    lon: 34.306,
    lat: 31.34,
    accusedParty: 'UNKNOWN',
    observedAt: cur(6),
  });
  await seed({
    marking: ALL,
    title: 'Sensor mast destroyed',
    category: 'attack-on-aid',
    subtype: 'sensor-asset',
    governorate: 'North Gaza',
    lon: 34.5,
    lat: 31.55,
    observedAt: cur(7),
  });
  await seed({
    marking: ALL,
    title: 'Monitoring team turned back at a checkpoint',
    category: 'obstruction-of-aid',
    subtype: 'monitoring-restricted',
    governorate: 'North Gaza',
    lon: 34.49,
    lat: 31.54,
    observedAt: cur(8),
  });
  await seed({ marking: ALL, title: 'Merged duplicate report', status: 'merged', observedAt: cur(9) });
  await seed({ marking: ALL, title: SCRIPT_TITLE, governorate: 'Deir al-Balah', observedAt: cur(10) });
  await seed({
    marking: ALL,
    title: 'Assessed, parties not yet notified',
    category: 'demolition',
    subtype: 'residential',
    governorate: 'Khan Younis',
    observedAt: cur(11),
    status: 'assessed',
    finding: 'refuted',
    rationale: 'Imagery shows the building intact.',
  });
  await seed({
    marking: ALL,
    title: 'Parties notified of the finding',
    category: 'indirect-fire',
    subtype: 'mortar',
    governorate: 'Deir al-Balah',
    observedAt: cur(12),
    status: 'parties-notified',
    finding: 'unsubstantiated',
    rationale: 'No crater found.',
  });
  await seed({ marking: ALL, title: 'At the very start', governorate: 'Gaza', observedAt: cur(0) });
  await seed({
    marking: ALL,
    title: 'At the very end, next period',
    governorate: 'Gaza',
    observedAt: cur(24),
  });
  // The previous period.
  await seed({ marking: ALL, title: 'Earlier fire', governorate: 'Gaza', observedAt: prev(3) });
  await seed({
    marking: USA_GBR,
    title: 'Earlier strike',
    category: 'air-strike',
    governorate: 'Rafah',
    observedAt: prev(4),
  });
  await seed({
    marking: ALL,
    title: 'Earlier demolition',
    category: 'demolition',
    subtype: 'residential',
    governorate: 'Rafah',
    observedAt: prev(5),
  });
  // Only in the trend.
  await seed({ marking: ALL, title: 'Five days earlier', observedAt: cur(-24 * 4) });
  [planner, canada, liaison] = await Promise.all([
    Client.login(s.app, 'usa.planner'),
    Client.login(s.app, 'can.viewer'),
    Client.login(s.app, 'liaison.isr'),
  ]);
});
afterAll(() => s?.close());

async function report(c: Client, q = Q): Promise<DailyReport> {
  const r = await c.get(`/api/v1/reports/daily?${q}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<DailyReport>();
}

/** Counts straight from SQL under the same viewer. */
async function sqlCounts(viewer: Viewer, from: Date, to: Date, column: 'category' | 'governorate') {
  return s.database.db.asViewer(viewer, async (tx) => {
    const r = await sql<{ k: string; n: string }>`
      SELECT coalesce(${sql.ref(column)}, 'unknown') AS k, count(*) AS n FROM incidents
      WHERE observed_at >= ${from} AND observed_at < ${to} AND status <> 'merged'
      GROUP BY 1`.execute(tx);
    return Object.fromEntries(r.rows.map((x) => [x.k, Number(x.n)]));
  });
}

describe('daily report', () => {
  it('counts what each viewer may see, equal to SQL under the same viewer', async () => {
    for (const [client, name] of [
      [planner, 'usa.planner'],
      [canada, 'can.viewer'],
    ] as const) {
      const r = await report(client);
      const viewer = await viewerOf(s.database.db, name);
      const start = new Date(START_MS);
      const end = new Date(END);
      const prevStart = new Date(START_MS - 24 * H);
      for (const column of ['category', 'governorate'] as const) {
        const rows = column === 'category' ? r.byCategory : r.byGovernorate;
        const now = await sqlCounts(viewer, start, end, column);
        const before = await sqlCounts(viewer, prevStart, start, column);
        const fromReport = (k: 'current' | 'previous') =>
          Object.fromEntries(rows.filter((x) => x[k] > 0).map((x) => [x.key, x[k]]));
        expect(fromReport('current'), `${name} ${column}`).toEqual(now);
        expect(fromReport('previous'), `${name} ${column} previous`).toEqual(before);
        for (const x of rows) expect(x.change).toBe(x.current - x.previous);
      }
      expect(r.total.current).toBe(r.incidents.length);
    }
    const p = await report(planner);
    const c = await report(canada);
    // Eleven seeded in the period: the merged one and the one at the end do not count; one is hidden from Canada.
    expect(p.total).toMatchObject({ current: 9, previous: 3, change: 6 });
    expect(c.total).toMatchObject({ current: 8, previous: 2, change: 6 });
    expect(p.byCategory.find((x) => x.key === 'air-strike')).toMatchObject({
      current: 1,
      previous: 1,
      change: 0,
    });
    expect(c.byCategory.find((x) => x.key === 'air-strike')).toBeUndefined();
    expect(p.byAccusedParty.find((x) => x.key === 'UNKNOWN')?.current).toBe(1);
    expect(p.byStatus.find((x) => x.key === 'merged')).toBeUndefined();
    expect(p.killed).toBe(2);
    expect(p.number).toBe('CMCC-DR-2025-02-20');
    expect(p.period).toMatchObject({ start: new Date(START_MS).toISOString(), end: END, hours: 24 });
    expect(p.trend).toHaveLength(14);
    expect(p.trend.at(-1)!.count).toBe(9);
    expect(p.trend.reduce((n, d) => n + d.count, 0)).toBe(9 + 3 + 1);
  });

  it('counts the demo data as SQL does under the same viewer, for every kind of reader', async () => {
    const end = new Date(Math.ceil(Date.now() / H) * H);
    const start = new Date(end.getTime() - 168 * H);
    const totals: Record<string, number> = {};
    for (const name of ['usa.planner', 'usa.monitor', 'ngo.field', 'liaison.pal', 'can.viewer']) {
      const c = await Client.login(s.app, name);
      const r = await c.get(`/api/v1/reports/daily?end=${encodeURIComponent(end.toISOString())}&hours=168`);
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json<DailyReport>();
      const viewer = await viewerOf(s.database.db, name);
      for (const column of ['category', 'governorate'] as const) {
        const rows = column === 'category' ? body.byCategory : body.byGovernorate;
        const fromReport = Object.fromEntries(
          rows.filter((x) => x.current > 0).map((x) => [x.key, x.current]),
        );
        expect(fromReport, `${name} ${column}`).toEqual(await sqlCounts(viewer, start, end, column));
      }
      totals[name] = body.total.current;
    }
    // The demo holds incidents released to some readers only: the SECRET one reaches the planner alone.
    expect(totals['usa.planner']).toBeGreaterThan(totals['can.viewer']!);
    expect(totals['can.viewer']).toBeGreaterThan(0);
  });

  it('leaves out of the JSON what the viewer may not see, and is in the OpenAPI document', async () => {
    const c = await canada.get(`/api/v1/reports/daily?${Q}`);
    expect(c.body).not.toContain(HIDDEN_TITLE);
    expect((await planner.get(`/api/v1/reports/daily?${Q}`)).body).toContain(HIDDEN_TITLE);
    const doc = (await s.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, { get?: { tags?: string[] } }>;
    }>();
    for (const path of ['/api/v1/reports/daily', '/api/v1/reports/daily.html', '/api/v1/reports/daily.pdf'])
      expect(doc.paths[path]?.get?.tags).toEqual(['reports']);
    expect(doc.paths['/api/v1/incidents/export.csv']?.get?.tags).toEqual(['incidents']);
    expect(doc.paths['/api/v1/incidents/export.geojson']?.get?.tags).toEqual(['incidents']);
  });

  it('lists attacks on monitors and sensors and restrictions on monitoring', async () => {
    const r = await report(canada);
    expect(r.againstMonitors.map((i) => i.title).sort()).toEqual([
      'Monitor patrol fired upon',
      'Sensor mast destroyed',
    ]);
    expect(r.monitoringRestrictions.map((i) => i.title)).toEqual([
      'Monitoring team turned back at a checkpoint',
    ]);
  });

  it('carries the aggregate marking of what it contains', async () => {
    const p = await s.app.inject({
      method: 'GET',
      url: `/api/v1/reports/daily?${Q}`,
      headers: { cookie: planner.sessionCookie },
    });
    expect(p.json<DailyReport>().markingText).toBe('RESTRICTED//REL TO USA, GBR');
    expect(p.headers['x-concord-marking']).toBe('RESTRICTED//REL TO USA, GBR');
    expect((await report(canada)).markingText).toBe('UNCLASSIFIED//REL TO ALL');
  });

  it('gives narrative entries for assessed incidents, findings withheld from party liaisons until notified', async () => {
    const p = await report(planner);
    expect(p.narrative.map((n) => n.title).sort()).toEqual([
      'Assessed, parties not yet notified',
      'Parties notified of the finding',
      'Small-arms fire across the line near Gaza City',
    ]);
    const first = p.narrative.find((n) => n.title.startsWith('Small-arms'))!;
    expect(first).toMatchObject({ finding: 'confirmed', place: 'Shujaiyya', withheld: false });
    const l = await report(liaison);
    const byTitle = (t: string) => l.narrative.find((n) => n.title === t)!;
    expect(byTitle('Assessed, parties not yet notified')).toMatchObject({
      finding: null,
      rationale: null,
      withheld: true,
    });
    expect(byTitle('Parties notified of the finding')).toMatchObject({ finding: 'unsubstantiated' });
    const html = (await liaison.get(`/api/v1/reports/daily.html?${Q}`)).body;
    expect(html).not.toContain('Imagery shows the building intact');
    expect(html).toContain('No crater found.');
  });

  it('renders self-contained HTML that escapes text and leaves out what the viewer may not see', async () => {
    const r = await canada.get(`/api/v1/reports/daily.html?${Q}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.headers['content-disposition']).toContain('CMCC-DR-2025-02-20.html');
    expect(r.body).not.toContain('<script>');
    expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
    expect(r.body).not.toContain(HIDDEN_TITLE);
    expect(r.body).not.toMatch(/\b(src|href)=["']?https?:/);
    expect(r.body.match(/UNCLASSIFIED\/\/REL TO ALL/g)!.length).toBeGreaterThanOrEqual(2);
    expect(r.body).toContain('<svg');
    expect(r.body).toContain('Generated for I. Viewer (CAN) (can.viewer');
    const p = await planner.get(`/api/v1/reports/daily.html?${Q}`);
    expect(p.body).toContain(HIDDEN_TITLE);
  });

  it('renders a PDF with the number, the totals and the banner on every page', async () => {
    const r = await planner.get(`/api/v1/reports/daily.pdf?${Q}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe('attachment; filename="CMCC-DR-2025-02-20.pdf"');
    const buf = r.rawPayload;
    expect(buf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await pdfPages(buf);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const all = pages.join('\n');
    expect(all).toContain('CMCC-DR-2025-02-20');
    expect(all).toMatch(/All incidents\s+9\s+3\s+\+6/);
    for (const [i, p] of pages.entries()) {
      expect(p.match(/RESTRICTED\/\/REL TO USA, GBR/g)?.length, `page ${i + 1}`).toBe(2);
      expect(p).toContain(`Page ${i + 1} of ${pages.length}`);
    }
    expect(all).toContain(HIDDEN_TITLE);
    const c = await pdfPages((await canada.get(`/api/v1/reports/daily.pdf?${Q}`)).rawPayload);
    expect(c.join('\n')).not.toContain(HIDDEN_TITLE);
    expect(c.join('\n')).toContain('UNCLASSIFIED//REL TO ALL');
  });

  it('defaults to the 24 hours ending at the most recent cut-off', async () => {
    const r = await report(canada, '');
    expect(r.period.hours).toBe(24);
    expect(Date.parse(r.period.end)).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - Date.parse(r.period.end)).toBeLessThan(24 * H);
    expect(r.number).toMatch(/^CMCC-DR-\d{4}-\d\d-\d\d$/);
    expect(r.previousPeriod.end).toBe(r.period.start);
  });

  it('answers bad parameters with a 400 problem', async () => {
    for (const q of [
      'hours=0',
      'hours=169',
      'hours=abc',
      'end=yesterday',
      'end=2025-02-30T10:00:00Z',
      'end=2025-02-20',
    ]) {
      for (const ext of ['', '.html', '.pdf']) {
        const r = await planner.get(`/api/v1/reports/daily${ext}?${q}`);
        expect(r.statusCode, `${ext} ${q}`).toBe(400);
        expect(r.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/reports/daily' })).statusCode).toBe(401);
  });
});
