import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { loadDemo } from '../../src/demo/load.js';
import { Db } from '../../src/server/db/database.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../src/server/db/embedded.js';
import { migrate } from '../../src/server/db/migrate.js';
import { DEMO_PASSWORD, TEMPLATE_DB } from './constants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}

let embedded: EmbeddedPostgres | null = null;
let tmp: string | null = null;

/**
 * One PostgreSQL per run (embedded, or TEST_DATABASE_URL), one template database migrated and
 * loaded with the demo; each test file clones it in milliseconds.
 */
export async function setup(project: TestProject): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-test-pg-'));
    embedded = await startEmbeddedPostgres(tmp, pino({ level: 'warn' }));
    serverUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${TEMPLATE_DB}' AND pid <> pg_backend_pid()`,
    );
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const templateUrl = withDatabase(serverUrl, TEMPLATE_DB);
  await migrate(templateUrl);
  const db = new Db(templateUrl, pino({ level: 'warn' }), 2);
  await loadDemo(db, DEMO_PASSWORD);
  await db.close();
  project.provide('pgServerUrl', serverUrl);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

export function withDatabase(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
