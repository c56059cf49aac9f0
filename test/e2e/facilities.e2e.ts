import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FacilityFeature } from '../../src/domain/facilities.js';
import { apiSession, waitFor } from '../support/browser.js';
import { DESKTOP, e2eStage, PHONE } from '../support/e2e-stage.js';

const stage = e2eStage();

/** East of Nuseirat, clear of the demo's facilities, incidents and notified sites. */
const PLACE = { lon: 34.425, lat: 31.465 };
const NAME = 'MedRelief water point Nuseirat east (e2e)';

async function signedIn(username: string, viewport = DESKTOP): Promise<Page> {
  const page = await stage.signedIn(username, viewport);
  await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('live');
  return page;
}

/** The strip, `[west, south, east, north]`: what the form's map frames while no place is picked. */
const STRIP = [34.2, 31.21, 34.56, 31.6] as const;

/**
 * How far from the middle of the form's map a box of positions is drawn, in pixels, and whether
 * it is whole inside the map: null while the map has not drawn.
 */
function framing(page: Page, [west, south, east, north]: readonly [number, number, number, number]) {
  return page.evaluate(
    ({ west, south, east, north }) => {
      const map = document.querySelector<HTMLElement>('[data-testid="location-picker"]');
      const nw = window.__concordPicker?.pixelAt(west, north);
      const se = window.__concordPicker?.pixelAt(east, south);
      if (!map || !nw || !se) return null;
      const [w, h] = [map.clientWidth, map.clientHeight];
      return {
        width: w,
        whole: nw[0] >= 0 && nw[1] >= 0 && se[0] <= w && se[1] <= h,
        offCentre: Math.max(Math.abs((nw[0] + se[0]) / 2 - w / 2), Math.abs((nw[1] + se[1]) / 2 - h / 2)),
      };
    },
    { west, south, east, north },
  );
}

/** Waits until the strip is whole and centred (within 2 px) in a form's map as wide as `width` or less. */
async function expectStripFramed(page: Page, width: number) {
  await expect
    .poll(async () => {
      const f = await framing(page, STRIP);
      return f !== null && f.width <= width && f.whole && f.offCentre <= 2;
    })
    .toBe(true);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(stage.shots, name) });
const status = (page: Page) => page.getByTestId('facility-page').getAttribute('data-status');

describe('facilities in the web client', () => {
  it('records a facility, changes its status, and refuses a change based on a stale version', async () => {
    // MedRelief records a water point from the notifications page, placing it on the map.
    const ngo = await signedIn('ngo.field');
    await ngo.getByTestId('nav-notifications').click();
    await ngo.getByTestId('facility-new').click();
    const form = ngo.getByTestId('facility-form');
    await form.waitFor();
    expect(await form.getByLabel('Operator').inputValue()).toBe('MEDRELIEF');
    await form.getByLabel('Name').fill(NAME);
    await form.getByLabel('Kind').selectOption('water-point');
    // Sent without a place, the form says what is missing and sends nothing.
    await ngo.getByTestId('facility-save').click();
    expect(await ngo.getByTestId('facility-error').textContent()).toContain('Place the facility on the map');
    const pixel = await ngo.evaluate(
      ({ lon, lat }) => window.__concordPicker?.pixelAt(lon, lat) ?? null,
      PLACE,
    );
    expect(pixel).not.toBeNull();
    await ngo.getByTestId('location-picker').click({ position: { x: pixel![0], y: pixel![1] } });
    await expect.poll(() => form.getByLabel('Latitude').inputValue()).not.toBe('');
    expect(Number(await form.getByLabel('Latitude').inputValue())).toBeCloseTo(PLACE.lat, 2);
    expect(Number(await form.getByLabel('Longitude').inputValue())).toBeCloseTo(PLACE.lon, 2);
    await form.getByLabel('Notes (optional)').fill('Two tanks of 10 m³ (synthetic).');
    expect(await form.getByTestId('marking-preview').textContent()).toBe('UNCLASSIFIED//REL TO ALL');
    await shot(ngo, 'facilities-form-1440.png');
    await ngo.getByTestId('facility-save').click();
    await expect.poll(() => status(ngo), { timeout: 15_000 }).toBe('operational');
    const id = decodeURIComponent(new URL(ngo.url()).pathname.split('/').pop()!);
    expect(await ngo.getByTestId('facility-name').textContent()).toBe(NAME);

    const monitorApi = await apiSession(stage.server.url, 'usa.monitor');
    const stored = async () =>
      (await (await monitorApi('GET', `/api/v1/facilities/${id}`)).json()) as FacilityFeature;
    const created = await stored();
    expect(created.properties).toMatchObject({ kind: 'water-point', operator: 'MEDRELIEF', version: 1 });
    expect(created.geometry.coordinates[0]).toBeCloseTo(PLACE.lon, 2);
    expect(created.geometry.coordinates[1]).toBeCloseTo(PLACE.lat, 2);

    // The centre's monitor sees it on the map (live) and opens it there.
    const monitor = await signedIn('usa.monitor');
    await waitFor(
      async () => (await monitor.evaluate(() => window.__concord?.facilityIds?.() ?? [])).includes(id),
      15_000,
    );
    const at = await monitor.evaluate(({ lon, lat }) => window.__concord?.pixelAt(lon, lat) ?? null, PLACE);
    await monitor.getByTestId('map').click({ position: { x: at![0], y: at![1] } });
    await expect.poll(() => monitor.getByTestId('facility-name').textContent()).toBe(NAME);

    // MedRelief marks it damaged; the monitor's page follows.
    await ngo.getByTestId('facility-edit').click();
    await form.getByLabel('Status').selectOption('damaged');
    await shot(ngo, 'facilities-edit-1440.png');
    await ngo.getByTestId('facility-save').click();
    await expect.poll(() => status(ngo), { timeout: 15_000 }).toBe('damaged');
    expect(await ngo.getByTestId('facility-status').textContent()).toBe('Damaged');
    expect(await ngo.getByTestId('facility-notice').textContent()).toBe('Your change was saved.');
    expect(await form.count()).toBe(0);
    expect((await stored()).properties).toMatchObject({ status: 'damaged', version: 2 });
    await expect.poll(() => status(monitor), { timeout: 15_000 }).toBe('damaged');
    await shot(ngo, 'facilities-page-1440.png');

    // A refusal other than a conflict stays beside the form, which keeps what was typed. The
    // form checks what it can, so the server's answer is made up here, as problem+json.
    await ngo.getByTestId('facility-edit').click();
    await form.getByLabel('Name').fill(`${NAME} (renamed)`);
    const patchUrl = `${stage.server.url}/api/v1/facilities/${id}`;
    await ngo.route(patchUrl, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 400,
            contentType: 'application/problem+json',
            body: JSON.stringify({
              type: 'about:blank',
              code: 'validation',
              title: 'Invalid request',
              status: 400,
              detail: 'body/name must NOT have more than 200 characters',
              errors: [{ path: 'body/name', message: 'must NOT have more than 200 characters' }],
            }),
          })
        : route.fallback(),
    );
    await ngo.getByTestId('facility-save').click();
    const error = ngo.getByTestId('facility-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('body/name must NOT have more than 200 characters');
    expect(await form.getByLabel('Name').inputValue()).toBe(`${NAME} (renamed)`);
    expect(await ngo.getByTestId('facility-notice').count()).toBe(0);
    await ngo.unroute(patchUrl);
    await ngo.getByTestId('facility-cancel').click();
    expect(await form.count()).toBe(0);
    expect(await ngo.getByTestId('facility-name').textContent()).toBe(NAME);

    // MedRelief opens the form; meanwhile the monitor changes the facility through the API.
    await ngo.getByTestId('facility-edit').click();
    await form.getByLabel('Status').selectOption('not-operational');
    const patched = await monitorApi('PATCH', `/api/v1/facilities/${id}`, {
      version: 2,
      status: 'partially-operational',
    });
    expect(patched.status).toBe(200);
    // The live feed tells the form before it is sent.
    await ngo.getByTestId('facility-stale').waitFor({ timeout: 15_000 });
    await ngo.getByTestId('facility-save').click();
    const notice = ngo.getByTestId('facility-notice');
    await expect.poll(() => notice.getAttribute('class'), { timeout: 15_000 }).toBe('conflict');
    expect(await notice.textContent()).toContain('Someone else changed this facility');
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await status(ngo)).toBe('partially-operational');
    expect(await ngo.getByTestId('facility-page').getAttribute('data-version')).toBe('3');
    expect(await form.count()).toBe(0);
    expect((await stored()).properties).toMatchObject({ status: 'partially-operational', version: 3 });
    await shot(ngo, 'facilities-conflict-1440.png');

    // A viewer sees the facility but is not offered Edit, nor the form.
    const viewer = await signedIn('can.viewer');
    await viewer.goto(`${stage.server.url}/facilities/${id}`);
    await expect.poll(() => status(viewer)).toBe('partially-operational');
    expect(await viewer.getByTestId('facility-edit').count()).toBe(0);
    await viewer.goto(`${stage.server.url}/facilities/new`);
    await viewer.getByTestId('facility-new-page').waitFor();
    expect(await viewer.getByTestId('facility-form').count()).toBe(0);

    // The same on a phone.
    const phone = await signedIn('ngo.field', PHONE);
    await phone.goto(`${stage.server.url}/facilities/${id}`);
    await phone.getByTestId('facility-edit').click();
    await phone.getByTestId('facility-form').waitFor();
    // The form's map is centred on the facility.
    const dot = [PLACE.lon, PLACE.lat, PLACE.lon, PLACE.lat] as const;
    await expect.poll(async () => ((await framing(phone, dot))?.offCentre ?? 99) <= 2).toBe(true);
    await shot(phone, 'facilities-edit-390.png');
  }, 300_000);

  it('frames the whole strip in the map of the form, on a desktop, on a phone and after a resize', async () => {
    const page = await signedIn('ngo.field');
    await page.goto(`${stage.server.url}/facilities/new`);
    await page.getByTestId('facility-form').waitFor();
    await expectStripFramed(page, DESKTOP.width);
    // The same page turned into a phone's: the map is fitted again to its new size.
    await page.setViewportSize(PHONE);
    await expectStripFramed(page, PHONE.width);
    await page.getByTestId('location-picker').scrollIntoViewIfNeeded();
    await shot(page, 'facilities-form-picker-390.png');
  }, 120_000);
});
