/**
 * The load generator of `bench/ingest.ts`, run as a child process so that its CPU time is its own:
 * reporters (WebSocket streams and a REST client) send position reports built from pre-serialised
 * templates, and 100 live subscribers measure report→subscriber latency from the `observedAt` each
 * report carries (the generator sets it to the wall clock when it sends).
 */
import WebSocket from 'ws';
import { canSee } from '../../src/domain/marking.js';
import type {
  ChannelSpec,
  FromLoad,
  LoadConfig,
  PhaseResult,
  PhaseSpec,
  SubscriberSpec,
  ToLoad,
} from './ingest-protocol.js';
import { rng } from './rng.js';

const say = (m: FromLoad) => process.send?.(m);

const KINDS = ['uav', 'aircraft', 'vehicle', 'convoy', 'team', 'vessel', 'unit'];
const AFFILIATIONS = ['friend', 'hostile', 'neutral', 'unknown'];
/** The strip's axis, Rafah to Beit Hanoun (lat, lon), and its half-width in degrees. */
const AXIS = { from: [31.26, 34.245], to: [31.545, 34.535], halfWidth: 0.03 };

interface Track {
  /** `{"uid":"…","observedAt":"` */
  head: string;
  /** `,"kind":…}` after lat/lon */
  tail: string;
  lat: number;
  lon: number;
  dLat: number;
  dLon: number;
}

function makeTracks(c: LoadConfig, first: number, count: number, random: () => number): Track[] {
  const out: Track[] = [];
  for (let i = first; i < first + count; i++) {
    const uid = `BENCH-${String(i).padStart(6, '0')}`;
    const t = random();
    const off = (random() * 2 - 1) * AXIS.halfWidth;
    const lat = AXIS.from[0]! + (AXIS.to[0]! - AXIS.from[0]!) * t - off * 0.7;
    const lon = AXIS.from[1]! + (AXIS.to[1]! - AXIS.from[1]!) * t + off * 0.7;
    const heading = random() * 2 * Math.PI;
    const kind = KINDS[i % KINDS.length]!;
    const affiliation = AFFILIATIONS[(i >> 3) % AFFILIATIONS.length]!;
    const marking = c.markings[i % c.markings.length]!;
    out.push({
      head: `{"uid":"${uid}","observedAt":"`,
      tail: `,"kind":"${kind}","affiliation":"${affiliation}","course":${Math.round((heading * 180) / Math.PI)},"speed":12,"marking":${JSON.stringify(marking)},"source":"bench"}`,
      lat,
      lon,
      // About 10 m per report.
      dLat: Math.cos(heading) * 0.00009,
      dLon: Math.sin(heading) * 0.00011,
    });
  }
  return out;
}

/** One reporter connection: a slice of the uids, sent round-robin. */
class Channel {
  private cursor = 0;
  private lastTs = 0;
  inflight = 0;
  sent = 0;
  accepted = 0;
  rejected = 0;
  errors = 0;
  lastError = '';
  private ws: WebSocket | null = null;
  onAck: (accepted: number) => void = () => undefined;

  constructor(
    readonly spec: ChannelSpec,
    private readonly url: string,
    private readonly tracks: Track[],
  ) {}

  async open(): Promise<void> {
    if (this.spec.via !== 'ws') return;
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/api/v1/tracks/stream`, {
      headers: { authorization: `Bearer ${this.spec.token}` },
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      this.inflight--;
      const r = JSON.parse(data.toString()) as {
        type: string;
        accepted?: number;
        rejected?: unknown[];
        message?: string;
      };
      if (r.type === 'result') this.ack(r.accepted ?? 0, r.rejected?.length ?? 0);
      else this.fail(`stream error: ${r.message ?? data.toString().slice(0, 200)}`);
    });
    ws.on('close', (code, reason) => {
      if (!this.closing) this.fail(`stream closed ${code} ${reason.toString()}`);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  closing = false;
  close(): void {
    this.closing = true;
    this.ws?.close();
  }

  private ack(accepted: number, rejected: number): void {
    this.accepted += accepted;
    this.rejected += rejected;
    this.onAck(accepted);
  }

  private fail(message: string): void {
    this.errors++;
    this.lastError = message;
  }

  /** The next `n` reports of this channel as a JSON array, all observed now (strictly later than the last batch). */
  private batch(n: number): string {
    const now = Date.now();
    const ts = Math.max(now, this.lastTs + 1);
    this.lastTs = ts;
    const at = `${new Date(ts).toISOString()}","lat":`;
    const parts: string[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const t = this.tracks[this.cursor]!;
      this.cursor = (this.cursor + 1) % this.tracks.length;
      t.lat += t.dLat;
      t.lon += t.dLon;
      // Turn back at the edge of the strip's band.
      if (t.lat < 31.22 || t.lat > 31.58) t.dLat = -t.dLat;
      if (t.lon < 34.21 || t.lon > 34.56) t.dLon = -t.dLon;
      parts[k] = `${t.head}${at}${t.lat.toFixed(5)},"lon":${t.lon.toFixed(5)}${t.tail}`;
    }
    return `[${parts.join(',')}]`;
  }

  /** Sends one batch of `n` reports (never more than the channel's uids, so a batch has no repeats). */
  send(n: number): void {
    const size = Math.min(n, this.tracks.length);
    const body = this.batch(size);
    this.sent += size;
    this.inflight++;
    if (this.ws) {
      this.ws.send(body);
      return;
    }
    fetch(`${this.url}/api/v1/tracks/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.spec.token}`, 'content-type': 'application/json' },
      body,
    })
      .then(async (r) => {
        const text = await r.text();
        this.inflight--;
        if (r.status !== 202) return this.fail(`REST ${r.status} ${text.slice(0, 200)}`);
        const j = JSON.parse(text) as { accepted: number; rejected: unknown[] };
        this.ack(j.accepted, j.rejected.length);
      })
      .catch((e: unknown) => {
        this.inflight--;
        this.fail(`REST ${String(e)}`);
      });
  }
}

const HIST_MS = 120_000;
const DELETE = '"type":"delete","layer":"tracks","id":"';
const UPSERT = '"type":"upsert","layer":"tracks","id":"';
const MOVES = '"type":"moves","layer":"tracks","moves":[';

/** One live client on /api/v1/live: checks what it receives and times it. */
class Subscriber {
  private seen = new Map<string, boolean>();
  closed = false;
  snapshot = 0;
  private ready!: () => void;
  readonly subscribed = new Promise<void>((r) => {
    this.ready = r;
  });

  constructor(
    readonly spec: SubscriberSpec,
    url: string,
    public stats: Stats,
    private readonly fullParse: boolean,
  ) {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/live`, {
      headers: { authorization: `Bearer ${spec.token}` },
      perMessageDeflate: false,
    });
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'subscribe', layers: ['tracks'], bbox: spec.bbox, moves: true })),
    );
    ws.on('message', (data: Buffer) => this.onFrame(data));
    ws.on('close', () => {
      this.closed = true;
      this.ready();
    });
  }

  private onFrame(data: Buffer): void {
    const now = Date.now();
    const s = this.stats;
    s.frames++;
    s.bytes += data.length;
    const text = data.toString('latin1');
    if (text.startsWith('{"type":"snapshot"')) {
      const features = (JSON.parse(text) as { features: { id: string }[] }).features;
      for (const f of features) this.held.set(f.id, true);
      this.snapshot = features.length;
      this.ready();
      return;
    }
    if (this.fullParse) JSON.parse(data.toString());
    // Scans instead of parsing (what is timed is the server, not this process), message by
    // message in order: a frame may move a track, drop it and send it whole again.
    let d = text.indexOf(DELETE);
    let u = text.indexOf(UPSERT);
    let m = text.indexOf(MOVES);
    while (d >= 0 || u >= 0 || m >= 0) {
      const next = Math.min(...[d, u, m].filter((x) => x >= 0));
      if (next === d) d = text.indexOf(DELETE, this.delete(text, d));
      else if (next === u) u = text.indexOf(UPSERT, this.upsert(text, u, now));
      else m = text.indexOf(MOVES, this.moves(text, m, now));
    }
  }

  /** A subscriber must be sent a track whole (and allowed to see it) before any move of it. */
  private held = new Map<string, boolean>();

  private time(observed: number, now: number): void {
    const s = this.stats;
    if (observed >= s.since) s.hist[Math.min(HIST_MS - 1, Math.max(0, now - observed))]!++;
  }

  private inside(lon: number, lat: number): void {
    const b = this.spec.bbox;
    if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) this.stats.outsideBbox++;
  }

  /** Each returns where its scan ended. */
  private delete(text: string, at: number): number {
    this.stats.deletes++;
    const end = text.indexOf('"', at + DELETE.length);
    this.held.delete(text.slice(at + DELETE.length, end));
    return end;
  }

  private upsert(text: string, at: number, now: number): number {
    const s = this.stats;
    s.upserts++;
    const id = text.slice(at + UPSERT.length, text.indexOf('"', at + UPSERT.length));
    const c = text.indexOf('"coordinates":[', at) + 15;
    const comma = text.indexOf(',', c);
    this.inside(Number(text.slice(c, comma)), Number(text.slice(comma + 1, text.indexOf(']', comma))));
    const o = text.indexOf('"observedAt":"', c) + 14;
    this.time(Date.parse(text.slice(o, o + 24)), now);
    const m = text.indexOf('"marking":', o);
    const mt = text.indexOf('"markingText":"', m);
    const markingText = text.slice(mt + 15, text.indexOf('"', mt + 15));
    let ok = this.seen.get(markingText);
    if (ok === undefined) {
      ok = canSee(this.spec.viewer, JSON.parse(text.slice(m + 10, mt - 1)));
      this.seen.set(markingText, ok);
    }
    if (!ok) s.violations++;
    this.held.set(id, ok);
    return mt;
  }

  /** `[uid, lon, lat, alt, course, speed, accuracy, observedAt, staleAt]` in `"moves":[…]`. */
  private moves(text: string, at: number, now: number): number {
    const s = this.stats;
    let i = at + MOVES.length;
    while (text.charCodeAt(i) === 91 /* [ */) {
      const q = text.indexOf('"', i + 2);
      const id = text.slice(i + 2, q);
      const end = text.indexOf(']', q);
      const f = text.slice(q + 2, end).split(',');
      s.moves++;
      if (this.held.get(id) !== true) s.violations++;
      this.inside(Number(f[0]), Number(f[1]));
      this.time(Number(f[6]), now);
      i = end + 1;
      if (text.charCodeAt(i) === 44 /* , */) i++;
    }
    return i;
  }
}

interface Stats {
  since: number;
  frames: number;
  bytes: number;
  upserts: number;
  moves: number;
  deletes: number;
  violations: number;
  outsideBbox: number;
  hist: Uint32Array;
}

function newStats(since: number): Stats {
  return {
    since,
    frames: 0,
    bytes: 0,
    upserts: 0,
    moves: 0,
    deletes: 0,
    violations: 0,
    outsideBbox: 0,
    hist: new Uint32Array(HIST_MS),
  };
}

function percentile(hist: Uint32Array, total: number, q: number): number {
  if (!total) return Number.NaN;
  const want = Math.ceil(total * q);
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i]!;
    if (acc >= want) return i;
  }
  return hist.length;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

class Load {
  channels: Channel[] = [];
  subscribers: Subscriber[] = [];
  stats = newStats(0);

  constructor(readonly config: LoadConfig) {}

  async start(): Promise<number> {
    const c = this.config;
    const random = rng(c.seed);
    let first = 0;
    for (const spec of c.channels) {
      const n = Math.max(1, Math.round(c.tracks * spec.share));
      this.channels.push(new Channel(spec, c.url, makeTracks(c, first, n, random)));
      first += n;
    }
    await Promise.all(this.channels.map((ch) => ch.open()));
    this.subscribers = c.subscribers.map((s) => new Subscriber(s, c.url, this.stats, c.fullParse));
    await Promise.all(this.subscribers.map((s) => s.subscribed));
    return this.subscribers.reduce((n, s) => n + s.snapshot, 0);
  }

  async phase(p: PhaseSpec): Promise<PhaseResult> {
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    this.stats = newStats(t0);
    for (const s of this.subscribers) s.stats = this.stats;
    const before = this.channels.map((ch) => ({ ...ch }));
    const perSecond = new Array<number>(Math.ceil(p.seconds)).fill(0);
    for (const ch of this.channels)
      ch.onAck = (n) => {
        const sec = Math.floor((Date.now() - t0) / 1000);
        if (sec < perSecond.length) perSecond[sec]! += n;
      };
    const end = t0 + p.seconds * 1000;
    let skipped = 0;
    const batch = this.config.batch;
    if (p.mode === 'rate') {
      // Open loop: each channel sends its share of the rate in whole batches, on a 5 ms clock.
      const due = this.channels.map(() => 0);
      const MAX_BEHIND = 64;
      let last = t0;
      while (Date.now() < end) {
        await sleep(5);
        const now = Date.now();
        const dt = (now - last) / 1000;
        last = now;
        this.channels.forEach((ch, i) => {
          due[i]! += p.rate * ch.spec.share * dt;
          const size = Math.min(batch, Math.max(1, Math.round(p.rate * ch.spec.share * 0.05)));
          while (due[i]! >= size) {
            // A server that falls far behind is not sent more: what it could not take is counted.
            if (ch.inflight >= MAX_BEHIND) skipped += size;
            else ch.send(size);
            due[i]! -= size;
          }
        });
      }
    } else {
      // Closed loop: each WebSocket keeps `inflight` batches outstanding; REST one request.
      while (Date.now() < end) {
        for (const ch of this.channels) {
          const limit = ch.spec.via === 'ws' ? p.inflight : 1;
          while (ch.inflight < limit) ch.send(batch);
        }
        await sleep(1);
      }
    }
    const seconds = (Date.now() - t0) / 1000;
    // Let the answers to the last batches and their live updates arrive.
    const settle = Date.now() + 60_000;
    while (this.channels.some((ch) => ch.inflight > 0) && Date.now() < settle) await sleep(10);
    await sleep(300);
    const sum = (k: 'sent' | 'accepted' | 'rejected' | 'errors') =>
      this.channels.reduce((n, ch, i) => n + ch[k] - (before[i]![k] as number), 0);
    const s = this.stats;
    const latencyCount = s.hist.reduce((a, b) => a + b, 0);
    let max = 0;
    for (let i = s.hist.length - 1; i >= 0; i--)
      if (s.hist[i]) {
        max = i;
        break;
      }
    const cpu = process.cpuUsage(cpu0);
    return {
      name: p.name,
      seconds,
      sent: sum('sent'),
      skipped,
      accepted: sum('accepted'),
      rejected: sum('rejected'),
      errors: sum('errors'),
      perSecond,
      upserts: s.upserts,
      moves: s.moves,
      deletes: s.deletes,
      frames: s.frames,
      receivedMb: s.bytes / (1024 * 1024),
      latencyCount,
      p50LatencyMs: percentile(s.hist, latencyCount, 0.5),
      p99LatencyMs: percentile(s.hist, latencyCount, 0.99),
      maxLatencyMs: max,
      violations: s.violations,
      outsideBbox: s.outsideBbox,
      closedSubscribers: this.subscribers.filter((x) => x.closed).length,
      loadCpuSeconds: (cpu.user + cpu.system) / 1e6,
      lastError: this.channels.map((ch) => ch.lastError).find(Boolean) ?? '',
    };
  }

  stop(): void {
    for (const ch of this.channels) ch.close();
  }
}

let load: Load | null = null;
process.on('message', (m: ToLoad) => {
  const run = async () => {
    if (m.type === 'init') {
      load = new Load(m.config);
      say({ type: 'ready', snapshotFeatures: await load.start() });
    } else if (m.type === 'phase') {
      if (!load) throw new Error('phase before init');
      say({ type: 'phaseDone', result: await load.phase(m.phase) });
    } else {
      load?.stop();
      setTimeout(() => process.exit(0), 200);
    }
  };
  run().catch((e: unknown) =>
    say({ type: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
