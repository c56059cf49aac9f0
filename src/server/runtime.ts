import pg from 'pg';
import { type Logger, pino } from 'pino';
import type { Config } from './config.js';
import { checkRowLevelSecurity, Db } from './db/database.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './db/embedded.js';
import { acquireDataLock, DataFolderInUse, recordLockedUrl } from './db/lock.js';
import { migrate } from './db/migrate.js';

export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'concord' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export interface Database {
  db: Db;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens Concord's database: the embedded PostgreSQL in the data folder (locked against a second
 * Concord) or DATABASE_URL; applies migrations; refuses to go on if row-level security could be bypassed.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
  opts: { shareRunning?: boolean } = {},
): Promise<Database> {
  let release: (() => void) | null = null;
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  try {
    if (!url) {
      try {
        release = acquireDataLock(config.dataDir);
      } catch (e) {
        // The CLI may work beside a running Concord through that Concord's own PostgreSQL.
        if (!(e instanceof DataFolderInUse && e.url && opts.shareRunning)) throw e;
        url = e.url;
      }
      if (release) {
        embedded = await startEmbeddedPostgres(config.dataDir, log);
        url = await ensureDatabase(embedded.url, 'concord');
        recordLockedUrl(config.dataDir, url);
      }
    }
    if (!url) throw new Error('no database');
    const m = await migrate(url);
    if (m.applied.length) log.info({ applied: m.applied }, 'database migrated');
    const db = new Db(url, log);
    const problems = await checkRowLevelSecurity(db);
    if (problems.length) {
      if (!config.allowRlsBypass) {
        await db.close();
        throw new Error(
          `Refusing to start: ${problems.join('; ')}. Fix the database roles, or set CONCORD_ALLOW_RLS_BYPASS=yes if you accept that access is not enforced by the database.`,
        );
      }
      log.warn(
        { problems },
        'row-level security can be bypassed; continuing because CONCORD_ALLOW_RLS_BYPASS=yes',
      );
    }
    return {
      db,
      url,
      embedded: !config.databaseUrl,
      async close() {
        await db.close();
        await embedded?.stop();
        release?.();
      },
    };
  } catch (e) {
    await embedded?.stop();
    release?.();
    throw e;
  }
}

/** Creates the named database on a server if missing and returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!r.rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
