import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, so that children run the sources with tsx whatever vitest's cwd is. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'src/cli/concord.ts');

/**
 * A clean environment for a child Concord: none of the test runner's database settings leak in,
 * and the web client is never served from a build that may or may not exist.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'CONCORD_DATA_DIR', 'PORT', 'HOST', 'NODE_ENV'])
    delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('VITEST')) delete env[k];
  return { ...env, LOG_LEVEL: 'warn', CONCORD_WEB_DIR: '/nonexistent', ...extra };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `concord <args>` to completion; `input` is written to its standard input. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`concord ${args.join(' ')} took longer than ${opts.timeoutMs ?? 180_000} ms\n${stderr}`),
      );
    }, opts.timeoutMs ?? 180_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A `concord start` child process; `url` is read from its banner. */
export interface ConcordProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `concord start` and waits for "Concord is running at …", or rejects with its output. */
export function spawnConcord(env: Record<string, string>, timeoutMs = 180_000): Promise<ConcordProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    cwd: ROOT,
    env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`concord start did not report its URL within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      const m = /Concord is running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        // The server listens on 127.0.0.1 (HOST above); the banner says localhost for people.
        const url = m[1]!.replace('://localhost:', '://127.0.0.1:');
        resolve({ child, pid: child.pid!, url, output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`concord start exited (code ${code}, signal ${signal}) before it was ready:\n${out}`));
    });
  });
}

/** Whether a process exists (EPERM: it exists but belongs to another user, e.g. postgres). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The postmaster's pid from `<dataDir>/postgres/postmaster.pid`, or null when there is none. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(
      fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    return pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function killQuietly(pid: number | null | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A minimal cookie + CSRF client over real HTTP (fetch) for a Concord child process. */
export class HttpClient {
  private cookie = '';
  csrf = '';
  constructor(readonly baseUrl: string) {}

  /** The same session against another address (a restarted server listens on a new port). */
  at(baseUrl: string): HttpClient {
    const c = new HttpClient(baseUrl);
    c.cookie = this.cookie;
    c.csrf = this.csrf;
    return c;
  }

  static async login(baseUrl: string, username: string, password: string): Promise<HttpClient> {
    const c = new HttpClient(baseUrl);
    const r = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${await r.text()}`);
    const set = r.headers.getSetCookie().find((s) => s.startsWith('concord_session='));
    c.cookie = set ? set.split(';')[0]! : '';
    c.csrf = ((await r.json()) as { csrfToken: string }).csrfToken;
    return c;
  }

  request(method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${url}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}
