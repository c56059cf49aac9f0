import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NOTIFICATIONS_LAYER,
  type NotificationDetail,
  type NotificationFeature,
} from '../../src/domain/deconfliction.js';
import type { FacilityFeature } from '../../src/domain/facilities.js';
import { LiveClient } from '../support/live-client.js';
import { ALL, draft, hoursFromNow, movement, site, step } from '../support/notifications.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

let s: TestServer;
let ngo: Client;
let un: Client;
let monitor: Client;
let isr: Client;
let pal: Client;
let viewer: Client;

beforeAll(async () => {
  s = await startTestServer();
  [ngo, un, monitor, isr, pal, viewer] = await Promise.all([
    Client.login(s.app, 'ngo.field'),
    Client.login(s.app, 'un.logistics'),
    Client.login(s.app, 'usa.monitor'),
    Client.login(s.app, 'liaison.isr'),
    Client.login(s.app, 'liaison.pal'),
    Client.login(s.app, 'can.viewer'),
  ]);
});
afterAll(() => s?.close());

type FC<T> = { type: 'FeatureCollection'; features: T[]; markingText: string };

describe('facilities', () => {
  it('lists the demo facilities as GeoJSON, filtered by kind and bbox', async () => {
    const all = (await ngo.get('/api/v1/facilities')).json<FC<FacilityFeature>>();
    expect(all.type).toBe('FeatureCollection');
    expect(all.features.length).toBeGreaterThanOrEqual(8);
    const bakeries = (await ngo.get('/api/v1/facilities?kind=bakery')).json<FC<FacilityFeature>>();
    expect(bakeries.features.length).toBeGreaterThanOrEqual(2);
    expect(bakeries.features.every((f) => f.properties.kind === 'bakery')).toBe(true);
    const south = (await ngo.get('/api/v1/facilities?bbox=34.2,31.2,34.3,31.36')).json<FC<FacilityFeature>>();
    expect(south.features.map((f) => f.properties.name)).toContain('MedRelief field hospital Khan Younis');
    expect(south.features.map((f) => f.properties.name)).not.toContain('Bakery Nuseirat');
    expect((await ngo.get('/api/v1/facilities?kind=castle')).statusCode).toBe(400);
  });

  it('creates, updates with a version and refuses a stale version (409)', async () => {
    const r = await ngo.post('/api/v1/facilities', {
      name: 'Test water point',
      kind: 'water-point',
      operator: 'MEDRELIEF',
      location: { type: 'Point', coordinates: [34.4, 31.43] },
      status: 'operational',
      marking: { classification: 'UNCLASSIFIED', releasableTo: ['MEDRELIEF'] },
    });
    expect(r.statusCode, r.body).toBe(201);
    const f = r.json<FacilityFeature>();
    const p = await ngo.patch(`/api/v1/facilities/${f.id}`, { version: 1, status: 'damaged' });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json<FacilityFeature>().properties).toMatchObject({ status: 'damaged', version: 2 });
    const stale = await ngo.patch(`/api/v1/facilities/${f.id}`, { version: 1, status: 'operational' });
    expect(stale.statusCode).toBe(409);
    // Released to MedRelief only: the monitor does not learn it exists.
    expect((await monitor.get(`/api/v1/facilities/${f.id}`)).statusCode).toBe(404);
    expect((await viewer.post('/api/v1/facilities', { ...f.properties })).statusCode).toBe(400);
    const bad = await ngo.post('/api/v1/facilities', {
      name: 'Nowhere',
      kind: 'clinic',
      operator: 'MEDRELIEF',
      location: { type: 'Point', coordinates: [200, 31] },
      status: 'operational',
      marking: ALL,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses users who do not keep facilities', async () => {
    const r = await viewer.post('/api/v1/facilities', {
      name: 'X',
      kind: 'clinic',
      operator: 'OCHA',
      location: { type: 'Point', coordinates: [34.4, 31.43] },
      status: 'operational',
      marking: ALL,
    });
    expect(r.statusCode).toBe(403);
  });
});

describe('a movement from draft to completed', () => {
  it('goes through every step with the right people, and keeps every answer', async () => {
    // Twelve hours' notice for a routine movement: a warning, not a refusal.
    let d = await draft(
      ngo,
      movement({ windowStart: hoursFromNow(12), windowEnd: hoursFromNow(16), noticeOnly: true }),
    );
    expect(d.feature.properties).toMatchObject({
      state: 'draft',
      parties: ['ISR', 'PSE'],
      organisation: 'MEDRELIEF',
      noticeOnly: true,
      noticeText: 'Notice, not a request for permission.',
      leadTimeWarning: null,
      allowedActions: ['submit', 'cancel'],
    });
    expect(d.feature.properties.number).toMatch(/^NTF-\d{6}$/);

    d = await step(ngo, d, 'submit');
    expect(d.feature.properties.state).toBe('submitted');
    expect(d.feature.properties.leadTimeWarning).toMatch(/routine notifications ask for 48 h/);

    // The NGO cannot transmit; the party cannot answer before transmission.
    const early = await isr.post(`/api/v1/aid/notifications/${d.feature.id}/actions`, {
      action: 'acknowledge',
      version: d.feature.properties.version,
    });
    expect(early.statusCode).toBe(409);
    expect(early.json<{ code: string }>().code).toBe('invalid-transition');
    const ngoTransmit = await ngo.post(`/api/v1/aid/notifications/${d.feature.id}/actions`, {
      action: 'transmit',
      version: d.feature.properties.version,
    });
    expect(ngoTransmit.statusCode).toBe(403);

    d = await step(monitor, d, 'transmit');
    const p = d.feature.properties;
    expect(p.state).toBe('transmitted');
    expect(p.transmittedAt).not.toBeNull();
    // Half the routine lead time after transmission, but never after the start of the window.
    expect(Date.parse(p.answerDueAt!)).toBeLessThanOrEqual(Date.parse(p.windowStart));
    expect(p.overdue).toBe(false);

    // In the ISR liaison's queue, with its due time.
    const queue = (await isr.get('/api/v1/aid/queue')).json<FC<NotificationFeature>>();
    const queued = queue.features.find((f) => f.id === d.feature.id);
    expect(queued?.properties).toMatchObject({ answerDueAt: p.answerDueAt, overdue: false });
    expect(queued?.properties.allowedActions).toContain('acknowledge');

    d = await step(isr, d, 'acknowledge');
    expect(d.feature.properties.state).toBe('acknowledged');
    d = await step(isr, d, 'facilitate');
    // Each party told answers: ISR has, PSE is still awaited.
    expect(d.feature.properties).toMatchObject({
      state: 'acknowledged',
      partyAnswers: { ISR: 'facilitated' },
    });
    const after = (await isr.get('/api/v1/aid/queue')).json<FC<NotificationFeature>>();
    expect(after.features.map((f) => f.id)).not.toContain(d.feature.id);
    const again = await isr.post(`/api/v1/aid/notifications/${d.feature.id}/actions`, {
      action: 'deny',
      version: d.feature.properties.version,
      reason: 'Changed our mind',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ detail: string }>().detail).toMatch(/ISR has already answered/);
    const palQueue = (await pal.get('/api/v1/aid/queue')).json<FC<NotificationFeature>>();
    expect(palQueue.features.map((f) => f.id)).toContain(d.feature.id);
    expect(
      (
        await ngo.post(`/api/v1/aid/notifications/${d.feature.id}/actions`, {
          action: 'depart',
          version: d.feature.properties.version,
        })
      ).statusCode,
    ).toBe(409);
    d = await step(pal, d, 'facilitate');
    expect(d.feature.properties).toMatchObject({
      state: 'facilitated',
      partyAnswers: { ISR: 'facilitated', PSE: 'facilitated' },
    });

    d = await step(ngo, d, 'depart');
    expect(d.feature.properties.state).toBe('en-route');
    const noDelay = await ngo.post(`/api/v1/aid/notifications/${d.feature.id}/actions`, {
      action: 'report-impediment',
      version: d.feature.properties.version,
      reason: 'Checkpoint closed',
    });
    expect(noDelay.statusCode).toBe(400);
    d = await step(ngo, d, 'report-impediment', { reason: 'Held at checkpoint', delayMinutes: 90 });
    expect(d.feature.properties).toMatchObject({ state: 'impeded', delayMinutes: 90 });
    d = await step(ngo, d, 'complete');
    expect(d.feature.properties.state).toBe('completed');

    const history = d.history.map((h) => [h.action, h.fromState, h.toState, h.actor, h.party]);
    expect(history).toEqual([
      ['created', null, 'draft', 'ngo.field', null],
      ['submit', 'draft', 'submitted', 'ngo.field', null],
      ['transmit', 'submitted', 'transmitted', 'usa.monitor', null],
      ['acknowledge', 'transmitted', 'acknowledged', 'liaison.isr', 'ISR'],
      ['facilitate', 'acknowledged', 'acknowledged', 'liaison.isr', 'ISR'],
      ['facilitate', 'acknowledged', 'facilitated', 'liaison.pal', 'PSE'],
      ['depart', 'facilitated', 'en-route', 'ngo.field', null],
      ['report-impediment', 'en-route', 'impeded', 'ngo.field', null],
      ['complete', 'impeded', 'completed', 'ngo.field', null],
    ]);
    const impediment = d.history.find((h) => h.action === 'report-impediment')!;
    expect(impediment).toMatchObject({ reason: 'Held at checkpoint', delayMinutes: 90 });
    expect(d.history.every((h) => !Number.isNaN(Date.parse(h.at)))).toBe(true);
  });

  it('lets only a liaison of a party it was sent to answer', async () => {
    let d = await draft(
      ngo,
      site({
        parties: ['ISR'],
        marking: { classification: 'UNCLASSIFIED', releasableTo: ['MEDRELIEF', 'ISR', 'USA', 'PSE'] },
      }),
    );
    d = await step(ngo, d, 'submit');
    d = await step(monitor, d, 'transmit');
    const r = await pal.post(`/api/v1/aid/notifications/${d.feature.id}/actions`, {
      action: 'acknowledge',
      version: d.feature.properties.version,
    });
    expect(r.statusCode).toBe(403);
    expect(r.json<{ detail: string }>().detail).toMatch(/party this notification was sent to/);
    const pq = (await pal.get('/api/v1/aid/queue')).json<FC<NotificationFeature>>();
    expect(pq.features.map((f) => f.id)).not.toContain(d.feature.id);
    const denied = await isr.post(`/api/v1/aid/notifications/${d.feature.id}/actions`, {
      action: 'deny',
      version: d.feature.properties.version,
    });
    expect(denied.statusCode).toBe(400);
    d = await step(isr, d, 'deny', { reason: 'Active operations in the area' });
    expect(d.feature.properties.state).toBe('denied');
    expect(d.history.at(-1)).toMatchObject({ party: 'ISR', reason: 'Active operations in the area' });
  });

  it('refuses a stale version with 409', async () => {
    let d = await draft(ngo, site());
    const first = d;
    d = await step(ngo, d, 'submit');
    const r = await ngo.post(`/api/v1/aid/notifications/${first.feature.id}/actions`, {
      action: 'cancel',
      version: first.feature.properties.version,
    });
    expect(r.statusCode).toBe(409);
    expect(r.json<{ currentVersion: number }>().currentVersion).toBe(d.feature.properties.version);
  });
});

describe('overdue answers and the queue', () => {
  it('flags an answer past its due time and puts the soonest due first', async () => {
    // The window started ten minutes ago: the answer was due at the start, so it is overdue now.
    let late = await draft(
      un,
      site({ title: 'Late', priority: 'emergency', windowStart: hoursFromNow(-0.2) }),
    );
    late = await step(un, late, 'submit');
    expect(late.feature.properties.leadTimeWarning).toMatch(/emergency notifications ask for 24 h/);
    late = await step(monitor, late, 'transmit');
    expect(late.feature.properties.overdue).toBe(true);
    let later = await draft(un, site({ title: 'Later', windowStart: hoursFromNow(60) }));
    later = await step(un, later, 'submit');
    later = await step(monitor, later, 'transmit');

    const queue = (await pal.get('/api/v1/aid/queue')).json<FC<NotificationFeature>>();
    const ids = queue.features.map((f) => f.id);
    expect(ids.indexOf(late.feature.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(late.feature.id)).toBeLessThan(ids.indexOf(later.feature.id));
    const dues = queue.features.map((f) => Date.parse(f.properties.answerDueAt ?? ''));
    expect([...dues].sort((a, b) => a - b)).toEqual(dues);

    const overdue = (await monitor.get('/api/v1/aid/notifications?overdue=true')).json<
      FC<NotificationFeature>
    >();
    expect(overdue.features.map((f) => f.id)).toContain(late.feature.id);
    expect(overdue.features.map((f) => f.id)).not.toContain(later.feature.id);
    expect(overdue.features.every((f) => f.properties.overdue)).toBe(true);
  });

  it('is only for party liaisons', async () => {
    expect((await ngo.get('/api/v1/aid/queue')).statusCode).toBe(403);
  });

  it('filters by state, kind and mine', async () => {
    const mine = (await un.get('/api/v1/aid/notifications?mine=true')).json<FC<NotificationFeature>>();
    expect(mine.features.length).toBeGreaterThan(0);
    expect(mine.features.every((f) => f.properties.organisation === 'OCHA')).toBe(true);
    const moves = (
      await monitor.get('/api/v1/aid/notifications?kind=movement&state=transmitted,acknowledged')
    ).json<FC<NotificationFeature>>();
    expect(moves.features.length).toBeGreaterThan(0);
    for (const f of moves.features) {
      expect(f.properties.kind).toBe('movement');
      expect(['transmitted', 'acknowledged']).toContain(f.properties.state);
    }
    expect((await monitor.get('/api/v1/aid/notifications?state=flying')).statusCode).toBe(400);
  });
});

describe('bad input', () => {
  const bad = async (body: unknown) => {
    const r = await ngo.post('/api/v1/aid/notifications', body);
    expect(r.statusCode, r.body).toBe(400);
    return r.json<{ code: string; detail: string }>();
  };

  it('refuses the wrong geometry for the kind', async () => {
    const a = await bad(
      site({
        geometry: {
          type: 'LineString',
          coordinates: [
            [34.4, 31.4],
            [34.5, 31.5],
          ],
        },
      }),
    );
    expect(a.code).toBe('invalid-geometry');
    const b = await bad(movement({ geometry: { type: 'Point', coordinates: [34.4, 31.4] } }));
    expect(b.detail).toMatch(/route \(LineString\)/);
    await bad(site({ geometry: { type: 'Point', coordinates: [34.4] } }));
  });

  it('refuses a window that ends before it starts, unknown fields, and a marking hiding a party', async () => {
    const w = await bad(site({ windowStart: hoursFromNow(50), windowEnd: hoursFromNow(49) }));
    expect(w.detail).toMatch(/windowEnd must be after windowStart/);
    await bad({ ...site(), colour: 'blue' });
    await bad({ ...site(), kind: 'airdrop' });
    const m = await bad(
      site({ marking: { classification: 'UNCLASSIFIED', releasableTo: ['MEDRELIEF', 'ISR'] } }),
    );
    expect(m.code).toBe('marking-excludes-party');
    expect(m.detail).toMatch(/PSE/);
  });

  it('refuses a facility the viewer cannot see, and users who may not notify', async () => {
    await bad(site({ facilityId: '00000000-0000-4000-8000-000000000000' }));
    expect((await viewer.post('/api/v1/aid/notifications', site())).statusCode).toBe(403);
  });
});

describe('visibility', () => {
  it('answers 404 to whoever the notification is not released to', async () => {
    const marking = {
      classification: 'UNCLASSIFIED' as const,
      releasableTo: ['MEDRELIEF', 'ISR', 'PSE', 'USA'],
    };
    const d = await draft(ngo, site({ marking }));
    expect((await viewer.get(`/api/v1/aid/notifications/${d.feature.id}`)).statusCode).toBe(404);
    const r = await viewer.post(`/api/v1/aid/notifications/${d.feature.id}/actions`, {
      action: 'submit',
      version: 1,
    });
    expect(r.statusCode).toBe(404);
    const list = (await viewer.get('/api/v1/aid/notifications')).json<FC<NotificationFeature>>();
    expect(list.features.map((f) => f.id)).not.toContain(d.feature.id);
    // Released to ISR, but a draft until MedRelief submits it.
    expect((await isr.get(`/api/v1/aid/notifications/${d.feature.id}`)).statusCode).toBe(404);
    await step(ngo, d, 'submit');
    expect(
      (await isr.get(`/api/v1/aid/notifications/${d.feature.id}`)).json<NotificationDetail>().feature.id,
    ).toBe(d.feature.id);
  });
});

describe('drafts', () => {
  it('tell nobody but their own organisation, on any path, until submitted', async () => {
    const url = s.baseUrl || (await s.listen());
    const watch = (c: Client) =>
      LiveClient.subscribed(url, { cookie: c.sessionCookie }, { layers: [NOTIFICATIONS_LAYER] });
    const [ngoLive, isrLive, unLive] = await Promise.all([watch(ngo), watch(isr), watch(un)]);
    try {
      const d = await draft(ngo, site({ title: 'Draft clinic' }));
      const id = d.feature.id;
      await ngoLive.waitFor('upsert', (m) => m.id === id);
      // Marked for all, yet the centre and the parties neither read it nor hear of it.
      for (const c of [isr, un, monitor]) {
        expect((await c.get(`/api/v1/aid/notifications/${id}`)).statusCode).toBe(404);
        const list = (await c.get('/api/v1/aid/notifications')).json<FC<NotificationFeature>>();
        expect(list.features.map((f) => f.id)).not.toContain(id);
      }
      const ownList = (await ngo.get('/api/v1/aid/notifications')).json<FC<NotificationFeature>>();
      expect(ownList.features.map((f) => f.id)).toContain(id);

      const submitted = await step(ngo, d, 'submit');
      await isrLive.waitFor('upsert', (m) => m.id === id);
      await unLive.waitFor('upsert', (m) => m.id === id);
      // Nothing of the draft went out before: the first thing the others hear is the submission.
      for (const c of [isrLive, unLive]) {
        const seen = c.about(id).map((m) => (m.type === 'upsert' ? m.feature : null));
        expect(seen.map((f) => (f as NotificationFeature).properties.state)).toEqual(['submitted']);
      }
      const read = (await isr.get(`/api/v1/aid/notifications/${id}`)).json<NotificationDetail>();
      expect(read.history.map((h) => h.action)).toEqual(['created', 'submit']);

      // Cancelled before it was ever submitted, a draft stays the organisation's own.
      const gone = await draft(ngo, site({ title: 'Draft never sent' }));
      await step(ngo, gone, 'cancel');
      expect((await isr.get(`/api/v1/aid/notifications/${gone.feature.id}`)).statusCode).toBe(404);
      expect(submitted.feature.properties.state).toBe('submitted');
    } finally {
      await Promise.all([ngoLive.close(), isrLive.close(), unLive.close()]);
    }
  });
});

describe('OpenAPI', () => {
  it('documents the facilities, notifications and queue routes', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(r.statusCode).toBe(200);
    const paths = Object.keys(r.json<{ paths: Record<string, unknown> }>().paths);
    for (const p of [
      '/api/v1/facilities',
      '/api/v1/facilities/{id}',
      '/api/v1/aid/notifications',
      '/api/v1/aid/notifications/{id}',
      '/api/v1/aid/notifications/{id}/actions',
      '/api/v1/aid/queue',
    ])
      expect(paths).toContain(p);
  });
});
