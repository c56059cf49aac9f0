import { loadDemo } from '../demo/load.js';
import { type Simulator, startSimulator } from '../demo/simulator.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { hasAnyUser } from './db/reset.js';
import { startTakServers, type TakServers, takUsersFromDb } from './ingest/cot/index.js';
import { createLogger, openDatabase } from './runtime.js';

export interface Running {
  url: string;
  /** The TAK listeners and their bound ports; null when CONCORD_TAK=off. */
  tak: TakServers | null;
  stop(): Promise<void>;
}

/** `concord start`: database, demo on first start, HTTP server, clean shutdown on SIGINT/SIGTERM. */
export async function startConcord(
  config: Config,
  print: (s: string) => void = console.log,
): Promise<Running> {
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config, log);
  let demoLoaded = false;
  if (config.loadDemo && !(await hasAnyUser(database.db))) {
    log.info('first start: loading the demo scenario');
    await loadDemo(database.db, config.demoPassword);
    demoLoaded = true;
  }
  const { app, tracks, hub } = await buildApp(config, database.db, log);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close();
    await database.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE')
      throw new Error(`Port ${config.port} is in use; set PORT to another port.`);
    throw e;
  }
  let tak: TakServers | null = null;
  if (config.tak.enabled) {
    try {
      tak = await startTakServers({
        tracks,
        hub,
        users: takUsersFromDb(database.db),
        config: { ...config.tak, host: config.host },
        log: log.child({ component: 'tak' }),
      });
    } catch (e) {
      await app.close();
      await database.close();
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE')
        throw new Error(
          `A TAK port is in use (${err.message}); set CONCORD_TAK_TLS_PORT to another port or CONCORD_TAK=off.`,
        );
      throw e;
    }
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://localhost:${port}`;
  // Synthetic tracks keep the demo's map alive; tests build the app directly and never get them.
  let simulator: Simulator | null = null;
  if (config.loadDemo && config.simulator) {
    try {
      simulator = await startSimulator(database.db, { tracks, log: log.child({ component: 'simulator' }) });
    } catch (e) {
      log.warn({ err: e }, 'the track simulator did not start; Concord runs without it');
    }
  }
  print(banner(url, database.embedded ? config.dataDir : 'DATABASE_URL', config, demoLoaded, tak));

  let stopping: Promise<void> | null = null;
  const stop = () => {
    database.db.beginStop();
    stopping ??= (async () => {
      log.info('shutting down');
      await simulator?.stop();
      await tak?.stop();
      await app.close();
      await database.close();
      log.info('stopped');
    })();
    return stopping;
  };
  return { url, tak, stop };
}

function banner(
  url: string,
  where: string,
  config: Config,
  demoLoaded: boolean,
  tak: TakServers | null,
): string {
  const lines = ['', `  Concord is running at ${url}`, `  API docs: ${url}/api/docs    data: ${where}`];
  if (tak) {
    const p = tak.ports;
    const on = [
      p.tls !== null && `TLS ${p.tls} (client certificates: concord tak cert <user>)`,
      p.tcp !== null && `TCP ${p.tcp}`,
      p.udp !== null && `UDP ${p.udp}`,
    ].filter(Boolean);
    if (on.length) lines.push(`  TAK: ${on.join(', ')}`);
  }
  if (config.loadDemo) {
    lines.push(
      `  Demo logins (password "${config.demoPassword}"${demoLoaded ? '' : ', unless changed since the demo was loaded'}):`,
      '    admin, usa.planner, gbr.planner, usa.monitor, fra.analyst, gbr.analyst,',
      '    un.logistics, ngo.field, liaison.isr, liaison.pal, can.viewer',
      '  All demo data is synthetic and illustrative, never operational.',
    );
  }
  lines.push('  Stop with Ctrl+C.', '');
  return lines.join('\n');
}
