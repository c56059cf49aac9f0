import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { pino } from 'pino';
import type { BuiltApp } from '../../src/server/app.js';
import type { Db } from '../../src/server/db/database.js';
import { CotFramer } from '../../src/server/ingest/cot/framing.js';
import {
  ensureTakPki,
  issueClientBundle,
  startTakServers,
  type TakConfig,
  type TakServers,
  takUsersFromDb,
} from '../../src/server/ingest/cot/index.js';

/** TAK listeners for a test server: TLS on a free port, the rest off unless asked; a fresh CA. */
export async function startTestTak(
  app: Pick<BuiltApp, 'tracks' | 'hub'> & { database: { db: Db } },
  config: Partial<TakConfig> = {},
): Promise<{
  tak: TakServers;
  pkiDir: string;
  caPem: string;
  /** A client certificate and key of Concord's CA for the user, issued once. */
  bundle(user: string): { cert: string; key: string };
  /** A TLS client as the user; closed by stop(). */
  connect(user: string): Promise<CotClient>;
  /** Closes every client, then the listeners. */
  stop(): Promise<void>;
}> {
  const pkiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-tak-test-'));
  const { caPem } = ensureTakPki(pkiDir);
  const tak = await startTakServers({
    tracks: app.tracks,
    hub: app.hub,
    users: takUsersFromDb(app.database.db),
    config: {
      host: '127.0.0.1',
      tlsPort: 0,
      tcpPort: null,
      tcpUser: null,
      udpPort: null,
      udpGroup: null,
      pkiDir,
      hostNames: [],
      layers: ['tracks', 'zones', 'alerts'],
      ...config,
    },
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
  });
  const bundles = new Map<string, { cert: string; key: string }>();
  const clients: CotClient[] = [];
  const bundle = (user: string) => {
    let b = bundles.get(user);
    if (!b) {
      const issued = issueClientBundle(pkiDir, user, 'atakatak');
      b = { cert: issued.certPem, key: issued.keyPem };
      bundles.set(user, b);
    }
    return b;
  };
  return {
    tak,
    pkiDir,
    caPem,
    bundle,
    async connect(user) {
      const c = await CotClient.tls(tak.ports.tls!, { ...bundle(user), ca: caPem });
      clients.push(c);
      return c;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close()));
      await tak.stop();
      fs.rmSync(pkiDir, { recursive: true, force: true });
    },
  };
}

/** CoT samples as ATAK sends them (synthetic uids and places). */
const iso = (ms: number) => new Date(ms).toISOString();

export function saEvent(
  o: { uid?: string; lat?: number; lon?: number; time?: number; callsign?: string; type?: string } = {},
): string {
  const t = o.time ?? Date.now();
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<event version="2.0" uid="${o.uid ?? 'ANDROID-589520ccfcd20f01'}" type="${o.type ?? 'a-f-G-U-C'}" time="${iso(t)}" start="${iso(t)}" stale="${iso(t + 360_000)}" how="h-e">` +
    `<point lat="${o.lat ?? 31.41}" lon="${o.lon ?? 34.39}" hae="-12.5" ce="9.9" le="9999999.0"/>` +
    `<detail><takv os="34" version="5.2.0.6 (b2d1e6a7).1719934826-CIV" device="GOOGLE PIXEL 7" platform="ATAK-CIV"/>` +
    `<contact endpoint="*:-1:stcp" phone="" callsign="${o.callsign ?? 'VIPER-1'}"/><uid Droid="${o.callsign ?? 'VIPER-1'}"/>` +
    `<precisionlocation altsrc="GPS" geopointsrc="GPS"/><__group role="Team Member" name="Cyan"/>` +
    `<status battery="87"/><track course="271.3" speed="1.25"/></detail></event>`
  );
}

export function markerEvent(uid = 'b1a2c3d4-0000-4000-8000-000000000001', t = Date.now()): string {
  return (
    `<event version="2.0" uid="${uid}" type="b-m-p-s-m" time="${iso(t)}" start="${iso(t)}" stale="${iso(t + 365 * 86_400_000)}" how="h-g-i-g-o">` +
    `<point lat="31.5" lon="34.47" hae="9999999.0" ce="9999999.0" le="9999999.0"/>` +
    `<detail><status readiness="true"/><archive/><link uid="ANDROID-589520ccfcd20f01" production_time="${iso(t)}" type="a-f-G-U-C" parent_callsign="VIPER-1" relation="p-p"/>` +
    `<contact callsign="R 1"/><remarks>burnt-out truck at the junction</remarks><color argb="-1"/><usericon iconsetpath="COT_MAPPING_SPOTMAP/b-m-p-s-m/-1"/></detail></event>`
  );
}

export function drawingEvent(uid = 'd3f0a1b2-0000-4000-8000-000000000002', t = Date.now()): string {
  return (
    `<event version="2.0" uid="${uid}" type="u-d-f" time="${iso(t)}" start="${iso(t)}" stale="${iso(t + 86_400_000)}" how="h-e">` +
    `<point lat="31.45" lon="34.40" hae="9999999.0" ce="9999999.0" le="9999999.0"/>` +
    `<detail><link point="31.44,34.39"/><link point="31.46,34.39"/><link point="31.46,34.41"/><link point="31.44,34.39"/>` +
    `<strokeColor value="-1"/><strokeWeight value="4.0"/><contact callsign="Shape 1"/><labels_on value="false"/></detail></event>`
  );
}

export function pingEvent(uid = 'ANDROID-589520ccfcd20f01-ping', t = Date.now()): string {
  return (
    `<event version="2.0" uid="${uid}" type="t-x-c-t" time="${iso(t)}" start="${iso(t)}" stale="${iso(t + 20_000)}" how="m-g">` +
    `<point lat="0.0" lon="0.0" hae="0.0" ce="9999999" le="9999999"/><detail/></event>`
  );
}

/** A TAK client over TLS or TCP that frames what the server sends into events. */
export class CotClient {
  readonly events: string[] = [];
  closed = false;
  readonly closedP: Promise<void>;
  private readonly framer = new CotFramer({ maxEventBytes: 1 << 20, maxBufferBytes: 4 << 20 });
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (c: Buffer) => {
      this.events.push(...this.framer.push(c));
      this.notify();
    });
    socket.on('error', () => undefined);
    this.closedP = new Promise((resolve) =>
      socket.once('close', () => {
        this.closed = true;
        this.notify();
        resolve();
      }),
    );
  }

  static tls(port: number, opts: { cert?: string; key?: string; ca: string }): Promise<CotClient> {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...opts });
    const c = new CotClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('secureConnect', () => resolve(c));
      socket.once('error', reject);
    });
  }

  static tcp(port: number): Promise<CotClient> {
    const socket = net.connect({ host: '127.0.0.1', port });
    const c = new CotClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(c));
      socket.once('error', reject);
    });
  }

  send(xml: string | Buffer): void {
    this.socket.write(xml);
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves with the first received event matching, waiting up to timeoutMs. */
  async waitFor(pred: (xml: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (this.closed) throw new Error('connection closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${this.events.length} events`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    this.socket.destroy();
    return this.closedP;
  }
}
