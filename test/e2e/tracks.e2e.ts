import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../support/constants.js';
import { e2eStage } from '../support/e2e-stage.js';

const stage = e2eStage();

/** A REST client outside the browser, as a sensor gateway would be. */
async function apiSession(username: string) {
  const r = await fetch(`${stage.server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return (method: string, path: string, body?: unknown) =>
    fetch(`${stage.server.url}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

interface Hook {
  trackIds(): string[];
  trackCallsigns(): string[];
  trackPosition(uid: string): [number, number] | null;
  pixelAt(lon: number, lat: number): [number, number] | null;
}

function callsigns(page: Page): Promise<string[]> {
  return page.evaluate(
    () => (window as unknown as { __concord?: Hook }).__concord?.trackCallsigns().sort() ?? [],
  );
}

function position(page: Page, uid: string): Promise<[number, number] | null> {
  return page.evaluate(
    (id) => (window as unknown as { __concord?: Hook }).__concord?.trackPosition(id) ?? null,
    uid,
  );
}

const US_UAV = 'e2e-uav-1';
const SHARED_TEAM = 'e2e-team-1';

describe('tracks on the common operational picture', () => {
  it('shows each user the tracks released to them, moves them live, and opens their details', async () => {
    const [usa, ngo] = await Promise.all([stage.signedIn('usa.planner'), stage.signedIn('ngo.field')]);
    await expect.poll(() => usa.getByTestId('live-status').getAttribute('data-status')).toBe('live');
    await expect.poll(() => ngo.getByTestId('live-status').getAttribute('data-status')).toBe('live');

    // The shell: a capabilities navigation with the map current, and an (empty) alerts bell.
    const nav = usa.getByRole('navigation', { name: 'Capabilities' });
    expect(await nav.getByTestId('nav-map').getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('link').first().textContent()).toBe('Map');
    const bell = usa.getByTestId('alerts-indicator');
    expect((await bell.textContent())?.trim()).toBe('0');
    expect(await bell.getAttribute('title')).toBe('No alerts');

    const api = await apiSession('usa.planner');
    const t0 = Date.now();
    const posted = await api('POST', '/api/v1/tracks/reports', [
      {
        uid: US_UAV,
        observedAt: new Date(t0).toISOString(),
        lat: 31.45,
        lon: 34.4,
        course: 90,
        speed: 35,
        kind: 'uav',
        affiliation: 'friend',
        callsign: 'E2E HAWK',
        marking: { classification: 'RESTRICTED', releasableTo: ['USA'] },
      },
      {
        uid: SHARED_TEAM,
        observedAt: new Date(t0).toISOString(),
        lat: 31.4,
        lon: 34.33,
        kind: 'team',
        affiliation: 'neutral',
        callsign: 'E2E TEAM',
        marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
      },
    ]);
    expect(posted.status, await posted.clone().text()).toBe(202);

    await waitFor(async () => (await callsigns(usa)).join() === 'E2E HAWK,E2E TEAM');
    await waitFor(async () => (await callsigns(ngo)).includes('E2E TEAM'));
    // Both came in one batch: the team being there means the UAV was withheld, not late.
    expect(await callsigns(ngo)).not.toContain('E2E HAWK');
    expect(await usa.getByTestId('track-count-uav').textContent()).toBe('1');
    expect(await ngo.getByTestId('track-count-uav').textContent()).toBe('0');
    expect(await ngo.getByTestId('banner-top').textContent()).not.toContain('RESTRICTED');

    // A further report moves the team on both maps.
    const moved = await api('POST', '/api/v1/tracks/reports', [
      { uid: SHARED_TEAM, observedAt: new Date(t0 + 5_000).toISOString(), lat: 31.41, lon: 34.37 },
    ]);
    expect(moved.status, await moved.clone().text()).toBe(202);
    for (const page of [ngo, usa]) {
      await waitFor(async () => {
        const p = await position(page, SHARED_TEAM);
        return p !== null && Math.abs(p[0] - 34.37) < 1e-6 && Math.abs(p[1] - 31.41) < 1e-6;
      });
    }

    // The search finds tracks by callsign, and narrows the map to them.
    await usa.getByTestId('search-input').fill('hawk');
    await waitFor(async () => (await callsigns(usa)).join() === 'E2E HAWK');
    await usa.getByTestId('search-input').fill('');
    await waitFor(async () => (await callsigns(usa)).length === 2);

    // Clicking the UAV on the map opens its details: callsign, marking, provenance, trail.
    const [lon, lat] = (await position(usa, US_UAV))!;
    const pixel = await usa.evaluate(
      ([x, y]) => (window as unknown as { __concord?: Hook }).__concord?.pixelAt(x!, y!) ?? null,
      [lon, lat],
    );
    const box = (await usa.getByTestId('map').boundingBox())!;
    await usa.mouse.click(box.x + pixel![0], box.y + pixel![1]);
    const details = usa.getByTestId('track-details');
    await details.waitFor();
    expect(await details.getByTestId('track-callsign').textContent()).toBe('E2E HAWK');
    expect(await details.getByTestId('track-marking').textContent()).toBe('RESTRICTED//REL TO USA');
    expect(await details.textContent()).toContain('Provenance');
    await expect.poll(() => details.getByTestId('track-trail').getAttribute('data-status')).toBe('loaded');

    // The NGO user never learns of the UAV, not even as a count.
    expect(await callsigns(ngo)).toEqual(['E2E TEAM']);

    await usa.screenshot({ path: 'test-results/tracks-usa-1440.png' });
    await ngo.screenshot({ path: 'test-results/tracks-ngo-1440.png' });
  });
});
