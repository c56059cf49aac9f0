import path from 'node:path';
import {
  DEFAULT_REPORT_CUTOFF,
  DEFAULT_REPORT_TIMEZONE,
  isTimeZone,
  parseCutoff,
} from '../domain/daily-report.js';

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
  /** Evidence files, content-addressed (CONCORD_EVIDENCE_DIR; default <dataDir>/evidence). Back it up with the database. */
  evidenceDir: string;
  /** Largest evidence file accepted (CONCORD_EVIDENCE_MAX_MB, default 100). */
  evidenceMaxBytes: number;
  /** The daily report's period: it ends at the most recent cut-off (HH:MM) in this time zone. */
  report: { timezone: string; cutoff: string };
  /** Metres within which an incident or alert affects a notified site or route (CONCORD_AID_CORRELATION_M, default 500). */
  aidCorrelationRadiusM: number;
  tak: TakSettings;
}

/** TAK (CoT) listeners; see README "TAK". */
export interface TakSettings {
  enabled: boolean;
  /** TLS with client certificates; default 8089 (an ephemeral port when PORT is 0, as in tests). */
  tlsPort: number | null;
  tcpPort: number | null;
  /** The user plain TCP connections and UDP datagrams act as (a trusted network). */
  tcpUser: string | null;
  udpPort: number | null;
  udpGroup: string | null;
  /** Names the server certificate carries beside localhost and 127.0.0.1 (what ATAK connects to). */
  hostNames: string[];
  /** Live layers sent to TAK clients. */
  layers: string[];
  /** Track movements to a TAK client: at most one per track per this many ms (0: as they come). */
  sendEveryMs: number;
  /** CA, server certificate: created on first need. */
  pkiDir: string;
}

function portOrNull(name: string, v: string | undefined, fallback: number | null): number | null {
  if (v === undefined || v === '') return fallback;
  if (v === 'off') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${name} must be 0..65535 or off, got "${v}"`);
  return n;
}

function millis(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 60_000)
    throw new Error(`${name} must be 0..60000 (ms), got "${v}"`);
  return n;
}

const list = (v: string | undefined, fallback: string[]) =>
  v
    ? v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : fallback;

function takSettings(env: NodeJS.ProcessEnv, port: number, dataDir: string): TakSettings {
  return {
    enabled: env.CONCORD_TAK !== 'off',
    tlsPort: portOrNull('CONCORD_TAK_TLS_PORT', env.CONCORD_TAK_TLS_PORT, port === 0 ? 0 : 8089),
    tcpPort: portOrNull('CONCORD_TAK_TCP_PORT', env.CONCORD_TAK_TCP_PORT, null),
    tcpUser: env.CONCORD_TAK_TCP_USER || null,
    udpPort: portOrNull('CONCORD_TAK_UDP_PORT', env.CONCORD_TAK_UDP_PORT, null),
    udpGroup: env.CONCORD_TAK_UDP_GROUP || null,
    hostNames: list(env.CONCORD_TAK_HOST, []),
    layers: list(env.CONCORD_TAK_LAYERS, ['tracks', 'zones', 'alerts']),
    sendEveryMs: millis('CONCORD_TAK_SEND_MS', env.CONCORD_TAK_SEND_MS, 1000),
    pkiDir: path.join(dataDir, 'tak'),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be 0..65535, got "${env.PORT}"`);
  const dataDir = path.resolve(env.CONCORD_DATA_DIR ?? 'data');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
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
    evidenceDir: path.resolve(env.CONCORD_EVIDENCE_DIR ?? path.join(dataDir, 'evidence')),
    evidenceMaxBytes: positiveMegabytes('CONCORD_EVIDENCE_MAX_MB', env.CONCORD_EVIDENCE_MAX_MB, 100),
    report: reportSettings(env),
    aidCorrelationRadiusM: positiveNumber('CONCORD_AID_CORRELATION_M', env.CONCORD_AID_CORRELATION_M, 500),
    tak: takSettings(env, port, dataDir),
    ...overrides,
  };
}

function reportSettings(env: NodeJS.ProcessEnv): Config['report'] {
  const timezone = env.CONCORD_REPORT_TIMEZONE || DEFAULT_REPORT_TIMEZONE;
  const cutoff = env.CONCORD_REPORT_CUTOFF || DEFAULT_REPORT_CUTOFF;
  if (!isTimeZone(timezone)) throw new Error(`CONCORD_REPORT_TIMEZONE is not a time zone: "${timezone}"`);
  if (!parseCutoff(cutoff)) throw new Error(`CONCORD_REPORT_CUTOFF must be HH:MM, got "${cutoff}"`);
  return { timezone, cutoff };
}

function nonNegativeInteger(name: string, s: string | undefined, fallback: number): number {
  if (s === undefined || s === '') return fallback;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${s}"`);
  return n;
}

function positiveMegabytes(name: string, s: string | undefined, fallback: number): number {
  if (s === undefined || s === '') return fallback * 1024 * 1024;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number of megabytes > 0, got "${s}"`);
  return Math.round(n * 1024 * 1024);
}

function positiveNumber(name: string, s: string | undefined, fallback: number): number {
  if (s === undefined || s === '') return fallback;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number > 0, got "${s}"`);
  return n;
}
