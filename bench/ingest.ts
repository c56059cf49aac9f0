/**
 * `npm run bench -- ingest`: live tracks end to end on this machine, loopback only.
 *
 * A real Concord runs in this process (embedded PostgreSQL in a temporary folder, simulator off);
 * a load generator runs as a child process (bench/lib/ingest-load.ts), so the two share the two
 * cores as the OS schedules them, and each one's CPU time is reported. Reporters (usa.planner's API
 * tokens) send JSON position reports over WebSocket streams (/api/v1/tracks/stream) and REST
 * (POST /api/v1/tracks/reports); the server validates, folds, runs the geofence hook when one is
 * installed, group-commits the history and fans the moves out to 100 live subscribers
 * (/api/v1/live, layer `tracks`, as seven demo users with different markings and bboxes).
 *
 * Phases:
 *  a. latency: a fixed rate (20,000 reports/s) for 20 s; report→subscriber p50/p99, where a report's
 *     `observedAt` is the generator's clock when it was sent and a subscriber's clock when received;
 *  b. throughput: closed loop (a bounded number of batches in flight per socket) for 60 s:
 *     reports acknowledged per second;
 *  c. memory: this process's RSS (the server; the generator is elsewhere) sampled throughout.
 * Then: rows in track_positions = reports acknowledged; no subscriber got a track it may not see.
 *
 * Options: --rate N (20000) --latency-seconds S (20) --seconds S (60, throughput) --tracks N (20000)
 *   --sockets N (4) --batch N (1000) --rest-share F (0.1) --inflight N (4) --subscribers N (100)
 *   --whole-strip N (4: subscribers whose bbox is the whole strip) --seed S (7)
 *   --no-latency --no-throughput --profile (server CPU profile of the throughput phase, or of the
 *   latency phase with --no-throughput)
 *   --full-parse (subscribers JSON.parse every frame, as a browser would)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { canSee, formatMarking, type Marking } from '../src/domain/marking.js';
import { type BenchServer, makeTempDir, startBenchServer } from './lib/concord.js';
import type {
  ChannelSpec,
  Clearance,
  LoadConfig,
  PhaseResult,
  PhaseSpec,
  SubscriberSpec,
} from './lib/ingest-protocol.js';
import { startLoad, tokenFor } from './lib/load-child.js';
import { startNodeProfile, stopNodeProfile } from './lib/node-profile.js';
import { postmasterPid, treeCpuSeconds } from './lib/proc.js';
import { type BenchReport, numberOption, parseArgs, r1, verdict } from './lib/report.js';
import { rng } from './lib/rng.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_P99_MS = 50;
const TARGET_REPORTS_PER_SEC = 100_000;
const REPORTER = 'usa.planner';
const USERS = [
  'usa.planner',
  'gbr.planner',
  'usa.monitor',
  'fra.analyst',
  'un.logistics',
  'ngo.field',
  'can.viewer',
];
const MARKINGS: Marking[] = [
  { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
  { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] },
  { classification: 'CONFIDENTIAL', releasableTo: ['USA'] },
];
/** The Gaza strip's bounding box (west, south, east, north). */
const STRIP: [number, number, number, number] = [34.2, 31.21, 34.56, 31.6];

const say = (s: string) => console.log(s);

const OPTIONS = [
  'rate',
  'latency-seconds',
  'seconds',
  'tracks',
  'sockets',
  'batch',
  'rest-share',
  'inflight',
  'subscribers',
  'whole-strip',
  'seed',
  'no-latency',
  'no-throughput',
  'profile',
  'full-parse',
];

/** Subscribers' views: a few see the whole strip, the rest a window of 4–12 km somewhere along it. */
function bboxes(n: number, whole: number, seed: number): [number, number, number, number][] {
  const random = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    if (i < whole) return STRIP;
    const t = random();
    const cLat = 31.26 + (31.545 - 31.26) * t;
    const cLon = 34.245 + (34.535 - 34.245) * t;
    const w = 0.04 + random() * 0.08;
    const h = 0.035 + random() * 0.07;
    return [r5(cLon - w / 2), r5(cLat - h / 2), r5(cLon + w / 2), r5(cLat + h / 2)];
  });
}
const r5 = (x: number) => Math.round(x * 1e5) / 1e5;

interface RssSample {
  t: number;
  mb: number;
}

/** Least-squares slope of RSS over time, in MB per minute. */
function slopeMbPerMin(xs: RssSample[]): number {
  if (xs.length < 3) return Number.NaN;
  const n = xs.length;
  const mt = xs.reduce((a, x) => a + x.t, 0) / n;
  const mm = xs.reduce((a, x) => a + x.mb, 0) / n;
  const num = xs.reduce((a, x) => a + (x.t - mt) * (x.mb - mm), 0);
  const den = xs.reduce((a, x) => a + (x.t - mt) ** 2, 0);
  return (num / den) * 60_000;
}

interface Measured {
  result: PhaseResult;
  serverCpu: number;
  pgCpu: number;
  rss: RssSample[];
}

export async function run(args: string[]): Promise<BenchReport> {
  const opts = parseArgs(args);
  const unknown = [...opts.keys()].filter((k) => !OPTIONS.includes(k));
  if (unknown.length)
    throw new Error(`unknown option --${unknown.join(', --')}; ingest takes --${OPTIONS.join(', --')}`);
  const rate = numberOption(opts, 'rate', 20_000);
  const latencySeconds = numberOption(opts, 'latency-seconds', 20);
  const seconds = numberOption(opts, 'seconds', 60);
  const tracks = Math.floor(numberOption(opts, 'tracks', 20_000));
  const sockets = Math.max(1, Math.floor(numberOption(opts, 'sockets', 4)));
  const batch = Math.floor(numberOption(opts, 'batch', 1000));
  const restShare = numberOption(opts, 'rest-share', 0.1);
  const inflight = Math.max(1, Math.floor(numberOption(opts, 'inflight', 4)));
  const subscriberCount = Math.floor(numberOption(opts, 'subscribers', 100));
  const whole = Math.floor(numberOption(opts, 'whole-strip', 4));
  const seed = Math.floor(numberOption(opts, 'seed', 7));

  const loadBefore = os.loadavg()[0]!;
  const tmp = makeTempDir('concord-bench-ingest-');
  let server: BenchServer | null = null;
  let load: ReturnType<typeof startLoad> | null = null;
  const rss: RssSample[] = [];
  const t0 = Date.now();
  const sampler = setInterval(
    () => rss.push({ t: Date.now() - t0, mb: process.memoryUsage.rss() / 2 ** 20 }),
    250,
  );
  try {
    server = await startBenchServer(tmp, path.join(tmp, 'no-web'), { CONCORD_SIMULATOR: 'off' });
    const url = server.url;
    say(`Concord at ${url} (started in ${Math.round(server.startMs)} ms, data in ${server.dataDir})`);
    // The geofence engine is merged separately: say whether its hook is installed in this build.
    const geofence = /hooks\.evaluate\s*=/.test(
      fs.readFileSync(path.join(ROOT, 'src/server/app.ts'), 'utf8'),
    );
    const pgPid = postmasterPid(server.dataDir);

    const restChannels = restShare > 0 ? 1 : 0;
    const channels: ChannelSpec[] = [];
    for (let i = 0; i < sockets + restChannels; i++) {
      const via = i < sockets ? 'ws' : 'rest';
      const { token } = await tokenFor(url, REPORTER, `bench reporter ${i}`);
      channels.push({
        via,
        user: REPORTER,
        token,
        share: via === 'rest' ? restShare : (1 - restShare) / sockets,
      });
    }
    const perUser = new Map<string, { token: string; viewer: Clearance }>();
    for (const u of USERS) perUser.set(u, await tokenFor(url, u, 'bench subscriber'));
    const views = bboxes(subscriberCount, whole, seed);
    const subscribers: SubscriberSpec[] = views.map((bbox, i) => {
      const user = USERS[i % USERS.length]!;
      const t = perUser.get(user)!;
      return { user, token: t.token, viewer: t.viewer, bbox };
    });
    const config: LoadConfig = {
      url,
      tracks,
      batch,
      seed,
      markings: MARKINGS,
      channels,
      subscribers,
      fullParse: opts.has('full-parse'),
    };
    // Who may see which marking: the mix the fan-out filters.
    const seesShare = subscribers.map(
      (s) => MARKINGS.filter((m) => canSee(s.viewer, m)).length / MARKINGS.length,
    );

    load = startLoad();
    load.send({ type: 'init', config });
    const ready = await load.next();
    if (ready.type !== 'ready')
      throw new Error(ready.type === 'failed' ? ready.message : 'load generator not ready');
    say(`${subscriberCount} subscribers and ${channels.length} reporter connections ready; ${tracks} tracks`);

    const runPhase = async (phase: PhaseSpec, profile: boolean): Promise<Measured> => {
      const from = rss.length;
      const cpu0 = process.cpuUsage();
      const pg0 = pgPid ? treeCpuSeconds(pgPid) : Number.NaN;
      const session = profile ? await startNodeProfile() : null;
      load!.send({ type: 'phase', phase });
      const m = await load!.next();
      if (m.type !== 'phaseDone') throw new Error(m.type === 'failed' ? m.message : 'unexpected message');
      if (session) {
        const file = path.join(os.tmpdir(), `concord-ingest-${Date.now()}.cpuprofile`);
        say(await stopNodeProfile(session, file));
        say(`  (profile saved to ${file})`);
      }
      const cpu = process.cpuUsage(cpu0);
      return {
        result: m.result,
        serverCpu: (cpu.user + cpu.system) / 1e6,
        pgCpu: pgPid ? treeCpuSeconds(pgPid) - pg0 : Number.NaN,
        rss: rss.slice(from),
      };
    };

    let latency: Measured | null = null;
    if (!opts.has('no-latency') && latencySeconds > 0) {
      say(`Phase a: ${rate} reports/s for ${latencySeconds} s ...`);
      latency = await runPhase(
        { name: 'latency', mode: 'rate', rate, seconds: latencySeconds },
        opts.has('profile') && opts.has('no-throughput'),
      );
    }
    let throughput: Measured | null = null;
    if (!opts.has('no-throughput') && seconds > 0) {
      say(`Phase b: closed loop, ${inflight} batches of ${batch} in flight per socket, for ${seconds} s ...`);
      throughput = await runPhase(
        { name: 'throughput', mode: 'closed', inflight, seconds },
        opts.has('profile'),
      );
    }
    load.send({ type: 'stop' });

    // Every acknowledged report is in the history, and nothing else of ours is.
    const lockUrl = fs.readFileSync(path.join(server.dataDir, 'concord.lock'), 'utf8').split('\n')[1]!.trim();
    const client = new pg.Client({ connectionString: lockUrl });
    await client.connect();
    const stored = Number(
      (
        await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM track_positions WHERE uid LIKE 'BENCH-%'`,
        )
      ).rows[0]!.n,
    );
    await client.end();
    const phases = [latency, throughput].filter((x): x is Measured => x !== null);
    const acknowledged = phases.reduce((n, p) => n + p.result.accepted, 0);
    const violations = phases.reduce((n, p) => n + p.result.violations, 0);
    const outside = phases.reduce((n, p) => n + p.result.outsideBbox, 0);
    const rejected = phases.reduce((n, p) => n + p.result.rejected, 0);
    const errors = phases.reduce((n, p) => n + p.result.errors, 0);
    const peakRssMb = Math.max(...rss.map((x) => x.mb));
    const tp = throughput?.result;
    const steady = tp ? tp.perSecond.slice(Math.min(5, tp.perSecond.length - 1)) : [];
    const reportsPerSec = tp ? tp.accepted / tp.seconds : Number.NaN;
    const tpRss = throughput?.rss ?? [];
    const rssGrowth = slopeMbPerMin(tpRss.slice(Math.floor(tpRss.length / 2)));

    const describe = (title: string, m: Measured) => {
      const r = m.result;
      return [
        `  ${title}: ${r.accepted} accepted of ${r.sent} sent in ${r1(r.seconds)} s = ${Math.round(r.accepted / r.seconds)} reports/s (${r.skipped} not sent as the server was behind, ${r.rejected} rejected, ${r.errors} errors${r.lastError ? `: ${r.lastError}` : ''})`,
        `    live: ${r.upserts} upserts and ${r.moves} moves (${Math.round((r.upserts + r.moves) / r.seconds)}/s) and ${r.deletes} deletes in ${r.frames} frames, ${r1(r.receivedMb)} MB, to ${subscriberCount} subscribers (${r.closedSubscribers} closed by the server)`,
        `    report→subscriber latency p50 ${r.p50LatencyMs} ms, p99 ${r.p99LatencyMs} ms, max ${r.maxLatencyMs} ms (${r.latencyCount} upserts and moves timed)`,
        `    CPU seconds per second: server ${r1(m.serverCpu / r.seconds)}, PostgreSQL ${r1(m.pgCpu / r.seconds)}, load generator ${r1(r.loadCpuSeconds / r.seconds)}`,
        `    CPU per report (what other load on the machine does not change much): server ${r1((m.serverCpu / r.accepted) * 1e6)} µs, PostgreSQL ${r1((m.pgCpu / r.accepted) * 1e6)} µs, load generator ${r1((r.loadCpuSeconds / r.accepted) * 1e6)} µs; ${r1((r.upserts + r.moves) / Math.max(1, r.accepted))} live updates delivered per report`,
        `    server RSS ${r1(Math.min(...m.rss.map((x) => x.mb)))}–${r1(Math.max(...m.rss.map((x) => x.mb)))} MB`,
      ].join('\n');
    };
    say('');
    say(
      `ingest benchmark (${os.cpus().length} cores shared by the server, PostgreSQL and the load generator; load average ${r1(loadBefore)} before)`,
    );
    say(
      `  geofence hook: ${geofence ? 'installed (engine.hooks.evaluate runs on every move)' : 'NOT installed in this build (engine.hooks.evaluate unset): no geofence cost measured'}`,
    );
    say(
      `  markings: ${MARKINGS.map(formatMarking).join(' | ')}; subscribers as ${USERS.join(', ')} (each sees ${r1((seesShare.reduce((a, b) => a + b, 0) / seesShare.length) * 100)} % of markings on average), ${whole} with the whole strip, the rest 4–12 km windows`,
    );
    if (latency) say(describe(`a. latency at ${rate}/s`, latency));
    if (throughput) say(describe('b. throughput (closed loop)', throughput));
    if (tp) say(`    acknowledged per second: ${tp.perSecond.join(' ')}`);
    say(`  c. server RSS peak ${r1(peakRssMb)} MB; over the second half of phase b ${r1(rssGrowth)} MB/min`);
    say(
      `  check: ${stored} rows in track_positions, ${acknowledged} reports acknowledged: ${stored === acknowledged ? 'equal' : 'DIFFERENT'}`,
    );
    say(
      `  check: ${violations} updates a subscriber may not see (or moves of a track it was not sent), ${outside} outside its bbox`,
    );
    if (latency)
      say(
        `  ${verdict(latency.result.p99LatencyMs, TARGET_P99_MS + 0.001)} p99 latency ${latency.result.p99LatencyMs} ms at ${rate}/s (target ≤ ${TARGET_P99_MS} ms)`,
      );
    if (tp)
      say(
        `  ${reportsPerSec >= TARGET_REPORTS_PER_SEC ? 'PASS' : 'FAIL'} throughput ${Math.round(reportsPerSec)} reports/s (target ≥ ${TARGET_REPORTS_PER_SEC})`,
      );
    say('');
    if (stored !== acknowledged) process.exitCode = 1;
    if (violations) process.exitCode = 1;

    return {
      bench: 'ingest',
      workload: {
        rate,
        latencySeconds,
        seconds,
        tracks,
        wsSockets: sockets,
        restClients: restChannels,
        restShare,
        batch,
        inflightPerSocket: inflight,
        subscribers: subscriberCount,
        wholeStripSubscribers: whole,
        users: USERS.join(' '),
        markings: MARKINGS.map(formatMarking).join(' | '),
        geofenceHook: geofence,
        fullParse: config.fullParse,
        cores: os.cpus().length,
        coreSharing:
          'server (this process) and load generator (child process) and PostgreSQL, scheduled by the OS, no pinning',
        loadAverage: r1(loadBefore),
      },
      results: {
        reportsPerSec: Math.round(reportsPerSec),
        steadyReportsPerSecMin: steady.length ? Math.min(...steady) : Number.NaN,
        p99LatencyMs: latency?.result.p99LatencyMs ?? Number.NaN,
        p50LatencyMs: latency?.result.p50LatencyMs ?? Number.NaN,
        maxLatencyMs: latency?.result.maxLatencyMs ?? Number.NaN,
        latencyAcceptedPerSec: latency
          ? Math.round(latency.result.accepted / latency.result.seconds)
          : Number.NaN,
        throughputP99LatencyMs: tp?.p99LatencyMs ?? Number.NaN,
        upsertsPerSec: tp ? Math.round(tp.upserts / tp.seconds) : Number.NaN,
        movesPerSec: tp ? Math.round(tp.moves / tp.seconds) : Number.NaN,
        peakRssMb: r1(peakRssMb),
        rssGrowthMbPerMin: r1(rssGrowth),
        serverCpuPerSec: throughput ? r1(throughput.serverCpu / tp!.seconds) : Number.NaN,
        serverCpuUsPerReport: throughput ? r1((throughput.serverCpu / tp!.accepted) * 1e6) : Number.NaN,
        postgresCpuUsPerReport: throughput ? r1((throughput.pgCpu / tp!.accepted) * 1e6) : Number.NaN,
        updatesPerReport: tp ? r1((tp.upserts + tp.moves) / Math.max(1, tp.accepted)) : Number.NaN,
        postgresCpuPerSec: throughput ? r1(throughput.pgCpu / tp!.seconds) : Number.NaN,
        loadCpuPerSec: tp ? r1(tp.loadCpuSeconds / tp.seconds) : Number.NaN,
        storedRows: stored,
        acknowledged,
        rejected,
        errors,
        visibilityViolations: violations,
        outsideBbox: outside,
        p99Pass: latency ? latency.result.p99LatencyMs <= TARGET_P99_MS : false,
        throughputPass: reportsPerSec >= TARGET_REPORTS_PER_SEC,
      },
      peers: {},
    };
  } finally {
    clearInterval(sampler);
    load?.kill();
    await server?.stop().catch((e: unknown) => say(`stopping the server failed: ${String(e)}`));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
