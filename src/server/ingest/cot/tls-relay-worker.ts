/**
 * The TLS relay's worker thread: it accepts TAK clients' TLS connections (client certificates
 * of Concord's CA), reads their CoT (CotReader: framing, strict parsing, mapping to position
 * reports) and writes what the main thread sends them. The main thread keeps what needs shared
 * state (users, tracks, the live hub); TLS and parsing, a third of its time with 200 clients,
 * run on the other core. Reads and acknowledgements leave in one message per turn of this loop.
 */
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';
import { type CotRead, CotReader, newReadStats, type ReadStats } from './cot-reader.js';
import {
  MAX_UNCONSUMED,
  type Op,
  type ToMain,
  type ToWorker,
  type WorkerData,
} from './tls-relay-protocol.js';

const config = workerData as WorkerData;
const port = parentPort;
if (!port) throw new Error('tls-relay-worker runs as a worker thread');

const post = (m: ToMain) => port.postMessage(m);
const sockets = new Map<number, tls.TLSSocket>();
let nextId = config.firstId;

/**
 * Per connection, bytes posted that the main thread has not consumed yet, and whether it paused
 * the connection itself: a client that sends faster than Concord reads waits in TCP, as it would
 * without the relay, not in memory here or in the main thread's queue.
 */
const unconsumed = new Map<number, number>();
const pausedByMain = new Set<number>();

function consumed(id: number, bytes: number): void {
  const left = (unconsumed.get(id) ?? 0) - bytes;
  unconsumed.set(id, left);
  if (left <= MAX_UNCONSUMED / 2 && !pausedByMain.has(id)) sockets.get(id)?.resume();
}

/** What each connection's reads came to since the last turn. */
const reads = new Map<number, { read: CotRead; bytes: number }>();
/** What every reader counted since the last turn (they share it). */
const counted = newReadStats();
let countedAny = false;
/** Bytes taken from the main thread since the last turn, per connection. */
const taken = new Map<number, number>();
let turnScheduled = false;

function schedule(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(endTurn);
}

function takeCounted(): ReadStats | null {
  if (!countedAny) return null;
  const out = { ...counted, rejected: { ...counted.rejected } };
  Object.assign(counted, newReadStats());
  countedAny = false;
  return out;
}

function endTurn(): void {
  turnScheduled = false;
  const out: [number, CotRead, number][] = [];
  for (const [id, r] of reads) out.push([id, r.read, r.bytes]);
  reads.clear();
  const acks: [number, number, number][] = [];
  for (const [id, n] of taken) acks.push([id, n, sockets.get(id)?.writableLength ?? 0]);
  taken.clear();
  const stats = takeCounted();
  if (out.length || acks.length || stats) post({ t: 'io', reads: out, acks, stats });
}

/** Reads here, where the bytes arrive: the main thread gets position reports, not XML. */
function onData(id: number, socket: Socket, reader: CotReader, chunk: Buffer): void {
  const pending = (unconsumed.get(id) ?? 0) + chunk.length;
  unconsumed.set(id, pending);
  if (pending > MAX_UNCONSUMED) socket.pause();
  const read = reader.read(chunk, Date.now());
  countedAny = true;
  // The main thread ends the connection; nothing more is read meanwhile.
  if (read.fatal) socket.pause();
  const turn = reads.get(id);
  if (!turn) reads.set(id, { read, bytes: chunk.length });
  else {
    for (const r of read.reports) turn.read.reports.push(r);
    turn.read.pings += read.pings;
    turn.read.fatal ??= read.fatal;
    turn.bytes += chunk.length;
  }
  schedule();
}

const server = tls.createServer({
  key: config.keyPem,
  cert: config.certPem,
  ca: [config.caPem],
  requestCert: true,
  rejectUnauthorized: true,
  minVersion: 'TLSv1.2',
  handshakeTimeout: config.handshakeTimeoutMs,
});

server.on('tlsClientError', (err: NodeJS.ErrnoException) => {
  const noCert = /CERTIFICATE_REQUIRED|DID_NOT_RETURN_A_CERTIFICATE/i.test(`${err.code} ${err.message}`);
  post({ t: 'refused', reason: noCert ? 'no-certificate' : 'tls-handshake' });
});

server.on('secureConnection', (socket: tls.TLSSocket) => {
  socket.pause();
  socket.on('error', () => undefined);
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);
  const id = nextId++;
  sockets.set(id, socket);
  // The certificate chained to our CA (rejectUnauthorized); its CN names the Concord user.
  const cn = socket.getPeerCertificate().subject?.CN;
  post({ t: 'open', id, cn: (Array.isArray(cn) ? cn[0] : cn) || null });
  const reader = new CotReader(config.limits, config.maxBadEvents, counted);
  socket.on('data', (chunk: Buffer) => onData(id, socket, reader, chunk));
  socket.on('drain', () => {
    if (!taken.has(id)) taken.set(id, 0);
    schedule();
  });
  socket.once('close', () => {
    sockets.delete(id);
    unconsumed.delete(id);
    pausedByMain.delete(id);
    // What it read before it closed goes first.
    endTurn();
    post({ t: 'closed', id });
  });
});

function apply(op: Op): void {
  if (op.t === 'write') {
    const bytes = Buffer.from(op.data.buffer, op.data.byteOffset, op.data.byteLength);
    for (const id of op.ids) {
      taken.set(id, (taken.get(id) ?? 0) + bytes.length);
      const s = sockets.get(id);
      if (s && !s.destroyed) s.write(bytes);
    }
    schedule();
    return;
  }
  if (op.t === 'consumed') {
    consumed(op.id, op.bytes);
    return;
  }
  const s: Socket | undefined = sockets.get(op.id);
  if (!s) return;
  if (op.t === 'pause') {
    pausedByMain.add(op.id);
    s.pause();
  } else if (op.t === 'resume') {
    pausedByMain.delete(op.id);
    if ((unconsumed.get(op.id) ?? 0) <= MAX_UNCONSUMED) s.resume();
  } else if (op.t === 'end') s.end();
  else s.destroy();
}

port.on('message', (m: ToWorker) => {
  if (m.t === 'ops') for (const op of m.ops) apply(op);
  else {
    server.close(() => {
      post({ t: 'stopped' });
      // Nothing left to hold this thread: it ends on its own as well.
      port.close();
    });
    for (const s of sockets.values()) s.destroy();
  }
});

server.once('error', (e: NodeJS.ErrnoException) => post({ t: 'failed', message: e.message, code: e.code }));
server.listen(config.port, config.host, () => {
  const a = server.address();
  post({ t: 'listening', port: typeof a === 'object' && a ? a.port : config.port });
});
