import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSession } from '../support/browser.js';
import { DESKTOP, e2eStage, PHONE } from '../support/e2e-stage.js';

const stage = e2eStage();
const LONG = { timeout: 20_000 };

async function goTo(page: Page, to: string, testId: string): Promise<void> {
  await page.goto(`${stage.server.url}${to}`);
  await page.getByTestId(testId).first().waitFor(LONG);
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(stage.shots, `aid-${name}.png`), fullPage: true });

const funnelCount = async (page: Page, state: string) =>
  Number(await page.getByTestId(`funnel-${state}`).getAttribute('data-count'));

interface Row {
  id: string;
  number: string;
  reference: string;
  markingText: string;
  crossing: { id: string; name: string };
}

describe('aid pages in the web client', () => {
  it('shows the demo figures on the dashboard, the board, the list, the counts and the import page', async () => {
    for (const [who, size, tag] of [
      ['usa.monitor', DESKTOP, 'desktop'],
      ['un.logistics', PHONE, 'phone'],
    ] as const) {
      const page = await stage.signedIn(who, size);
      await page.getByTestId('nav-aid').click();
      await page.getByTestId('aid-dashboard').waitFor(LONG);
      await page.getByTestId('funnel').waitFor(LONG);
      expect(await funnelCount(page, 'registered')).toBeGreaterThanOrEqual(0);
      expect(await page.getByTestId('funnel').locator('tbody tr').count()).toBeGreaterThan(5);
      expect(await page.getByTestId('trucks-chart').locator('rect').count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('dashboard-trucks-total').textContent()).toMatch(/[1-9]/);
      expect(await page.getByTestId('aid-marking').textContent()).toMatch(/UNCLASSIFIED|RESTRICTED/);
      await shot(page, `dashboard-${tag}`);

      await page.getByTestId('aid-tab-crossings').click();
      await page.getByTestId('crossing-card').first().waitFor(LONG);
      expect(await page.getByTestId('crossing-card').count()).toBeGreaterThanOrEqual(3);
      await shot(page, `crossings-${tag}`);

      await page.getByTestId('aid-tab-consignments').click();
      await page.getByTestId('consignment-row').first().waitFor(LONG);
      await shot(page, `consignments-${tag}`);
      await page.getByTestId('consignment-row').first().locator('a').first().click();
      await page.getByTestId('consignment-page').waitFor(LONG);
      await shot(page, `consignment-${tag}`);

      await page.getByTestId('aid-tab-reconciliation').click();
      await page.getByTestId('aid-reconciliation').waitFor(LONG);
      await page.getByTestId('recon-row').first().waitFor(LONG);
      await page.getByTestId('recon-table').scrollIntoViewIfNeeded();
      await shot(page, `reconciliation-table-${tag}`);
      await page.getByTestId('counts-open').click();
      await shot(page, `reconciliation-${tag}`);

      await page.getByTestId('aid-tab-import').click();
      await page.getByTestId('aid-import').waitFor(LONG);
      await shot(page, `import-${tag}`);
      await page.context().close();
    }
  });

  it('takes a registered consignment to cleared, counts it, and tells its organisation of a closure', async () => {
    const monitor = await stage.signedIn('usa.monitor');
    await goTo(monitor, '/aid', 'funnel');
    const registeredBefore = await funnelCount(monitor, 'registered');
    const clearedBefore = await funnelCount(monitor, 'cleared');

    // The UN logistics officer registers a consignment through the form, released to everyone.
    const un = await stage.signedIn('un.logistics');
    await goTo(un, '/aid/consignments', 'aid-consignments');
    await un.getByTestId('consignment-register').click();
    const form = un.getByTestId('consignment-form');
    await form.waitFor(LONG);
    await expect.poll(() => form.getByLabel('Crossing').locator('option').count(), LONG).toBeGreaterThan(2);
    await form.getByLabel('Crossing').selectOption({ label: 'Kissufim' });
    await form.getByLabel('Your reference').fill('E2E-AID-1');
    await form.getByLabel('Trucks').fill('3');
    await form.getByLabel('Tonnes').fill('42.5');
    await form.getByLabel('Pallets').fill('60');
    const item = form.getByTestId('item-row').first();
    await item.getByLabel('Category').selectOption('health');
    await item.getByLabel('Description').fill('Trauma kits');
    await item.getByLabel('Quantity').fill('120');
    await item.getByLabel('Unit').fill('kits');
    await form.getByTestId('marking-rel-ALL').check();
    await shot(un, 'register-desktop');
    await form.getByTestId('consignment-submit').click();
    const detail = un.getByTestId('consignment-page');
    await detail.waitFor(LONG);
    expect(await detail.getAttribute('data-state')).toBe('registered');
    const number = (await detail.getAttribute('data-number')) ?? '';
    expect(number).not.toBe('');
    const id = decodeURIComponent(new URL(un.url()).pathname.split('/').pop() ?? '');
    // The requesting organisation may not clear its own consignment.
    expect(await un.getByTestId('consignment-move-cleared').count()).toBe(0);

    // The dashboard counts it, live.
    await expect.poll(() => funnelCount(monitor, 'registered'), LONG).toBe(registeredBefore + 1);

    // The coordinator clears it.
    const coord = await stage.signedIn('usa.monitor');
    await goTo(coord, `/aid/consignments/${id}`, 'consignment-page');
    await coord.getByTestId('consignment-move-cleared').click();
    await expect
      .poll(() => coord.getByTestId('consignment-page').getAttribute('data-state'), LONG)
      .toBe('cleared');
    await expect.poll(() => funnelCount(monitor, 'cleared'), LONG).toBe(clearedBefore + 1);
    await expect.poll(() => funnelCount(monitor, 'registered'), LONG).toBe(registeredBefore);

    // The coordinator closes Kissufim; the UN officer's board shows the notice for the consignment.
    await goTo(un, '/aid/crossings', 'aid-crossings');
    await goTo(coord, '/aid/crossings', 'aid-crossings');
    const card = coord.locator('[data-testid="crossing-card"][data-name="Kissufim"]');
    await card.getByTestId('crossing-change').click();
    const statusForm = card.getByTestId('crossing-form');
    await statusForm.getByLabel('Closed').check();
    await statusForm.getByTestId('crossing-submit').click();
    // A closure needs its reason.
    await expect.poll(() => statusForm.getByTestId('crossing-error').textContent()).toMatch(/reason/i);
    await shot(coord, 'crossing-form-desktop');
    await statusForm.getByLabel('Reason (required)').fill('E2E: security incident at the gate');
    await statusForm.getByTestId('crossing-submit').click();
    await expect.poll(() => card.getAttribute('data-status'), LONG).toBe('closed');
    expect(await card.getByTestId('crossing-status').textContent()).toBe('Closed');
    const notice = un.locator(`[data-testid="aid-notice"][data-consignment="${number}"]`);
    await notice.waitFor(LONG);
    expect(await notice.textContent()).toMatch(/Closed/);
    await shot(un, 'notice-desktop');
    await shot(coord, 'crossing-closed-desktop');

    // Opened again for what follows.
    const api = await apiSession(stage.server.url, 'usa.monitor');
    const board = (await (await api('GET', '/api/v1/aid/crossings')).json()) as {
      crossings: { id: string; name: string; version: number }[];
    };
    const k = board.crossings.find((c) => c.name === 'Kissufim')!;
    const reopened = await api('POST', `/api/v1/aid/crossings/${k.id}/status`, {
      version: k.version,
      status: 'open',
    });
    expect(reopened.status).toBe(200);
  }, 180_000);

  it('imports a small CSV, shows the progress to 100 % and both refused rows', async () => {
    const csv = [
      'Crossing,Organisation,Category,Item,Quantity,Unit,Pallets,Tonnes,Trucks',
      '#loc+crossing,#org+code,#item+type,#item+name,#value+quantity,#indicator+unit,#value+pallets,#value+tonnes,#value+trucks',
      'Kerem Shalom,OCHA,food,Wheat flour,1200,sacks,20,25,2',
      'Atlantis,OCHA,food,Rice,10,sacks,1,1,1',
      'Rafah,OCHA,water,Bottled water,lots,litres,1,1,1',
      'Kissufim,OCHA,health,Trauma kits,5,kits,1,1,1',
    ].join('\r\n');
    const file = path.join(stage.shots, 'aid-e2e-import.csv');
    fs.writeFileSync(file, csv);
    const un = await stage.signedIn('un.logistics');
    await goTo(un, '/aid/import', 'import-form');
    await un.getByTestId('import-file').setInputFiles(file);
    await un.getByTestId('marking-rel-ALL').check();
    await un.getByTestId('import-submit').click();
    const job = un.getByTestId('import-job');
    await job.waitFor(LONG);
    await expect.poll(() => job.getAttribute('data-state'), LONG).toBe('done');
    expect(await un.getByTestId('import-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await un.getByTestId('import-percent').textContent()).toMatch(/^100 %/);
    const summary = un.getByTestId('import-summary');
    expect(await summary.getAttribute('data-imported')).toBe('2');
    expect(await summary.getAttribute('data-errors')).toBe('2');
    const rows = un.getByTestId('import-error-row');
    await expect.poll(() => rows.count(), LONG).toBe(2);
    expect(await rows.nth(0).getAttribute('data-row')).toBe('4');
    expect(await rows.nth(0).textContent()).toMatch(/unknown crossing/);
    expect(await rows.nth(1).getAttribute('data-row')).toBe('5');
    expect(await rows.nth(1).textContent()).toMatch(/not a number/);
    expect(await un.getByTestId('import-errors-csv').getAttribute('href')).toMatch(/format=csv/);
    await shot(un, 'import-done-desktop');
    await un.setViewportSize(PHONE);
    await un.getByTestId('import-errors').scrollIntoViewIfNeeded();
    await shot(un, 'import-done-phone');
  });

  it('puts a convoy on the map at its track position when the convoys layer is on', async () => {
    const admin = await apiSession(stage.server.url, 'admin');
    const posted = await admin('POST', '/api/v1/tracks/reports', [
      {
        uid: 'demo-convoy-wfp-1',
        kind: 'convoy',
        affiliation: 'neutral',
        callsign: 'WFP CONVOY 1',
        observedAt: new Date().toISOString(),
        lat: 31.36,
        lon: 34.36,
        marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
      },
    ]);
    expect(posted.status).toBe(202);
    const page = await stage.signedIn('usa.monitor');
    await page.getByTestId('layer-toggle-convoys').check();
    await page.getByTestId('convoy-legend').waitFor(LONG);
    await expect.poll(() => page.getByTestId('convoy-layer-count').textContent(), LONG).toBe('1');
    await shot(page, 'map-convoys-desktop');
    await goTo(page, '/aid/consignments', 'convoy-row');
    const row = page.locator('[data-testid="convoy-row"][data-name="WFP convoy 1"]');
    await expect.poll(() => row.textContent(), LONG).toMatch(/31\.3600, 34\.3600/);
  });

  it('never shows ngo.field a consignment released to USA and GBR only', async () => {
    const api = await apiSession(stage.server.url, 'usa.monitor');
    const all = (await (await api('GET', '/api/v1/aid/consignments?limit=500')).json()) as {
      consignments: Row[];
    };
    const secret = all.consignments.find((c) => c.markingText === 'RESTRICTED//REL TO USA, GBR');
    expect(secret).toBeDefined();
    const s = secret!;

    const ngo = await stage.signedIn('ngo.field', PHONE);
    await goTo(ngo, '/aid/consignments', 'aid-consignments');
    await ngo.getByTestId('consignment-count').waitFor(LONG);
    await expect.poll(() => ngo.getByTestId('consignment-row').count(), LONG).toBeGreaterThan(0);
    expect(await ngo.locator(`[data-testid="consignment-row"][data-number="${s.number}"]`).count()).toBe(0);
    expect(await ngo.getByTestId('aid-page').textContent()).not.toContain('REL TO USA, GBR');
    // Filtered by its crossing, it is still not there.
    await goTo(ngo, `/aid/consignments?crossing=${s.crossing.id}`, 'consignment-count');
    expect(await ngo.getByTestId('aid-page').textContent()).not.toContain(s.reference);
    // Its own page answers as if it did not exist.
    await goTo(ngo, `/aid/consignments/${s.id}`, 'consignment-error');
    expect(await ngo.getByTestId('aid-page').textContent()).not.toContain(s.reference);
    await goTo(ngo, '/aid/crossings', 'crossing-card');
    expect(await ngo.getByTestId('aid-page').textContent()).not.toContain(s.reference);
    await goTo(ngo, '/aid', 'funnel');
    expect(await ngo.getByTestId('aid-marking').textContent()).not.toContain('REL TO USA, GBR');
    await shot(ngo, 'consignment-hidden-phone');
  });
});
