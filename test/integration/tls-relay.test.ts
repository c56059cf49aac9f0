import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTakPki, issueClientBundle } from '../../src/server/ingest/cot/index.js';
import { type RelayedSocket, startTlsRelay, type TlsRelay } from '../../src/server/ingest/cot/tls-relay.js';
import type { HandshakeRefusal } from '../../src/server/ingest/cot/tls-relay-protocol.js';

const MB = 1024 * 1024;

/** Bytes whose every 4-byte word is its own index: any loss, repeat or reordering shows. */
function counting(fromWord: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes / 4; i++) b.writeUInt32LE(fromWord + i, i * 4);
  return b;
}

describe('the TLS relay (TAK TLS in a worker thread)', () => {
  let dir: string;
  let relay: TlsRelay;
  let caPem: string;
  const opened: { socket: RelayedSocket; cn: string | null }[] = [];
  const refused: HandshakeRefusal[] = [];

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
      },
      { open: (socket, cn) => opened.push({ socket, cn }), refused: (r) => refused.push(r) },
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

  it('names the certificate’s CN, stops reading a client whose reads wait, then passes every byte in order', async () => {
    const { certPem, keyPem } = issueClientBundle(dir, 'usa.monitor', 'x');
    const client = await connect({ cert: certPem, key: keyPem });
    await until(() => opened.length === 1);
    const { socket, cn } = opened[0]!;
    expect(cn).toBe('usa.monitor');

    const total = 32 * MB;
    for (let at = 0; at < total; at += MB) client.write(counting(at / 4, MB));
    // Paused (a new connection is, until its stream resumes it): the worker reads a little ahead,
    // and the rest stays with the client, as TCP keeps it when nobody reads.
    await new Promise((r) => setTimeout(r, 1500));
    expect(client.writableLength).toBeGreaterThan(16 * MB);

    const chunks: Buffer[] = [];
    let got = 0;
    socket.on('data', (c: Buffer) => {
      chunks.push(Buffer.from(c));
      got += c.length;
    });
    socket.resume();
    await until(() => got >= total, 60_000);
    const all = Buffer.concat(chunks);
    expect(all.length).toBe(total);
    expect(all.equals(counting(0, total))).toBe(true);

    // And back: what the main thread writes reaches the client, in order.
    const back: Buffer[] = [];
    client.on('data', (c: Buffer) => back.push(c));
    const shared = Buffer.from('<event uid="a"/>');
    socket.write(shared);
    socket.write('<event uid="b"/>');
    await until(() => Buffer.concat(back).length >= 32);
    expect(Buffer.concat(back).toString()).toBe('<event uid="a"/><event uid="b"/>');
    await until(() => socket.writableLength === 0);

    const closed = new Promise((r) => client.once('close', r));
    socket.end();
    await closed;
  });

  it('stops reading a client while the main thread is too busy to consume what it sent', async () => {
    const { certPem, keyPem } = issueClientBundle(dir, 'usa.planner', 'x');
    // The client in a process of its own, since this thread will be held up: it writes 32 MB at
    // once and, 1.5 s later, says how much of it the server has not read.
    const client = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('node:tls').connect({ host: '127.0.0.1', port: ${relay.port}, servername: 'localhost',
           ca: process.env.CA, cert: process.env.CERT, key: process.env.KEY }, () => {
           for (let i = 0; i < 32; i++) s.write(Buffer.alloc(${MB}, i));
           setTimeout(() => { console.log(s.writableLength); s.destroy(); }, 1500);
         });`,
      ],
      {
        env: { ...process.env, CA: caPem, CERT: certPem, KEY: keyPem },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    client.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise((r) => client.once('exit', r));
    const before = opened.length;
    await until(() => opened.length > before);
    const { socket } = opened.at(-1)!;
    let got = 0;
    socket.on('data', (c: Buffer) => {
      got += c.length;
    });
    socket.resume();
    await until(() => got > 0);
    // This thread sleeps: the worker goes on reading only until 256 KB wait here unconsumed.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);
    await exited;
    expect(Number(out.trim())).toBeGreaterThan(16 * MB);
    expect(got).toBeLessThan(16 * MB);
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

  it('closes its clients when it stops', async () => {
    const { certPem, keyPem } = issueClientBundle(dir, 'usa.planner', 'x');
    const client = await connect({ cert: certPem, key: keyPem });
    await until(() => opened.length === 3);
    const closedOnServer = new Promise((r) => opened.at(-1)!.socket.once('close', r));
    const closedOnClient = new Promise((r) => client.once('close', r));
    client.on('error', () => undefined);
    await relay.stop();
    await closedOnServer;
    await closedOnClient;
  });
});
