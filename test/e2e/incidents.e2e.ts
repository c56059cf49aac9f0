import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSession, waitFor } from '../support/browser.js';
import { DESKTOP, e2eStage, PHONE } from '../support/e2e-stage.js';

const stage = e2eStage();

/** South-east of Deir al-Balah, kilometres from any demo incident: where the drone flies over. */
const PLACE = { lat: 31.395, lon: 34.345 };
const DRONE = 'e2e-uav-heron';

const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000);
/** A `datetime-local` value in UTC, as the form reads it. */
const local = (d: Date) => d.toISOString().slice(0, 16);

async function signedIn(username: string, viewport = DESKTOP): Promise<Page> {
  const page = await stage.signedIn(username, viewport);
  await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('live');
  return page;
}

async function openIncident(page: Page, id: string): Promise<void> {
  await page.goto(`${stage.server.url}/incidents/${id}`);
  await page.getByTestId('incident-number').waitFor();
}

const status = (page: Page) => page.getByTestId('incident-page').getAttribute('data-status');

async function act(page: Page, action: string, to: string): Promise<void> {
  await page.getByTestId(`incident-action-${action}`).click();
  await expect.poll(() => status(page), { timeout: 10_000 }).toBe(to);
}

describe('incidents in the web client', () => {
  it('takes an allegation from a party to a finding the parties are told, released only where marked', async () => {
    const t0 = minute(Date.now() - 4 * 60_000);

    // A drone over the place around the time (the e2e stage runs no simulator).
    const admin = await apiSession(stage.server.url, 'admin');
    // It flies north over the place and on, so that it is no longer on top of the incident's marker.
    const positions = Array.from({ length: 16 }, (_, i) => ({
      uid: DRONE,
      kind: 'uav',
      affiliation: 'friend',
      callsign: 'HERON-E2E',
      observedAt: new Date(t0.getTime() - 3 * 60_000 + i * 30_000).toISOString(),
      lat: PLACE.lat + (i - 6) * 0.0004 + (i > 12 ? 0.03 : 0),
      lon: PLACE.lon,
      alt: 1500,
      marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
    }));
    const posted = await admin('POST', '/api/v1/tracks/reports', positions);
    expect(posted.status).toBe(202);

    const canApi = await apiSession(stage.server.url, 'can.viewer');
    const canCountsBefore = (await (await canApi('GET', '/api/v1/incidents/counts')).json()) as {
      total: number;
    };

    // The Palestinian liaison reports it through the form: place typed, time to the minute.
    const pal = await signedIn('liaison.pal');
    await pal.getByTestId('nav-incidents').click();
    await pal.getByTestId('incidents-page').waitFor();
    await pal.getByTestId('incident-report').click();
    const form = pal.getByTestId('report-form');
    await form.waitFor();
    expect(await form.getByLabel('Reporter', { exact: true }).inputValue()).toBe('party');
    expect(await form.getByLabel('Alleging party').inputValue()).toBe('PSE');
    await form.getByLabel('Accused party').selectOption('ISR');
    await form.getByLabel('Observed at (UTC)').fill(local(t0));
    // Click the picker map near the place, then type the exact position.
    const pixel = await pal.evaluate(
      ({ lon, lat }) => window.__concordPicker?.pixelAt(lon, lat) ?? null,
      PLACE,
    );
    expect(pixel).not.toBeNull();
    await pal.getByTestId('location-picker').click({ position: { x: pixel![0], y: pixel![1] } });
    await expect.poll(() => form.getByLabel('Latitude').inputValue()).not.toBe('');
    await form.getByLabel('Latitude').fill(String(PLACE.lat));
    await form.getByLabel('Longitude').fill(String(PLACE.lon));
    await form.getByLabel('Place name (optional)').fill('Fields south-east of Deir al-Balah');
    await form.getByLabel('Category').selectOption('air-strike');
    await form.getByLabel('Sub-type').selectOption('drone');
    await form.getByLabel('Civilians injured').fill('2');
    await form
      .getByLabel('Narrative')
      .fill('A drone struck a farm shed south-east of Deir al-Balah; two farmers were injured.');
    await form.getByLabel('Source reliability').selectOption('B');
    await form.getByLabel('Information credibility').selectOption('2');
    await form.getByTestId('marking-classification').selectOption('RESTRICTED');
    for (const n of ['USA', 'GBR', 'FRA']) await form.getByTestId(`marking-rel-${n}`).check();
    await expect
      .poll(() => form.getByTestId('marking-preview').textContent())
      .toBe('RESTRICTED//REL TO USA, FRA, GBR, PSE');
    await pal.screenshot({ path: path.join(stage.shots, 'incidents-form-1440.png') });
    await form.getByTestId('report-submit').click();
    const done = pal.getByTestId('report-done');
    await done.waitFor();
    const number = ((await done.getByRole('status').textContent()) ?? '').match(/INC-\d{6}/)?.[0];
    expect(number).toBeTruthy();
    await done.getByTestId('report-open').click();
    await pal.getByTestId('incident-number').waitFor();
    const id = decodeURIComponent(new URL(pal.url()).pathname.split('/').pop()!);
    expect(await pal.getByTestId('incident-number').textContent()).toBe(number);
    expect(await status(pal)).toBe('received');
    expect(await pal.getByTestId('incident-governorate').textContent()).toBe('Deir al-Balah');
    expect(await pal.getByTestId('incident-actions').count()).toBe(0);

    // The monitor sees it on the map (live), clicks it there and triages it.
    const monitor = await signedIn('usa.monitor');
    await waitFor(async () =>
      (await monitor.evaluate(() => window.__concord?.incidentIds() ?? [])).includes(id),
    );
    await monitor.screenshot({ path: path.join(stage.shots, 'incidents-map-1440.png') });
    const at = await monitor.evaluate(({ lon, lat }) => window.__concord?.pixelAt(lon, lat) ?? null, PLACE);
    await monitor.getByTestId('map').click({ position: { x: at![0], y: at![1] } });
    await monitor.getByTestId('incident-number').waitFor();
    expect(await monitor.getByTestId('incident-number').textContent()).toBe(number);
    await act(monitor, 'triage', 'triaged');
    await monitor.getByTestId('incident-edit').click();
    await monitor
      .getByLabel('Title', { exact: true })
      .fill('Drone strike on a farm shed, south-east of Deir al-Balah');
    await monitor.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => monitor.getByRole('heading', { level: 2 }).textContent())
      .toBe('Drone strike on a farm shed, south-east of Deir al-Balah');

    // The French analyst takes it into verification, links the drone, assesses, submits for review.
    const fra = await signedIn('fra.analyst');
    await openIncident(fra, id);
    await act(fra, 'start-verification', 'under-verification');
    const suggestion = fra.locator(`[data-testid="evidence-suggestion"][data-uid="${DRONE}"]`);
    await suggestion.waitFor({ timeout: 15_000 });
    expect(await suggestion.textContent()).toContain('HERON-E2E');
    await suggestion.getByTestId('evidence-link').click();
    await fra.locator('[data-testid="evidence-item"][data-kind="track-segment"]').waitFor();
    await fra.getByTestId('evidence-file').setInputFiles({
      name: 'shed.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mP8z8DwnwEIGBkZGRgYAAAHjgT/0b6WmQAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
    await fra.getByTestId('evidence-upload').click();
    const file = fra.locator('[data-testid="evidence-item"][data-kind="file"]');
    await file.waitFor();
    expect(await file.textContent()).toMatch(/[0-9a-f]{64}/);
    await file.getByRole('button', { name: 'Show chain of custody' }).click();
    await expect
      .poll(() => file.getByTestId('custody').textContent())
      .toContain('Uploaded by Cne D. Analyste');
    await fra.getByTestId('assessment-finding').selectOption('confirmed');
    await fra
      .getByTestId('assessment-rationale')
      .fill('HERON-E2E was overhead at the time; its imagery shows the strike on the shed.');
    await fra.getByTestId('assessment-save').click();
    await expect
      .poll(() => fra.getByTestId('assessment-current').getAttribute('data-finding'))
      .toBe('confirmed');
    await fra.screenshot({ path: path.join(stage.shots, 'incidents-verification-1440.png'), fullPage: true });
    await act(fra, 'submit-for-review', 'peer-review');
    // Four-eyes: the analyst may not approve their own assessment.
    expect(await fra.getByTestId('incident-action-approve').count()).toBe(0);

    // The British analyst approves and tells the parties.
    const gbr = await signedIn('gbr.analyst');
    await openIncident(gbr, id);
    // Someone acted first: the server refuses the stale version, the page reloads and says so.
    await gbr.route(
      '**/actions',
      (route) =>
        route.fulfill({
          status: 409,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            title: 'Conflict',
            status: 409,
            code: 'version-conflict',
            detail: 'Stale.',
          }),
        }),
      { times: 1 },
    );
    await gbr.getByTestId('incident-action-approve').click();
    await expect
      .poll(() => gbr.getByTestId('incident-notice').textContent())
      .toContain('Someone else changed this incident');
    expect(await status(gbr)).toBe('peer-review');
    await act(gbr, 'approve', 'assessed');
    // Only the parties it is released to are told: Israel's liaisons may not read it.
    expect(await gbr.getByTestId('incident-action-notify-parties').textContent()).toBe(
      'Notify the parties (PSE)',
    );
    await act(gbr, 'notify-parties', 'parties-notified');
    expect(await gbr.getByTestId('incident-notified').textContent()).toContain('PSE');

    // The liaison now sees the finding, on the incident and in the list.
    await openIncident(pal, id);
    await expect.poll(() => pal.getByTestId('incident-finding').textContent()).toContain('Confirmed');
    await pal.screenshot({ path: path.join(stage.shots, 'incidents-incident-liaison-1440.png') });
    await pal.getByTestId('nav-incidents').click();
    const row = pal.locator(`[data-testid="incident-row"][data-number="${number}"]`);
    await row.waitFor();
    expect(await row.getByTestId('incident-row-finding').textContent()).toBe('Confirmed');
    await pal.screenshot({ path: path.join(stage.shots, 'incidents-list-liaison-1440.png') });
    // The filters: a search by number and a status chip narrow the list, and the URL keeps them.
    await pal.getByTestId('incident-filter-q').fill(number!);
    await expect.poll(() => pal.getByTestId('incident-row').count()).toBe(1);
    await pal.getByTestId('incident-count-closed').click();
    await expect.poll(() => pal.getByTestId('incident-row').count()).toBe(0);
    expect(new URL(pal.url()).searchParams.get('status')).toBe('closed');
    await pal.getByTestId('incident-count-closed').click();
    await expect.poll(() => pal.getByTestId('incident-row').count()).toBe(1);

    // Its report for the period shows it to those it is released to.
    const end = new Date(Date.now() + 60 * 60_000).toISOString();
    const reportPath = `/reports/daily?end=${encodeURIComponent(end)}&hours=24`;
    await gbr.goto(`${stage.server.url}${reportPath}`);
    await gbr.getByTestId('report-number').waitFor();
    await waitFor(async () =>
      ((await gbr.frameLocator('[data-testid="report-frame"]').locator('body').textContent()) ?? '').includes(
        number!,
      ),
    );
    await gbr.screenshot({ path: path.join(stage.shots, 'incidents-report-1440.png') });

    // Canada is not in the releasability: not in its list, counts, incident page, report or exports.
    const can = await signedIn('can.viewer');
    await can.getByTestId('nav-incidents').click();
    await can.getByTestId('incident-count').waitFor();
    expect(await can.locator(`[data-number="${number}"]`).count()).toBe(0);
    expect(await can.content()).not.toContain(number!);
    expect(await can.getByTestId('incident-report').count()).toBe(0);
    const canCounts = (await (await canApi('GET', '/api/v1/incidents/counts')).json()) as { total: number };
    expect(canCounts.total).toBe(canCountsBefore.total);
    await can.goto(`${stage.server.url}/incidents/${id}`);
    await can.getByRole('alert').waitFor();
    expect(await can.getByTestId('incident-number').count()).toBe(0);
    await can.goto(`${stage.server.url}${reportPath}`);
    await can.getByTestId('report-number').waitFor();
    await can.frameLocator('[data-testid="report-frame"]').locator('body').waitFor();
    expect(
      await can.frameLocator('[data-testid="report-frame"]').locator('body').textContent(),
    ).not.toContain(number!);
    for (const url of [
      '/api/v1/incidents/export.csv?format=acled',
      '/api/v1/incidents/export.csv?format=hxl',
      '/api/v1/incidents/export.geojson',
      `/api/v1/reports/daily?end=${encodeURIComponent(end)}&hours=24`,
    ]) {
      const r = await canApi('GET', url);
      expect(r.status, url).toBe(200);
      expect(await r.text(), url).not.toContain(number!);
    }
    const gbrApi = await apiSession(stage.server.url, 'gbr.analyst');
    expect(await (await gbrApi('GET', '/api/v1/incidents/export.csv?format=acled')).text()).toContain(
      number!,
    );
    // Six people and a dozen steps: longer than a test of one page.
  }, 240_000);

  it('merges a duplicate, and its evidence goes with its reports', async () => {
    const pal = await apiSession(stage.server.url, 'liaison.pal');
    const report = async (lon: number, narrative: string) => {
      const r = await pal('POST', '/api/v1/incidents/reports', {
        reporterKind: 'party',
        allegingParty: 'PSE',
        accusedParty: 'ISR',
        observedAt: minute(Date.now() - 30 * 60_000).toISOString(),
        timePrecision: 'minute',
        location: { type: 'Point', coordinates: [lon, 31.52] },
        locationPrecision: 'exact',
        category: 'fire-across-line',
        subtype: 'small-arms',
        casualties: { killedCivilians: 0, killedUnknown: 0, injuredCivilians: 0, injuredUnknown: 0 },
        narrative,
        grading: { reliability: 'C', credibility: 3 },
        marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
      });
      expect(r.status).toBe(201);
      return ((await r.json()) as { incident: { feature: { id: string } } }).incident.feature.id;
    };
    const target = await report(34.5301, 'Shots from the line towards Beit Lahia, first report.');
    const dup = await report(34.5302, 'Shots towards Beit Lahia, the same burst, second report.');
    const targetNumber = async () =>
      (
        (await (await pal('GET', `/api/v1/incidents/${target}`)).json()) as {
          feature: { properties: { number: string } };
        }
      ).feature.properties.number;

    const monitor = await signedIn('usa.monitor');
    await openIncident(monitor, dup);
    await monitor.getByTestId('evidence-file').setInputFiles({
      name: 'burst.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mP8z8DwnwEIGBkZGRgYAAAHjgT/0b6WmQAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
    await monitor.getByTestId('evidence-upload').click();
    await monitor.locator('[data-testid="evidence-item"][data-kind="file"]').waitFor();

    await monitor.getByTestId('incident-action-merge').click();
    const pick = monitor.getByTestId('incident-duplicate');
    await expect.poll(() => pick.locator(`option[value="${target}"]`).count()).toBe(1);
    await pick.selectOption(target);
    await monitor.getByTestId('incident-action-form').locator('button[type="submit"]').click();
    await expect.poll(() => status(monitor), { timeout: 10_000 }).toBe('merged');
    // Nothing left to show or add on the duplicate; the file is on the incident it duplicates.
    const panel = monitor.getByTestId('evidence');
    await expect.poll(() => panel.textContent()).toContain('moved with the reports');
    expect(await monitor.getByTestId('evidence-file').count()).toBe(0);
    // A merged duplicate has no actions left, and the merge form is gone with them.
    await expect.poll(() => monitor.getByTestId('incident-actions').count()).toBe(0);
    expect(await monitor.getByTestId('incident-action-form').count()).toBe(0);
    await monitor.screenshot({ path: path.join(stage.shots, 'incidents-merged-1440.png'), fullPage: true });
    // The duplicate names the incident it duplicates by its number, and links to it.
    expect(await monitor.getByTestId('incident-duplicate-of').textContent()).toBe(await targetNumber());
    await monitor.getByTestId('incident-duplicate-of').click();
    await expect.poll(() => monitor.url()).toContain(target);
    await monitor.getByTestId('incident-number').waitFor();
    const file = monitor.locator('[data-testid="evidence-item"][data-kind="file"]');
    await file.waitFor();
    await file.getByRole('button', { name: 'Show chain of custody' }).click();
    await expect.poll(() => file.getByTestId('custody').textContent()).toContain('was merged into it');
  }, 120_000);

  it('fits a phone screen', async () => {
    const phone = await signedIn('fra.analyst', PHONE);
    await phone.getByTestId('nav-incidents').click();
    await phone.getByTestId('incident-row').first().waitFor();
    await phone.screenshot({ path: path.join(stage.shots, 'incidents-list-390.png') });
    let overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.getByTestId('incident-row').first().locator('a').first().click();
    await phone.getByTestId('incident-number').waitFor();
    await phone.screenshot({ path: path.join(stage.shots, 'incidents-incident-390.png') });
    await phone.getByTestId('page').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await phone.screenshot({ path: path.join(stage.shots, 'incidents-incident-end-390.png') });
    overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Deep links survive a reload.
    await phone.reload();
    await phone.getByTestId('incident-number').waitFor();
    await phone.goto(`${stage.server.url}/reports/daily`);
    await phone.getByTestId('report-number').waitFor();
    await phone.screenshot({ path: path.join(stage.shots, 'incidents-report-390.png') });
    // The map: the incidents toggle and its legend in the layers sheet.
    await phone.getByTestId('nav-map').click();
    await phone.getByTestId('layers-toggle').click();
    await phone.getByTestId('layer-toggle-incidents').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: path.join(stage.shots, 'incidents-layers-390.png') });
    await phone.getByTestId('layer-toggle-incidents').uncheck();
    await expect.poll(() => phone.evaluate(() => window.__concord?.incidentIds().length)).toBe(0);
  });
});
