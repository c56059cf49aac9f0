/** The position-report load generator (bench/lib/ingest-load.ts) as a child process, and reporters' tokens. */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiLogin, BENCH_PASSWORD } from './concord.js';
import type { Clearance, FromLoad, ToLoad } from './ingest-protocol.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Logs in as `user` and creates an API token; also returns what canSee needs of the user. */
export async function tokenFor(
  url: string,
  user: string,
  name: string,
): Promise<{ token: string; viewer: Clearance }> {
  const api = await apiLogin(url, user, BENCH_PASSWORD);
  const me = await api.json<Clearance>('GET', '/api/v1/auth/me');
  const { token } = await api.json<{ token: string }>('POST', '/api/v1/auth/tokens', { name });
  return { token, viewer: { clearance: me.clearance, principals: me.principals, caveats: me.caveats } };
}

/** The load generator as a child process; its messages arrive in order. */
export function startLoad(): {
  send(m: ToLoad): void;
  next(): Promise<FromLoad>;
  kill(): void;
} {
  const child = fork(path.join(HERE, 'ingest-load.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: FromLoad[] = [];
  let waiting: ((m: FromLoad) => void) | null = null;
  child.on('message', (m: FromLoad) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else inbox.push(m);
  });
  child.on('exit', (code) => {
    if (waiting) waiting({ type: 'failed', message: `the load generator exited (${code})` });
  });
  return {
    send: (m) => child.send(m),
    next: () => {
      const m = inbox.shift();
      if (m) return Promise.resolve(m);
      return new Promise((r) => {
        waiting = r;
      });
    },
    kill: () => child.kill(),
  };
}
