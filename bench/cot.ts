/**
 * `npm run bench -- cot`: CoT over TLS from simulated TAK clients into a real Concord.
 *
 * A real Concord (embedded PostgreSQL in a temporary folder, loopback only, no simulator) with its
 * TAK TLS listener; a separate load process opens 200 TLS connections with client certificates
 * issued by Concord's CA (round robin over the demo's USA users) and sends ATAK-style SA events
 * for 5 tracks each. Measured:
 *  - p50/p99LatencyMs at a paced 10,000 events/s: from the client's send (the event's `time`)
 *    to the track's update arriving at a WebSocket /api/v1/live subscriber (usa.planner) that
 *    subscribes as the web client does, with moves (--whole: every update a whole feature);
 *  - eventsPerSec: reports stored per second while the clients send as fast as the server reads
 *    (counted when tracks.report commits, until the backlog has drained);
 *  - parseEventsPerSec: strict parsing + mapping alone on one core, to see what dominates.
 *
 * Options: --clients N (200) --tracks N (5 per client) --rate N (10000) --latency-seconds S (10)
 *          --max-seconds S (15) --profile (server CPU profile of the throughput phase)
 *          --profile-latency (server CPU profile of the paced phase)
 *          --heap-latency (what the server allocates in the paced phase, by function: V8's sampling heap profiler)
 *          --load-alone (first, the load generator against a TLS sink that only counts bytes)
 *          --whole (the live subscriber takes every update whole, not as moves)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/server/config.js';
import { classify } from '../src/server/ingest/cot/cot-to-report.js';
import { issueClientBundle } from '../src/server/ingest/cot/index.js';
import { parseCotEvent } from '../src/server/ingest/cot/parse.js';
import { startConcord } from '../src/server/main.js';
import { BENCH_PASSWORD, makeTempDir, rssSampler } from './lib/concord.js';
import { startCotSink } from './lib/cot-sink.js';
import { describeStalls, watchLoop } from './lib/loop-stalls.js';
import {
  startHeapSampling,
  startNodeProfile,
  stopHeapSampling,
  stopNodeProfile,
} from './lib/node-profile.js';
import { type BenchReport, numberOption, parseArgs, quantile, r1, verdict } from './lib/report.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const USERS = ['usa.monitor', 'usa.planner', 'admin'];
const TARGET = { eventsPerSec: 50_000, p99LatencyMs: 50 };

interface LoadResult {
  sent: number;
  seconds: number;
  /** CPU the load process spent sending (user + system), to show it is not the bottleneck. */
  cpuSeconds: number;
}

/** Runs the load process; resolves when it is connected (ready) and when it is done. */
function runLoad(args: object): { ready: Promise<void>; done: Promise<LoadResult> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(HERE, 'lib/cot-load.ts'), JSON.stringify(args)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let ready!: () => void;
  const readyP = new Promise<void>((r) => {
    ready = r;
  });
  const done = new Promise<LoadResult>((resolve, reject) => {
    let result: LoadResult | null = null;
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = JSON.parse(line) as { ready?: boolean } & LoadResult;
      if (m.ready) ready();
      else result = m;
    });
    child.on('exit', (code) =>
      code === 0 && result ? resolve(result) : reject(new Error(`load process exit ${code}`)),
    );
  });
  return { ready: readyP, done };
}

/**
 * Events per second parsed and mapped on one core, by wall clock and by CPU time: the best of five
 * rounds, since on a shared machine a round can lose its core to someone else.
 */
function parseRate(): { wall: number; cpu: number } {
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><event version="2.0" uid="BENCH-1" type="a-f-G-U-C" time="${new Date().toISOString()}" start="${new Date().toISOString()}" stale="${new Date(Date.now() + 120_000).toISOString()}" how="h-e"><point lat="31.4" lon="34.4" hae="12.0" ce="5.0" le="9999999.0"/><detail><takv os="34" version="5.2.0" device="BENCH" platform="ATAK-CIV"/><contact endpoint="*:-1:stcp" callsign="BENCH-1"/><__group role="Team Member" name="Cyan"/><status battery="80"/><track course="90.0" speed="1.5"/></detail></event>`;
  // Warm up first: what is measured is the optimised code, as on a server that has been running.
  for (let i = 0; i < 20_000; i++) classify(parseCotEvent(xml), Date.now());
  const n = 50_000;
  let wall = 0;
  let cpu = 0;
  for (let round = 0; round < 5; round++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) classify(parseCotEvent(xml), Date.now());
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    wall = Math.max(wall, n / seconds);
    cpu = Math.max(cpu, n / ((used.user + used.system) / 1e6));
  }
  return { wall, cpu };
}

/**
 * The live subscriber (bench/lib/cot-observer.ts) in a process of its own: in this one, its
 * parsing of every frame would share the server's event loop and count as the server's CPU.
 */
async function liveObserver(url: string, user: string, moves: boolean) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(HERE, 'lib/cot-observer.ts'),
      JSON.stringify({ url, user, password: BENCH_PASSWORD, moves }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const waiting: ((m: { ready?: boolean; latencies?: number[] }) => void)[] = [];
  readline
    .createInterface({ input: child.stdout! })
    .on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const next = () => new Promise<{ ready?: boolean; latencies?: number[] }>((r) => waiting.push(r));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`live observer exited (${code})`))),
  );
  exited.catch(() => undefined);
  await Promise.race([next(), exited]);
  const send = (m: object) => child.stdin!.write(`${JSON.stringify(m)}\n`);
  return {
    measure(prefix: string | null) {
      send({ prefix });
    },
    async take(): Promise<number[]> {
      const reply = next();
      send({ take: true });
      return (await Promise.race([reply, exited])).latencies ?? [];
    },
    close() {
      child.stdin!.end();
    },
  };
}

/** Waits until a counter has not moved for 3 s (at most 3 minutes): the last value and when it moved. */
async function settled(counter: () => number): Promise<{ last: number; at: number }> {
  let last = counter();
  let at = performance.now();
  for (let quiet = 0; quiet < 6 && performance.now() - at < 180_000; ) {
    await new Promise((r) => setTimeout(r, 500));
    const now = counter();
    if (now === last) quiet++;
    else {
      quiet = 0;
      last = now;
      at = performance.now();
    }
  }
  return { last, at };
}

export async function run(argv: string[]): Promise<BenchReport> {
  const opts = parseArgs(argv);
  const clients = numberOption(opts, 'clients', 200);
  const tracksPerClient = numberOption(opts, 'tracks', 5);
  const rate = numberOption(opts, 'rate', 10_000);
  const latencySeconds = numberOption(opts, 'latency-seconds', 10);
  const maxSeconds = numberOption(opts, 'max-seconds', 15);
  const say = (s: string) => process.stdout.write(`${s}\n`);

  // Before anything else runs in this process: a heap full of TLS sockets slows it down.
  const parseEventsPerSec = parseRate();
  if (opts.has('load-alone')) {
    const sink = await startCotSink(makeTempDir('concord-bench-cot-sink-'));
    const l = runLoad({ ...sink, clients, tracksPerClient, rate: 0, seconds: maxSeconds, runId: 'sink' });
    const alone = await l.done;
    await sink.stop();
    say(
      `  load generator alone (TLS sink): offered ${r1(alone.sent / alone.seconds)} events/s, ${r1((alone.cpuSeconds * 1e6) / alone.sent)} µs CPU per event`,
    );
  }
  const tmp = makeTempDir('concord-bench-cot-');
  const config = loadConfig({
    CONCORD_DATA_DIR: path.join(tmp, 'data'),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CONCORD_DEMO_PASSWORD: BENCH_PASSWORD,
    CONCORD_WEB_DIR: '/nonexistent',
    CONCORD_SIMULATOR: 'off',
    CONCORD_TAK_LAYERS: 'tracks',
  });
  say('Starting Concord (embedded PostgreSQL, TAK TLS on an ephemeral port) ...');
  const running = await startConcord(config, () => undefined);
  const rss = rssSampler();
  try {
    const tak = running.tak;
    if (!tak?.ports.tls) throw new Error('the TAK TLS listener did not start');
    const url = running.url.replace('//localhost:', '//127.0.0.1:');
    say(`Issuing client certificates for ${USERS.join(', ')} ...`);
    const certs = USERS.map((u) => {
      const b = issueClientBundle(config.tak.pkiDir, u, 'bench');
      return { cert: b.certPem, key: b.keyPem };
    });
    const caFile = path.join(config.tak.pkiDir, 'ca.pem');
    const moves = !opts.has('whole');
    const observer = await liveObserver(url, 'usa.planner', moves);
    const base = { port: tak.ports.tls, caFile, certs, clients, tracksPerClient };

    say(
      `Latency: ${clients} TLS clients, ${clients * tracksPerClient} tracks, ${rate} events/s for ${latencySeconds} s ...`,
    );
    // Connecting is 200 TLS handshakes with client certificates: what a reconnect storm costs the loop.
    const connecting = watchLoop();
    const tConnect = performance.now();
    const a = runLoad({ ...base, rate, seconds: latencySeconds, runId: 'lat' });
    await a.ready;
    const connectMs = performance.now() - tConnect;
    const connectStalls = connecting.stop();
    observer.measure('BENCH-lat-');
    const latencySession = opts.has('profile-latency') ? await startNodeProfile() : null;
    const heapSession = opts.has('heap-latency') ? await startHeapSampling() : null;
    const loop = watchLoop();
    const elu0 = performance.eventLoopUtilization();
    const paced = await a.done;
    const pacedBusy = performance.eventLoopUtilization(elu0).utilization;
    const pacedMemory = process.memoryUsage();
    const stalls = loop.stop();
    if (heapSession) {
      const file = path.join(os.tmpdir(), `concord-cot-latency-${Date.now()}.heapprofile`);
      say(await stopHeapSampling(heapSession, file, paced.seconds));
      say(`  (allocation profile saved to ${file})`);
    }
    if (latencySession) {
      const file = path.join(os.tmpdir(), `concord-cot-latency-${Date.now()}.cpuprofile`);
      say(await stopNodeProfile(latencySession, file));
      say(`  (profile saved to ${file})`);
    }
    // Every event sent counts, including those still queued when the clients stopped.
    await settled(() => tak.stats().tls.reportsAccepted);
    observer.measure(null);
    // The first second includes creating every track; the steady state is what the target means.
    const lat = await observer.take();
    const steady = lat.slice(Math.floor(lat.length / latencySeconds));
    const p50 = quantile(steady, 0.5);
    const p99 = quantile(steady, 0.99);

    say(`Throughput: the same clients sending as fast as the server reads, for ${maxSeconds} s ...`);
    const accepted = () => tak.stats().tls.reportsAccepted;
    const b = runLoad({ ...base, rate: 0, seconds: maxSeconds, runId: 'max' });
    await b.ready;
    const session = opts.has('profile') ? await startNodeProfile() : null;
    const start = accepted();
    const eventsIn0 = tak.stats().tls.eventsIn;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const blast = await b.done;
    // Sustained means stored, not merely read: wait until the backlog is in the database.
    const { last, at: tEnd } = await settled(accepted);
    const cpu = process.cpuUsage(cpu0);
    // CPU of the server process (TLS, CoT, tracks, live hub; not PostgreSQL) per event read.
    const serverUsPerEvent = (cpu.user + cpu.system) / Math.max(1, tak.stats().tls.eventsIn - eventsIn0);
    const loadUsPerEvent = (blast.cpuSeconds * 1e6) / Math.max(1, blast.sent);
    if (session) {
      const file = path.join(os.tmpdir(), `concord-cot-${Date.now()}.cpuprofile`);
      say(await stopNodeProfile(session, file));
      say(`  (profile saved to ${file})`);
    }
    const stored = last - start;
    const eventsPerSec = stored / ((tEnd - t0) / 1000);
    observer.close();
    const peakRssMb = rss.stop();
    const st = tak.stats().tls;

    say('');
    say(
      `  paced ${r1(paced.sent / paced.seconds)} events/s: p50 ${r1(p50)} ms, p99 ${r1(p99)} ms over ${steady.length} live updates (${moves ? 'moves, as the web client takes them' : 'whole features'})   ${verdict(p99, TARGET.p99LatencyMs + 1e-9)} (target p99 <= ${TARGET.p99LatencyMs} ms)`,
    );
    say(`    server while paced: main thread busy ${r1(pacedBusy * 100)} %, ${describeStalls(stalls)}`);
    const mb = (n: number) => Math.round(n / 2 ** 20);
    say(
      `    server memory at the end of it: heap ${mb(pacedMemory.heapUsed)} MB used of ${mb(pacedMemory.heapTotal)}, array buffers ${mb(pacedMemory.arrayBuffers)} MB, RSS ${mb(pacedMemory.rss)} MB`,
    );
    say(
      `    while ${clients} clients connected (${Math.round(connectMs)} ms): ${describeStalls(connectStalls)}`,
    );
    say(
      `  max: offered ${r1(blast.sent / blast.seconds)} events/s, stored ${r1(eventsPerSec)} events/s   ${eventsPerSec >= TARGET.eventsPerSec ? 'PASS' : 'FAIL'} (target >= ${TARGET.eventsPerSec})`,
    );
    say(
      `  CPU per event: server ${r1(serverUsPerEvent)} µs (all of it, PostgreSQL not included), load generator ${r1(loadUsPerEvent)} µs`,
    );
    say(
      `  tracks.report: ${st.batches} batches of ${r1(st.reportsAccepted / Math.max(1, st.batches))} reports, ${r1(st.batchMs / Math.max(1, st.batches))} ms each on average`,
    );
    say(
      `  parse + map alone: ${r1(parseEventsPerSec.wall)} events/s on one core (${r1(parseEventsPerSec.cpu)} per CPU second; best of 5 rounds); rejected: ${JSON.stringify(st.rejected)}`,
    );
    say(`  peak RSS (server): ${r1(peakRssMb)} MB`);
    return {
      bench: 'cot',
      workload: {
        clients,
        tracks: clients * tracksPerClient,
        users: USERS.length,
        transport: 'TLS 1.3, client certificates, 127.0.0.1',
        liveSubscriber: moves ? 'moves, as the web client' : 'whole features',
        pacedEventsPerSec: rate,
        latencySeconds,
        maxSeconds,
      },
      results: {
        eventsPerSec: Math.round(eventsPerSec),
        offeredEventsPerSec: Math.round(blast.sent / blast.seconds),
        p50LatencyMs: r1(p50),
        p99LatencyMs: r1(p99),
        latencySamples: steady.length,
        pacedSentPerSec: Math.round(paced.sent / paced.seconds),
        parseEventsPerSec: Math.round(parseEventsPerSec.wall),
        parseEventsPerCpuSec: Math.round(parseEventsPerSec.cpu),
        serverCpuUsPerEvent: r1(serverUsPerEvent),
        loadCpuUsPerEvent: r1(loadUsPerEvent),
        meanBatchReports: r1(st.reportsAccepted / Math.max(1, st.batches)),
        meanBatchMs: r1(st.batchMs / Math.max(1, st.batches)),
        rejected: Object.values(st.rejected).reduce((x, y) => x + (y ?? 0), 0),
        peakRssMb: r1(peakRssMb),
        pacedMainThreadBusy: r1(pacedBusy * 100) / 100,
        connectLoopDelayMaxMs: connectStalls.delayMaxMs,
        pacedLoopDelayP99Ms: stalls.delayP99Ms,
        pacedLoopDelayMaxMs: stalls.delayMaxMs,
        pacedGcMaxMs: stalls.gcMaxMs,
      },
      peers: {},
    };
  } finally {
    await running.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
