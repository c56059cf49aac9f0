import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { checkRowLevelSecurity } from '../../src/server/db/database.js';
import { type Database, openDatabase } from '../../src/server/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * Concord refuses to serve when the database would not enforce access by itself. Each test gets a
 * fresh database; the cluster-wide role concord_app is shared by every test file and never altered.
 */

const log = pino({ level: 'silent' });
let t: TestDatabase;
let opened: Database | null = null;

beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  await opened?.close();
  opened = null;
  await t.drop();
});

const config = (extra: Record<string, string> = {}) =>
  loadConfig({ DATABASE_URL: t.url, NODE_ENV: 'test', ...extra }, { webDir: '/nonexistent' });

describe('row-level security check at start', () => {
  it('finds nothing wrong on a freshly migrated database, which then opens', async () => {
    expect(await checkRowLevelSecurity(t.db)).toEqual([]);
    opened = await openDatabase(config(), log);
    expect(opened.embedded).toBe(false);
    expect(opened.url).toBe(t.url);
  });

  it('reports a marked table without FORCE ROW LEVEL SECURITY and refuses to start', async () => {
    await sql`ALTER TABLE zones NO FORCE ROW LEVEL SECURITY`.execute(t.db.system);
    const problems = await checkRowLevelSecurity(t.db);
    expect(problems).toContain('marked table zones lacks FORCE ROW LEVEL SECURITY');
    expect(problems).toHaveLength(1);
    await expect(openDatabase(config(), log)).rejects.toThrow(
      /Refusing to start: .*zones lacks FORCE ROW LEVEL SECURITY/,
    );
    await expect(openDatabase(config(), log)).rejects.toThrow('CONCORD_ALLOW_RLS_BYPASS=yes');
  });

  it('reports a marked table with row-level security disabled altogether', async () => {
    await sql`ALTER TABLE zone_versions DISABLE ROW LEVEL SECURITY`.execute(t.db.system);
    expect(await checkRowLevelSecurity(t.db)).toContain(
      'marked table zone_versions lacks FORCE ROW LEVEL SECURITY',
    );
    await expect(openDatabase(config(), log)).rejects.toThrow('Refusing to start');
  });

  it('reports a new marked table that was created without row-level security', async () => {
    await sql`CREATE TABLE sneaky_reports (id int, classification smallint, releasable_to text[])`.execute(
      t.db.system,
    );
    expect(await checkRowLevelSecurity(t.db)).toContain(
      'marked table sneaky_reports lacks FORCE ROW LEVEL SECURITY',
    );
    await expect(openDatabase(config(), log)).rejects.toThrow('Refusing to start');
  });

  it('starts anyway with CONCORD_ALLOW_RLS_BYPASS=yes, and the database still answers', async () => {
    await sql`ALTER TABLE zones NO FORCE ROW LEVEL SECURITY`.execute(t.db.system);
    opened = await openDatabase(config({ CONCORD_ALLOW_RLS_BYPASS: 'yes' }), log);
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(opened.db.system);
    expect(r.rows[0]!.n).toBeGreaterThan(0);
    // Anything but exactly "yes" does not count as consent.
    await expect(openDatabase(config({ CONCORD_ALLOW_RLS_BYPASS: 'true' }), log)).rejects.toThrow(
      'Refusing to start',
    );
  });

  it('runs requests as concord_app, not as the login role', async () => {
    const who = await sql<{ current_user: string }>`SELECT current_user`.execute(t.db.app);
    expect(who.rows[0]!.current_user).toBe('concord_app');
  });
});

describe('opening a database', () => {
  it('migrates an empty database and is idempotent on the second open', async () => {
    // A fresh, empty database on the same server: openDatabase must bring it to the current schema.
    const name = `${t.name}_empty`;
    await sql.raw(`CREATE DATABASE ${name}`).execute(t.db.system);
    const url = new URL(t.url);
    url.pathname = `/${name}`;
    try {
      const first = await openDatabase(loadConfig({ DATABASE_URL: url.toString(), NODE_ENV: 'test' }), log);
      const tables = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('zones', 'users', 'events')`.execute(
        first.db.system,
      );
      expect(tables.rows[0]!.n).toBe(3);
      expect(await checkRowLevelSecurity(first.db)).toEqual([]);
      await first.close();
      const second = await openDatabase(loadConfig({ DATABASE_URL: url.toString(), NODE_ENV: 'test' }), log);
      await second.close();
    } finally {
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name}`.execute(
        t.db.system,
      );
      await sql.raw(`DROP DATABASE IF EXISTS ${name}`).execute(t.db.system);
    }
  });

  it('fails with a clear error when the database cannot be reached', async () => {
    const url = new URL(t.url);
    url.pathname = '/no_such_database_here';
    await expect(
      openDatabase(loadConfig({ DATABASE_URL: url.toString(), NODE_ENV: 'test' }), log),
    ).rejects.toThrow(/no_such_database_here/);
  });
});
