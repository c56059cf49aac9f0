import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type E2EServer, launchChromium, logIn, startE2EServer, waitFor, zoneNames } from './browser.js';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** What every browser test works with: the whole stack, one Chromium, and signed-in pages. */
export interface Stage {
  readonly server: E2EServer;
  readonly browser: Browser;
  /** Where screenshots for people to look at go (SHOTS_DIR, or test-results). */
  readonly shots: string;
  /** A new browser context, logged in as the user, with the first zones on the map. */
  signedIn(username: string, viewport?: { width: number; height: number }): Promise<Page>;
}

/** Starts the server and Chromium before the file's tests and closes both (and every context) after. */
export function e2eStage(): Stage {
  let server: E2EServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const shots = process.env.SHOTS_DIR ?? 'test-results';
  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    [server, browser] = await Promise.all([startE2EServer(), launchChromium()]);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });
  const started = <T>(x: T | undefined): T => {
    if (!x) throw new Error('the e2e stage is used before beforeAll ran');
    return x;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    shots,
    async signedIn(username, viewport = DESKTOP) {
      const ctx = await started(browser).newContext({ viewport });
      contexts.push(ctx);
      const page = await ctx.newPage();
      await logIn(page, started(server).url, username);
      await waitFor(async () => (await zoneNames(page)).includes('Gaza Strip'));
      return page;
    },
  };
}
