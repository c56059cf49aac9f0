import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { type Clearance, classificationLevel } from '../../domain/marking.js';
import type { Database } from './schema.js';

export type Tx = Transaction<Database>;
export const APP_ROLE = 'concord_app';

// timestamptz and bigint as the wire wants them: ISO strings are made at the edges, ids stay exact.
pg.types.setTypeParser(20, (v) => v);

/**
 * Two pools on one PostgreSQL. `app` runs every query as concord_app, a role that owns nothing,
 * so that row-level security filters all of it; `system` is for migrations, the event relay and
 * administration, and never serves a request.
 */
export class Db {
  readonly app: Kysely<Database>;
  readonly system: Kysely<Database>;
  private readonly appPool: pg.Pool;
  private readonly systemPool: pg.Pool;
  private stopping = false;

  constructor(
    readonly url: string,
    log: Logger,
    poolSize = 10,
  ) {
    this.appPool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'concord' });
    this.appPool.on('connect', (client) => {
      keepInUseErrors(client);
      // Queued before any other query on this connection, so nothing runs as the login role.
      client.query(`SET ROLE ${APP_ROLE}`).catch((e: Error) => log.error({ err: e }, 'SET ROLE failed'));
    });
    this.appPool.on('error', (e) => this.connectionLost(log, e, 'idle database connection failed'));
    // LISTENers (event relay, track follower) hold two; the track writers, the webhook worker and
    // maintenance share the rest.
    this.systemPool = new pg.Pool({ connectionString: url, max: 8, application_name: 'concord-system' });
    this.systemPool.on('connect', (client) => {
      keepInUseErrors(client);
      // For the connection's life, not per transaction: a round trip less on every system write
      // (the history's group commits wait on each one). The policies ignore it for concord_app.
      client
        .query(`SELECT set_config('concord.system', 'on', false)`)
        .catch((e: Error) => log.error(connectionFailure(e), 'could not mark a system connection'));
    });
    this.systemPool.on('error', (e) => this.connectionLost(log, e, 'idle system connection failed'));
    this.app = new Kysely<Database>({ dialect: new PostgresDialect({ pool: this.appPool }) });
    this.system = new Kysely<Database>({ dialect: new PostgresDialect({ pool: this.systemPool }) });
  }

  /**
   * Concord has begun to stop. The embedded PostgreSQL gets the terminal's Ctrl+C as well, and may
   * end Concord's connections before Concord has closed them: expected then, and not worth a warning.
   */
  beginStop(): void {
    this.stopping = true;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /**
   * Logs a lost connection: a warning, unless Concord and PostgreSQL are both stopping. PostgreSQL
   * may act on the Ctrl+C before Concord does, so a shutdown of theirs waits a moment to be told.
   */
  connectionLost(log: Logger, e: Error, what: string): void {
    if (!isShutdownLoss(e)) log.warn(connectionFailure(e), what);
    else if (this.stopping) log.debug(connectionFailure(e), what);
    else
      setTimeout(
        () => log[this.stopping ? 'debug' : 'warn'](connectionFailure(e), what),
        SHUTDOWN_GRACE_MS,
      ).unref();
  }

  /** Runs fn in one transaction as the viewer: every marked row it touches is filtered by RLS. */
  asViewer<T>(viewer: Clearance & { organisationId?: string }, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.app.transaction().execute(async (tx) => {
      await sql`SELECT set_config('concord.clearance', ${String(classificationLevel(viewer.clearance))}, true),
                       set_config('concord.principals', ${toPgArray(viewer.principals)}, true),
                       set_config('concord.caveats', ${toPgArray(viewer.caveats)}, true),
                       set_config('concord.organisation', ${viewer.organisationId ?? ''}, true)`.execute(tx);
      return fn(tx);
    });
  }

  /** A transaction that sees every row: only for the relay, the demo loader and the CLI. */
  asSystem<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.system.transaction().execute(fn);
  }

  /**
   * A system connection outside any transaction, for one statement that is atomic on its own (a
   * lone COPY): BEGIN and COMMIT would be two more round trips. A connection that failed is dropped.
   */
  async withSystemClient<T>(fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
    const client = await this.systemPool.connect();
    let failed: unknown;
    try {
      return await fn(client);
    } catch (e) {
      failed = e;
      throw e;
    } finally {
      client.release(failed !== undefined && !isServerError(failed));
    }
  }

  /**
   * asSystem, with the transaction's own connection as well: for COPY, which Kysely cannot speak.
   * A connection that failed mid-transaction is not returned to the pool.
   */
  asSystemWithClient<T>(fn: (tx: Tx, client: pg.ClientBase) => Promise<T>): Promise<T> {
    return this.withSystemClient((client) => {
      const pool = {
        connect: async () => ({ query: client.query.bind(client), release: () => undefined }),
        end: async () => undefined,
      };
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
      return db.transaction().execute((tx) => fn(tx, client));
    });
  }

  /** A raw client on the system pool, for LISTEN. */
  connectSystemClient(): Promise<pg.PoolClient> {
    return this.systemPool.connect();
  }

  /**
   * Ends both pools and waits until their connections have closed: pg-pool's end() resolves as soon
   * as it has asked them to, and an embedded PostgreSQL stopped right after would end them itself,
   * which each reports as an error. A connection never released back is waited for a moment only.
   */
  async close(): Promise<void> {
    this.stopping = true;
    const closed = Promise.all([poolClosed(this.appPool), poolClosed(this.systemPool)]);
    await Promise.allSettled([this.app.destroy(), this.system.destroy()]);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
  }
}

const CLOSE_WAIT_MS = 2000;
/** How long a connection PostgreSQL ended waits to be reported, in case Concord is stopping too. */
const SHUTDOWN_GRACE_MS = 500;

/** Resolves once every connection the pool holds now has closed ('remove' follows client.end). */
function poolClosed(pool: pg.Pool): Promise<void> {
  let open = pool.totalCount;
  return new Promise((resolve) => {
    if (!open) return resolve();
    pool.on('remove', () => {
      if (--open <= 0) resolve();
    });
  });
}

/**
 * A lost connection as a log entry: what and why only. pg-pool hangs the whole client on the error
 * (its settings, buffers and parsers), which pino would otherwise write out in full.
 */
export function connectionFailure(e: Error): { err: { message: string; code?: string } } {
  const code = (e as { code?: unknown }).code;
  return { err: { message: e.message, ...(typeof code === 'string' && { code }) } };
}

/** PostgreSQL shutting down (57P01 and kin), or the connection cut as it goes. */
/**
 * How loud a background task's failure is: a connection lost while Concord stops (PostgreSQL
 * stopped by the same Ctrl+C) loses nothing and is for debugging; anything else is a warning.
 */
export function failureLevel(db: Pick<Db, 'isStopping'>, e: unknown): 'debug' | 'warn' {
  return db.isStopping && isShutdownLoss(e) ? 'debug' : 'warn';
}

/**
 * pg-pool listens for errors on idle connections only. One checked out but between queries (a
 * transaction awaiting other work) that PostgreSQL ends, as a Ctrl+C that stops both does, emitted
 * an 'error' nobody heard, and Node ended Concord with a stack trace. Its holder learns of the loss
 * at its next query, which fails; the pool's own listener still reports idle ones.
 */
function keepInUseErrors(client: pg.PoolClient): void {
  client.on('error', () => undefined);
}

export function isShutdownLoss(e: unknown): boolean {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' &&
      (code.startsWith('57P') || code === 'ECONNRESET' || code === 'ECONNREFUSED')) ||
    message === 'Connection terminated unexpectedly' ||
    message === 'Connection terminated'
  );
}

/** An error PostgreSQL answered with (the connection itself is fine), as opposed to a broken link. */
export function isServerError(e: unknown): boolean {
  return e instanceof pg.DatabaseError;
}

export function toPgArray(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * Refuses to serve if the request role could bypass row-level security or owns a marked table,
 * or if a marked table lacks FORCE ROW LEVEL SECURITY.
 */
export async function checkRowLevelSecurity(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const role = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
    SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = ${APP_ROLE}`.execute(db.system);
  const r = role.rows[0];
  if (!r) problems.push(`role ${APP_ROLE} does not exist`);
  else if (r.rolsuper || r.rolbypassrls)
    problems.push(`role ${APP_ROLE} bypasses row-level security (superuser or BYPASSRLS)`);
  const tables = await sql<{
    relname: string;
    owner: string;
    relrowsecurity: boolean;
    relforcerowsecurity: boolean;
  }>`
    SELECT c.relname, pg_get_userbyid(c.relowner) AS owner, c.relrowsecurity, c.relforcerowsecurity
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'releasable_to'
    WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace`.execute(db.system);
  for (const t of tables.rows) {
    if (t.owner === APP_ROLE) problems.push(`${APP_ROLE} owns the marked table ${t.relname}`);
    if (!t.relrowsecurity || !t.relforcerowsecurity)
      problems.push(`marked table ${t.relname} lacks FORCE ROW LEVEL SECURITY`);
  }
  const who = await sql<{ current_user: string }>`SELECT current_user`.execute(db.app);
  if (who.rows[0]?.current_user !== APP_ROLE)
    problems.push(`requests run as ${who.rows[0]?.current_user}, not ${APP_ROLE}`);
  return problems;
}
