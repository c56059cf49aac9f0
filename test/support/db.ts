import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { inject } from 'vitest';
import { Db } from '../../src/server/db/database.js';
import { TEMPLATE_DB } from './constants.js';
import { withDatabase } from './global-setup.js';

export interface TestDatabase {
  url: string;
  serverUrl: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database cloned from the migrated template with the demo loaded. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('pgServerUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`));
  const url = withDatabase(serverUrl, name);
  const db = new Db(url, pino({ level: 'silent' }), 5);
  return {
    url,
    serverUrl,
    name,
    db,
    async drop() {
      await db.close();
      await admin(serverUrl, async (c) => {
        await c.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [name],
        );
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      });
    },
  };
}
