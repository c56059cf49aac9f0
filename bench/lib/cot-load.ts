/**
 * The load generator of `npm run bench -- cot`, run as its own process so that its TLS work does
 * not share the server's event loop: N TAK clients over real TLS with client certificates, each
 * sending ATAK-style SA events for a few tracks, either at a set total rate or as fast as the
 * server reads them. Prints one JSON line: {"sent":…,"seconds":…}.
 */
import fs from 'node:fs';
import tls from 'node:tls';

interface LoadArgs {
  port: number;
  caFile: string;
  certs: { cert: string; key: string }[];
  clients: number;
  tracksPerClient: number;
  /** Events per second in total; 0 = as fast as the connections take them. */
  rate: number;
  seconds: number;
  runId: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as LoadArgs;
const ca = fs.readFileSync(args.caFile, 'utf8');
const iso = (ms: number) => new Date(ms).toISOString();

interface TrackSim {
  uid: string;
  lat: number;
  lon: number;
  last: number;
}

function event(t: TrackSim): string {
  // Each report of a track needs its own observation time; ms resolution is enough at these rates.
  const now = Math.max(Date.now(), t.last + 1);
  t.last = now;
  t.lat = Math.min(31.55, Math.max(31.25, t.lat + (Math.random() - 0.5) * 1e-4));
  t.lon = Math.min(34.5, Math.max(34.25, t.lon + (Math.random() - 0.5) * 1e-4));
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><event version="2.0" uid="${t.uid}" type="a-f-G-U-C" time="${iso(now)}" start="${iso(now)}" stale="${iso(now + 120_000)}" how="h-e">` +
    `<point lat="${t.lat.toFixed(6)}" lon="${t.lon.toFixed(6)}" hae="12.0" ce="5.0" le="9999999.0"/><detail>` +
    `<takv os="34" version="5.2.0" device="BENCH" platform="ATAK-CIV"/><contact endpoint="*:-1:stcp" callsign="${t.uid}"/>` +
    `<__group role="Team Member" name="Cyan"/><status battery="80"/><track course="90.0" speed="1.5"/></detail></event>`
  );
}

async function connect(i: number): Promise<tls.TLSSocket> {
  const c = args.certs[i % args.certs.length]!;
  const socket = tls.connect({ host: '127.0.0.1', port: args.port, servername: 'localhost', ca, ...c });
  socket.on('data', () => undefined); // outbound CoT: read and dropped
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', reject);
  });
  socket.setNoDelay(true);
  return socket;
}

async function main(): Promise<void> {
  const sockets: tls.TLSSocket[] = [];
  for (let i = 0; i < args.clients; i += 20)
    sockets.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(20, args.clients - i) }, (_, k) => connect(i + k)),
      )),
    );
  const sims = sockets.map((_, i) =>
    Array.from({ length: args.tracksPerClient }, (_, k) => ({
      uid: `BENCH-${args.runId}-${i}-${k}`,
      lat: 31.3 + Math.random() * 0.2,
      lon: 34.3 + Math.random() * 0.15,
      last: 0,
    })),
  );
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  let sent = 0;
  const t0 = performance.now();
  const end = t0 + args.seconds * 1000;
  if (args.rate > 0) {
    // Paced: every 20 ms each client sends its share of the rate, carrying fractions over
    // (fewer, larger TLS records than one per event: what a busy TAK client's stream looks like).
    const perTickPerClient = args.rate / 50 / sockets.length;
    const owed = sockets.map(() => 0);
    const next = sockets.map(() => 0);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (performance.now() >= end) {
          clearInterval(timer);
          resolve();
          return;
        }
        sockets.forEach((s, i) => {
          owed[i]! += perTickPerClient;
          let out = '';
          while (owed[i]! >= 1) {
            owed[i]! -= 1;
            const sim = sims[i]!;
            out += event(sim[next[i]!++ % sim.length]!);
            sent++;
          }
          if (out) s.write(out);
        });
      }, 20);
    });
  } else {
    // As fast as the server reads: write while the socket takes it, then wait for 'drain'.
    await Promise.all(
      sockets.map(async (s, i) => {
        const sim = sims[i]!;
        let k = 0;
        while (performance.now() < end) {
          let chunk = '';
          for (let j = 0; j < 20; j++) chunk += event(sim[k++ % sim.length]!);
          sent += 20;
          if (!s.write(chunk)) await new Promise<void>((r) => s.once('drain', () => r()));
          else await new Promise<void>((r) => setImmediate(r));
        }
      }),
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  for (const s of sockets) s.end();
  process.stdout.write(`${JSON.stringify({ sent, seconds })}\n`);
}

main().then(
  () => setTimeout(() => process.exit(0), 500),
  (e: unknown) => {
    process.stderr.write(`cot-load failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
