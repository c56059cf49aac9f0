import path from 'node:path';

/** The only reader of process.env. Everything else receives a Config. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  demoPassword: string;
  loadDemo: boolean;
  /** Move synthetic demo tracks while the demo is on (CONCORD_SIMULATOR=off stops it). */
  simulator: boolean;
  allowRlsBypass: boolean;
  logLevel: string;
  bodyLimitBytes: number;
  sessionTtlHours: number;
  secureCookies: boolean;
  webDir: string;
  tileUrl: string | null;
  /** Days of position history to keep (CONCORD_HISTORY_DAYS; 0 keeps everything). */
  historyDays: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be 0..65535, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.CONCORD_DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || null,
    demoPassword: env.CONCORD_DEMO_PASSWORD || 'concord-demo',
    loadDemo: env.CONCORD_DEMO !== 'off',
    simulator: env.CONCORD_SIMULATOR !== 'off',
    allowRlsBypass: env.CONCORD_ALLOW_RLS_BYPASS === 'yes',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    bodyLimitBytes: Number(env.CONCORD_BODY_LIMIT ?? 5 * 1024 * 1024),
    sessionTtlHours: Number(env.CONCORD_SESSION_HOURS ?? 12),
    secureCookies: env.CONCORD_SECURE_COOKIES === 'yes',
    webDir: path.resolve(env.CONCORD_WEB_DIR ?? 'dist/web'),
    tileUrl: env.CONCORD_TILE_URL || null,
    historyDays: nonNegativeInteger('CONCORD_HISTORY_DAYS', env.CONCORD_HISTORY_DAYS, 90),
    ...overrides,
  };
}

function nonNegativeInteger(name: string, s: string | undefined, fallback: number): number {
  if (s === undefined || s === '') return fallback;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${s}"`);
  return n;
}
