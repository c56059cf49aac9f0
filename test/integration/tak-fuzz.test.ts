import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TrackFeature } from '../../src/domain/tracks.js';
import { issueClientBundle, type TakServers } from '../../src/server/ingest/cot/index.js';
import type { TakStats } from '../../src/server/ingest/cot/tak-stats.js';
import { CotClient, markerEvent, saEvent, startTestTak } from '../support/cot.js';
import { sleep } from '../support/live-client.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

/**
 * Hostile and malformed CoT over real connections: each sample gets its own connection, which
 * must either keep serving or end cleanly; the server must keep serving everyone else.
 */

let s: TestServer;
let tak: TakServers;
let pkiDir: string;
let caPem: string;
let cert: { cert: string; key: string };
let stopTak: (() => Promise<void>) | undefined;
let usa: Client;

beforeAll(async () => {
  s = await startTestServer();
  const started = await startTestTak(s, {
    tcpPort: 0,
    tcpUser: 'usa.monitor',
    layers: ['tracks'],
    limits: { maxEventBytes: 16 * 1024, maxBufferBytes: 64 * 1024 },
  });
  ({ tak, pkiDir, caPem } = started);
  stopTak = started.stop;
  const b = issueClientBundle(pkiDir, 'usa.monitor', 'atakatak');
  cert = { cert: b.certPem, key: b.keyPem };
  usa = await Client.login(s.app, 'usa.planner');
});

afterAll(async () => {
  await stopTak?.();
  await s?.close();
});

const rejectedTotal = (x: TakStats) => Object.values(x.rejected).reduce((a, b) => a + (b ?? 0), 0);

const T = new Date().toISOString();
const hostile = [
  `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><event uid="a" type="a-f-G" time="${T}" stale="${T}"><point lat="1" lon="1"/><detail><remarks>&lol1;</remarks></detail></event>`,
  `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><event uid="a" type="a-f-G" time="${T}" stale="${T}"><point lat="1" lon="1"/><detail><remarks>&xxe;</remarks></detail></event>`,
  `<event uid="a" type="a-f-G" time="${T}" stale="${T}"><point lat="1" lon="1"/><detail><remarks>&undefined;</remarks></detail></event>`,
  `<?evil code?><event uid="a" type="a-f-G" time="${T}" stale="${T}"><point lat="1" lon="1"/></event>`,
  `<event uid="a">${'<a>'.repeat(50)}${'</a>'.repeat(50)}</event>`,
];

/** Bytes that are mostly CoT-shaped: real events cut, spliced, repeated and sprinkled with junk. */
const cotish = fc
  .tuple(
    fc.constantFrom(saEvent(), markerEvent(), ...hostile),
    fc.nat(2000),
    fc.nat(2000),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('', '</event>', '<event', '<?xml', '&', '<![CDATA[', ']]>', '\u0000', '\uffff'),
  )
  .map(([ev, a, b, junk, tok]) => {
    const i = Math.min(a, ev.length);
    return Buffer.from(`${ev.slice(0, i)}${junk}${tok}${ev.slice(Math.min(i + (b % 50), ev.length))}`);
  });
const oversize = fc.integer({ min: 16 * 1024 + 1, max: 300 * 1024 }).map((n) => Buffer.alloc(n, 0x3c));
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }).map((u) => Buffer.from(u)),
  cotish,
  oversize,
);

/** Sends the bytes on a fresh connection and waits until the server closed it or a moment passed. */
async function throwAt(client: CotClient, payload: Buffer): Promise<void> {
  client.send(payload);
  await Promise.race([client.closedP, sleep(150)]);
  await client.close();
}

it('survives random, malformed, oversize and hostile bytes over TCP and TLS, and keeps serving', async () => {
  const tcpBefore = rejectedTotal(tak.stats().tcp);
  await fc.assert(
    fc.asyncProperty(bytes, async (payload) => {
      const c = await CotClient.tcp(tak.ports.tcp!);
      await throwAt(c, payload);
    }),
    { numRuns: 60 },
  );
  // Hostile documents over TLS close the connection and are counted by reason.
  const tlsBefore = { ...tak.stats().tls.rejected };
  for (const h of hostile) {
    const c = await CotClient.tls(tak.ports.tls!, { ...cert, ca: caPem });
    c.send(h);
    await Promise.race([c.closedP, sleep(5000)]);
    expect(c.closed, h.slice(0, 60)).toBe(true);
  }
  const tlsAfter = tak.stats().tls.rejected;
  expect((tlsAfter.doctype ?? 0) - (tlsBefore.doctype ?? 0)).toBe(2);
  expect((tlsAfter.entity ?? 0) - (tlsBefore.entity ?? 0)).toBe(1);
  expect((tlsAfter['processing-instruction'] ?? 0) - (tlsBefore['processing-instruction'] ?? 0)).toBe(1);
  expect((tlsAfter['too-deep'] ?? 0) - (tlsBefore['too-deep'] ?? 0)).toBe(1);
  expect(rejectedTotal(tak.stats().tcp)).toBeGreaterThan(tcpBefore);

  // An oversize event ends that connection cleanly and is counted.
  const big = await CotClient.tcp(tak.ports.tcp!);
  const overBefore = tak.stats().tcp.rejected['event-too-large'] ?? 0;
  big.send(`<event uid="x">${'a'.repeat(40 * 1024)}`);
  await Promise.race([big.closedP, sleep(5000)]);
  expect(big.closed).toBe(true);
  expect(tak.stats().tcp.rejected['event-too-large']).toBeGreaterThan(overBefore);

  // After all that, a good client's event still gets through.
  const good = await CotClient.tls(tak.ports.tls!, { ...cert, ca: caPem });
  const uid = `ANDROID-after-fuzz-${process.pid}`;
  good.send(saEvent({ uid }));
  const deadline = Date.now() + 10_000;
  let ids: string[] = [];
  while (Date.now() < deadline) {
    ids = (await usa.get('/api/v1/tracks')).json<{ features: TrackFeature[] }>().features.map((f) => f.id);
    if (ids.includes(uid)) break;
    await sleep(100);
  }
  expect(ids).toContain(uid);
  await good.close();
  // No connection is left behind on the server once the clients went.
  const open = () => tak.stats().tcp.open + tak.stats().tls.open;
  for (let i = 0; i < 50 && open() > 0; i++) await sleep(100);
  expect(open()).toBe(0);
}, 120_000);
