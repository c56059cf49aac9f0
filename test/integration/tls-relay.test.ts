import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CotRead, ReadStats } from '../../src/server/ingest/cot/cot-reader.js';
import { DEFAULT_FRAMING } from '../../src/server/ingest/cot/framing.js';
import { ensureTakPki, issueClientBundle } from '../../src/server/ingest/cot/index.js';
import type { RelayedSocket } from '../../src/server/ingest/cot/relayed-socket.js';
import { startTlsRelay, type TlsRelay } from '../../src/server/ingest/cot/tls-relay.js';
import type { HandshakeRefusal } from '../../src/server/ingest/cot/tls-relay-protocol.js';
import { pingEvent, saEvent } from '../support/cot.js';

const MB = 1024 * 1024;
const uidOf = (i: number) => `RELAY-${String(i).padStart(6, '0')}`;

describe('the TLS relay (TAK TLS and CoT reading in a worker thread)', () => {
  let dir: string;
  let relay: TlsRelay;
  let caPem: string;
  const opened: { socket: RelayedSocket; cn: string | null }[] = [];
  const refused: HandshakeRefusal[] = [];
  const counted: ReadStats[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-relay-test-'));
    const pki = ensureTakPki(dir);
    caPem = pki.caPem;
    relay = await startTlsRelay(
      {
        host: '127.0.0.1',
        port: 0,
        keyPem: pki.serverKeyPem,
        certPem: pki.serverCertPem,
        caPem: pki.caPem,
        handshakeTimeoutMs: 5000,
        limits: DEFAULT_FRAMING,
        maxBadEvents: 3,
      },
      {
        open: (socket, cn) => opened.push({ socket, cn }),
        refused: (r) => refused.push(r),
        counted: (s) => counted.push(s),
      },
      pino({ level: 'silent' }),
    );
  });
  afterAll(async () => {
    await relay?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const connect = (opts: tls.ConnectionOptions) =>
    new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({
        host: '127.0.0.1',
        port: relay.port,
        servername: 'localhost',
        ca: caPem,
        ...opts,
      });
      s.once('secureConnect', () => resolve(s));
      s.once('error', reject);
    });
  const until = async (ok: () => boolean, ms = 10_000) => {
    const t0 = Date.now();
    while (!ok()) {
      if (Date.now() - t0 > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const newest = async (before: number) => {
    await until(() => opened.length > before);
    return opened.at(-1)!;
  };

  it('names the certificate’s CN and hands on the reports and pings of the CoT it read, in order', async () => {
    const { certPem, keyPem } = issueClientBundle(dir, 'usa.monitor', 'x');
    const client = await connect({ cert: certPem, key: keyPem });
    const { socket, cn } = await newest(0);
    expect(cn).toBe('usa.monitor');

    const n = 5000;
    let cot = '';
    for (let i = 0; i < n; i++) cot += saEvent({ uid: uidOf(i) }) + (i % 1000 === 0 ? pingEvent() : '');
    client.write(cot);
    const uids: string[] = [];
    let pings = 0;
    socket.on('read', (r: CotRead) => {
      for (const report of r.reports) uids.push(report.uid);
      pings += r.pings;
    });
    socket.resume();
    await until(() => uids.length >= n);
    expect(uids).toEqual(Array.from({ length: n }, (_, i) => uidOf(i)));
    expect(pings).toBe(5);
    await until(() => counted.reduce((a, s) => a + s.eventsIn, 0) >= n + 5);
    expect(counted.reduce((a, s) => a + s.pings, 0)).toBe(5);

    // And back: what the main thread writes reaches the client, in order.
    const back: Buffer[] = [];
    client.on('data', (c: Buffer) => back.push(c));
    socket.write(Buffer.from('<event uid="a"/>'));
    socket.write('<event uid="b"/>');
    await until(() => Buffer.concat(back).length >= 32);
    expect(Buffer.concat(back).toString()).toBe('<event uid="a"/><event uid="b"/>');
    await until(() => socket.writableLength === 0);

    const closed = new Promise((r) => client.once('close', r));
    socket.end();
    await closed;
  });

  it('says when a connection must end (a DOCTYPE), after the reports before it', async () => {
    const { certPem, keyPem } = issueClientBundle(dir, 'usa.monitor', 'x');
    const client = await connect({ cert: certPem, key: keyPem });
    const { socket } = await newest(opened.length);
    const reads: CotRead[] = [];
    socket.on('read', (r: CotRead) => reads.push(r));
    socket.resume();
    client.write(
      `${saEvent({ uid: uidOf(1) })}<!DOCTYPE x [<!ENTITY a "b">]><event/>${saEvent({ uid: uidOf(2) })}`,
    );
    await until(() => reads.some((r) => r.fatal));
    expect(reads.flatMap((r) => r.reports.map((x) => x.uid))).toEqual([uidOf(1)]);
    expect(reads.find((r) => r.fatal)?.fatal?.reason).toBe('doctype');
    client.destroy();
  });

  it('stops reading a client while the main thread is too busy to take what it read', async () => {
    const { certPem, keyPem } = issueClientBundle(dir, 'usa.planner', 'x');
    // The client in a process of its own, since this thread will be held up: it writes 32 MB of
    // CoT at once and, 4 s later (time enough to read it all), says how much the server has not read.
    const event = saEvent({ uid: uidOf(7) });
    const client = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('node:tls').connect({ host: '127.0.0.1', port: ${relay.port}, servername: 'localhost',
           ca: process.env.CA, cert: process.env.CERT, key: process.env.KEY }, () => {
           const mb = Buffer.from(process.env.EVENT.repeat(Math.floor(${MB} / process.env.EVENT.length)));
           for (let i = 0; i < 32; i++) s.write(mb);
           setTimeout(() => { console.log(s.writableLength); s.destroy(); }, 4000);
         });`,
      ],
      {
        env: { ...process.env, CA: caPem, CERT: certPem, KEY: keyPem, EVENT: event },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    client.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise((r) => client.once('exit', r));
    const { socket } = await newest(opened.length);
    let got = 0;
    socket.on('read', (r: CotRead) => {
      got += r.reports.length;
    });
    socket.resume();
    await until(() => got > 0);
    // This thread sleeps: the worker reads on only until 256 KB of what it read waits here.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
    await exited;
    expect(Number(out.trim())).toBeGreaterThan(16 * MB);
  });

  it('counts a client without a certificate as refused, and opens nothing for it', async () => {
    const before = opened.length;
    await connect({}).then(
      (s) => new Promise((r) => s.once('close', r)),
      () => undefined,
    );
    await until(() => refused.length > 0);
    expect(refused[0]).toMatch(/no-certificate|tls-handshake/);
    expect(opened.length).toBe(before);
  });

  it('replaces a worker that ended unexpectedly on the same port, and its clients can reconnect', async () => {
    const { certPem, keyPem } = issueClientBundle(dir, 'usa.monitor', 'x');
    const client = await connect({ cert: certPem, key: keyPem });
    client.on('error', () => undefined);
    const { socket } = await newest(opened.length);
    const cut = Promise.all([
      new Promise((r) => socket.once('close', r)),
      new Promise((r) => client.once('close', r)),
    ]);
    const first = relay.worker;
    await first.terminate();
    await cut;
    await until(() => relay.worker !== first);
    const before = opened.length;
    let again: tls.TLSSocket | undefined;
    // Refused until the new worker listens: it starts a second after, and booting takes a while on a busy machine.
    for (const deadline = Date.now() + 20_000; !again && Date.now() < deadline; )
      again = await connect({ cert: certPem, key: keyPem }).catch(
        () => new Promise<undefined>((r) => setTimeout(() => r(undefined), 100)),
      );
    if (!again) throw new Error('could not reconnect');
    const { socket: back, cn } = await newest(before);
    expect(opened.length).toBe(before + 1);
    expect(cn).toBe('usa.monitor');
    const uids: string[] = [];
    back.on('read', (r: CotRead) => uids.push(...r.reports.map((x) => x.uid)));
    back.resume();
    again.write(saEvent({ uid: uidOf(42) }));
    await until(() => uids.length > 0);
    expect(uids).toEqual([uidOf(42)]);
    again.destroy();
  }, 45_000);

  it('closes its clients when it stops', async () => {
    const { certPem, keyPem } = issueClientBundle(dir, 'usa.planner', 'x');
    const client = await connect({ cert: certPem, key: keyPem });
    const { socket } = await newest(opened.length);
    const closedOnServer = new Promise((r) => socket.once('close', r));
    const closedOnClient = new Promise((r) => client.once('close', r));
    client.on('error', () => undefined);
    await relay.stop();
    await closedOnServer;
    await closedOnClient;
  });
});
