import { loadConfig } from '../server/config.js';
import type { Database } from '../server/runtime.js';

/** Runs a CLI action with the database open (beside a running Concord if there is one), then closes it. */
export async function withDatabase<T>(fn: (d: Database) => Promise<T>): Promise<T> {
  // Loaded here, not at the top, so that `--help` answers without loading the server.
  const { createLogger, openDatabase } = await import('../server/runtime.js');
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const d = await openDatabase(config, log, { shareRunning: true });
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

/** Problems thrown by services carry a detail meant for people; show that rather than a stack. */
export function explain(e: unknown): string {
  const p = e as { detail?: string; message?: string; errors?: unknown };
  return p.detail ?? p.message ?? String(e);
}
