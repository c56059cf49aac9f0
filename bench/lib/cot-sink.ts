/**
 * A TLS listener that only counts the bytes TAK clients send: what the CoT load generator can
 * offer when nothing downstream slows it (`npm run bench -- cot --load-alone`).
 */
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { ensureTakPki, issueClientBundle } from '../../src/server/ingest/cot/index.js';

export interface CotSink {
  port: number;
  caFile: string;
  certs: { cert: string; key: string }[];
  bytes(): number;
  stop(): Promise<void>;
}

export async function startCotSink(dir: string): Promise<CotSink> {
  const pki = ensureTakPki(dir, []);
  const b = issueClientBundle(dir, 'bench', 'bench');
  let bytes = 0;
  const server = tls.createServer(
    {
      key: pki.serverKeyPem,
      cert: pki.serverCertPem,
      ca: [pki.caPem],
      requestCert: true,
      rejectUnauthorized: true,
    },
    (s) => {
      s.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      s.on('error', () => undefined);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  return {
    port: typeof a === 'object' && a ? a.port : 0,
    caFile: path.join(dir, 'ca.pem'),
    certs: [{ cert: b.certPem, key: b.keyPem }],
    bytes: () => bytes,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(dir, { recursive: true, force: true });
      }),
  };
}
