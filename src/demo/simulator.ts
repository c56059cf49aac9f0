import { type Logger, pino } from 'pino';
import type { Marking } from '../domain/marking.js';
import type { PositionReport } from '../domain/position-reports.js';
import type { Viewer } from '../domain/viewer.js';
import type { Db } from '../server/db/database.js';
import { identitiesStore, toViewer } from '../server/modules/identities/index.js';
import { TrackEngine, type TracksService, tracksService } from '../server/modules/tracks/index.js';
import { WITHDRAWAL_LINE_V2 } from './geography.js';

/**
 * Synthetic live tracks for the demo: UAVs on patrol loops, an ISR aircraft in orbit, two aid
 * convoys between Kerem Shalom and the towns, a field team, and now and then an unidentified
 * vehicle crossing the withdrawal line. Illustrative only. Positions are a pure function of the
 * seed and the elapsed time, so a seed replays the same scenario.
 */

type LonLat = [number, number];
const STALE_MS = 30_000;

const COALITION: Marking = {
  classification: 'RESTRICTED',
  releasableTo: ['USA', 'GBR', 'FRA', 'DEU', 'CAN'],
};
const EVERYONE: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const HUMANITARIAN: Marking = {
  classification: 'UNCLASSIFIED',
  releasableTo: ['USA', 'GBR', 'OCHA', 'WFP', 'MEDRELIEF', 'AQUAAID'],
};

/** Metres per degree near 31.4° N: equirectangular is plenty for a strip 40 km long. */
const M_PER_DEG_LAT = 110_900;
const M_PER_DEG_LON = 111_320 * Math.cos((31.4 * Math.PI) / 180);

/** A path along waypoints, driven round in a loop or back and forth. */
class Route {
  private readonly points: LonLat[];
  private readonly cumulative: number[] = [0];
  readonly length: number;

  constructor(
    waypoints: LonLat[],
    private readonly mode: 'loop' | 'back-and-forth',
  ) {
    const pts = mode === 'loop' ? [...waypoints, waypoints[0]!] : waypoints;
    this.points = pts;
    for (let i = 1; i < pts.length; i++)
      this.cumulative.push(this.cumulative[i - 1]! + distance(pts[i - 1]!, pts[i]!));
    this.length = this.cumulative.at(-1)!;
  }

  /** Where one is after `metres` along the route, and the course there (degrees from north). */
  at(metres: number): { pos: LonLat; course: number } {
    let d = ((metres % (2 * this.length)) + 2 * this.length) % (2 * this.length);
    let back = false;
    if (this.mode === 'loop') d %= this.length;
    else if (d > this.length) {
      d = 2 * this.length - d;
      back = true;
    }
    let i = 1;
    while (i < this.cumulative.length - 1 && this.cumulative[i]! < d) i++;
    const a = this.points[i - 1]!;
    const b = this.points[i]!;
    const seg = this.cumulative[i]! - this.cumulative[i - 1]!;
    const f = seg > 0 ? (d - this.cumulative[i - 1]!) / seg : 0;
    const pos: LonLat = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
    const c = bearing(a, b);
    return { pos, course: back ? (c + 180) % 360 : c };
  }
}

function distance(a: LonLat, b: LonLat): number {
  return Math.hypot((b[0] - a[0]) * M_PER_DEG_LON, (b[1] - a[1]) * M_PER_DEG_LAT);
}

function bearing(a: LonLat, b: LonLat): number {
  const deg = (Math.atan2((b[0] - a[0]) * M_PER_DEG_LON, (b[1] - a[1]) * M_PER_DEG_LAT) * 180) / Math.PI;
  return round((deg + 360) % 360, 1);
}

/** Moves a point by metres east and north. */
function offset(p: LonLat, east: number, north: number): LonLat {
  return [p[0] + east / M_PER_DEG_LON, p[1] + north / M_PER_DEG_LAT];
}

function circle(centre: LonLat, radius: number, n = 36): LonLat[] {
  return Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    return offset(centre, radius * Math.sin(a), radius * Math.cos(a));
  });
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundPos = (p: LonLat): LonLat => [round(p[0], 6), round(p[1], 6)];

/** mulberry32: a small, good-enough PRNG, so that a seed fixes every choice. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEREM_SHALOM: LonLat = [34.284, 31.223];
const TO_KHAN_YOUNIS: LonLat[] = [
  KEREM_SHALOM,
  [34.282, 31.245],
  [34.29, 31.28],
  [34.3, 31.31],
  [34.306, 31.34],
];

interface Mover {
  uid: string;
  reporter: string;
  route: Route;
  speed: number;
  attributes: Partial<PositionReport>;
  alt?: number;
  /** Sensor footprint: a rectangle this far ahead (m) of the track, this wide and long (m). */
  footprint?: { ahead: number; width: number; length: number };
}

function movers(): Mover[] {
  const uav = (n: number, loop: LonLat[]): Mover => ({
    uid: `demo-uav-${n}`,
    reporter: 'usa.planner',
    route: new Route(loop, 'loop'),
    speed: 35,
    alt: 3000 + n * 300,
    attributes: {
      kind: 'uav',
      affiliation: 'friend',
      callsign: `HAWK ${n}`,
      marking: COALITION,
      source: 'USA-CMCC GCS (synthetic)',
    },
    footprint: { ahead: 600, width: 500, length: 700 },
  });
  const convoy = (uid: string, callsign: string, points: LonLat[]): Mover => ({
    uid,
    reporter: 'un.logistics',
    route: new Route(points, 'back-and-forth'),
    speed: 9,
    attributes: {
      kind: 'convoy',
      affiliation: 'neutral',
      callsign,
      marking: HUMANITARIAN,
      source: `${callsign.split(' ')[0]} fleet tracker (synthetic)`,
    },
  });
  return [
    uav(1, [
      [34.45, 31.5],
      [34.49, 31.545],
      [34.52, 31.535],
      [34.5, 31.495],
    ]),
    uav(2, [
      [34.34, 31.41],
      [34.39, 31.455],
      [34.43, 31.44],
      [34.38, 31.395],
    ]),
    uav(3, [
      [34.25, 31.29],
      [34.3, 31.35],
      [34.34, 31.33],
      [34.29, 31.27],
    ]),
    {
      uid: 'demo-isr-1',
      reporter: 'usa.planner',
      route: new Route(circle([34.3, 31.42], 12_000), 'loop'),
      speed: 120,
      alt: 7600,
      attributes: {
        kind: 'aircraft',
        affiliation: 'friend',
        callsign: 'SENTRY 1',
        marking: EVERYONE,
        source: 'ISR orbit (synthetic)',
      },
    },
    convoy('demo-convoy-wfp-1', 'WFP CONVOY 1', TO_KHAN_YOUNIS),
    convoy('demo-convoy-ocha-1', 'OCHA CONVOY 2', [...TO_KHAN_YOUNIS, [34.325, 31.38], [34.35, 31.418]]),
    {
      uid: 'demo-team-medrelief-1',
      reporter: 'ngo.field',
      route: new Route(
        [
          [34.294, 31.344],
          [34.299, 31.345],
          [34.3, 31.349],
          [34.295, 31.349],
        ],
        'loop',
      ),
      speed: 1.4,
      attributes: {
        kind: 'team',
        affiliation: 'neutral',
        callsign: 'MEDRELIEF TEAM 1',
        marking: HUMANITARIAN,
        source: 'MedRelief phones (synthetic)',
      },
    },
  ];
}

/** Unidentified vehicles crossing the withdrawal line: at most one per slot, decided by the seed. */
const CROSSING_SLOT_S = 240;
const CROSSING_DRIVE_S = 150;
const LINE = WITHDRAWAL_LINE_V2.coordinates as LonLat[];

function crossing(seed: number, slot: number): { start: number; route: Route } | null {
  const r = random(seed * 7919 + slot);
  if (r() < 0.4) return null;
  const start = slot * CROSSING_SLOT_S + Math.floor(r() * (CROSSING_SLOT_S - CROSSING_DRIVE_S));
  // The long eastern part of the line, where it runs north-east to south-west.
  const i = 4 + Math.floor(r() * 5);
  const a = LINE[i]!;
  const b = LINE[i + 1]!;
  const f = 0.2 + 0.6 * r();
  const p: LonLat = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
  // The line runs south-west here, so its left is the border side: the vehicle drives from inside
  // the strip across the line into the buffer zone, as a breach the monitors should notice.
  const len = distance(a, b);
  const dir = [((b[0] - a[0]) * M_PER_DEG_LON) / len, ((b[1] - a[1]) * M_PER_DEG_LAT) / len] as const;
  const left: [number, number] = [-dir[1], dir[0]];
  const from = offset(p, -left[0] * 1500, -left[1] * 1500);
  const to = offset(p, left[0] * 1000, left[1] * 1000);
  return { start, route: new Route([from, to], 'back-and-forth') };
}

function footprintAround(pos: LonLat, course: number, f: NonNullable<Mover['footprint']>) {
  const rad = (course * Math.PI) / 180;
  const fwd = [Math.sin(rad), Math.cos(rad)] as const;
  const side = [fwd[1], -fwd[0]] as const;
  const corner = (along: number, across: number) =>
    roundPos(offset(pos, fwd[0] * along + side[0] * across, fwd[1] * along + side[1] * across));
  const near = f.ahead - f.length / 2;
  const far = f.ahead + f.length / 2;
  const w = f.width / 2;
  const ring = [corner(near, -w), corner(near, w), corner(far, w), corner(far, -w)];
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

/**
 * The reports of every simulated track at `t` seconds into the run, grouped by the demo user who
 * reports them. Pure: the same seed and t give the same positions.
 */
export function simulatedReports(seed: number, t: number, now: number): Map<string, PositionReport[]> {
  const out = new Map<string, PositionReport[]>();
  const add = (reporter: string, r: PositionReport) => {
    const list = out.get(reporter);
    if (list) list.push(r);
    else out.set(reporter, [r]);
  };
  const observedAt = new Date(now).toISOString();
  const staleAt = new Date(now + STALE_MS).toISOString();
  const rnd = random(seed);
  for (const m of movers()) {
    const phase = rnd() * m.route.length * 2;
    const { pos, course } = m.route.at(phase + m.speed * t);
    const [lon, lat] = roundPos(pos);
    add(m.reporter, {
      uid: m.uid,
      observedAt,
      staleAt,
      lon,
      lat,
      course,
      speed: m.speed,
      accuracy: m.alt ? 25 : 10,
      ...(m.alt !== undefined && { alt: m.alt }),
      ...(m.footprint && {
        footprint: footprintAround(pos, course, m.footprint) as PositionReport['footprint'],
      }),
      ...m.attributes,
    });
  }
  // A crossing starts early enough in its slot to end within it, so only the current slot counts.
  const s = Math.floor(t / CROSSING_SLOT_S);
  const c = crossing(seed, s);
  if (c && t >= c.start && t <= c.start + CROSSING_DRIVE_S) {
    const { pos, course } = c.route.at(
      Math.min(c.route.length, (c.route.length * (t - c.start)) / CROSSING_DRIVE_S),
    );
    const [lon, lat] = roundPos(pos);
    add('usa.monitor', {
      uid: `demo-unknown-${s}`,
      observedAt,
      staleAt,
      lon,
      lat,
      course,
      speed: round(c.route.length / CROSSING_DRIVE_S, 1),
      accuracy: 50,
      kind: 'vehicle',
      affiliation: 'unknown',
      callsign: `UNKNOWN VEHICLE ${s}`,
      marking: COALITION,
      source: 'Monitoring cell (synthetic)',
    });
  }
  return out;
}

export interface SimulatorOptions {
  seed?: number;
  intervalMs?: number;
  tracks?: TracksService;
  log?: Logger;
}

export interface Simulator {
  /** Reports once, now; resolves when the reports are stored. */
  tick(): Promise<void>;
  stop(): Promise<void>;
  readonly stats: { ticks: number; reports: number; failures: number };
}

/** Starts posting simulated reports through the tracks service (not HTTP), once per interval. */
export async function startSimulator(db: Db, opts: SimulatorOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 1;
  const log = opts.log;
  // On its own (the CLI), the simulator runs a track engine of its own; a running Concord takes
  // its writes into memory when notified on the tracks channel.
  let own: TrackEngine | null = null;
  if (!opts.tracks) {
    own = new TrackEngine(db, log ?? pino({ level: 'silent' }));
    await own.start();
  }
  const tracks = opts.tracks ?? tracksService(db, own!);
  const viewers = new Map<string, Viewer>();
  for (const name of ['usa.planner', 'un.logistics', 'ngo.field', 'usa.monitor']) {
    const row = await identitiesStore.findUserByName(db.app, name);
    if (row && !row.disabled) viewers.set(name, toViewer(row));
    else log?.warn({ user: name }, 'demo user missing or disabled: its simulated tracks are left out');
  }
  if (!viewers.size)
    throw new Error('none of the demo users exists: load the demo first (concord demo reset)');
  const started = Date.now();
  const stats = { ticks: 0, reports: 0, failures: 0 };
  let lastWarning = 0;
  let running: Promise<void> | null = null;
  let stopped = false;

  const once = async () => {
    const now = Date.now();
    for (const [reporter, reports] of simulatedReports(seed, (now - started) / 1000, now)) {
      const viewer = viewers.get(reporter);
      if (!viewer) continue;
      try {
        const r = await tracks.report(viewer, reports);
        stats.reports += r.accepted;
        if (r.rejected.length) throw new Error(JSON.stringify(r.rejected[0]));
      } catch (e) {
        stats.failures++;
        // Once in a while is enough: a database that is away for a minute must not flood the log.
        if (now - lastWarning > 60_000) {
          lastWarning = now;
          log?.warn({ err: e, reporter }, 'simulated reports failed');
        }
      }
    }
    stats.ticks++;
  };
  const tick = () => {
    running ??= once().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped && !running) void tick();
  }, opts.intervalMs ?? 1000);
  timer.unref();
  log?.info({ seed, users: [...viewers.keys()] }, 'track simulator started');
  await tick();
  return {
    tick,
    stats,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await own?.stop();
    },
  };
}
