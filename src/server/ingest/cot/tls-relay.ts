import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CotRead, ReadStats } from './cot-reader.js';
import type { TakSocket } from './tak-socket.js';
import type {
  HandshakeRefusal,
  Op,
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

/**
 * A TAK client's TLS connection as the main thread sees it: CoT already read (by the worker's
 * CotReader) in, plaintext out. Writes leave at the end of this turn of the event loop.
 */
export class RelayedSocket extends EventEmitter implements TakSocket {
  destroyed = false;
  writable = true;
  /** Bytes handed to the worker that it has not yet reported taking. */
  private inFlight = 0;
  /** What the worker's socket still held at its last report. */
  private remote = 0;
  private paused = true;
  private held: { read: CotRead; bytes: number }[] = [];
  /** The worker's socket closed; what it read before is still delivered first. */
  private gone = false;

  constructor(
    readonly id: number,
    private readonly relay: Outbox,
  ) {
    super();
  }

  get writableLength(): number {
    return this.inFlight + this.remote;
  }

  write(data: string | Buffer): boolean {
    if (!this.writable) return false;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.inFlight += bytes.length;
    this.relay.write(this.id, bytes);
    return true;
  }

  end(): void {
    if (!this.writable) return;
    this.writable = false;
    this.relay.op({ t: 'end', id: this.id });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.relay.op({ t: 'destroy', id: this.id });
    this.closed();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.relay.op({ t: 'pause', id: this.id });
  }

  resume(): void {
    if (!this.paused || this.destroyed) return;
    this.paused = false;
    this.relay.op({ t: 'resume', id: this.id });
    this.deliver();
  }

  /** From the worker: what some of its reads came to. */
  received(read: CotRead, bytes: number): void {
    if (this.destroyed) return;
    this.held.push({ read, bytes });
    this.deliver();
  }

  /** In order; what comes while paused (read before the worker heard of it) waits for resume. */
  private deliver(): void {
    while (this.held.length && !this.paused && !this.destroyed) {
      const { read, bytes } = this.held.shift()!;
      this.relay.consumed(this.id, bytes);
      this.emit('read', read);
    }
    if (this.gone && !this.held.length) this.closed();
  }

  acknowledged(taken: number, buffered: number): void {
    this.inFlight -= taken;
    this.remote = buffered;
  }

  /** From the worker: the client went. As with a socket, its last bytes are read before 'close'. */
  remoteClosed(): void {
    this.gone = true;
    this.writable = false;
    this.deliver();
  }

  /** Gone at once, unread bytes and all (the relay stopped, or this side destroyed it). */
  closed(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.writable = false;
    this.held = [];
    // As a net.Socket does, after the current turn.
    setImmediate(() => this.emit('close'));
  }
}

/**
 * Ops for the worker, in the order they were made, sent once per turn of the event loop. A buffer
 * written to several connections travels once, as long as that keeps each connection's order.
 */
export class Outbox {
  private ops: Op[] = [];
  /** Per buffer, the index of its latest write op; per connection, the index of its latest op. */
  private writeOf = new Map<Buffer, number>();
  private lastOf = new Map<number, number>();
  private consumedOf = new Map<number, number>();
  private scheduled = false;

  constructor(private readonly send: (m: ToWorker, transfer: ArrayBuffer[]) => void) {}

  write(id: number, bytes: Buffer): void {
    const at = this.writeOf.get(bytes);
    if (at !== undefined && at > (this.lastOf.get(id) ?? -1)) {
      (this.ops[at] as { ids: number[] }).ids.push(id);
      this.lastOf.set(id, at);
      return;
    }
    this.writeOf.set(bytes, this.ops.length);
    this.push(id, { t: 'write', ids: [id], data: bytes });
  }

  op(op: Op & { id: number }): void {
    this.push(op.id, op);
  }

  /** Summed per connection until the flush: its order among the other ops does not matter. */
  consumed(id: number, bytes: number): void {
    this.consumedOf.set(id, (this.consumedOf.get(id) ?? 0) + bytes);
    this.schedule();
  }

  private push(id: number, op: Op): void {
    this.lastOf.set(id, this.ops.length);
    this.ops.push(op);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const transfer: ArrayBuffer[] = [];
    const ops = this.ops.map((op) => {
      if (op.t !== 'write') return op;
      // A copy of its own to transfer: the caller may keep its buffer (shared CoT batches) or a pool.
      const data = new Uint8Array(op.data);
      transfer.push(data.buffer);
      return { ...op, data };
    });
    for (const [id, bytes] of this.consumedOf) ops.push({ t: 'consumed', id, bytes });
    this.consumedOf.clear();
    this.ops = [];
    this.writeOf.clear();
    this.lastOf.clear();
    this.send({ t: 'ops', ops }, transfer);
  }
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
