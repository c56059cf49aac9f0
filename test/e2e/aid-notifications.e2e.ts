import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NotificationDetail } from '../../src/domain/deconfliction.js';
import { apiSession, waitFor } from '../support/browser.js';
import { DESKTOP, e2eStage, PHONE } from '../support/e2e-stage.js';

const stage = e2eStage();

/** Across the middle of the strip, between Nuseirat and Gaza City: clear of the demo's routes. */
const ROUTE: [number, number][] = [
  [34.405, 31.478],
  [34.44, 31.482],
  [34.472, 31.474],
];
const CONVOY = 'e2e-convoy-medrelief';
const METRES_PER_DEGREE_LAT = 111_320;
const ALL = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
/** Long enough for the window to start while one party has still not answered. */
const PATIENT = { timeout: 300_000, interval: 1_000 };

/** A `datetime-local` value in UTC, as the form reads it. */
const local = (d: Date) => d.toISOString().slice(0, 16);

async function signedIn(username: string, viewport = DESKTOP): Promise<Page> {
  const page = await stage.signedIn(username, viewport);
  await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('live');
  return page;
}

async function openNotifications(page: Page): Promise<void> {
  await page.getByTestId('nav-notifications').click();
  await page.getByTestId('notifications-page').waitFor();
}

const row = (scope: Page | Locator, id: string) =>
  scope.locator(`[data-testid="notification-row"][data-id="${id}"]`);

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(stage.shots, name) });

describe('deconfliction notifications in the web client', () => {
  it('takes a movement from the form through the parties to the road and tells the organisation of an incident near it', async () => {
    const monitorApi = await apiSession(stage.server.url, 'usa.monitor');
    const dashboard = async () =>
      (
        (await (await monitorApi('GET', '/api/v1/aid/dashboard')).json()) as {
          overdueAnswers: { count: number };
        }
      ).overdueAnswers.count;
    const overdueBefore = await dashboard();

    // MedRelief notifies a movement through the form: the route clicked on the map, starting soon.
    const ngo = await signedIn('ngo.field');
    await openNotifications(ngo);
    await ngo.getByTestId('notification-new').click();
    const form = ngo.getByTestId('notification-form');
    await form.waitFor();
    expect(await form.getByLabel('Kind').inputValue()).toBe('movement');
    await form.getByLabel('Title', { exact: true }).fill('MedRelief ambulances across the middle area');
    // The window starts in two minutes: far shorter than the 48 h a routine notification asks for.
    const start = new Date(Math.ceil((Date.now() + 120_000) / 60_000) * 60_000);
    await form.getByLabel('Window starts (UTC)').fill(local(start));
    await form
      .getByLabel('Window ends (UTC, optional)')
      .fill(local(new Date(start.getTime() + 4 * 3_600_000)));
    await form.getByTestId('form-lead-time-warning').waitFor();
    expect(await form.getByTestId('form-lead-time-warning').textContent()).toContain('routine');
    for (const [lon, lat] of ROUTE) {
      const pixel = await ngo.evaluate(([x, y]) => window.__concordPicker?.pixelAt(x, y) ?? null, [
        lon,
        lat,
      ] as const);
      expect(pixel).not.toBeNull();
      const before = Number(await ngo.getByTestId('route-picker').getAttribute('data-points'));
      await ngo.getByTestId('route-picker').click({ position: { x: pixel![0], y: pixel![1] } });
      await expect
        .poll(() => ngo.getByTestId('route-picker').getAttribute('data-points'))
        .toBe(String(before + 1));
    }
    await form.getByLabel('Vehicles').fill('3');
    await form.getByLabel('Personnel').fill('9');
    await form.getByLabel('Details (optional)').fill('Three ambulances, marked, lights on.');
    expect(await form.getByTestId('marking-preview').textContent()).toBe('UNCLASSIFIED//REL TO ALL');
    await shot(ngo, 'notifications-form-1440.png');
    await form.getByTestId('notification-submit').click();
    const page = ngo.getByTestId('notification-page');
    await expect.poll(() => page.getAttribute('data-state'), { timeout: 15_000 }).toBe('submitted');
    const id = decodeURIComponent(new URL(ngo.url()).pathname.split('/').pop()!);
    expect(await ngo.getByTestId('notification-lead-time').textContent()).toMatch(
      /routine notifications ask for 48 h/,
    );
    const ngoApi = await apiSession(stage.server.url, 'ngo.field');
    const stored = (await (
      await ngoApi('GET', `/api/v1/aid/notifications/${id}`)
    ).json()) as NotificationDetail;
    expect(stored.feature.geometry.type).toBe('LineString');
    const route = stored.feature.geometry.coordinates as [number, number][];
    expect(route).toHaveLength(3);

    // The centre transmits it from the list of all notifications.
    const monitor = await signedIn('usa.monitor');
    await openNotifications(monitor);
    await row(monitor, id).getByTestId('notification-action-transmit').click();
    await expect
      .poll(() => row(monitor, id).getAttribute('data-state'), { timeout: 15_000 })
      .toBe('transmitted');

    // On the map the route opens its notification.
    await monitor.getByTestId('nav-map').click();
    await waitFor(
      async () => (await monitor.evaluate(() => window.__concord?.notificationIds?.() ?? [])).includes(id),
      15_000,
    );
    expect((await monitor.evaluate(() => window.__concord?.facilityIds?.() ?? [])).length).toBeGreaterThan(0);
    await shot(monitor, 'notifications-map-1440.png');
    const [a, b] = [route[1]!, route[2]!];
    const mid = await monitor.evaluate(([lon, lat]) => window.__concord?.pixelAt(lon, lat) ?? null, [
      (a[0] + b[0]) / 2,
      (a[1] + b[1]) / 2,
    ] as const);
    await monitor.getByTestId('map').click({ position: { x: mid![0], y: mid![1] } });
    await expect
      .poll(() => monitor.getByTestId('notification-number').textContent())
      .toBe(stored.feature.properties.number);

    // The Israeli liaison acknowledges and facilitates from the queue.
    const isr = await signedIn('liaison.isr');
    await openNotifications(isr);
    const isrQueue = isr.getByTestId('notification-queue');
    await row(isrQueue, id).getByTestId('notification-action-acknowledge').click();
    await expect
      .poll(() => row(isrQueue, id).getAttribute('data-state'), { timeout: 15_000 })
      .toBe('acknowledged');
    await row(isrQueue, id).getByTestId('notification-action-facilitate').click();
    await expect.poll(() => row(isrQueue, id).count(), { timeout: 15_000 }).toBe(0);

    // The Palestinian party has not answered when the window starts: the answer is overdue.
    await expect.poll(dashboard, PATIENT).toBe(overdueBefore + 1);
    // The centre's aid dashboard counts it.
    const overdueOnDashboard = async () => {
      await monitor.goto(`${stage.server.url}/aid`);
      return monitor.getByTestId('dashboard-overdue').getAttribute('data-count');
    };
    await monitor.getByTestId('nav-aid').click();
    await monitor.getByTestId('aid-dashboard').waitFor();
    await expect
      .poll(() => monitor.getByTestId('dashboard-overdue').getAttribute('data-count'), { timeout: 15_000 })
      .toBe(String(overdueBefore + 1));
    await shot(monitor, 'notifications-dashboard-1440.png');
    const pal = await signedIn('liaison.pal');
    await openNotifications(pal);
    const palQueue = pal.getByTestId('notification-queue');
    const palRow = row(palQueue, id);
    await palRow.waitFor();
    expect(await palRow.getByTestId('notification-overdue').textContent()).toMatch(/^Overdue/);
    expect(await palRow.getByTestId('notification-answers').textContent()).toContain(
      'Israel (ISR): Facilitated',
    );
    await shot(pal, 'notifications-queue-1440.png');
    await palRow.getByTestId('notification-action-facilitate').click();
    await expect.poll(() => palRow.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(dashboard, { timeout: 15_000 }).toBe(overdueBefore);
    await expect.poll(overdueOnDashboard, { timeout: 30_000 }).toBe(String(overdueBefore));

    // MedRelief sees it facilitated by both parties and marks the convoy departed.
    await ngo.reload();
    await expect.poll(() => page.getAttribute('data-state'), { timeout: 15_000 }).toBe('facilitated');
    const history = ngo.getByTestId('notification-history-entry');
    expect(await history.count()).toBe(6);
    expect(await ngo.locator('[data-testid="notification-history-entry"][data-party="PSE"]').count()).toBe(1);
    await ngo.getByTestId('notification-action-depart').click();
    await expect.poll(() => page.getAttribute('data-state'), { timeout: 15_000 }).toBe('en-route');

    // The convoy moves along its route (its tracker reports through the API).
    const now = Date.now();
    const positions = Array.from({ length: 9 }, (_, i) => {
      const f = i / 8;
      const seg = f < 0.5 ? [route[0]!, route[1]!] : [route[1]!, route[2]!];
      const g = f < 0.5 ? f * 2 : (f - 0.5) * 2;
      return {
        uid: CONVOY,
        kind: 'convoy',
        affiliation: 'neutral',
        callsign: 'MEDRELIEF-1',
        observedAt: new Date(now - (8 - i) * 15_000).toISOString(),
        lon: seg[0]![0] + (seg[1]![0] - seg[0]![0]) * g,
        lat: seg[0]![1] + (seg[1]![1] - seg[0]![1]) * g,
        marking: ALL,
      };
    });
    expect((await ngoApi('POST', '/api/v1/tracks/reports', positions)).status).toBe(202);
    await waitFor(
      async () => (await ngo.evaluate(() => window.__concord?.trackIds() ?? [])).includes(CONVOY),
      15_000,
    );

    // An incident is reported 200 m from the route, released to everyone (MedRelief included).
    const [p0, p1] = [route[0]!, route[1]!];
    const near: [number, number] = [(p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2 + 200 / METRES_PER_DEGREE_LAT];
    const reported = await monitorApi('POST', '/api/v1/incidents/reports', {
      reporterKind: 'monitor',
      accusedParty: 'UNKNOWN',
      observedAt: new Date().toISOString(),
      timePrecision: 'minute',
      location: { type: 'Point', coordinates: near },
      locationPrecision: 'exact',
      category: 'fire-across-line',
      subtype: 'small-arms',
      narrative: 'Shots fired near the road the ambulances take (e2e).',
      marking: ALL,
    });
    expect(reported.status).toBe(201);
    const incidentId = ((await reported.json()) as { incident: { feature: { id: string } } }).incident.feature
      .id;

    // MedRelief hears of it in the alerts bell, and finds it on the notification.
    const alertRow = ngo.locator('[data-testid="alert-row"]', { hasText: 'Notified site affected' });
    await ngo.getByTestId('alerts-indicator').click();
    await alertRow.first().waitFor({ timeout: 30_000 });
    await alertRow.first().click();
    await ngo.getByTestId('alert-details').waitFor();
    await shot(ngo, 'notifications-alert-1440.png');
    await ngo.getByTestId('alert-notification-link').click();
    await expect
      .poll(() => ngo.getByTestId('notification-number').textContent())
      .toBe(stored.feature.properties.number);
    // The incident's; the convoy crossing a zone near the route may have raised another.
    const correlation = ngo.locator('[data-testid="notification-correlation"]', {
      has: ngo.getByTestId('correlation-incident'),
    });
    await correlation.first().waitFor();
    expect(await correlation.getByTestId('correlation-incident').getAttribute('href')).toBe(
      `/incidents/${incidentId}`,
    );
    expect(await correlation.getByTestId('correlation-not-released').count()).toBe(0);
    expect(await correlation.textContent()).toMatch(/\d+ m from the notified site or route/);
    await shot(ngo, 'notifications-detail-1440.png');

    // The same on a phone.
    const phone = await signedIn('ngo.field', PHONE);
    await phone.goto(`${stage.server.url}/notifications/${id}`);
    await phone.getByTestId('notification-correlation').first().waitFor();
    await shot(phone, 'notifications-detail-390.png');
    await phone.goto(`${stage.server.url}/notifications`);
    await row(phone, id).waitFor();
    await shot(phone, 'notifications-list-390.png');
    await phone.goto(`${stage.server.url}/notifications/new`);
    await phone.getByTestId('notification-form').waitFor();
    await shot(phone, 'notifications-form-390.png');
  }, 600_000);
});
