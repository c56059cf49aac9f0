import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Marking } from '../../src/domain/marking.js';
import type { ZoneFeature } from '../../src/domain/zones.js';
import { candidate } from '../support/alerts.js';
import { apiSession, waitFor } from '../support/browser.js';
import { DESKTOP, e2eStage, PHONE } from '../support/e2e-stage.js';

const stage = e2eStage();

const USA_ONLY: Marking = { classification: 'RESTRICTED', releasableTo: ['USA'] };

async function signedIn(username: string, viewport = DESKTOP): Promise<Page> {
  const page = await stage.signedIn(username, viewport);
  await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('live');
  return page;
}

const bellCount = async (page: Page) => (await page.getByTestId('alerts-indicator').textContent())?.trim();

interface Highlight {
  lon: number;
  lat: number;
  zoneId: string | null;
  zoneOutlined: boolean;
}
const highlight = (page: Page) =>
  page.evaluate(
    () =>
      (
        window as unknown as { __concord?: { alertHighlight?(): Highlight | null } }
      ).__concord?.alertHighlight?.() ?? null,
  );

describe('alerts in the web client', () => {
  it('shows a new alert live to those it is released to, and acknowledges and resolves it', async () => {
    const [monitor, ngo] = await Promise.all([signedIn('usa.monitor'), signedIn('ngo.field')]);
    expect(await bellCount(monitor)).toBe('0');
    expect(await monitor.getByTestId('alerts-indicator').getAttribute('title')).toBe('No alerts');

    // A zone the monitor sees on the map, so that the highlight can outline it.
    const api = await apiSession(stage.server.url, 'usa.monitor');
    const zones = (await (await api('GET', '/api/v1/zones')).json()) as { features: ZoneFeature[] };
    const zone = zones.features.find((z) => z.properties.kind === 'buffer-zone') ?? zones.features[0]!;

    const summary = `E2E-VEH crossed ${zone.properties.name} (v${zone.properties.version})`;
    const c = candidate(USA_ONLY, { severity: 'critical', trigger: 'cross', lon: 34.45, lat: 31.45 });
    const [raised] = await stage.server.alerts.raise([
      {
        ...c,
        summary,
        track: { ...c.track, callsign: 'E2E-VEH' },
        zone: {
          id: String(zone.id),
          version: zone.properties.version,
          name: zone.properties.name,
          kind: zone.properties.kind,
          marking: zone.properties.marking,
        },
      },
    ]);
    // One the NGO user may see, raised after: once it arrives, the first would have arrived too.
    const [shared] = await stage.server.alerts.raise([
      candidate(
        { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
        { severity: 'info', lon: 34.3, lat: 31.3 },
      ),
    ]);

    await waitFor(async () => (await bellCount(monitor)) === '2');
    expect(await monitor.getByTestId('alerts-indicator').getAttribute('data-severity')).toBe('critical');
    await waitFor(async () => (await bellCount(ngo)) === '1');
    expect(await ngo.getByTestId('alerts-indicator').getAttribute('data-severity')).toBe('info');

    // The panel: newest first, severity, summary, marking.
    await monitor.getByTestId('alerts-indicator').click();
    const panel = monitor.getByTestId('alerts-panel');
    await panel.waitFor();
    await waitFor(async () => (await panel.getByTestId('alert-row').count()) === 2);
    const order = await panel
      .getByTestId('alert-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(order).toEqual([shared!.id, raised!.id]);
    const first = panel.locator(`[data-id="${raised!.id}"]`);
    expect(await first.textContent()).toContain(summary);
    expect(await first.textContent()).toContain('RESTRICTED//REL TO USA');

    // Clicking it centres the map there and highlights it with its zone outlined.
    await first.click();
    const details = monitor.getByTestId('alert-details');
    await details.waitFor();
    await expect
      .poll(() => highlight(monitor))
      .toMatchObject({ lon: 34.45, lat: 31.45, zoneId: String(zone.id) });
    await expect.poll(async () => (await highlight(monitor))?.zoneOutlined).toBe(true);
    await monitor.waitForTimeout(600);
    await monitor.screenshot({ path: path.join(stage.shots, 'alerts-monitor-1440.png') });

    // Someone else acted first: the server answers 409 and the panel offers to reload.
    await monitor.route('**/acknowledge', (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/problem+json',
        body: JSON.stringify({ title: 'Conflict', status: 409, code: 'conflict', currentVersion: 2 }),
      }),
    );
    await details.getByTestId('alert-acknowledge').click();
    await details.getByTestId('alert-conflict').waitFor();
    expect(await details.getByTestId('alert-conflict').textContent()).toContain(
      'Someone else changed this alert',
    );
    await monitor.unroute('**/acknowledge');
    await details.getByTestId('alert-reload').click();
    await details.getByTestId('alert-acknowledge').waitFor();

    await details.getByTestId('alert-acknowledge').click();
    await expect.poll(() => details.getByTestId('alert-status').textContent()).toBe('Acknowledged');
    await details.getByTestId('alert-resolve').click();
    await details.getByTestId('alert-note').fill('Vehicle turned back at the line.');
    await details.getByTestId('alert-resolve-confirm').click();
    await expect.poll(() => details.getByTestId('alert-status').textContent()).toBe('Resolved');
    await expect.poll(() => details.getByTestId('alert-timeline').locator('li').count()).toBe(3);
    expect(await details.getByTestId('alert-timeline').textContent()).toContain('Resolved by');
    await details.getByTestId('alert-reopen').waitFor();
    await waitFor(async () => (await bellCount(monitor)) === '1');
    expect(await monitor.getByTestId('alerts-indicator').getAttribute('data-severity')).toBe('info');
    await monitor.screenshot({ path: path.join(stage.shots, 'alerts-monitor-resolved-1440.png') });

    // Back to the list: the resolved one shows under the resolved filter.
    await details.getByTestId('alert-back').click();
    await waitFor(async () => (await panel.getByTestId('alert-row').count()) === 1);
    await panel.getByTestId('alert-filter-resolved').click();
    await waitFor(async () => (await panel.getByTestId('alert-row').count()) === 2);

    // The NGO user never learns of the US-only alert: not in the panel, not anywhere on the page.
    await ngo.getByTestId('alerts-indicator').click();
    const ngoPanel = ngo.getByTestId('alerts-panel');
    await ngoPanel.waitFor();
    await ngoPanel.getByTestId('alert-filter-resolved').click();
    await waitFor(async () => (await ngoPanel.getByTestId('alert-row').count()) === 1);
    expect(await ngoPanel.getByTestId('alert-row').first().getAttribute('data-id')).toBe(shared!.id);
    expect(await ngo.content()).not.toContain(summary);
    expect(await ngo.content()).not.toContain(raised!.id);
    // A humanitarian reads alerts but does not act on them.
    await ngoPanel.getByTestId('alert-row').first().click();
    await ngo.getByTestId('alert-details').waitFor();
    expect(await ngo.getByTestId('alert-actions').count()).toBe(0);
  });

  it('fits a phone screen', async () => {
    const phone = await signedIn('usa.monitor', PHONE);
    await waitFor(async () => Number(await bellCount(phone)) >= 1);
    await phone.getByTestId('alerts-indicator').click();
    const panel = phone.getByTestId('alerts-panel');
    await panel.waitFor();
    await panel.getByTestId('alert-filter-resolved').click();
    await waitFor(async () => (await panel.getByTestId('alert-row').count()) >= 2);
    await phone.screenshot({ path: path.join(stage.shots, 'alerts-monitor-390.png') });
    await panel.getByTestId('alert-row').first().click();
    await phone.getByTestId('alert-details').waitFor();
    await phone.waitForTimeout(500);
    await phone.screenshot({ path: path.join(stage.shots, 'alerts-details-390.png') });
    // Nothing spills past the screen's width.
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
