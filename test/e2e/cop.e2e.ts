import { describe, expect, it } from 'vitest';
import { apiSession, waitFor, zoneNames } from '../support/browser.js';
import { e2eStage } from '../support/e2e-stage.js';
import { squareZone } from '../support/fixtures.js';

const stage = e2eStage();

describe('common operational picture', () => {
  it('shows each user the demo zones released to them, and live changes only where released', async () => {
    const [usa, ngo] = await Promise.all([stage.signedIn('usa.planner'), stage.signedIn('ngo.field')]);

    await waitFor(async () => (await zoneNames(usa)).includes('Gaza Strip'));
    await waitFor(async () => (await zoneNames(ngo)).includes('Gaza Strip'));
    expect(await zoneNames(usa)).toContain('NAI 3 (synthetic)');
    expect(await zoneNames(ngo)).not.toContain('NAI 3 (synthetic)');
    expect(await zoneNames(ngo)).toContain('UN warehouse Deir al-Balah');
    await expect.poll(() => usa.getByTestId('banner-top').textContent()).toContain('SECRET');
    await expect.poll(() => ngo.getByTestId('banner-top').textContent()).toContain('UNCLASSIFIED');
    await expect.poll(() => ngo.getByTestId('live-status').textContent()).toContain('Live');

    const api = await apiSession(stage.server.url, 'usa.planner');
    const shared = await api(
      'POST',
      '/api/v1/zones',
      squareZone(
        'E2E shared area',
        { classification: 'UNCLASSIFIED', releasableTo: ['USA', 'MEDRELIEF'] },
        34.33,
      ),
    );
    const usOnly = await api(
      'POST',
      '/api/v1/zones',
      squareZone('E2E US-only area', { classification: 'RESTRICTED', releasableTo: ['USA'] }, 34.36),
    );
    expect(shared.status).toBe(201);
    expect(usOnly.status).toBe(201);

    await waitFor(async () => (await zoneNames(ngo)).includes('E2E shared area'));
    await waitFor(async () => (await zoneNames(usa)).includes('E2E US-only area'));
    expect(await zoneNames(ngo)).not.toContain('E2E US-only area');

    const id = ((await shared.json()) as { id: string }).id;
    const del = await api('DELETE', `/api/v1/zones/${id}`);
    expect(del.status, await del.clone().text()).toBe(204);
    await waitFor(async () => !(await zoneNames(ngo)).includes('E2E shared area'));

    await usa.screenshot({ path: 'test-results/cop-usa-1440.png' });
    await ngo.screenshot({ path: 'test-results/cop-ngo-1440.png' });
  });

  it('shows a clear error for a wrong password', async () => {
    const ctx = await stage.browser.newContext();
    const page = await ctx.newPage();
    await page.goto(stage.server.url);
    await page.getByTestId('login-username').fill('usa.planner');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/password/i);
    await ctx.close();
  });
});
