/**
 * Synthetic zones for benchmarks: star-shaped polygons (20–60 vertices, never self-intersecting)
 * and west-to-east control lines inside the Gaza Strip bounding box, deterministic from a seed.
 *
 *   tsx bench/zones-generator.ts 1000 [seed] > zones.geojson
 *
 * writes a FeatureCollection that POST /api/v1/zones/import accepts (at most 2000 features a request).
 */
import { pathToFileURL } from 'node:url';
import { type Geometry, type Position, validateGeometry } from '../src/domain/geometry.js';
import type { Marking } from '../src/domain/marking.js';
import { ZONE_GEOMETRY, ZONE_KINDS, type ZoneKind } from '../src/domain/zones.js';

export const GAZA_BBOX = { west: 34.2, south: 31.21, east: 34.53, north: 31.58 } as const;
/** What POST /api/v1/zones/import takes in one request. */
export const MAX_IMPORT_FEATURES = 2000;

const METRES_PER_DEG_LAT = 111_320;
const MID_LAT = (GAZA_BBOX.south + GAZA_BBOX.north) / 2;
const METRES_PER_DEG_LON = METRES_PER_DEG_LAT * Math.cos((MID_LAT * Math.PI) / 180);

const OPEN: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const RESTRICTED: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] };

/** Relative frequency of each kind: areas dominate, as in a real picture; lines are few. */
const KIND_WEIGHTS: Record<ZoneKind, number> = {
  'ceasefire-line': 2,
  'withdrawal-line': 3,
  'buffer-zone': 8,
  'humanitarian-zone': 15,
  crossing: 4,
  'facility-area': 25,
  sector: 10,
  'named-area-of-interest': 20,
  'restricted-area': 13,
};

export interface SyntheticZone {
  type: 'Feature';
  geometry: Geometry;
  properties: { name: string; kind: ZoneKind; marking: Marking; description: string; synthetic: true };
}

export interface SyntheticCollection {
  type: 'FeatureCollection';
  features: SyntheticZone[];
}

export interface GenerateOptions {
  seed?: number;
  /** Share of RESTRICTED//REL TO USA, GBR zones; the rest are UNCLASSIFIED//REL TO ALL. */
  restrictedShare?: number;
}

/** mulberry32: tiny, fast and good enough for test geometry; the same seed gives the same zones. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

function pickKind(rand: () => number): ZoneKind {
  const total = ZONE_KINDS.reduce((s, k) => s + KIND_WEIGHTS[k], 0);
  let r = rand() * total;
  for (const k of ZONE_KINDS) {
    r -= KIND_WEIGHTS[k];
    if (r < 0) return k;
  }
  return ZONE_KINDS[ZONE_KINDS.length - 1]!;
}

/** A point whose surroundings of `margin` metres stay inside the bounding box. */
function centreInside(rand: () => number, margin: number): [number, number] {
  const dLon = margin / METRES_PER_DEG_LON;
  const dLat = margin / METRES_PER_DEG_LAT;
  const lon = GAZA_BBOX.west + dLon + rand() * (GAZA_BBOX.east - GAZA_BBOX.west - 2 * dLon);
  const lat = GAZA_BBOX.south + dLat + rand() * (GAZA_BBOX.north - GAZA_BBOX.south - 2 * dLat);
  return [lon, lat];
}

/**
 * Vertices at strictly increasing angles around one centre, each at a positive radius: the ring is
 * star-shaped about the centre, hence simple. Counter-clockwise, as RFC 7946 wants exterior rings.
 */
function starPolygon(rand: () => number, vertices: number, radius: number): Position[][] {
  const [cx, cy] = centreInside(rand, radius * 1.4);
  const step = (2 * Math.PI) / vertices;
  const ring: Position[] = [];
  for (let i = 0; i < vertices; i++) {
    const angle = i * step + rand() * step * 0.8;
    const r = radius * (0.55 + rand() * 0.8);
    ring.push([
      round6(cx + (r * Math.cos(angle)) / METRES_PER_DEG_LON),
      round6(cy + (r * Math.sin(angle)) / METRES_PER_DEG_LAT),
    ]);
  }
  ring.push([ring[0]![0]!, ring[0]![1]!]);
  return [ring];
}

/** Strictly increasing longitude makes the line x-monotone, so it cannot cross itself. */
function monotoneLine(rand: () => number, vertices: number, length: number): Position[] {
  const [x0, y0] = centreInside(rand, length / 2 + 200);
  const start = x0 - length / 2 / METRES_PER_DEG_LON;
  const dx = length / (vertices - 1) / METRES_PER_DEG_LON;
  const line: Position[] = [];
  let y = y0;
  for (let i = 0; i < vertices; i++) {
    y += ((rand() - 0.5) * length) / vertices / METRES_PER_DEG_LAT;
    line.push([round6(start + i * dx + rand() * dx * 0.3), round6(y)]);
  }
  return line;
}

function geometryFor(kind: ZoneKind, rand: () => number): Geometry {
  const vertices = 20 + Math.floor(rand() * 41);
  if (ZONE_GEOMETRY[kind].includes('Polygon')) {
    return { type: 'Polygon', coordinates: starPolygon(rand, vertices, 100 + rand() * 700) };
  }
  return { type: 'LineString', coordinates: monotoneLine(rand, vertices, 1000 + rand() * 4000) };
}

/** N valid synthetic zones; throws if one ever fails the server's own geometry validation. */
export function generateZones(count: number, opts: GenerateOptions = {}): SyntheticCollection {
  const rand = prng(opts.seed ?? 42);
  const restrictedShare = opts.restrictedShare ?? 0.15;
  const features: SyntheticZone[] = [];
  for (let i = 0; i < count; i++) {
    const kind = pickKind(rand);
    const geometry = geometryFor(kind, rand);
    const checked = validateGeometry(geometry, ZONE_GEOMETRY[kind]);
    if (!checked.ok) {
      throw new Error(`generated zone ${i} (${kind}) is invalid: ${JSON.stringify(checked.problems)}`);
    }
    const marking = rand() < restrictedShare ? RESTRICTED : OPEN;
    features.push({
      type: 'Feature',
      geometry,
      properties: {
        name: `Bench ${kind} ${String(i + 1).padStart(4, '0')}`,
        kind,
        marking,
        description: 'Synthetic benchmark zone, not operational.',
        synthetic: true,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** Positions in a geometry, closing positions of rings included. */
export function vertexCount(g: Geometry): number {
  const count = (c: unknown): number =>
    Array.isArray(c) && typeof c[0] === 'number'
      ? 1
      : Array.isArray(c)
        ? c.reduce((s, x) => s + count(x), 0)
        : 0;
  return count(g.coordinates);
}

/** Splits a collection into import requests the server accepts. */
export function importBatches(fc: SyntheticCollection, size = MAX_IMPORT_FEATURES): SyntheticCollection[] {
  const out: SyntheticCollection[] = [];
  for (let i = 0; i < fc.features.length; i += size) {
    out.push({ type: 'FeatureCollection', features: fc.features.slice(i, i + size) });
  }
  return out;
}

function cli(argv: string[]): void {
  const [countArg = '1000', seedArg = '42'] = argv;
  const count = Number(countArg);
  const seed = Number(seedArg);
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) {
    process.stderr.write('usage: tsx bench/zones-generator.ts <count> [seed] > zones.geojson\n');
    process.exit(2);
  }
  if (count > MAX_IMPORT_FEATURES) {
    process.stderr.write(
      `note: the import takes at most ${MAX_IMPORT_FEATURES} features a request; split the file.\n`,
    );
  }
  process.stdout.write(`${JSON.stringify(generateZones(count, { seed }))}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) cli(process.argv.slice(2));
