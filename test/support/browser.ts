import path from 'node:path';
import { pino } from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type BuiltApp, buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { DEMO_PASSWORD } from './constants.js';
import { createTestDatabase, type TestDatabase } from './db.js';

/** Debian's Chromium; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface E2EServer extends BuiltApp {
  url: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The whole stack with the built web client, on a fresh demo database, on a free port. */
export async function startE2EServer(): Promise<E2EServer> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test' }, { webDir: path.resolve('dist/web') });
  const built = await buildApp(config, database.db, pino({ level: process.env.TEST_LOG ?? 'silent' }));
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const a = built.app.server.address();
  const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  return {
    ...built,
    url,
    database,
    async close() {
      await built.app.close();
      await database.drop();
    },
  };
}

export async function logIn(
  page: Page,
  baseUrl: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(baseUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor({ timeout: 15_000 });
}

export async function zoneNames(page: Page): Promise<string[]> {
  return page.evaluate(
    () => (window as unknown as { __concord?: { zoneNames(): string[] } }).__concord?.zoneNames() ?? [],
  );
}
