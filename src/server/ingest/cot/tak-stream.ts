import type { Logger } from 'pino';
import type { Viewer } from '../../../domain/viewer.js';
import type { LiveSink, Revalidate } from '../../modules/live/index.js';
import type { CotRead } from './cot-reader.js';
import { pongCot } from './feature-to-cot.js';
import type { ReportBatcher } from './report-batcher.js';
import { TakSink } from './tak-sink.js';
import type { TakSocket } from './tak-socket.js';
import type { TakStats } from './tak-stats.js';
import type { RejectReason } from './types.js';

export interface StreamContext {
  stats: TakStats;
  /** A connection that sent nothing for this long is gone (TAK clients ping every few seconds). */
  idleMs: number;
  log: Logger;
  /** Subscribes the sink to the live hub; resolves to its detach. */
  attach(sink: LiveSink, viewer: Viewer, revalidate: Revalidate): Promise<() => void>;
}

/**
 * One TAK client on a stream (TLS or plain TCP), already authenticated as `viewer`: the reports
 * its socket read (CotReader) are batched into tracks.report; pings are answered; the live hub
 * sends it what its user may see.
 */
export function serveStream(
  socket: TakSocket,
  viewer: Viewer,
  batcher: ReportBatcher,
  revalidate: Revalidate,
  ctx: StreamContext,
  onClose: () => void,
): void {
  const { stats } = ctx;
  stats.connections++;
  stats.open++;
  let lastSeen = Date.now();
  let ended = false;
  let detach: (() => void) | null = null;

  const fail = (reason: RejectReason, message: string) => {
    if (ended) return;
    ended = true;
    ctx.log.debug({ user: viewer.username, reason, message }, 'TAK connection closed');
    // Stop reading at once, let what was written reach the peer, then cut.
    socket.pause();
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  };

  socket.on('read', (read: CotRead) => {
    if (ended) return;
    lastSeen = Date.now();
    let room = true;
    for (const r of read.reports) room = batcher.add(r) && room;
    for (let i = 0; i < read.pings; i++) {
      stats.eventsOut++;
      socket.write(pongCot(Date.now()));
    }
    if (read.fatal) fail(read.fatal.reason, read.fatal.message);
    else if (!room) {
      // Backpressure: the user's queue into tracks is full; read again when it has drained.
      socket.pause();
      void batcher.whenDrained().then(() => {
        if (!ended) socket.resume();
      });
    }
  });
  socket.once('close', () => {
    ended = true;
    stats.open--;
    detach?.();
    onClose();
  });

  const sink = new TakSink(
    socket,
    (n) => {
      stats.eventsOut += n;
    },
    () => Date.now() - lastSeen < ctx.idleMs,
  );
  ctx.attach(sink, viewer, revalidate).then(
    (d) => {
      if (socket.destroyed) d();
      else detach = d;
    },
    (e: unknown) => {
      ctx.log.warn({ err: e, user: viewer.username }, 'TAK client could not subscribe to the live picture');
      fail('report-refused', 'no live subscription');
    },
  );
  socket.resume();
}
