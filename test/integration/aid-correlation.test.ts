import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertFeature } from '../../src/domain/alert-status.js';
import type { NotificationDetail } from '../../src/domain/deconfliction.js';
import { METRES_PER_DEGREE } from '../../src/domain/geo-predicates.js';
import type { IncidentDetail, IncidentReportInput } from '../../src/domain/incidents.js';
import type { Marking } from '../../src/domain/marking.js';
import { candidate } from '../support/alerts.js';
import { LiveClient } from '../support/live-client.js';
import { ALL, draft, hoursFromNow, movement, site, step } from '../support/notifications.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

let s: TestServer;
let ngo: Client;
let monitor: Client;
let isr: Client;
let pal: Client;
let viewer: Client;

beforeAll(async () => {
  s = await startTestServer();
  [ngo, monitor, isr, pal, viewer] = await Promise.all([
    Client.login(s.app, 'ngo.field'),
    Client.login(s.app, 'usa.monitor'),
    Client.login(s.app, 'liaison.isr'),
    Client.login(s.app, 'liaison.pal'),
    Client.login(s.app, 'can.viewer'),
  ]);
});
afterAll(() => s?.close());

/** A point `m` metres north of [lon, lat]. */
const north = (lon: number, lat: number, m: number): [number, number] => [lon, lat + m / METRES_PER_DEGREE];

function report(
  at: [number, number],
  marking: Marking = ALL,
  o: Partial<IncidentReportInput> = {},
): IncidentReportInput {
  return {
    reporterKind: 'monitor',
    accusedParty: 'UNKNOWN',
    observedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    timePrecision: 'minute',
    location: { type: 'Point', coordinates: at },
    locationPrecision: 'exact',
    category: 'fire-across-line',
    subtype: 'small-arms',
    narrative: 'Shots heard near the site (test).',
    marking,
    ...o,
  };
}

async function incident(at: [number, number], marking: Marking = ALL): Promise<IncidentDetail> {
  const r = await monitor.post('/api/v1/incidents/reports', report(at, marking));
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ incident: IncidentDetail }>().incident;
}

/** Waits for the relay and the correlator to have handled everything committed so far. */
async function settled(): Promise<void> {
  await s.relay.wake();
  await s.correlator.idle();
}

async function notifiedAlerts(c: Client, notificationId: string): Promise<AlertFeature[]> {
  const r = await c.get('/api/v1/alerts?status=open,acknowledged,resolved&limit=1000');
  expect(r.statusCode, r.body).toBe(200);
  return r
    .json<{ features: AlertFeature[] }>()
    .features.filter(
      (a) => a.properties.trigger === 'notified-site' && a.properties.notificationId === notificationId,
    );
}

/** A static site notified (submitted) and in its window now, at a place no other test uses. */
async function notifiedSite(lon: number, lat: number, marking: Marking = ALL) {
  let d = await draft(
    ngo,
    site({
      geometry: { type: 'Point', coordinates: [lon, lat] },
      windowStart: hoursFromNow(-2),
      windowEnd: hoursFromNow(24),
      marking,
    }),
  );
  d = await step(ngo, d, 'submit');
  return d;
}

describe('notified site affected', () => {
  it('raises a critical alert for an incident 200 m from a notified site, that the NGO sees, linked both ways', async () => {
    const d = await notifiedSite(34.43, 31.47);
    const inc = await incident(north(34.43, 31.47, 200));
    await settled();
    const [alert, ...more] = await notifiedAlerts(ngo, d.feature.id);
    expect(more).toEqual([]);
    expect(alert!.properties).toMatchObject({
      trigger: 'notified-site',
      severity: 'critical',
      status: 'open',
      notificationId: d.feature.id,
      incidentId: inc.feature.id,
      sourceAlertId: null,
      trackUid: null,
      zoneId: null,
      markingText: 'UNCLASSIFIED//REL TO ALL',
    });
    expect(alert!.properties.distanceM).toBeGreaterThan(190);
    expect(alert!.properties.distanceM).toBeLessThan(210);
    expect(alert!.properties.summary).toContain(inc.feature.properties.number);
    expect(alert!.properties.summary).toContain(d.feature.properties.number);
    // The monitors see it too, and the notification lists it.
    expect((await notifiedAlerts(monitor, d.feature.id)).map((a) => a.id)).toEqual([alert!.id]);
    const detail = (await ngo.get(`/api/v1/aid/notifications/${d.feature.id}`)).json<NotificationDetail>();
    expect(detail.correlations).toEqual([
      expect.objectContaining({
        alertId: alert!.id,
        incidentId: inc.feature.id,
        releasedToOrganisation: true,
      }),
    ]);
    // Once per incident, however often the incident changes.
    const edit = await monitor.patch(`/api/v1/incidents/${inc.feature.id}`, {
      version: inc.feature.properties.version,
      title: 'Shots near the test clinic',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    await settled();
    expect(await notifiedAlerts(ngo, d.feature.id)).toHaveLength(1);
  });

  it('raises nothing for an incident 5 km away, or before the site is submitted', async () => {
    const d = await notifiedSite(34.45, 31.49);
    await incident(north(34.45, 31.49, 5000));
    const drafted = await draft(
      ngo,
      site({ geometry: { type: 'Point', coordinates: [34.47, 31.51] }, windowStart: hoursFromNow(-2) }),
    );
    await incident(north(34.47, 31.51, 100));
    await settled();
    expect(await notifiedAlerts(monitor, d.feature.id)).toEqual([]);
    expect(await notifiedAlerts(monitor, drafted.feature.id)).toEqual([]);
  });

  it('watches the route of a movement once it is en route, not before', async () => {
    let d = await draft(
      ngo,
      movement({
        geometry: {
          type: 'LineString',
          coordinates: [
            [34.38, 31.43],
            [34.4, 31.44],
            [34.42, 31.44],
          ],
        },
        windowStart: hoursFromNow(-1),
        windowEnd: hoursFromNow(5),
      }),
    );
    d = await step(ngo, d, 'submit');
    d = await step(monitor, d, 'transmit');
    d = await step(isr, d, 'facilitate');
    d = await step(pal, d, 'facilitate');
    // Facilitated but not yet on the road: nothing.
    await incident(north(34.41, 31.44, 150));
    await settled();
    expect(await notifiedAlerts(monitor, d.feature.id)).toEqual([]);

    d = await step(ngo, d, 'depart');
    const near = await incident(north(34.41, 31.44, -250));
    await incident(north(34.41, 31.44, 5000));
    await settled();
    const alerts = await notifiedAlerts(ngo, d.feature.id);
    expect(alerts.map((a) => a.properties.incidentId)).toEqual([near.feature.id]);
    expect(alerts[0]!.properties.summary).toMatch(/route of movement/);
  });

  it('correlates geofence alerts near a notified site too', async () => {
    const d = await notifiedSite(34.35, 31.44);
    const [lon, lat] = north(34.35, 31.44, 300);
    const [geo] = await s.alerts.raise([candidate(ALL, { lon, lat })]);
    await settled();
    const linked = (await notifiedAlerts(ngo, d.feature.id)).filter(
      (a) => a.properties.sourceAlertId === geo!.id,
    );
    expect(linked).toHaveLength(1);
    expect(linked[0]!.properties.summary).toContain(geo!.properties.summary);
  });
});

describe('nothing leaks across markings', () => {
  it('keeps an incident the NGO may not see out of what the NGO sees', async () => {
    const d = await notifiedSite(34.33, 31.41);
    const secret = await incident(north(34.33, 31.41, 100), {
      classification: 'RESTRICTED',
      releasableTo: ['USA'],
    });
    await settled();
    // The monitor sees an alert marked as the incident is; the NGO sees nothing of it.
    const seen = await notifiedAlerts(monitor, d.feature.id);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.properties).toMatchObject({
      incidentId: secret.feature.id,
      markingText: 'RESTRICTED//REL TO USA',
    });
    expect(await notifiedAlerts(ngo, d.feature.id)).toEqual([]);
    const ngoAll = (await ngo.get('/api/v1/alerts?status=open,acknowledged,resolved&limit=1000')).body;
    expect(ngoAll).not.toContain(secret.feature.id);
    expect(ngoAll).not.toContain(secret.feature.properties.number);
    const forNgo = (await ngo.get(`/api/v1/aid/notifications/${d.feature.id}`)).json<NotificationDetail>();
    expect(forNgo.correlations).toEqual([]);
    const forMonitor = (
      await monitor.get(`/api/v1/aid/notifications/${d.feature.id}`)
    ).json<NotificationDetail>();
    expect(forMonitor.correlations).toEqual([
      expect.objectContaining({ incidentId: secret.feature.id, releasedToOrganisation: false }),
    ]);
    expect((await ngo.get(`/api/v1/alerts/${seen[0]!.id}`)).statusCode).toBe(404);

    // Released to the NGO by whoever may decide it (the incident is re-marked): the alert follows.
    const incidentVersion = async () =>
      (await monitor.get(`/api/v1/incidents/${secret.feature.id}`)).json<IncidentDetail>().feature.properties
        .version;
    const widen = await monitor.patch(`/api/v1/incidents/${secret.feature.id}`, {
      version: await incidentVersion(),
      marking: { classification: 'UNCLASSIFIED', releasableTo: ['USA', 'MEDRELIEF'] },
    });
    expect(widen.statusCode, widen.body).toBe(200);
    await settled();
    const released = await notifiedAlerts(ngo, d.feature.id);
    expect(released.map((a) => a.properties.markingText)).toEqual(['UNCLASSIFIED//REL TO USA, MEDRELIEF']);
    const timeline = (await ngo.get(`/api/v1/alerts/${released[0]!.id}`)).json<{
      actions: { action: string }[];
    }>();
    expect(timeline.actions.map((a) => a.action)).toEqual(['raised']);
    // And narrowed again: gone from the NGO's view.
    const narrow = await monitor.patch(`/api/v1/incidents/${secret.feature.id}`, {
      version: await incidentVersion(),
      marking: { classification: 'RESTRICTED', releasableTo: ['USA'] },
    });
    expect(narrow.statusCode, narrow.body).toBe(200);
    await settled();
    expect(await notifiedAlerts(ngo, d.feature.id)).toEqual([]);
    expect(await notifiedAlerts(monitor, d.feature.id)).toHaveLength(1);
  });

  it('raises nothing when the notification and the incident are released to nobody in common', async () => {
    const d = await notifiedSite(34.31, 31.39, {
      classification: 'UNCLASSIFIED',
      releasableTo: ['MEDRELIEF', 'ISR', 'PSE'],
    });
    await incident(north(34.31, 31.39, 100), { classification: 'RESTRICTED', releasableTo: ['USA'] });
    await settled();
    const all = await s.database.db.asSystem(async (tx) =>
      (await import('kysely')).sql<{ n: number }>`
        SELECT count(*)::int AS n FROM alerts WHERE notification_id = ${d.feature.id}`.execute(tx),
    );
    expect(all.rows[0]!.n).toBe(0);
    // The canadian viewer sees neither notification nor alert.
    expect((await viewer.get(`/api/v1/aid/notifications/${d.feature.id}`)).statusCode).toBe(404);
  });
});

describe('live layers', () => {
  it("sends notifications, facilities and the notified-site alert to the NGO's map", async () => {
    const base = await s.listen();
    const c = await LiveClient.subscribed(
      base,
      { cookie: ngo.sessionCookie },
      { layers: ['notifications', 'facilities', 'alerts'] },
    );
    try {
      const facilities = await c.waitFor('snapshot', (m) => m.layer === 'facilities');
      const notes = await c.waitFor('snapshot', (m) => m.layer === 'notifications');
      await c.waitFor('snapshot', (m) => m.layer === 'alerts');
      expect(facilities.msg.features.length).toBeGreaterThanOrEqual(8);
      expect(notes.msg.features.length).toBeGreaterThan(0);
      const d = await notifiedSite(34.29, 31.37);
      await c.waitFor('upsert', (m) => m.layer === 'notifications' && m.id === d.feature.id);
      const inc = await incident(north(34.29, 31.37, 150));
      const { msg } = await c.waitFor(
        'upsert',
        (m) => m.layer === 'alerts' && (m.feature as AlertFeature).properties.notificationId === d.feature.id,
        { timeoutMs: 5000 },
      );
      expect((msg.feature as AlertFeature).properties.incidentId).toBe(inc.feature.id);
    } finally {
      await c.close();
    }
  });
});
