/**
 * The load generator of `npm run bench -- cot`, run as its own process so that its TLS work does
 * not share the server's event loop: N TAK clients over real TLS with client certificates, each
 * sending ATAK-style SA events for a few tracks, either at a set total rate or as fast as the
 * server reads them. Prints one JSON line: {"sent":…,"seconds":…,"cpuSeconds":…}.
 */
import fs from 'node:fs';
import tls from 'node:tls';
import { isoUtc } from '../../src/domain/iso-time.js';

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
/** Positions each track walks through, rendered once: formatting numbers is not what is measured. */
const WALK = 64;
/** Events per write when sending as fast as the server reads: few, large TLS records. */
const PER_WRITE = 50;

/** One simulated track: its event rendered up to the parts that change (times, position). */
interface TrackSim {
  head: string;
  tail: string;
  positions: string[];
  next: number;
  last: number;
}

function trackSim(uid: string): TrackSim {
  let lat = 31.3 + Math.random() * 0.2;
  let lon = 34.3 + Math.random() * 0.15;
  const positions = Array.from({ length: WALK }, () => {
    lat = Math.min(31.55, Math.max(31.25, lat + (Math.random() - 0.5) * 1e-4));
    lon = Math.min(34.5, Math.max(34.25, lon + (Math.random() - 0.5) * 1e-4));
    return `lat="${lat.toFixed(6)}" lon="${lon.toFixed(6)}"`;
  });
  return {
    head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><event version="2.0" uid="${uid}" type="a-f-G-U-C" time="`,
    tail:
      ` hae="12.0" ce="5.0" le="9999999.0"/><detail>` +
      `<takv os="34" version="5.2.0" device="BENCH" platform="ATAK-CIV"/><contact endpoint="*:-1:stcp" callsign="${uid}"/>` +
      `<__group role="Team Member" name="Cyan"/><status battery="80"/><track course="90.0" speed="1.5"/></detail></event>`,
    positions,
    next: 0,
    last: 0,
  };
}

function event(t: TrackSim, clock: number): string {
  // Each report of a track needs its own observation time; ms resolution is enough at these rates.
  const now = Math.max(clock, t.last + 1);
  t.last = now;
  const time = isoUtc(now);
  const pos = t.positions[t.next++ % WALK]!;
  return `${t.head}${time}" start="${time}" stale="${isoUtc(now + 120_000)}" how="h-e"><point ${pos}${t.tail}`;
}

/** `n` events of a client's tracks, round robin, as one string: one write, one TLS record or few. */
function events(sims: TrackSim[], from: number, n: number): string {
  const clock = Date.now();
  let out = '';
  for (let j = 0; j < n; j++) out += event(sims[(from + j) % sims.length]!, clock);
  return out;
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
    Array.from({ length: args.tracksPerClient }, (_, k) => trackSim(`BENCH-${args.runId}-${i}-${k}`)),
  );
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + args.seconds * 1000;
  if (args.rate > 0) {
    // Paced: every 20 ms each client sends what it owes by the clock, so that late timer ticks on a
    // busy machine do not lower the rate (fewer, larger TLS records than one per event: what a
    // busy TAK client's stream looks like).
    const perClient = args.rate / sockets.length;
    const sentBy = sockets.map(() => 0);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        if (now >= end) {
          clearInterval(timer);
          resolve();
          return;
        }
        const due = Math.floor((perClient * (now - t0)) / 1000);
        sockets.forEach((s, i) => {
          const n = due - sentBy[i]!;
          if (n <= 0) return;
          s.write(events(sims[i]!, sentBy[i]!, n));
          sentBy[i]! += n;
          sent += n;
        });
      }, 20);
    });
  } else {
    // As fast as the server reads: a large write, then the next once the socket has taken it.
    await Promise.all(
      sockets.map(async (s, i) => {
        const sim = sims[i]!;
        let k = 0;
        while (performance.now() < end) {
          const ok = s.write(events(sim, k, PER_WRITE));
          k += PER_WRITE;
          sent += PER_WRITE;
          await new Promise<void>((r) => (ok ? setImmediate(r) : s.once('drain', r)));
        }
      }),
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const s of sockets) s.end();
  process.stdout.write(`${JSON.stringify({ sent, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
}

main().then(
  () => setTimeout(() => process.exit(0), 500),
  (e: unknown) => {
    process.stderr.write(`cot-load failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
