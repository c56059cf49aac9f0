import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureTakPki,
  issueClientBundle,
  startTakServers,
  type TakServers,
  takUsersFromDb,
} from '../../src/server/ingest/cot/index.js';
import {
  type E2EServer,
  launchChromium,
  logIn,
  startE2EServer,
  waitFor,
  zoneNames,
} from '../support/browser.js';
import { CotClient, pingEvent, saEvent } from '../support/cot.js';

/**
 * The issue's end-to-end case: a TAK client over TLS with a certificate from Concord's CA sends
 * real ATAK events; its position appears on the web map, zones come back to it, and its crossing
 * of the withdrawal line raises an alert that the web and the TAK client both receive.
 */
let server: E2EServer;
let browser: Browser;
let tak: TakServers;
let pkiDir: string;
let client: CotClient | null = null;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2EServer(), launchChromium()]);
  pkiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-tak-e2e-'));
  tak = await startTakServers({
    tracks: server.tracks,
    hub: server.hub,
    users: takUsersFromDb(server.database.db),
    config: {
      host: '127.0.0.1',
      tlsPort: 0,
      tcpPort: null,
      tcpUser: null,
      udpPort: null,
      udpGroup: null,
      pkiDir,
      hostNames: [],
      layers: ['tracks', 'zones', 'alerts'],
    },
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
  });
});
afterAll(async () => {
  await client?.close();
  await tak?.stop();
  await browser?.close();
  await server?.close();
  fs.rmSync(pkiDir, { recursive: true, force: true });
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
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await logIn(page, server.url, 'usa.planner');
    await waitFor(async () => (await zoneNames(page)).includes('Gaza Strip'));
    await waitFor(async () => (await page.getByTestId('live-status').getAttribute('data-status')) === 'live');
    expect(await bellCount(page)).toBe('0');

    const { caPem } = ensureTakPki(pkiDir);
    const bundle = issueClientBundle(pkiDir, 'usa.monitor', 'atakatak');
    client = await CotClient.tls(tak.ports.tls!, { cert: bundle.certPem, key: bundle.keyPem, ca: caPem });

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
    await page.screenshot({ path: 'test-results/tak-crossing-1440.png' });
  });
});
