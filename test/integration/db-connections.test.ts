import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('database connections', () => {
  it('outlive PostgreSQL ending one that is checked out between queries (as a Ctrl+C for both does)', async () => {
    await t.db.withSystemClient(async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await t.db.asSystem((tx) => sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(tx));
      // The FATAL arrives while no query runs on this connection: pg emits 'error' on the client,
      // which ended the process when nobody listened.
      await new Promise((r) => setTimeout(r, 300));
      await expect(client.query('SELECT 1')).rejects.toThrow();
    });
    const r = await t.db.asSystem((tx) => sql<{ one: number }>`SELECT 1 AS one`.execute(tx));
    expect(r.rows).toEqual([{ one: 1 }]);
  });
});
