import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  IncidentDetail,
  IncidentFeature,
  IncidentReportInput,
  MergeCandidate,
} from '../../src/domain/incidents.js';
import type { Marking } from '../../src/domain/marking.js';
import { insertIncident } from '../support/incidents.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };

let s: TestServer;
let monitor: Client;
let fra: Client;
let gbr: Client;
let pal: Client;
let isr: Client;
let planner: Client;

beforeAll(async () => {
  s = await startTestServer();
  [monitor, fra, gbr, pal, isr, planner] = await Promise.all([
    Client.login(s.app, 'usa.monitor'),
    Client.login(s.app, 'fra.analyst'),
    Client.login(s.app, 'gbr.analyst'),
    Client.login(s.app, 'liaison.pal'),
    Client.login(s.app, 'liaison.isr'),
    Client.login(s.app, 'usa.planner'),
  ]);
});
afterAll(() => s?.close());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** A report far from the demo's incidents unless told otherwise. */
function report(o: Partial<IncidentReportInput> = {}): IncidentReportInput {
  return {
    reporterKind: 'party',
    allegingParty: 'PSE',
    accusedParty: 'ISR',
    observedAt: minutesAgo(90),
    timePrecision: 'minute',
    location: { type: 'Point', coordinates: [34.306, 31.34] },
    locationPrecision: 'exact',
    placeName: 'Khan Younis east',
    category: 'fire-across-line',
    subtype: 'small-arms',
    casualties: { killedCivilians: 0, killedUnknown: 0, injuredCivilians: 2, injuredUnknown: 0 },
    narrative: 'Small-arms fire from the line towards houses.',
    grading: { reliability: 'C', credibility: 3 },
    marking: ALL,
    ...o,
  };
}

async function submit(c: Client, r: IncidentReportInput) {
  const res = await c.post('/api/v1/incidents/reports', r);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ incident: IncidentDetail; candidates: MergeCandidate[] }>();
}

async function act(c: Client, id: string, body: Record<string, unknown>) {
  return c.post(`/api/v1/incidents/${id}/actions`, body);
}

async function actOk(c: Client, id: string, body: Record<string, unknown>): Promise<IncidentDetail> {
  const r = await act(c, id, body);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<IncidentDetail>();
}

describe('submitting reports', () => {
  it('opens a received incident with its title, governorate, line side and timeline', async () => {
    const { incident } = await submit(pal, report());
    const p = incident.feature.properties;
    expect(p).toMatchObject({
      status: 'received',
      category: 'fire-across-line',
      subtype: 'small-arms',
      title: 'Fire across the line — small arms near Khan Younis east',
      governorate: 'Khan Younis',
      allegingParty: 'PSE',
      accusedParty: 'ISR',
      reportCount: 1,
      version: 1,
      markingText: 'UNCLASSIFIED//REL TO ALL',
      casualties: { injuredCivilians: 2 },
    });
    expect(p.number).toMatch(/^INC-\d{6}$/);
    expect(p.lineSide).toMatchObject({
      zoneName: 'Withdrawal line (illustrative)',
      version: 2,
      side: 'right',
    });
    expect(p.lineSide!.label).toBe('inside the line (Gaza side)');
    expect(incident.reports).toHaveLength(1);
    expect(incident.reports[0]).toMatchObject({
      submittedBy: 'liaison.pal',
      submittedByOrganisation: 'PSE-LO',
      grading: { reliability: 'C', credibility: 3 },
    });
    expect(incident.timeline).toEqual([
      expect.objectContaining({ action: 'received', to: 'received', actor: 'liaison.pal', version: 1 }),
    ]);
    expect(incident.assessment).toBeNull();
    expect(incident.allowedActions).toEqual([]);

    const got = await monitor.get(`/api/v1/incidents/${p.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json<IncidentDetail>().allowedActions).toEqual(['triage', 'merge']);
  });

  it('takes a polygon as its area, with the centroid as the point', async () => {
    const ring = [
      [34.4, 31.45],
      [34.41, 31.45],
      [34.41, 31.46],
      [34.4, 31.46],
      [34.4, 31.45],
    ];
    const { incident } = await submit(
      monitor,
      report({
        reporterKind: 'monitor',
        allegingParty: undefined,
        location: { type: 'Polygon', coordinates: [ring] },
        locationPrecision: 'area',
        placeName: undefined,
      }),
    );
    const [lon, lat] = incident.feature.geometry.coordinates;
    expect(lon).toBeCloseTo(34.405, 6);
    expect(lat).toBeCloseTo(31.455, 6);
    expect(incident.feature.properties.area).toEqual({ type: 'Polygon', coordinates: [ring] });
    expect(incident.feature.properties.title).toBe('Fire across the line — small arms near Deir al-Balah');
  });

  it('adds a report to an existing incident and offers candidates near in space and time', async () => {
    const first = await submit(pal, report({ location: { type: 'Point', coordinates: [34.33, 31.3] } }));
    const id = first.incident.feature.id;
    const second = await submit(
      isr,
      report({
        allegingParty: 'ISR',
        accusedParty: 'PSE',
        observedAt: minutesAgo(60),
        location: { type: 'Point', coordinates: [34.335, 31.301] },
      }),
    );
    expect(second.candidates.map((c) => c.incidentId)).toContain(id);
    const c = second.candidates.find((x) => x.incidentId === id)!;
    expect(c.distanceM).toBeGreaterThan(400);
    expect(c.distanceM).toBeLessThan(600);
    expect(c.gapMinutes).toBe(30);
    const viaGet = await monitor.get(`/api/v1/incidents/${second.incident.feature.id}/candidates`);
    expect(viaGet.json<MergeCandidate[]>().map((x) => x.incidentId)).toContain(id);
    const sorted = viaGet.json<MergeCandidate[]>().map((x) => x.distanceM);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));

    const added = await submit(monitor, report({ reporterKind: 'monitor', incidentId: id }));
    expect(added.incident.feature.id).toBe(id);
    expect(added.incident.feature.properties).toMatchObject({ reportCount: 2, version: 2 });
    expect(added.incident.timeline.map((t) => t.action)).toEqual(['received', 'report-added']);
  });

  it('adds and merges across markings released to the actor by nation and by organisation', async () => {
    const byNation: Marking = { classification: 'RESTRICTED', releasableTo: ['USA'] };
    const byOrg: Marking = { classification: 'RESTRICTED', releasableTo: ['USA-CMCC'] };
    const far = { type: 'Point', coordinates: [34.52, 31.56] };
    const target = await submit(
      monitor,
      report({ reporterKind: 'monitor', marking: byNation, location: far }),
    );
    const tid = target.incident.feature.id;
    const added = await submit(monitor, report({ reporterKind: 'monitor', marking: byOrg, incidentId: tid }));
    expect(added.incident.feature.properties.reportCount).toBe(2);
    const dup = await submit(monitor, report({ reporterKind: 'monitor', marking: byOrg, location: far }));
    const merged = await actOk(monitor, dup.incident.feature.id, {
      action: 'merge',
      version: 1,
      duplicateOf: tid,
    });
    expect(merged.feature.properties.status).toBe('merged');
    const t = (await planner.get(`/api/v1/incidents/${tid}`)).json<IncidentDetail>();
    expect(t.reports).toHaveLength(3);
    expect(t.timeline.map((x) => x.action)).toEqual(['received', 'report-added', 'merge']);
  });

  it('refuses bad input with a reason', async () => {
    const bad = async (body: unknown, status: number, code: string, detail?: RegExp) => {
      const r = await pal.post('/api/v1/incidents/reports', body);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ code });
      if (detail) expect(r.json<{ detail: string }>().detail).toMatch(detail);
    };
    await bad(
      report({
        location: {
          type: 'Polygon',
          coordinates: [
            [
              [34.4, 31.4],
              [34.5, 31.5],
              [34.4, 31.4],
            ],
          ],
        },
      }),
      400,
      'invalid-geometry',
      /at least 4 positions/,
    );
    await bad(
      report({
        location: {
          type: 'LineString',
          coordinates: [
            [34.4, 31.4],
            [34.5, 31.5],
          ],
        },
      }),
      400,
      'invalid-geometry',
      /Point, Polygon/,
    );
    await bad(
      report({ location: { type: 'Point', coordinates: [200, 31.4] } }),
      400,
      'invalid-geometry',
      /longitude/,
    );
    await bad(report({ subtype: 'mortar' }), 400, 'bad-request', /not a sub-type of fire-across-line/);
    await bad(report({ narrative: '   ' }), 400, 'bad-request', /narrative/);
    await bad(report({ observedTo: minutesAgo(120) }), 400, 'bad-request', /observedTo must not be before/);
    await bad(
      report({ observedAt: new Date(Date.now() + 3600_000).toISOString() }),
      400,
      'bad-request',
      /future/,
    );
    await bad({ ...report(), casualties: { killedCivilians: '2' } }, 400, 'validation');
    await bad({ ...report(), accusedParty: 7 }, 400, 'validation');
    await bad({ ...report(), sneaky: true }, 400, 'validation', /sneaky/);
    await bad({ ...report(), category: 'genocide' }, 400, 'validation');
    await bad(report({ marking: { classification: 'SECRET', releasableTo: ['USA'] } }), 403, 'forbidden');
    const viewer = await Client.login(s.app, 'can.viewer');
    const r = await viewer.post('/api/v1/incidents/reports', report());
    expect(r.statusCode).toBe(403);
  });
});

describe('the workflow', () => {
  it('runs from triage to closure with four-eyes, versions and a withheld finding', async () => {
    const { incident } = await submit(
      pal,
      report({ location: { type: 'Point', coordinates: [34.25, 31.29] } }),
    );
    const id = incident.feature.id;
    let d = await actOk(monitor, id, { action: 'triage', version: 1 });
    expect(d.feature.properties).toMatchObject({ status: 'triaged', version: 2 });

    const stale = await act(fra, id, { action: 'start-verification', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict', currentVersion: 2 });

    d = await actOk(fra, id, { action: 'start-verification', version: 2 });
    expect(d.feature.properties).toMatchObject({ status: 'under-verification', analyst: 'fra.analyst' });

    // Only the analyst writes the assessment.
    const notMine = await gbr.put(`/api/v1/incidents/${id}/assessment`, {
      version: 3,
      finding: 'refuted',
      rationale: 'x',
    });
    expect(notMine.statusCode).toBe(403);
    const saved = await fra.put(`/api/v1/incidents/${id}/assessment`, {
      version: 3,
      finding: 'confirmed',
      rationale: 'Two independent reports and a UAV track.',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    d = saved.json<IncidentDetail>();
    expect(d.assessment).toMatchObject({ finding: 'confirmed', assessedBy: 'fra.analyst', approvedBy: null });
    expect(d.feature.properties.finding).toBe('confirmed');

    d = await actOk(fra, id, { action: 'submit-for-review', version: 4 });
    expect(d.feature.properties.status).toBe('peer-review');

    // Four-eyes: the analyst may not approve their own; the reviewer may not edit.
    const own = await act(fra, id, { action: 'approve', version: 5 });
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'four-eyes' });
    const edit = await gbr.put(`/api/v1/incidents/${id}/assessment`, {
      version: 5,
      finding: 'refuted',
      rationale: 'I disagree.',
    });
    expect(edit.statusCode).toBe(403);
    expect(edit.json()).toMatchObject({ code: 'four-eyes' });
    const analystEdit = await fra.put(`/api/v1/incidents/${id}/assessment`, {
      version: 5,
      finding: 'refuted',
      rationale: 'Changed my mind.',
    });
    expect(analystEdit.statusCode).toBe(409);
    expect(analystEdit.json()).toMatchObject({ code: 'invalid-transition' });

    // Returned with a note, resubmitted, approved by the other analyst.
    const noNote = await act(gbr, id, { action: 'return', version: 5 });
    expect(noNote.statusCode).toBe(400);
    d = await actOk(gbr, id, { action: 'return', version: 5, note: 'Say which track.' });
    expect(d.feature.properties.status).toBe('under-verification');
    d = await actOk(fra, id, {
      action: 'submit-for-review',
      version: 6,
      finding: 'confirmed',
      rationale: 'Two independent reports and UAV track U-7.',
    });
    d = await actOk(gbr, id, { action: 'approve', version: 7 });
    expect(d.feature.properties).toMatchObject({ status: 'assessed', reviewer: 'gbr.analyst' });
    expect(d.assessment).toMatchObject({
      approvedBy: 'gbr.analyst',
      rationale: 'Two independent reports and UAV track U-7.',
    });

    // The party liaison does not learn the finding before the parties are told.
    const before = (await pal.get(`/api/v1/incidents/${id}`)).json<IncidentDetail>();
    expect(before.feature.properties.finding).toBeNull();
    expect(before.assessment).toBeNull();
    const listed = (await pal.get('/api/v1/incidents?limit=5000')).json<{ features: IncidentFeature[] }>();
    expect(listed.features.find((f) => f.id === id)!.properties.finding).toBeNull();
    expect(JSON.stringify(before)).not.toContain('UAV track U-7');
    expect(JSON.stringify(before)).not.toContain('Say which track');

    d = await actOk(monitor, id, { action: 'notify-parties', version: 8 });
    expect(d.feature.properties).toMatchObject({
      status: 'parties-notified',
      notifiedParties: ['PSE', 'ISR'],
    });
    const after = (await pal.get(`/api/v1/incidents/${id}`)).json<IncidentDetail>();
    expect(after.feature.properties.finding).toBe('confirmed');
    expect(after.assessment).toMatchObject({ finding: 'confirmed' });
    expect(after.allowedActions).toEqual(['record-response']);

    // Each liaison answers for their own party only.
    const forOther = await act(isr, id, {
      action: 'record-response',
      version: 9,
      response: 'No.',
      party: 'PSE',
    });
    expect(forOther.statusCode).toBe(403);
    d = await actOk(pal, id, { action: 'record-response', version: 9, response: 'We note the finding.' });
    expect(d.feature.properties.status).toBe('response-received');
    expect(d.responses).toEqual([
      expect.objectContaining({ party: 'PSE', text: 'We note the finding.', by: 'liaison.pal' }),
    ]);
    // An analyst records an answer given otherwise, naming the party.
    const unnamed = await act(fra, id, { action: 'record-response', version: 10, response: 'By phone.' });
    expect(unnamed.statusCode).toBe(400);
    d = await actOk(fra, id, {
      action: 'record-response',
      version: 10,
      response: 'Denied by phone.',
      party: 'ISR',
    });
    expect(d.responses.map((r) => r.party)).toEqual(['PSE', 'ISR']);

    d = await actOk(monitor, id, { action: 'close', version: 11 });
    expect(d.feature.properties.status).toBe('closed');
    const closedEdit = await monitor.patch(`/api/v1/incidents/${id}`, { version: 12, title: 'New' });
    expect(closedEdit.statusCode).toBe(409);
    d = await actOk(monitor, id, { action: 'reopen', version: 12, note: 'New evidence.' });
    expect(d.feature.properties.status).toBe('triaged');

    expect(d.timeline.map((t) => t.action)).toEqual([
      'received',
      'triage',
      'start-verification',
      'assessment-edited',
      'submit-for-review',
      'return',
      'submit-for-review',
      'approve',
      'notify-parties',
      'record-response',
      'record-response',
      'close',
      'reopen',
    ]);
    expect(d.timeline.map((t) => t.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(d.timeline[2]).toMatchObject({
      from: 'triaged',
      to: 'under-verification',
      actor: 'fra.analyst',
      actorName: 'Cne D. Analyste (FRA)',
    });
  });

  it('refuses actions a role or status does not allow', async () => {
    const { incident } = await submit(
      pal,
      report({ location: { type: 'Point', coordinates: [34.26, 31.31] } }),
    );
    const id = incident.feature.id;
    const byLiaison = await act(pal, id, { action: 'triage', version: 1 });
    expect(byLiaison.statusCode).toBe(403);
    expect(byLiaison.json()).toMatchObject({ code: 'forbidden' });
    const early = await act(monitor, id, { action: 'approve', version: 1 });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'invalid-transition' });
    const noVersion = await act(monitor, id, { action: 'triage' });
    expect(noVersion.statusCode).toBe(400);
    const unknown = await act(monitor, id, { action: 'destroy', version: 1 });
    expect(unknown.statusCode).toBe(400);
  });

  it('edits what triage decides, with a timeline entry', async () => {
    const { incident } = await submit(
      pal,
      report({ location: { type: 'Point', coordinates: [34.27, 31.32] } }),
    );
    const id = incident.feature.id;
    const badSub = await monitor.patch(`/api/v1/incidents/${id}`, { version: 1, category: 'indirect-fire' });
    expect(badSub.statusCode).toBe(400);
    const r = await monitor.patch(`/api/v1/incidents/${id}`, {
      version: 1,
      category: 'indirect-fire',
      subtype: 'mortar',
      title: 'Mortar rounds east of Khan Younis',
    });
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json<IncidentDetail>();
    expect(d.feature.properties).toMatchObject({ category: 'indirect-fire', subtype: 'mortar', version: 2 });
    expect(d.timeline.at(-1)).toMatchObject({
      action: 'edited',
      actor: 'usa.monitor',
      note: 'Changed title, category, subtype',
    });
    const byLiaison = await pal.patch(`/api/v1/incidents/${id}`, { version: 2, title: 'Mine' });
    expect(byLiaison.statusCode).toBe(403);
  });

  it('merges a duplicate into another incident and keeps every report', async () => {
    const target = await submit(pal, report({ location: { type: 'Point', coordinates: [34.28, 31.33] } }));
    const dup = await submit(
      isr,
      report({
        allegingParty: 'ISR',
        accusedParty: 'PSE',
        location: { type: 'Point', coordinates: [34.281, 31.331] },
      }),
    );
    // A report on the duplicate that the acting monitor (CONFIDENTIAL, USA) may not see.
    await submit(
      gbr,
      report({
        incidentId: dup.incident.feature.id,
        reporterKind: 'monitor',
        marking: { classification: 'SECRET', releasableTo: ['GBR'] },
      }),
    );
    const tid = target.incident.feature.id;
    const did = dup.incident.feature.id;
    const self = await act(monitor, did, { action: 'merge', version: 2, duplicateOf: did });
    expect(self.statusCode).toBe(400);
    const nowhere = await act(monitor, did, {
      action: 'merge',
      version: 2,
      duplicateOf: '00000000-0000-4000-8000-000000000000',
    });
    expect(nowhere.statusCode).toBe(404);
    const d = await actOk(monitor, did, {
      action: 'merge',
      version: 2,
      duplicateOf: tid,
      note: 'Same event.',
    });
    expect(d.feature.properties).toMatchObject({ status: 'merged', duplicateOf: tid, reportCount: 0 });
    expect(d.duplicateOfNumber).toBe(target.incident.feature.properties.number);
    const t = (await gbr.get(`/api/v1/incidents/${tid}`)).json<IncidentDetail>();
    expect(t.reports).toHaveLength(3);
    expect(t.feature.properties.version).toBe(2);
    expect(t.timeline.at(-1)).toMatchObject({ action: 'merge', actor: 'usa.monitor' });
    expect(t.timeline.at(-1)!.note).toContain(d.feature.properties.number);
    const seenByMonitor = (await monitor.get(`/api/v1/incidents/${tid}`)).json<IncidentDetail>();
    expect(seenByMonitor.reports).toHaveLength(2);
    const again = await act(monitor, did, { action: 'merge', version: 3, duplicateOf: tid });
    expect(again.statusCode).toBe(409);
  });
});

describe('notifying the parties', () => {
  it('tells only parties the incident is released to, and refuses naming one it is not', async () => {
    const { id } = await insertIncident(s.database.db, {
      marking: { classification: 'RESTRICTED', releasableTo: ['USA', 'FRA', 'GBR', 'PSE'] },
      status: 'assessed',
      allegingParty: 'PSE',
      accusedParty: 'ISR',
    });
    const refused = await act(monitor, id, { action: 'notify-parties', version: 1, parties: ['PSE', 'ISR'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain('not released to ISR');
    const d = await actOk(monitor, id, { action: 'notify-parties', version: 1 });
    expect(d.feature.properties.notifiedParties).toEqual(['PSE']);
  });
});

describe('concurrent merges', () => {
  it('of a pair the other way round: one wins, the other is refused, nothing deadlocks', async () => {
    const a = await submit(
      monitor,
      report({ reporterKind: 'monitor', location: { type: 'Point', coordinates: [34.2, 31.26] } }),
    );
    const b = await submit(
      monitor,
      report({ reporterKind: 'monitor', location: { type: 'Point', coordinates: [34.201, 31.261] } }),
    );
    const [ra, rb] = await Promise.all([
      act(monitor, a.incident.feature.id, {
        action: 'merge',
        version: 1,
        duplicateOf: b.incident.feature.id,
      }),
      act(gbr, b.incident.feature.id, { action: 'merge', version: 1, duplicateOf: a.incident.feature.id }),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 409]);
  });
});

describe('reading', () => {
  it('documents the API in OpenAPI under the incidents tag', async () => {
    const doc = (await planner.get('/api/docs/json')).json<{
      paths: Record<string, Record<string, { tags?: string[] }>>;
    }>();
    for (const [path, method] of [
      ['/api/v1/incidents/reports', 'post'],
      ['/api/v1/incidents', 'get'],
      ['/api/v1/incidents/counts', 'get'],
      ['/api/v1/incidents/{id}', 'get'],
      ['/api/v1/incidents/{id}', 'patch'],
      ['/api/v1/incidents/{id}/assessment', 'put'],
      ['/api/v1/incidents/{id}/actions', 'post'],
      ['/api/v1/incidents/{id}/candidates', 'get'],
    ] as const)
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['incidents']);
  });

  it('lists with filters, newest first, and counts by status', async () => {
    const { incident } = await submit(
      monitor,
      report({
        reporterKind: 'monitor',
        category: 'obstruction-of-aid',
        subtype: 'checkpoint',
        placeName: 'Zebra checkpoint',
        accusedParty: 'ISR',
        allegingParty: undefined,
        location: { type: 'Point', coordinates: [34.45, 31.5] },
      }),
    );
    const id = incident.feature.id;
    const num = incident.feature.properties.number;
    const q = async (qs: string) => {
      const r = await planner.get(`/api/v1/incidents?${qs}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ features: IncidentFeature[]; truncated: boolean; markingText: string }>();
    };
    expect((await q('q=zebra')).features.map((f) => f.id)).toEqual([id]);
    expect((await q(`q=${num}`)).features.map((f) => f.id)).toEqual([id]);
    expect((await q(`q=${num.toLowerCase()}`)).features.map((f) => f.id)).toEqual([id]);
    expect((await q('category=obstruction-of-aid&q=zebra&governorate=Gaza')).features).toHaveLength(1);
    expect((await q('category=air-strike&q=zebra')).features).toHaveLength(0);
    expect((await q('status=received,triaged&q=zebra')).features).toHaveLength(1);
    expect((await q('status=closed&q=zebra')).features).toHaveLength(0);
    expect((await q('party=ISR&q=zebra')).features).toHaveLength(1);
    expect((await q('party=EGY&q=zebra')).features).toHaveLength(0);
    expect((await q('bbox=34.44,31.49,34.46,31.51&q=zebra')).features).toHaveLength(1);
    expect((await q('bbox=34.2,31.2,34.3,31.3&q=zebra')).features).toHaveLength(0);
    expect((await q(`from=${minutesAgo(100)}&to=${minutesAgo(80)}&q=zebra`)).features).toHaveLength(1);
    expect((await q(`from=${minutesAgo(60)}&q=zebra`)).features).toHaveLength(0);

    const all = await q('limit=5000');
    const times = all.features.map((f) => f.properties.observedAt);
    expect(times).toEqual([...times].sort().reverse());
    const two = await q('limit=2');
    expect(two.features).toHaveLength(2);
    expect(two.truncated).toBe(true);

    const bad = await planner.get('/api/v1/incidents?status=lost');
    expect(bad.statusCode).toBe(400);
    const big = await planner.get('/api/v1/incidents?limit=5001');
    expect(big.statusCode).toBe(400);

    const counts = await planner.get('/api/v1/incidents/counts');
    expect(counts.statusCode).toBe(200);
    const c = counts.json<{ byStatus: Record<string, number>; total: number }>();
    expect(c.total).toBe(all.features.length);
    expect(Object.values(c.byStatus).reduce((a, b) => a + b, 0)).toBe(c.total);
    const zc = (await planner.get('/api/v1/incidents/counts?q=zebra')).json<{
      total: number;
      byStatus: Record<string, number>;
    }>();
    expect(zc).toMatchObject({ total: 1, byStatus: { received: 1 } });
  });

  it('answers the same 404 for an unknown and an invisible incident', async () => {
    const secret = await submit(
      planner,
      report({ reporterKind: 'monitor', marking: { classification: 'SECRET', releasableTo: ['USA'] } }),
    );
    const hidden = secret.incident.feature.id;
    const unknown = '00000000-0000-4000-8000-000000000001';
    const strip = (body: { detail: string; instance: string; requestId: string }, id: string) => ({
      ...body,
      detail: body.detail.replace(id, 'ID'),
      instance: body.instance.replace(id, 'ID'),
      requestId: '',
    });
    for (const path of ['', '/candidates']) {
      const a = await pal.get(`/api/v1/incidents/${hidden}${path}`);
      const b = await pal.get(`/api/v1/incidents/${unknown}${path}`);
      expect(a.statusCode).toBe(404);
      expect(b.statusCode).toBe(404);
      expect(strip(a.json(), hidden)).toEqual(strip(b.json(), unknown));
    }
    const a = await act(pal, hidden, { action: 'triage', version: 1 });
    const b = await act(pal, unknown, { action: 'triage', version: 1 });
    expect(a.statusCode).toBe(404);
    expect(strip(a.json(), hidden)).toEqual(strip(b.json(), unknown));
    const attach = await pal.post('/api/v1/incidents/reports', report({ incidentId: hidden }));
    expect(attach.statusCode).toBe(404);
    const list = await pal.get('/api/v1/incidents?limit=5000');
    expect(list.body).not.toContain(hidden);
  });
});
