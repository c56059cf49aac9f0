import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/browser.js';
import { type CotClient, pingEvent, saEvent, startTestTak } from '../support/cot.js';
import { e2eStage } from '../support/e2e-stage.js';

/**
 * The end-to-end case: a TAK client over TLS with a certificate from Concord's CA sends
 * real ATAK events; its position appears on the web map, zones come back to it, and its crossing
 * of the withdrawal line raises an alert that the web and the TAK client both receive.
 */
const stage = e2eStage();
let tak: Awaited<ReturnType<typeof startTestTak>>;
let client: CotClient | null = null;

beforeAll(async () => {
  tak = await startTestTak(stage.server);
});
afterAll(async () => {
  await tak?.stop();
});

interface Hook {
  trackPosition(uid: string): [number, number] | null;
}
const position = (page: Page, uid: string) =>
  page.evaluate(
    (id) => (window as unknown as { __concord?: Hook }).__concord?.trackPosition(id) ?? null,
    uid,
  );
const bellCount = async (page: Page) => (await page.getByTestId('alerts-indicator').textContent())?.trim();

describe('a TAK client on the common picture', () => {
  it('appears on the web map, gets the zones, and raises an alert by crossing the withdrawal line', async () => {
    const page = await stage.signedIn('usa.planner');
    await waitFor(async () => (await page.getByTestId('live-status').getAttribute('data-status')) === 'live');
    expect(await bellCount(page)).toBe('0');

    client = await tak.connect('usa.monitor');

    // Zones released to usa.monitor come back as drawings, the withdrawal line among them.
    const line = await client.waitFor((x) => x.includes('type="u-d-f"') && x.includes('Withdrawal line'));
    expect(line).toContain('<link point=');
    client.send(pingEvent());
    await client.waitFor((x) => x.includes('type="t-x-c-t-r"'));

    // West of the line (inside the strip), then across it to the east, as a field team walks.
    const uid = 'ANDROID-e2e0000000000001';
    const t0 = Date.now();
    client.send(saEvent({ uid, callsign: 'VIPER-1', lat: 31.4455, lon: 34.39, time: t0 }));
    await waitFor(async () => (await position(page, uid)) !== null, 15_000);
    const [lon0] = (await position(page, uid))!;
    expect(lon0).toBeCloseTo(34.39, 4);

    client.send(saEvent({ uid, callsign: 'VIPER-1', lat: 31.4455, lon: 34.42, time: t0 + 1000 }));
    await waitFor(async () => (await position(page, uid))?.[0] === 34.42, 15_000);

    // The crossing is an alert on the web (the bell counts it) and on the TAK client (a marker).
    await waitFor(async () => Number(await bellCount(page)) >= 1, 15_000);
    expect(await page.getByTestId('alerts-indicator').getAttribute('data-severity')).toBe('critical');
    await page.getByTestId('alerts-indicator').click();
    const row = page
      .getByTestId('alerts-panel')
      .getByTestId('alert-row')
      .filter({ hasText: 'VIPER-1' })
      .filter({ hasText: 'Withdrawal line' });
    await waitFor(async () => (await row.count()) === 1);
    expect(await row.textContent()).toContain('Critical');
    await client.waitFor(
      (x) => x.includes('type="b-m-p-s-m"') && x.includes('VIPER-1') && x.includes('crossed Withdrawal line'),
      15_000,
    );
    await page.screenshot({ path: `${stage.shots}/tak-crossing-1440.png` });
  });
});
