import type { Command } from 'commander';
import { loadConfig } from '../../server/config.js';

/** The longest a Ctrl+C waits for Concord to stop before it exits anyway. */
const STOP_GUARD_MS = 30_000;

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'Run the server (embedded PostgreSQL in CONCORD_DATA_DIR unless DATABASE_URL is set); loads the demo on first start',
    )
    .option('-p, --port <port>', 'port to listen on (default PORT or 8080)')
    .option('--no-demo', 'do not load the demo scenario on first start')
    .action(async (opts: { port?: string; demo: boolean }) => {
      const env = {
        ...process.env,
        ...(opts.port ? { PORT: opts.port } : {}),
        ...(opts.demo ? {} : { CONCORD_DEMO: 'off' }),
      };
      const { startConcord } = await import('../../server/main.js');
      const running = await startConcord(loadConfig(env));
      let signals = 0;
      const onSignal = (sig: string) => {
        signals++;
        if (signals > 1) process.exit(130);
        console.log(`\n${sig}: stopping Concord…`);
        // Held until the stop is done: once PostgreSQL (stopped by the same Ctrl+C) and the
        // listeners are gone, nothing else may keep the process alive, and Node would end it
        // half-way through, silently, before the last writes and "stopped".
        const guard = setTimeout(() => {
          console.error(`concord: not stopped after ${STOP_GUARD_MS / 1000} s; exiting`);
          process.exit(1);
        }, STOP_GUARD_MS);
        running.stop().then(
          () => {
            clearTimeout(guard);
            process.exit(0);
          },
          (e: Error) => {
            console.error(`concord: shutdown failed: ${e.message}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => onSignal('SIGINT'));
      process.on('SIGTERM', () => onSignal('SIGTERM'));
    });
}
