/**
 * `npm run bench -- cop`: the common operational picture with 1,000 extra zones in a real browser.
 *
 * A real Concord (embedded PostgreSQL in a temporary folder, loopback only) gets 1,000 synthetic
 * zones through the import API; Debian Chromium logs in as usa.planner and then measures
 *  - firstRenderMs: a fresh page load, from navigation start until every zone is drawn (cold cache);
 *  - medianFrameMs / p95FrameMs: frame times while the map is dragged around for ~5 s;
 *  - transferKb: the bytes that load fetched (basemap, scripts, styles, API).
 * The same figures with the demo zones alone are reported as the peer `demoZonesOnly`.
 *
 * Options: --zones N (1000)  --seed S (42)  --pan-seconds S (5)  --loads N (3)
 *          --rebuild (always measure a fresh build of the sources)  --as-built (measure dist/web even if stale)
 *          --unminified (rebuild without minifying, for readable profiles)  --web-dir DIR (serve
 *          another build)  --profile (CPU profile)  --trace (Chromium trace: main-thread time by event)
 *          --no-baseline (skip the demo-only peer)
 *          --tracks N (0): also N live tracks moving at 1 Hz, reported over /api/v1/tracks/stream by a
 *          load generator (a child process) with the simulator off; first render then waits for every
 *          track on the map too, a screenshot is saved, and the peer `zonesOnly` is the same map
 *          without tracks (measured first)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Marking } from '../src/domain/marking.js';
import {
  type ApiSession,
  apiLogin,
  BENCH_PASSWORD,
  type BenchServer,
  ensureWebClient,
  makeTempDir,
  rssSampler,
  startBenchServer,
  type WebClient,
} from './lib/concord.js';
import { startLoad, tokenFor } from './lib/load-child.js';
import {
  jsHeapMb,
  type LoadTiming,
  launchChromium,
  logInThroughUi,
  type PanTiming,
  preparePage,
  timeLoad,
  timePan,
} from './lib/page.js';
import { formatHot, startProfile, stopProfile } from './lib/profile.js';
import {
  type BenchReport,
  type Metrics,
  median,
  numberOption,
  parseArgs,
  r1,
  verdict,
} from './lib/report.js';
import { formatTrace, startTrace, stopTrace } from './lib/trace.js';
import { generateZones, importBatches, vertexCount } from './zones-generator.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USER = 'usa.planner';
const VIEWPORT = { width: 1440, height: 900 };
/** The targets of the issue. */
const TARGET_FIRST_RENDER_MS = 2000;
const TARGET_MEDIAN_FRAME_MS = 50;

const say = (s: string) => console.log(s);

interface Measured {
  cold: LoadTiming[];
  warm: LoadTiming[];
  pan: PanTiming;
  heapMb: number;
}

interface Options {
  loads: number;
  /** Tracks that must be on the map before a load counts as rendered. */
  tracks: number;
  panSeconds: number;
  profile: boolean;
  trace: boolean;
  /** Print the long animation frames of the first cold load. */
  frames: boolean;
}

const slug = (s: string) => s.replace(/\W+/g, '-');

/** Cold loads (cache cleared), warm loads (cache kept), then a pan: all in one logged-in page. */
async function measure(
  page: Page,
  cdp: CDPSession,
  url: string,
  expected: number,
  o: Options,
  label: string,
): Promise<Measured> {
  const cold: LoadTiming[] = [];
  const warm: LoadTiming[] = [];
  const watched = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    if (o.trace) await startTrace(cdp);
    if (o.profile) await startProfile(cdp);
    const result = await fn();
    if (o.profile) {
      const file = path.join(os.tmpdir(), `concord-cop-${slug(label)}-${slug(what)}.cpuprofile`);
      say(formatHot(`${label}: ${what}`, await stopProfile(cdp, 15, file)));
      say(`    whole profile: ${file}`);
    }
    if (o.trace) {
      const file = path.join(os.tmpdir(), `concord-cop-${slug(label)}-${slug(what)}.trace.json`);
      say(formatTrace(`${label}: ${what}`, await stopTrace(cdp, 14, file)));
      say(`    whole trace: ${file}`);
    }
    return result;
  };
  for (let i = 0; i < o.loads; i++) {
    const load = () => timeLoad(page, cdp, url, expected, true, o.tracks);
    cold.push(await (i === 0 ? watched('first cold load', load) : load()));
  }
  if (o.frames)
    say(
      `  ${label}: long frames of the first cold load (ms from navigation start):\n${cold[0]?.frames.map((l) => `    ${l}`).join('\n')}`,
    );
  for (let i = 0; i < o.loads; i++) warm.push(await timeLoad(page, cdp, url, expected, false, o.tracks));
  const pan = await watched('pan', () => timePan(page, cdp, o.panSeconds));
  return { cold, warm, pan, heapMb: await jsHeapMb(cdp) };
}

function med(list: LoadTiming[], key: Exclude<keyof LoadTiming, 'milestones' | 'frames'>): number {
  return r1(median(list.map((l) => l[key])));
}

/** The page's milestones of the cold loads, median ms from navigation start, earliest first. */
function milestones(list: LoadTiming[]): string {
  const names = new Set(list.flatMap((l) => Object.keys(l.milestones)));
  return [...names]
    .map((name) => ({ name, ms: median(list.map((l) => l.milestones[name] ?? Number.NaN)) }))
    .sort((a, b) => a.ms - b.ms)
    .map((m) => `${m.name} ${Math.round(m.ms)}`)
    .join(', ');
}

function figures(m: Measured, zones: number): Metrics {
  return {
    zones,
    firstRenderMs: med(m.cold, 'firstRenderMs'),
    firstRenderWarmMs: med(m.warm, 'firstRenderMs'),
    zonesInSourceMs: med(m.cold, 'zonesInSourceMs'),
    domContentLoadedMs: med(m.cold, 'domContentLoadedMs'),
    zonesResponseEndMs: med(m.cold, 'zonesResponseEndMs'),
    zonesWaitMs: med(m.cold, 'zonesWaitMs'),
    basemapResponseEndMs: med(m.cold, 'basemapResponseEndMs'),
    loadLongTaskMs: med(m.cold, 'longTaskMs'),
    loadLongestTaskMs: med(m.cold, 'longestTaskMs'),
    quietMs: med(m.cold, 'quietMs'),
    medianFrameMs: m.pan.medianFrameMs,
    p95FrameMs: m.pan.p95FrameMs,
    maxFrameMs: m.pan.maxFrameMs,
    fps: m.pan.fps,
    panFrames: m.pan.frames,
    panLongTaskMs: m.pan.longTaskMs,
    meanFrameMs: m.pan.meanFrameMs,
    pointerMovesPerSec: m.pan.pointerMovesPerSec,
    settleMaxFrameMs: m.pan.settleMaxFrameMs,
    transferKb: med(m.cold, 'transferKb'),
    transferWarmKb: med(m.warm, 'wireKb'),
    basemapKb: med(m.cold, 'basemapKb'),
    jsKb: med(m.cold, 'jsKb'),
    zonesApiKb: med(m.cold, 'zonesApiKb'),
    browserJsHeapMb: m.heapMb,
    milestones: milestones(m.cold),
  };
}

function summary(title: string, f: Metrics, loads: number): string {
  const n = (k: string) => String(f[k]);
  return [
    `  ${title}: ${n('zones')} zones`,
    `    first render   ${n('firstRenderMs').padStart(8)} ms cold (median of ${loads}), ${n('firstRenderWarmMs')} ms warm`,
    `      DOM ready ${n('domContentLoadedMs')} ms, zones response ${n('zonesResponseEndMs')} ms (server ${n('zonesWaitMs')} ms), basemap response ${n('basemapResponseEndMs')} ms,`,
    `      zones in source ${n('zonesInSourceMs')} ms; long tasks ${n('loadLongTaskMs')} ms (longest ${n('loadLongestTaskMs')} ms), quiet at ${n('quietMs')} ms`,
    `      page milestones (ms): ${n('milestones')}`,
    `    pan frames     ${n('medianFrameMs').padStart(8)} ms median, ${n('p95FrameMs')} ms p95, ${n('maxFrameMs')} ms max, ${n('meanFrameMs')} ms mean (${n('fps')} fps, ${n('panFrames')} frames),`,
    `      ${n('pointerMovesPerSec')} pointer moves/s; long tasks ${n('panLongTaskMs')} ms; longest frame after release ${n('settleMaxFrameMs')} ms`,
    `    transfer       ${n('transferKb').padStart(8)} kB cold (basemap ${n('basemapKb')}, JS ${n('jsKb')}, zones API ${n('zonesApiKb')}), ${n('transferWarmKb')} kB over the wire warm`,
    `      gzip would make the zones API ${n('zonesApiGzipKb')} kB${f.basemapGzipKb === undefined ? '' : ` and the basemap ${n('basemapGzipKb')} kB`}`,
    `    GET /api/v1/zones alone (from Node, median of 5): ${n('zonesApiMs')} ms`,
    `    browser JS heap ${n('browserJsHeapMb')} MB`,
  ].join('\n');
}

async function newLoggedInPage(ctx: BrowserContext, url: string): Promise<{ page: Page; cdp: CDPSession }> {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(120_000);
  await preparePage(page);
  await logInThroughUi(page, url, USER, BENCH_PASSWORD);
  const cdp = await ctx.newCDPSession(page);
  return { page, cdp };
}

/**
 * GET /api/v1/zones from outside the browser, five times in a row: the server's share of a page
 * load. Also how small gzip would make the response (the server does not compress today).
 */
async function timeZonesApi(api: ApiSession): Promise<Metrics> {
  const times: number[] = [];
  let body = '';
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = await api.request('GET', '/api/v1/zones');
    body = await r.text();
    if (!r.ok) throw new Error(`GET /api/v1/zones: HTTP ${r.status}`);
    times.push(performance.now() - t0);
  }
  return {
    zonesApiMs: r1(median(times)),
    zonesApiGzipKb: r1(gzipSync(body).length / 1024),
  };
}

/** The basemap asset gzipped, as a server that compresses would send it. */
function basemapGzipKb(webDir: string): number {
  const assets = path.join(webDir, 'assets');
  const file = fs.readdirSync(assets).find((f) => /countries-.*\.json$/.test(f));
  return file ? r1(gzipSync(fs.readFileSync(path.join(assets, file))).length / 1024) : Number.NaN;
}

/** A build named with --web-dir, or dist/web (built if missing, rebuilt into tmp if older than the sources). */
function chooseWebClient(opts: Map<string, string | true>, tmp: string): WebClient {
  const given = opts.get('web-dir');
  if (typeof given === 'string') {
    const webDir = path.resolve(given);
    if (!fs.existsSync(path.join(webDir, 'index.html'))) throw new Error(`no index.html in ${webDir}`);
    return { webDir, label: webDir };
  }
  const unminified = opts.has('unminified');
  const mode = opts.has('rebuild') || unminified ? 'rebuild' : opts.has('as-built') ? 'as-built' : 'auto';
  const web = ensureWebClient(ROOT, tmp, mode, say, unminified ? ['--minify', 'false'] : []);
  return unminified ? { ...web, label: 'sources (fresh build, not minified)' } : web;
}

const OPTIONS = [
  'zones',
  'seed',
  'pan-seconds',
  'loads',
  'rebuild',
  'as-built',
  'unminified',
  'web-dir',
  'profile',
  'trace',
  'frames',
  'no-baseline',
  'tracks',
];

const TRACK_MARKINGS: Marking[] = [
  { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
  { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] },
  { classification: 'CONFIDENTIAL', releasableTo: ['USA'] },
];

/** Starts N tracks moving at 1 Hz (usa.planner's gateway, two streams) and waits until all are current. */
async function startTracks(url: string, api: ApiSession, n: number) {
  const channels = [];
  for (let i = 0; i < 2; i++) {
    const { token } = await tokenFor(url, USER, `cop tracks ${i}`);
    channels.push({ via: 'ws' as const, user: USER, token, share: 0.5 });
  }
  const load = startLoad();
  load.send({
    type: 'init',
    config: {
      url,
      tracks: n,
      batch: Math.min(1000, Math.max(1, Math.floor(n / 20))),
      seed: 3,
      markings: TRACK_MARKINGS,
      channels,
      subscribers: [],
      fullParse: false,
    },
  });
  const ready = await load.next();
  if (ready.type !== 'ready')
    throw new Error(ready.type === 'failed' ? ready.message : 'load generator not ready');
  load.send({ type: 'phase', phase: { name: 'cop', mode: 'rate', rate: n, seconds: 3600 } });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listed = (await api.json<{ features: unknown[] }>('GET', '/api/v1/tracks')).features.length;
    if (listed >= n) break;
    if (Date.now() > deadline) throw new Error(`only ${listed} of ${n} tracks after 60 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return load;
}

export async function run(args: string[]): Promise<BenchReport> {
  const opts = parseArgs(args);
  const unknown = [...opts.keys()].filter((k) => !OPTIONS.includes(k));
  if (unknown.length) {
    throw new Error(
      `unknown option ${unknown.map((k) => `--${k}`).join(', ')}; cop takes --${OPTIONS.join(', --')}`,
    );
  }
  const zoneCount = Math.floor(numberOption(opts, 'zones', 1000));
  const seed = Math.floor(numberOption(opts, 'seed', 42));
  const o: Options = {
    loads: Math.max(1, Math.floor(numberOption(opts, 'loads', 3))),
    panSeconds: numberOption(opts, 'pan-seconds', 5),
    profile: opts.has('profile'),
    trace: opts.has('trace'),
    frames: opts.has('frames'),
    tracks: 0,
  };
  const trackCount = Math.floor(numberOption(opts, 'tracks', 0));
  // With tracks, the peer is the same zones without them, not the demo zones alone.
  const baseline = !opts.has('no-baseline') && trackCount === 0;
  const zonesPeer = !opts.has('no-baseline') && trackCount > 0;
  let load: ReturnType<typeof startLoad> | null = null;
  let screenshot = '';

  // Shared machines: the one-minute load average says how much else was running.
  const loadBefore = os.loadavg()[0]!;
  const tmp = makeTempDir('concord-bench-cop-');
  const rss = rssSampler();
  let server: BenchServer | null = null;
  let browser: BrowserContext | null = null;
  try {
    const web = chooseWebClient(opts, tmp);
    const fc = generateZones(zoneCount, { seed });
    const vertices = fc.features.reduce((s, f) => s + vertexCount(f.geometry), 0);
    [server, browser] = await Promise.all([
      startBenchServer(tmp, web.webDir, trackCount ? { CONCORD_SIMULATOR: 'off' } : {}),
      launchChromium(path.join(tmp, 'chromium'), VIEWPORT),
    ]);
    say(`Concord at ${server.url} (started in ${Math.round(server.startMs)} ms, data in ${server.dataDir})`);
    const api = await apiLogin(server.url, USER, BENCH_PASSWORD);
    const listed = async () =>
      (await api.json<{ features: unknown[] }>('GET', '/api/v1/zones')).features.length;
    const demoZones = await listed();
    const demoApi = await timeZonesApi(api);

    const { page, cdp } = await newLoggedInPage(browser, server.url);
    let demoFigures: Metrics | null = null;
    if (baseline) {
      say(`Measuring the demo zones alone (${demoZones}) ...`);
      demoFigures = {
        ...figures(await measure(page, cdp, server.url, demoZones, o, 'demo only'), demoZones),
        ...demoApi,
      };
    }
    await page.goto('about:blank');

    say(`Importing ${zoneCount} synthetic zones (${vertices} vertices) ...`);
    const t0 = performance.now();
    for (const batch of importBatches(fc)) {
      const r = await api.json<{ created: string[]; errors: unknown[] }>(
        'POST',
        '/api/v1/zones/import',
        batch,
      );
      if (r.errors.length || r.created.length !== batch.features.length) {
        throw new Error(`import refused ${r.errors.length} zones: ${JSON.stringify(r.errors).slice(0, 500)}`);
      }
    }
    const importMs = performance.now() - t0;
    const total = await listed();
    if (total !== demoZones + zoneCount)
      throw new Error(`expected ${demoZones + zoneCount} zones, the API lists ${total}`);

    const mainApi = await timeZonesApi(api);
    if (zonesPeer) {
      say(`Measuring ${total} zones without tracks ...`);
      demoFigures = {
        ...figures(await measure(page, cdp, server.url, total, o, `${total} zones`), total),
        ...mainApi,
        basemapGzipKb: basemapGzipKb(web.webDir),
      };
      await page.goto('about:blank');
    }
    if (trackCount) {
      say(`Starting ${trackCount} tracks at 1 Hz ...`);
      load = await startTracks(server.url, api, trackCount);
      o.tracks = trackCount;
    }
    say(`Measuring ${total} zones${trackCount ? ` and ${trackCount} live tracks` : ''} ...`);
    const main: Metrics = {
      ...figures(
        await measure(
          page,
          cdp,
          server.url,
          total,
          o,
          `${total} zones${trackCount ? ` + ${trackCount} tracks` : ''}`,
        ),
        total,
      ),
      ...mainApi,
      basemapGzipKb: basemapGzipKb(web.webDir),
      ...(trackCount ? { tracks: trackCount } : {}),
    };
    if (trackCount) {
      screenshot = path.join(os.tmpdir(), `concord-cop-${trackCount}-tracks.png`);
      await page.screenshot({ path: screenshot });
      say(`Screenshot of the map: ${screenshot}`);
    }

    const peakRssMb = rss.stop();
    const firstOk = verdict(main.firstRenderMs as number, TARGET_FIRST_RENDER_MS);
    const frameOk = verdict(main.medianFrameMs as number, TARGET_MEDIAN_FRAME_MS);
    say('');
    say(`cop benchmark (${VIEWPORT.width}x${VIEWPORT.height}, ${USER}, headless Chromium without GPU)`);
    if (demoFigures)
      say(summary(zonesPeer ? 'zones without tracks' : 'demo zones only', demoFigures, o.loads));
    say(
      summary(
        `demo + ${zoneCount} synthetic${trackCount ? ` + ${trackCount} tracks at 1 Hz` : ''}`,
        main,
        o.loads,
      ),
    );
    say(
      `  import of ${zoneCount} zones: ${Math.round(importMs)} ms; peak RSS of server+harness ${r1(peakRssMb)} MB`,
    );
    say(`  web client measured: ${web.label}`);
    // Wall-clock figures on a shared machine move with its load: compare runs made under the same.
    say(
      `  machine: ${os.cpus().length} cores, load average ${r1(loadBefore)} at the start, ${r1(os.loadavg()[0]!)} at the end`,
    );
    say(`  ${firstOk} first render ${main.firstRenderMs} ms (target < ${TARGET_FIRST_RENDER_MS} ms)`);
    say(
      `  ${frameOk} median frame ${main.medianFrameMs} ms while panning (target < ${TARGET_MEDIAN_FRAME_MS} ms)`,
    );
    say('');

    return {
      bench: 'cop',
      workload: {
        zones: zoneCount,
        tracks: trackCount,
        trackRateHz: trackCount ? 1 : 0,
        demoZones,
        seed,
        vertices,
        viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
        user: USER,
        loads: o.loads,
        panSeconds: o.panSeconds,
        webBuild: web.label,
        cpus: os.cpus().length,
        loadAverage: r1(loadBefore),
      },
      results: {
        ...main,
        firstRenderPass: firstOk === 'PASS',
        medianFramePass: frameOk === 'PASS',
        importMs: Math.round(importMs),
        serverStartMs: Math.round(server.startMs),
        peakRssMb: r1(peakRssMb),
      },
      peers: demoFigures ? { [zonesPeer ? 'zonesOnly' : 'demoZonesOnly']: demoFigures } : {},
    };
  } finally {
    rss.stop();
    if (load) {
      // Reports still in flight would be stored after the pool closed: let them land first.
      load.send({ type: 'stop' });
      await new Promise((r) => setTimeout(r, 1000));
      load.kill();
    }
    await browser?.close().catch(() => undefined);
    await server?.stop().catch((e: unknown) => say(`stopping the server failed: ${String(e)}`));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
