import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/demo/organisations.js';
import type { IncidentDetail, IncidentFeature, IncidentReportInput } from '../../src/domain/incidents.js';
import { canSee, type Marking } from '../../src/domain/marking.js';
import type { Viewer } from '../../src/domain/viewer.js';
import { columnsToMarking, type MarkingColumns } from '../../src/server/db/marking-columns.js';
import { insertIncident } from '../support/incidents.js';
import { LiveClient } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

/**
 * Whatever incidents exist, with whatever markings, every way a demo user reads them (list,
 * counts, one by one, the live feed) shows exactly the incidents canSee allows; and a party
 * liaison does not learn a finding before the parties are told, on any path.
 */

const PRINCIPALS = ['USA', 'GBR', 'FRA', 'CAN', 'ISR', 'PSE', 'OCHA', 'MEDRELIEF', 'USA-CMCC', 'PSE-LO'];

const markingArb: fc.Arbitrary<Marking> = fc.record({
  classification: fc.constantFrom('UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET' as const),
  releasableTo: fc.oneof(
    fc.constant<string[]>(['ALL']),
    fc.subarray(PRINCIPALS, { minLength: 1, maxLength: 3 }),
  ),
});

let s: TestServer;
let base: string;
const clients = new Map<string, Client>();
const viewers = new Map<string, Viewer>();

beforeAll(async () => {
  s = await startTestServer();
  base = await s.listen();
  for (const u of DEMO_USERS) {
    const c = await Client.login(s.app, u.username);
    clients.set(u.username, c);
    viewers.set(u.username, (await c.get('/api/v1/auth/me')).json<Viewer>());
  }
  // Incidents under markings the demo does not use, beside the demo's own.
  const markings = fc.sample(markingArb, { numRuns: 24, seed: 5 });
  for (const [i, marking] of markings.entries())
    await insertIncident(s.database.db, { marking, title: `Property ${i}`, lon: 34.3 + i * 0.005 });
});
afterAll(() => s?.close());

async function allIncidents(): Promise<{ id: string; status: string; marking: Marking }[]> {
  return s.database.db.asSystem(async (tx) => {
    const r = await sql<{ id: string; status: string } & MarkingColumns>`
      SELECT id, status, classification, releasable_to, caveats FROM incidents`.execute(tx);
    return r.rows.map((x) => ({ id: x.id, status: x.status, marking: columnsToMarking(x) }));
  });
}

describe('incidents under access control', () => {
  it('the demo loaded incidents over the week, at every stage', async () => {
    const all = await allIncidents();
    const statuses = new Set(all.map((x) => x.status));
    for (const st of [
      'received',
      'triaged',
      'under-verification',
      'peer-review',
      'assessed',
      'parties-notified',
      'response-received',
      'closed',
      'merged',
    ])
      expect(statuses, st).toContain(st);
    const admin = (await clients.get('admin')!.get('/api/v1/incidents?q=Nuseirat')).json<{
      features: IncidentFeature[];
    }>();
    const merged = admin.features.find((f) => f.properties.status === 'merged')!;
    expect(merged.properties.duplicateOf).toBe(
      admin.features.find((f) => f.properties.status !== 'merged')!.id,
    );
  });

  it('list, counts and get show every demo user exactly what canSee allows', async () => {
    const all = await allIncidents();
    expect(all.length).toBeGreaterThan(40);
    for (const [username, c] of clients) {
      const viewer = viewers.get(username)!;
      const expected = new Set(all.filter((x) => canSee(viewer, x.marking)).map((x) => x.id));
      const list = (await c.get('/api/v1/incidents?limit=5000')).json<{ features: IncidentFeature[] }>();
      expect(new Set(list.features.map((f) => f.id)), username).toEqual(expected);
      const counts = (await c.get('/api/v1/incidents/counts')).json<{ total: number }>();
      expect(counts.total, username).toBe(expected.size);
      const answers = await Promise.all(all.map((x) => c.get(`/api/v1/incidents/${x.id}`)));
      for (const [i, x] of all.entries()) {
        const r = answers[i]!;
        expect(r.statusCode, `${username} ${x.id}`).toBe(expected.has(x.id) ? 200 : 404);
        if (r.statusCode !== 200) continue;
        const d = r.json<IncidentDetail>();
        for (const rep of d.reports) expect(canSee(viewer, rep.marking)).toBe(true);
        if (d.feature.properties.lineSide) expect(canSee(viewer, x.marking)).toBe(true);
        const notified = ['parties-notified', 'response-received', 'closed'].includes(x.status);
        if (username.startsWith('liaison.') && !notified) {
          expect(d.feature.properties.finding, `${username} ${x.status}`).toBeNull();
          expect(d.assessment).toBeNull();
        }
      }
    }
  }, 120_000);
});

describe('the live incidents layer', () => {
  const report = (marking: Marking, placeName: string): IncidentReportInput => ({
    reporterKind: 'monitor',
    accusedParty: 'ISR',
    observedAt: new Date(Date.now() - 600_000).toISOString(),
    timePrecision: 'minute',
    location: { type: 'Point', coordinates: [34.45, 31.47] },
    locationPrecision: 'exact',
    placeName,
    category: 'fire-across-line',
    subtype: 'small-arms',
    narrative: 'Live test.',
    marking,
  });

  it('reaches those it is released to and nobody else', async () => {
    const planner = await LiveClient.subscribed(
      base,
      { cookie: clients.get('usa.planner')!.sessionCookie },
      { layers: ['incidents'] },
    );
    const viewer = await LiveClient.subscribed(
      base,
      { cookie: clients.get('can.viewer')!.sessionCookie },
      { layers: ['incidents'] },
    );
    try {
      const snap = (await viewer.waitFor('snapshot')).msg;
      const visible = (await clients.get('can.viewer')!.get('/api/v1/incidents?limit=5000')).json<{
        features: IncidentFeature[];
      }>();
      expect(new Set(snap.features.map((f) => (f as IncidentFeature).id))).toEqual(
        new Set(visible.features.map((f) => f.id)),
      );

      const monitor = clients.get('usa.monitor')!;
      const hidden = await monitor.post(
        '/api/v1/incidents/reports',
        report({ classification: 'RESTRICTED', releasableTo: ['USA'] }, 'Secret spot'),
      );
      expect(hidden.statusCode, hidden.body).toBe(201);
      const hiddenId = hidden.json<{ incident: IncidentDetail }>().incident.feature.id;
      const open = await monitor.post(
        '/api/v1/incidents/reports',
        report({ classification: 'UNCLASSIFIED', releasableTo: ['ALL'] }, 'Open spot'),
      );
      const openId = open.json<{ incident: IncidentDetail }>().incident.feature.id;

      const got = await planner.waitFor('upsert', (m) => m.id === hiddenId);
      expect((got.msg.feature as IncidentFeature).properties.markingText).toBe('RESTRICTED//REL TO USA');
      await planner.waitFor('upsert', (m) => m.id === openId);
      await viewer.waitFor('upsert', (m) => m.id === openId);
      expect(viewer.about(hiddenId)).toEqual([]);
      expect(viewer.raw.join('\n')).not.toContain('Secret spot');
    } finally {
      await planner.close();
      await viewer.close();
    }
  });

  it('tells those who lose sight of an incident when its marking narrows', async () => {
    const viewer = await LiveClient.subscribed(
      base,
      { cookie: clients.get('can.viewer')!.sessionCookie },
      { layers: ['incidents'] },
    );
    try {
      const monitor = clients.get('usa.monitor')!;
      const created = await monitor.post(
        '/api/v1/incidents/reports',
        report({ classification: 'UNCLASSIFIED', releasableTo: ['ALL'] }, 'Narrowed spot'),
      );
      const id = created.json<{ incident: IncidentDetail }>().incident.feature.id;
      await viewer.waitFor('upsert', (m) => m.id === id);
      const r = await monitor.request('PATCH', `/api/v1/incidents/${id}`, {
        version: 1,
        marking: { classification: 'RESTRICTED', releasableTo: ['USA'] },
      });
      expect(r.statusCode, r.body).toBe(200);
      await viewer.waitFor('delete', (m) => m.id === id);
      expect((await clients.get('can.viewer')!.get(`/api/v1/incidents/${id}`)).statusCode).toBe(404);
    } finally {
      await viewer.close();
    }
  });

  it('carries no finding to a party liaison before the parties are told', async () => {
    const pal = await LiveClient.subscribed(
      base,
      { cookie: clients.get('liaison.pal')!.sessionCookie },
      { layers: ['incidents'] },
    );
    try {
      const post = (who: string, id: string, body: Record<string, unknown>) =>
        clients.get(who)!.post(`/api/v1/incidents/${id}/actions`, body);
      const created = await clients.get('liaison.pal')!.post('/api/v1/incidents/reports', {
        ...report({ classification: 'UNCLASSIFIED', releasableTo: ['ALL'] }, 'Finding test'),
        reporterKind: 'party',
      });
      const id = created.json<{ incident: IncidentDetail }>().incident.feature.id;
      expect((await post('usa.monitor', id, { action: 'triage', version: 1 })).statusCode).toBe(200);
      expect((await post('fra.analyst', id, { action: 'start-verification', version: 2 })).statusCode).toBe(
        200,
      );
      const sub = await post('fra.analyst', id, {
        action: 'submit-for-review',
        version: 3,
        finding: 'refuted',
        rationale: 'Nothing seen.',
      });
      expect(sub.statusCode, sub.body).toBe(200);
      expect((await post('gbr.analyst', id, { action: 'approve', version: 4 })).statusCode).toBe(200);
      await pal.waitFor(
        'upsert',
        (m) => m.id === id && (m.feature as IncidentFeature).properties.status === 'assessed',
      );
      for (const m of pal.about(id)) {
        if (m.type === 'upsert') expect((m.feature as IncidentFeature).properties.finding).toBeNull();
      }
      expect(pal.raw.filter((r) => r.includes(id)).join('\n')).not.toContain('refuted');
      expect((await post('usa.monitor', id, { action: 'notify-parties', version: 5 })).statusCode).toBe(200);
      const told = await pal.waitFor(
        'upsert',
        (m) => m.id === id && (m.feature as IncidentFeature).properties.status === 'parties-notified',
      );
      expect((told.msg.feature as IncidentFeature).properties.finding).toBe('refuted');
    } finally {
      await pal.close();
    }
  });
});
