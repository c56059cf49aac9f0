import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ReadStats } from './cot-reader.js';
import { RelayedSocket } from './relayed-socket.js';
import { Outbox } from './tls-relay-outbox.js';
import type {
  HandshakeRefusal,
  TlsWorkerConfig,
  ToMain,
  ToWorker,
  WorkerData,
} from './tls-relay-protocol.js';

export interface TlsRelayHandlers {
  /** A client passed the handshake; its socket is paused until resumed. */
  open(socket: RelayedSocket, cn: string | null): void;
  refused(reason: HandshakeRefusal): void;
  /** What the readers counted (events in, pings, rejections), a turn at a time. */
  counted(stats: ReadStats): void;
}

export interface TlsRelay {
  port: number;
  stop(): Promise<void>;
  /** The worker thread now running (replaced when one ends unexpectedly). */
  readonly worker: Worker;
}

/** tsx's ESM API by its package's exports: require.resolve would pick the CommonJS build. */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require(manifest) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(manifest), exports['./esm/api']!.import.default);
}

/**
 * A worker thread running the worker file under tsx, as the rest of Concord runs: Node 20 has no
 * TypeScript of its own, and a worker does not inherit the main thread's loader.
 */
function startWorker(config: WorkerData): Worker {
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const entry = new URL('./tls-relay-worker.ts', import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(tsx)};
register();
await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: config });
}

/** After a worker ended unexpectedly, a new one takes its port after this long. */
const RESTART_MS = 1000;
/** How long a stopping worker has to close its listener and connections. */
const STOP_MS = 5000;

/**
 * Starts the worker and its TLS listener; resolves once it listens. A worker that ends while
 * the relay runs (a bug, memory) cuts its clients, who reconnect to the one that replaces it.
 */
export function startTlsRelay(
  config: TlsWorkerConfig,
  handlers: TlsRelayHandlers,
  log: Logger,
): Promise<TlsRelay> {
  const sockets = new Map<number, RelayedSocket>();
  let worker!: Worker;
  let alive = false;
  let generation = 0;
  let stopping: Promise<void> | null = null;
  let stopped: (() => void) | null = null;
  const outbox = new Outbox((m, transfer) => worker.postMessage(m, transfer));

  const closeAll = () => {
    for (const s of sockets.values()) s.closed();
    sockets.clear();
  };

  const onMessage = (m: ToMain) => {
    switch (m.t) {
      case 'io':
        if (m.stats) handlers.counted(m.stats);
        for (const [id, read, bytes] of m.reads) sockets.get(id)?.received(read, bytes);
        for (const [id, taken, buffered] of m.acks) sockets.get(id)?.acknowledged(taken, buffered);
        return;
      case 'open': {
        const socket = new RelayedSocket(m.id, outbox);
        sockets.set(m.id, socket);
        socket.once('close', () => sockets.delete(m.id));
        handlers.open(socket, m.cn);
        return;
      }
      case 'closed':
        sockets.get(m.id)?.remoteClosed();
        return;
      case 'refused':
        handlers.refused(m.reason);
        return;
    }
  };

  /** A worker listening on `port`; resolves with the port it listens on. */
  const spawn = (port: number): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      // Connection ids stay unique across workers: an op meant for a client of the one before
      // cannot reach a client of this one.
      const w = startWorker({ ...config, port, firstId: generation++ * 2 ** 32 + 1 });
      worker = w;
      alive = true;
      let listening = false;
      w.on('message', (m: ToMain) => {
        if (m.t === 'listening') {
          listening = true;
          resolve(m.port);
        } else if (m.t === 'failed') {
          reject(Object.assign(new Error(m.message), { code: m.code }));
          void w.terminate();
        } else if (m.t === 'stopped') finishStop(w, false);
        else onMessage(m);
      });
      w.on('error', (e) => {
        if (!listening) reject(e);
        else log.error({ err: e }, 'TAK TLS relay worker failed');
      });
      w.on('exit', () => {
        alive = false;
        closeAll();
        if (stopping) stopped?.();
        else if (listening) {
          log.error(
            { restartInMs: RESTART_MS },
            'TAK TLS relay ended unexpectedly; TLS clients were cut; restarting it',
          );
          restart(port === 0 ? boundPort : port);
        }
      });
    });

  let boundPort = 0;
  const restart = (port: number) =>
    setTimeout(() => {
      if (stopping) return;
      spawn(port).catch((e: unknown) => {
        log.error({ err: e }, 'TAK TLS relay could not restart; trying again');
        restart(port);
      });
    }, RESTART_MS).unref();

  /**
   * The worker closed its listener and connections and ends on its own; one that did not in time
   * is terminated. terminate() on a worker that was ending anyway hung the main thread now and then
   * on Node 20 (Ctrl+C never got to "stopped"), so it is kept for the one that is stuck.
   */
  const finishStop = (w: Worker, stuck: boolean) => {
    closeAll();
    w.unref();
    if (stuck) void w.terminate();
    stopped?.();
  };

  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((done) => {
      stopped = done;
      if (!alive) return done();
      worker.postMessage({ t: 'stop' } satisfies ToWorker);
      const w = worker;
      setTimeout(() => alive && finishStop(w, true), STOP_MS).unref();
    });
    return stopping;
  };

  return spawn(config.port).then((port) => {
    boundPort = port;
    return {
      port,
      stop,
      get worker() {
        return worker;
      },
    };
  });
}
