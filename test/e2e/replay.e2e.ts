import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSession, logIn, waitFor } from '../support/browser.js';
import { e2eStage } from '../support/e2e-stage.js';

const stage = e2eStage();

interface ReplayHook {
  time(): number;
  trackIds(): string[];
  trackPosition(uid: string): [number, number] | null;
  trailPoints(uid: string): number;
}
type Hook = { replay?: ReplayHook; trackIds(): string[] };

const hook = <T>(page: Page, fn: string, ...args: unknown[]): Promise<T | null> =>
  page.evaluate(
    ([name, rest]) => {
      const r = (window as unknown as { __concord?: Hook }).__concord?.replay as
        | Record<string, (...a: unknown[]) => unknown>
        | undefined;
      return (r?.[name as string]?.(...(rest as unknown[])) ?? null) as never;
    },
    [fn, args] as const,
  );

const UAV = 'e2e-replay-uav';
const TEAM = 'e2e-replay-team';
/** A whole minute, 40 minutes ago: the window replayed is T0 − 1 min to T0 + 12 min. */
const T0 = Math.floor((Date.now() - 40 * 60_000) / 60_000) * 60_000;
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
/** What a `datetime-local` input holds, in UTC. */
const input = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const FROM = T0 - 60_000;
const TO = T0 + 12 * 60_000;

/** Every minute for ten minutes, eastwards along 31.45 N: 0.01° of longitude a minute. */
function path(uid: string, extra: Record<string, unknown>, lat: number, lon0: number, dlon: number) {
  return Array.from({ length: 11 }, (_, i) => ({
    uid,
    observedAt: at(i * 60),
    lat: lat + (i % 2) * 0.002,
    lon: lon0 + i * dlon,
    ...(i === 0 ? extra : {}),
  }));
}

async function postWindow(): Promise<void> {
  const api = await apiSession(stage.server.url, 'usa.planner');
  const reports = [
    ...path(
      UAV,
      {
        kind: 'uav',
        affiliation: 'friend',
        callsign: 'REPLAY HAWK',
        marking: { classification: 'RESTRICTED', releasableTo: ['USA'] },
      },
      31.45,
      34.35,
      0.01,
    ),
    ...path(
      TEAM,
      {
        kind: 'team',
        affiliation: 'neutral',
        callsign: 'REPLAY TEAM',
        marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
      },
      31.38,
      34.42,
      -0.006,
    ),
    ...path(
      'e2e-replay-convoy',
      {
        kind: 'convoy',
        affiliation: 'neutral',
        callsign: 'AID CONVOY 4',
        marking: { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
      },
      31.3,
      34.3,
      0.004,
    ),
    ...path(
      'e2e-replay-vehicle',
      { kind: 'vehicle', affiliation: 'unknown', callsign: 'UNK VEH 2' },
      31.5,
      34.5,
      -0.005,
    ),
  ];
  const r = await api('POST', '/api/v1/tracks/reports', reports);
  expect(r.status, await r.clone().text()).toBe(202);
  expect(((await r.json()) as { accepted: number }).accepted).toBe(reports.length);
}

/** Opens replay (which loads the last hour), then loads the custom window. */
async function openWindow(page: Page): Promise<void> {
  await page.getByTestId('replay-tool').click();
  await page.getByTestId('replay-bar').waitFor();
  await expect.poll(() => page.getByTestId('replay-status').getAttribute('data-status')).toBe('ready');
  await page.getByTestId('replay-preset').selectOption('custom');
  await page.getByTestId('replay-from').fill(input(FROM));
  await page.getByTestId('replay-to').fill(input(TO));
  await page.getByTestId('replay-load').click();
  await expect.poll(() => page.getByTestId('replay-status').getAttribute('data-status')).toBe('ready');
  await waitFor(async () => (await hook<number>(page, 'time')) === FROM);
}

/** Moves the slider as a user dragging it would: the input event React listens to. */
async function scrubTo(page: Page, ms: number): Promise<void> {
  await page.getByTestId('replay-slider').evaluate((el, value) => {
    const slider = el as HTMLInputElement;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(slider, String(value));
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
  await waitFor(async () => (await hook<number>(page, 'time')) === ms);
}

describe('history replay', () => {
  beforeAll(postWindow);

  it('replays a past window: interpolated positions, trails, controls, and back to live', async () => {
    const page = await stage.signedIn('usa.planner');
    await openWindow(page);
    expect(await page.getByTestId('replay-status').textContent()).toBe('4 tracks, 44 positions.');
    expect(await page.getByTestId('replay-badge').textContent()).toBe('REPLAY');
    // The window's own reports crossed zones: their alerts are listed with the replay.
    const alertsText = await page.getByTestId('replay-alerts').textContent();
    expect(alertsText).not.toContain('not available');
    expect(alertsText).toMatch(/Critical|Warning|Info/);

    // Before the first position nothing is on the picture.
    expect(await hook<string[]>(page, 'trackIds')).toEqual([]);

    // Halfway between the reports at 2 and 3 minutes, and so halfway between their positions.
    await scrubTo(page, T0 + 150_000);
    const p = (await hook<[number, number]>(page, 'trackPosition', UAV))!;
    expect(p[0]).toBeCloseTo(34.375, 6);
    expect(p[1]).toBeCloseTo(31.451, 6);
    expect(await page.getByTestId('replay-time').textContent()).toBe(
      `${at(150).slice(0, 19).replace('T', ' ')}Z`,
    );
    expect(await hook<number>(page, 'trailPoints', UAV)).toBe(4);

    // Mid-window with five minutes of trail behind each track: the picture to look at.
    await scrubTo(page, T0 + 390_000);
    expect((await hook<string[]>(page, 'trackIds'))?.sort()).toEqual(
      [UAV, TEAM, 'e2e-replay-convoy', 'e2e-replay-vehicle'].sort(),
    );
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test-results/replay-usa-1440.png' });

    // Keyboard: arrows step ten seconds (from the play button, which has focus after loading).
    await page.getByTestId('replay-play').focus();
    await page.keyboard.press('ArrowRight');
    await waitFor(async () => (await hook<number>(page, 'time')) === T0 + 400_000);
    await page.keyboard.press('Shift+ArrowLeft');
    await waitFor(async () => (await hook<number>(page, 'time')) === T0 + 340_000);

    // Playing at 60× moves a minute of replay time a second.
    await page.getByTestId('replay-speed-60').click();
    await page.getByTestId('replay-play').click();
    await waitFor(async () => ((await hook<number>(page, 'time')) ?? 0) > T0 + 370_000);
    await page.getByTestId('replay-play').click();
    expect(await page.getByTestId('replay-play').getAttribute('aria-pressed')).toBe('false');

    // After the last position a track holds there until its stale interval (5 min) runs out.
    await scrubTo(page, T0 + 660_000);
    const last = (await hook<[number, number]>(page, 'trackPosition', UAV))!;
    expect(last[0]).toBeCloseTo(34.45, 9);
    expect(last[1]).toBeCloseTo(31.45, 9);

    // Back to live: the replay picture goes, the live one returns.
    await page.getByTestId('replay-exit').click();
    await page.getByTestId('replay-bar').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as unknown as { __concord?: Hook }).__concord?.replay)).toBe(
      undefined,
    );
  });

  it('replays to each user only what is released to them', async () => {
    const page = await stage.signedIn('ngo.field');
    await openWindow(page);
    await scrubTo(page, T0 + 150_000);
    const ids = (await hook<string[]>(page, 'trackIds')) ?? [];
    expect(ids).toContain(TEAM);
    expect(ids).not.toContain(UAV);
    expect(await hook<[number, number]>(page, 'trackPosition', UAV)).toBeNull();
    expect(await page.getByTestId('banner-top').textContent()).not.toContain('RESTRICTED');
  });

  it('fits a phone: the time bar under the map at 390 px', async () => {
    const ctx = await stage.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await ctx.newPage();
    await logIn(page, stage.server.url, 'usa.planner');
    await openWindow(page);
    await scrubTo(page, T0 + 390_000);
    const bar = (await page.getByTestId('replay-bar').boundingBox())!;
    expect(bar.width).toBeLessThanOrEqual(390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(390);
    const map = (await page.getByTestId('map').boundingBox())!;
    expect(map.height).toBeGreaterThan(250);
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test-results/replay-usa-390.png' });
    await ctx.close();
  });
});
