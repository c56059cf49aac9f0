import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Marking } from '../../src/domain/marking.js';
import type { TrackFeature } from '../../src/domain/tracks.js';
import type { ZoneFeature } from '../../src/domain/zones.js';
import { issueClientBundle, type TakServers } from '../../src/server/ingest/cot/index.js';
import { identitiesService } from '../../src/server/modules/identities/index.js';
import { DEFAULT_HUB_OPTIONS } from '../../src/server/modules/live/index.js';
import { CotClient, pingEvent, saEvent, startTestTak } from '../support/cot.js';
import { squareZone } from '../support/fixtures.js';
import { sleep } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };

let s: TestServer;
let tak: TakServers;
let caPem: string;
let stopTak: (() => Promise<void>) | undefined;
let usa: Client;
let gbr: Client;
const clients: CotClient[] = [];
let bundle: (user: string) => { cert: string; key: string };
let connect: (user: string) => Promise<CotClient>;

/** Polls until fn gives a truthy value (the ingest path commits asynchronously). */
async function eventually<T>(fn: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const trackIds = async (c: Client) =>
  (await c.get('/api/v1/tracks')).json<{ features: TrackFeature[] }>().features.map((f) => f.id);
let seq = 0;
const uid = (what: string) => `ANDROID-${what}-${process.pid}-${++seq}`;

beforeAll(async () => {
  s = await startTestServer({ hub: { ...DEFAULT_HUB_OPTIONS, heartbeatMs: 300 } });
  const started = await startTestTak(s, { tcpPort: 0, tcpUser: 'usa.planner', udpPort: 0 });
  ({ tak, caPem, bundle, connect } = started);
  stopTak = started.stop;
  [usa, gbr] = await Promise.all([Client.login(s.app, 'usa.planner'), Client.login(s.app, 'gbr.planner')]);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await stopTak?.();
  await s?.close();
});

describe('TAK over TLS with client certificates', () => {
  it('takes an ATAK SA from usa.monitor and shows the track to whom it is released, and to no one else', async () => {
    const monitor = await connect('usa.monitor');
    const id = uid('sa');
    monitor.send(saEvent({ uid: id, callsign: 'MONITOR-1' }));
    await eventually(async () => (await trackIds(usa)).includes(id));
    expect(await trackIds(gbr)).not.toContain(id);
    const t = (await usa.get(`/api/v1/tracks/${id}`)).json<TrackFeature>();
    expect(t.properties).toMatchObject({
      callsign: 'MONITOR-1',
      kind: 'team',
      affiliation: 'friend',
      sidc: 'SFGPUC---------',
      source: 'tak',
      organisation: 'USA-CMCC',
      course: 271.3,
      speed: 1.25,
    });
    // Another USA TAK client receives the track as CoT, with its marking in the remarks.
    const planner = await connect('usa.planner');
    const cot = await planner.waitFor((x) => x.includes(`uid="${id}"`));
    expect(cot).toContain('type="a-f-G-U-C"');
    expect(cot).toMatch(/<remarks>UNCLASSIFIED\/\/REL TO USA/);
  });

  it('sends each user the zones released to them as u-d-f, and SECRET NAI 3 only to the cleared', async () => {
    const monitor = await connect('usa.monitor');
    const planner = await connect('usa.planner');
    await monitor.waitFor((x) => x.includes('type="u-d-f"'));
    await planner.waitFor((x) => x.includes('callsign="NAI 3 (synthetic)"'));
    await sleep(300);
    expect(monitor.events.some((x) => x.includes('NAI 3'))).toBe(false);
    const zones = (await usa.get('/api/v1/zones')).json<{ features: ZoneFeature[] }>().features;
    const naiId = zones.find((z) => z.properties.name.startsWith('NAI 3'))!.id;
    expect(planner.events.find((x) => x.includes('NAI 3'))).toContain(`uid="concord.zone.${naiId}`);
    expect(monitor.events.some((x) => x.includes(`concord.zone.${naiId}`))).toBe(false);
  });

  it('answers a ping with t-x-c-t-r and never makes a track of it', async () => {
    const c = await connect('usa.monitor');
    const id = uid('ping');
    c.send(pingEvent(id));
    await c.waitFor((x) => x.includes('type="t-x-c-t-r"'));
    expect(await trackIds(usa)).not.toContain(id);
  });

  it('sends t-x-d-d when a zone is deleted', async () => {
    const c = await connect('usa.monitor');
    const name = `TAK delete ${process.pid}-${++seq}`;
    const r = await usa.post('/api/v1/zones', squareZone(name, ALL, 34.41, 31.41));
    expect(r.statusCode, r.body).toBe(201);
    const z = r.json<ZoneFeature>();
    await c.waitFor((x) => x.includes(`callsign="${name}"`));
    expect((await usa.del(`/api/v1/zones/${z.id}`)).statusCode).toBe(204);
    const del = await c.waitFor(
      (x) => x.includes('type="t-x-d-d"') && x.includes(`uid="concord.zone.${z.id}"`),
    );
    expect(del).toContain('relation="none"');
  });

  it('refuses a client without a certificate, with one from another CA, and a disabled user', async () => {
    const before = { ...tak.stats().tls.rejected };
    const refused = async (opts: { cert?: string; key?: string }) => {
      let c: CotClient;
      try {
        c = await CotClient.tls(tak.ports.tls!, { ...opts, ca: caPem });
      } catch {
        return true; // refused during the handshake
      }
      clients.push(c);
      c.send(saEvent({ uid: uid('refused') }));
      await Promise.race([c.closedP, sleep(5000)]);
      return c.closed && c.events.length === 0;
    };
    expect(await refused({})).toBe(true);
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-other-ca-'));
    const other = issueClientBundle(otherDir, 'usa.monitor', 'x');
    expect(await refused({ cert: other.certPem, key: other.keyPem })).toBe(true);
    fs.rmSync(otherDir, { recursive: true, force: true });
    // can.viewer gets a valid certificate, then is disabled: the certificate no longer works.
    const ids = identitiesService(s.database.db, 12);
    const b = bundle('can.viewer');
    await ids.setDisabled('can.viewer', true);
    try {
      expect(await refused(b)).toBe(true);
    } finally {
      await ids.setDisabled('can.viewer', false);
    }
    const after = tak.stats().tls.rejected;
    const handshake = (x: typeof after) => (x['no-certificate'] ?? 0) + (x['tls-handshake'] ?? 0);
    expect(handshake(after)).toBeGreaterThanOrEqual(handshake(before) + 2);
    expect(after['disabled-user']).toBe((before['disabled-user'] ?? 0) + 1);
  });

  it('drops a connected client whose user is disabled, at the next revalidation', async () => {
    const c = await connect('liaison.isr');
    await c.waitFor((x) => x.includes('type="u-d-f"'));
    const ids = identitiesService(s.database.db, 12);
    await ids.setDisabled('liaison.isr', true);
    try {
      await Promise.race([c.closedP, sleep(5000)]);
      expect(c.closed).toBe(true);
    } finally {
      await ids.setDisabled('liaison.isr', false);
    }
  });

  it('takes SA over plain TCP and UDP as the configured user', async () => {
    const tcp = await CotClient.tcp(tak.ports.tcp!);
    clients.push(tcp);
    const viaTcp = uid('tcp');
    tcp.send(saEvent({ uid: viaTcp }));
    const viaUdp = uid('udp');
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((resolve) =>
      sock.send(saEvent({ uid: viaUdp }), tak.ports.udp!, '127.0.0.1', () => resolve()),
    );
    sock.close();
    await eventually(async () => {
      const ids = await trackIds(usa);
      return ids.includes(viaTcp) && ids.includes(viaUdp);
    });
    expect(tak.stats().udp.reportsAccepted).toBeGreaterThanOrEqual(1);
  });
});
