import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from 'pino';
import type { Viewer } from '../../../domain/viewer.js';
import type { LiveHub, LiveSink } from '../../modules/live/index.js';
import { addReadStats, CotReader } from './cot-reader.js';
import { classify } from './cot-to-report.js';
import { CotFramer, DEFAULT_FRAMING, type FramingLimits } from './framing.js';
import { parseCotEvent } from './parse.js';
import { ReportBatcher, type ReportSink } from './report-batcher.js';
import { ensureTakPki } from './tak-pki.js';
import { PlainTakSocket, type TakSocket } from './tak-socket.js';
import { countRejected, newStats, type TakStats } from './tak-stats.js';
import { type StreamContext, serveStream } from './tak-stream.js';
import { startTlsRelay } from './tls-relay.js';
import { CotError } from './types.js';

/** Who a certificate CN or a configured username is, now. */
export type TakUserResult =
  | { ok: true; viewer: Viewer }
  | { ok: false; reason: 'unknown-user' | 'disabled-user' };
export type TakUsers = (username: string) => Promise<TakUserResult>;

export interface TakConfig {
  /** Address the listeners bind to. */
  host: string;
  /** TLS streaming with client certificates (8089); null = off. */
  tlsPort: number | null;
  /** Plain TCP streaming on a trusted network (8088); null = off. */
  tcpPort: number | null;
  /** The Concord user every plain TCP connection and UDP datagram acts as. */
  tcpUser: string | null;
  /** UDP situational awareness (6969); null = off. */
  udpPort: number | null;
  /** Multicast group to join for UDP SA (239.2.3.1), or null for unicast only. */
  udpGroup: string | null;
  /** Where the CA and the server certificate live (created on first need). */
  pkiDir: string;
  /** Host names (and addresses) the server certificate names beside localhost and 127.0.0.1. */
  hostNames: string[];
  /** Live layers sent to TAK clients; layers the hub does not serve are left out (see attach). */
  layers: string[];
  /** Track movements to a client at most once per track per this many ms (0, the default: as they come). */
  sendEveryMs?: number;
  idleMs?: number;
  limits?: FramingLimits;
}

export interface TakServersOptions {
  tracks: ReportSink;
  hub: Pick<LiveHub, 'attach'>;
  users: TakUsers;
  config: TakConfig;
  log: Logger;
}

export interface TakServers {
  /** Bound ports (null when that listener is off); with port 0 in the config, the ports chosen. */
  ports: { tls: number | null; tcp: number | null; udp: number | null };
  stats(): { tls: TakStats; tcp: TakStats; udp: TakStats };
  stop(): Promise<void>;
}

/** Malformed events tolerated per stream connection before it is closed. */
const MAX_BAD_EVENTS = 20;

/** Layers every hub has; others (alerts) are optional until the hub serves them. */
const REQUIRED_LAYERS = ['tracks', 'zones'];

/** Starts the configured TAK listeners; resolves once they are all bound. */
export async function startTakServers(o: TakServersOptions): Promise<TakServers> {
  const { config, log } = o;
  const stats = { tls: newStats(), tcp: newStats(), udp: newStats() };
  const sockets = new Set<TakSocket>();
  const batchers = new Map<string, { batcher: ReportBatcher; refs: number }>();
  let layers = [...config.layers];
  const everyMs = config.sendEveryMs ?? 0;

  const revalidateAs = (username: string) => async () => {
    const r = await o.users(username);
    if (!r.ok) return null;
    batchers.get(r.viewer.userId)?.batcher.setViewer(r.viewer);
    return r.viewer;
  };

  const batcherFor = (viewer: Viewer, s: TakStats): { batcher: ReportBatcher; release(): void } => {
    let entry = batchers.get(viewer.userId);
    if (!entry) {
      const batcher: ReportBatcher = new ReportBatcher(
        viewer,
        o.tracks,
        (r) => {
          s.reportsAccepted += r.accepted;
          s.batches++;
          s.batchMs += r.ms;
          if (r.rejected) countRejected(s, 'report-refused', r.rejected);
        },
        (e, n) => {
          countRejected(s, 'report-refused', n);
          if ((e as { statusCode?: number }).statusCode !== 400)
            log.warn({ err: e, user: viewer.username }, 'TAK reports could not be stored');
        },
      );
      entry = { batcher, refs: 0 };
      batchers.set(viewer.userId, entry);
    }
    entry.refs++;
    const e = entry;
    return {
      batcher: e.batcher,
      release() {
        if (--e.refs === 0) void e.batcher.flush().then(() => e.refs === 0 && batchers.delete(viewer.userId));
      },
    };
  };

  /** Subscribes to the configured layers; when the hub lacks an optional one, without it from then on. */
  const attach = async (sink: LiveSink, viewer: Viewer, revalidate: () => Promise<Viewer | null>) => {
    try {
      return (await o.hub.attach(sink, viewer, revalidate, layers, undefined, everyMs)).detach;
    } catch (e) {
      const required = layers.filter((l) => REQUIRED_LAYERS.includes(l));
      if (required.length === layers.length) throw e;
      const d = (await o.hub.attach(sink, viewer, revalidate, required, undefined, everyMs)).detach;
      log.info(
        { dropped: layers.filter((l) => !required.includes(l)) },
        'TAK: live layers not served by this hub',
      );
      layers = required;
      return d;
    }
  };

  const context = (s: TakStats): StreamContext => ({
    stats: s,
    idleMs: config.idleMs ?? 120_000,
    log,
    attach,
  });
  const limits = config.limits ?? DEFAULT_FRAMING;

  const serve = (socket: TakSocket, viewer: Viewer, s: TakStats) => {
    sockets.add(socket);
    const b = batcherFor(viewer, s);
    serveStream(socket, viewer, b.batcher, revalidateAs(viewer.username), context(s), () => {
      sockets.delete(socket);
      b.release();
    });
  };

  const refuse = (socket: TakSocket, s: TakStats, reason: 'unknown-user' | 'disabled-user', who: string) => {
    countRejected(s, reason);
    log.info({ user: who, reason }, 'TAK connection refused');
    socket.destroy();
  };

  const closers: (() => Promise<void>)[] = [];
  const ports: TakServers['ports'] = { tls: null, tcp: null, udp: null };
  const listen = (server: net.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, config.host, () => {
        server.off('error', reject);
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  const closeServer = (server: net.Server) => () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
    });

  try {
    if (config.tlsPort !== null) {
      const pki = ensureTakPki(config.pkiDir, config.hostNames);
      const relay = await startTlsRelay(
        {
          host: config.host,
          port: config.tlsPort,
          keyPem: pki.serverKeyPem,
          certPem: pki.serverCertPem,
          caPem: pki.caPem,
          handshakeTimeoutMs: 10_000,
          limits,
          maxBadEvents: MAX_BAD_EVENTS,
        },
        {
          refused: (reason) => countRejected(stats.tls, reason),
          counted: (read) => addReadStats(stats.tls, read),
          open: (socket, username) => {
            if (!username) {
              countRejected(stats.tls, 'no-certificate');
              socket.destroy();
              return;
            }
            o.users(username).then(
              (r) =>
                r.ok ? serve(socket, r.viewer, stats.tls) : refuse(socket, stats.tls, r.reason, username),
              (e: unknown) => {
                log.warn({ err: e }, 'TAK: user lookup failed');
                socket.destroy();
              },
            );
          },
        },
        log,
      );
      ports.tls = relay.port;
      closers.push(relay.stop);
    }

    if (config.tcpPort !== null) {
      const user = config.tcpUser;
      if (!user)
        throw new Error('CONCORD_TAK_TCP_PORT needs CONCORD_TAK_TCP_USER: the user plain TCP clients act as');
      const server = net.createServer({ pauseOnConnect: true }, (raw) => {
        const socket = new PlainTakSocket(raw, new CotReader(limits, MAX_BAD_EVENTS, stats.tcp));
        o.users(user).then(
          (r) => (r.ok ? serve(socket, r.viewer, stats.tcp) : refuse(socket, stats.tcp, r.reason, user)),
          () => socket.destroy(),
        );
      });
      ports.tcp = await listen(server, config.tcpPort);
      closers.push(closeServer(server));
    }

    if (config.udpPort !== null) {
      const user = config.tcpUser;
      if (!user)
        throw new Error('CONCORD_TAK_UDP_PORT needs CONCORD_TAK_TCP_USER: the user UDP senders act as');
      const udp = await startUdp(config, user, o, stats.udp, batcherFor, log);
      ports.udp = udp.port;
      closers.push(udp.close);
    }
  } catch (e) {
    await Promise.all(closers.map((c) => c()));
    throw e;
  }

  const ticker = setInterval(() => {
    if (sockets.size) log.info({ tak: stats }, 'TAK statistics');
  }, 60_000);
  ticker.unref();

  return {
    ports,
    stats: () => stats,
    async stop() {
      clearInterval(ticker);
      const closing = closers.map((c) => c());
      for (const s of sockets) s.destroy();
      await Promise.all(closing);
      const dropped = await Promise.all([...batchers.values()].map((b) => b.batcher.close()));
      log.info({ tak: stats, dropped: dropped.reduce((a, b) => a + b, 0) }, 'TAK listeners stopped');
    },
  };
}

/**
 * UDP SA: each datagram holds one event (or several back to back), sent by mesh clients with no
 * session, so every sender acts as the configured user and nothing is sent back.
 */
async function startUdp(
  config: TakConfig,
  username: string,
  o: TakServersOptions,
  s: TakStats,
  batcherFor: (v: Viewer, s: TakStats) => { batcher: ReportBatcher; release(): void },
  log: Logger,
): Promise<{ port: number; close(): Promise<void> }> {
  const r = await o.users(username);
  if (!r.ok) throw new Error(`CONCORD_TAK_TCP_USER ${username}: ${r.reason}`);
  const { batcher, release } = batcherFor(r.viewer, s);
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  const limits = config.limits ?? DEFAULT_FRAMING;
  socket.on('message', (msg) => {
    let frames: string[];
    try {
      frames = new CotFramer(limits).push(msg);
    } catch (e) {
      if (e instanceof CotError) countRejected(s, e.reason);
      return;
    }
    if (!frames.length) countRejected(s, 'not-xml'); // e.g. TAK protobuf (0xbf…), not read here
    for (const f of frames) {
      s.eventsIn++;
      try {
        const inbound = classify(parseCotEvent(f), Date.now());
        if (inbound.kind === 'report') batcher.add(inbound.report);
        else if (inbound.kind === 'refused') countRejected(s, 'report-refused');
        else if (inbound.kind === 'ping') s.pings++;
        else s.ignored++;
      } catch (e) {
        if (e instanceof CotError) countRejected(s, e.reason);
        else log.warn({ err: e }, 'TAK UDP event failed');
      }
    }
  });
  socket.on('error', (e) => log.warn({ err: e }, 'TAK UDP socket error'));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(config.udpPort ?? 6969, config.udpGroup ? undefined : config.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  if (config.udpGroup) socket.addMembership(config.udpGroup);
  return {
    port: socket.address().port,
    close: () =>
      new Promise<void>((resolve) => {
        socket.close(() => {
          release();
          resolve();
        });
      }),
  };
}
