/** A real Concord for benchmarks: embedded PostgreSQL in a temporary folder, loopback only. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/server/config.js';
import { startConcord } from '../../src/server/main.js';

export const BENCH_PASSWORD = 'bench-password-not-secret';

export interface BenchServer {
  url: string;
  dataDir: string;
  startMs: number;
  stop(): Promise<void>;
}

export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // The embedded PostgreSQL runs as the `postgres` user when we are root; it must reach its folder.
  fs.chmodSync(dir, 0o711);
  return dir;
}

/** `env` adds or overrides settings, e.g. `{ CONCORD_SIMULATOR: 'off' }`. */
export async function startBenchServer(
  tmp: string,
  webDir: string,
  env: Record<string, string> = {},
): Promise<BenchServer> {
  const dataDir = path.join(tmp, 'data');
  const config = loadConfig({
    CONCORD_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CONCORD_DEMO_PASSWORD: BENCH_PASSWORD,
    CONCORD_WEB_DIR: webDir,
    ...env,
  });
  const banner: string[] = [];
  const t0 = performance.now();
  const running = await startConcord(config, (s) => banner.push(s));
  const startMs = performance.now() - t0;
  // The banner says localhost; the server listens on 127.0.0.1 only, so use that and never ::1.
  const url = running.url.replace('//localhost:', '//127.0.0.1:');
  if (!banner.join('\n').includes(running.url)) throw new Error('the server banner does not name its URL');
  return { url, dataDir, startMs, stop: running.stop };
}

const WEB_INPUTS = ['index.html', 'vite.config.ts', 'src/web', 'src/domain'];

function newestMtime(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

export type WebBuildMode = 'auto' | 'rebuild' | 'as-built';

export interface WebClient {
  webDir: string;
  /** What was measured, for the report. */
  label: string;
}

/**
 * The built web client to serve. `dist/web` is built when missing (as `npm run build:web` would).
 * When it is older than the sources (mode 'auto') or always (mode 'rebuild'), the sources are built
 * into the temporary folder instead, so that a build or test using dist/web elsewhere is not disturbed;
 * mode 'as-built' measures dist/web as it is.
 */
export function ensureWebClient(
  root: string,
  tmp: string,
  mode: WebBuildMode,
  say: (s: string) => void,
  extraBuildArgs: string[] = [],
): WebClient {
  const dist = path.join(root, 'dist/web');
  const build = (outDir: string) => {
    say(`Building the web client into ${outDir} ...`);
    const args = ['vite', 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'];
    const r = spawnSync('npx', [...args, ...extraBuildArgs], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
  };
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) {
    build(dist);
    if (mode !== 'rebuild') return { webDir: dist, label: 'dist/web (built now)' };
  }
  const stale = WEB_INPUTS.some((p) => newestMtime(path.join(root, p)) > fs.statSync(index).mtimeMs);
  if (mode === 'rebuild' || (mode === 'auto' && stale)) {
    if (stale) say('dist/web is older than the web sources: measuring a fresh build of the sources.');
    const out = path.join(tmp, 'web');
    build(out);
    return { webDir: out, label: 'sources (fresh build)' };
  }
  if (stale) say('WARNING: dist/web is older than the web sources; measuring it as built.');
  return { webDir: dist, label: stale ? 'dist/web (older than the sources)' : 'dist/web' };
}

export interface ApiSession {
  request(method: string, p: string, body?: unknown): Promise<Response>;
  json<T>(method: string, p: string, body?: unknown): Promise<T>;
}

/** Logs in as a REST client would: session cookie, plus the CSRF token as a header on writes. */
export async function apiLogin(url: string, username: string, password: string): Promise<ApiSession> {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!r.ok) throw new Error(`login as ${username}: HTTP ${r.status} ${await r.text()}`);
  const cookie = (r.headers.getSetCookie().find((c) => c.startsWith('concord_session=')) ?? '').split(';')[0];
  if (!cookie) throw new Error('login did not set the concord_session cookie');
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  const request = (method: string, p: string, body?: unknown) =>
    fetch(`${url}${p}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    request,
    async json<T>(method: string, p: string, body?: unknown): Promise<T> {
      const res = await request(method, p, body);
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${text.slice(0, 500)}`);
      return JSON.parse(text) as T;
    },
  };
}

/** Resident memory of this process (server and harness) sampled until stopped. */
export function rssSampler(everyMs = 100): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) / (1024 * 1024);
    },
  };
}
