import path from 'node:path';
import { pino } from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type BuiltApp, buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';
import { DEMO_PASSWORD } from './constants.js';
import { createTestDatabase, type TestDatabase } from './db.js';

/** Debian's Chromium; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
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

/** A REST client outside the browser, as a partner system or another planner's tool would be. */
export async function apiSession(baseUrl: string, username: string, password = DEMO_PASSWORD) {
  const r = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return (method: string, path: string, body?: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

export async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}
