import type { Logger } from 'pino';
import type { Viewer } from '../../../domain/viewer.js';
import type { LiveSink, Revalidate } from '../../modules/live/index.js';
import { classify } from './cot-to-report.js';
import { pongCot } from './feature-to-cot.js';
import { CotFramer, type FramingLimits } from './framing.js';
import { parseCotEvent } from './parse.js';
import type { ReportBatcher } from './report-batcher.js';
import { TakSink } from './tak-sink.js';
import type { TakSocket } from './tak-socket.js';
import { countRejected, type TakStats } from './tak-stats.js';
import { CotError, type RejectReason } from './types.js';

/** Rejections that show a hostile or broken peer: the connection ends at the first one. */
const FATAL: ReadonlySet<RejectReason> = new Set([
  'doctype',
  'entity',
  'processing-instruction',
  'too-deep',
  'event-too-large',
  'buffer-overflow',
]);

export interface StreamContext {
  stats: TakStats;
  limits: FramingLimits;
  /** A connection that sent nothing for this long is gone (TAK clients ping every few seconds). */
  idleMs: number;
  /** Malformed events tolerated per connection before it is closed. */
  maxBadEvents: number;
  log: Logger;
  /** Subscribes the sink to the live hub; resolves to its detach. */
  attach(sink: LiveSink, viewer: Viewer, revalidate: Revalidate): Promise<() => void>;
}

/**
 * One TAK client on a stream (TLS or plain TCP), already authenticated as `viewer`: inbound
 * events are framed, parsed strictly and batched into tracks.report; pings are answered; the
 * live hub sends it what its user may see.
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
  const framer = new CotFramer(ctx.limits);
  let lastSeen = Date.now();
  let bad = 0;
  let ended = false;
  let detach: (() => void) | null = null;
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);

  const fail = (reason: RejectReason, message: string) => {
    if (ended) return;
    ended = true;
    ctx.log.debug({ user: viewer.username, reason, message }, 'TAK connection closed');
    // Stop reading at once, let what was written reach the peer, then cut.
    socket.pause();
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  };

  const onFrame = (xml: string, now: number) => {
    stats.eventsIn++;
    try {
      const inbound = classify(parseCotEvent(xml), now);
      if (inbound.kind === 'report') return batcher.add(inbound.report);
      if (inbound.kind === 'refused') countRejected(stats, 'report-refused');
      else if (inbound.kind === 'ping') {
        stats.pings++;
        stats.eventsOut++;
        socket.write(pongCot(Date.now()));
      } else stats.ignored++;
    } catch (e) {
      if (!(e instanceof CotError)) throw e;
      countRejected(stats, e.reason);
      if (FATAL.has(e.reason) || ++bad > ctx.maxBadEvents) fail(e.reason, e.message);
    }
    return true;
  };

  socket.on('data', (chunk: Buffer) => {
    if (ended) return;
    lastSeen = Date.now();
    let frames: string[];
    try {
      frames = framer.push(chunk);
    } catch (e) {
      if (!(e instanceof CotError)) throw e;
      countRejected(stats, e.reason);
      fail(e.reason, e.message);
      return;
    }
    let room = true;
    const now = Date.now();
    for (const f of frames) {
      if (ended) return;
      room = onFrame(f, now) && room;
    }
    if (!room) {
      // Backpressure: the user's queue into tracks is full; read again when it has drained.
      socket.pause();
      void batcher.whenDrained().then(() => {
        if (!ended) socket.resume();
      });
    }
  });
  socket.on('error', () => undefined);
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
