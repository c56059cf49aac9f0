/** The PostGIS peer of the geofence benchmark: the Debian server on loopback, a scratch database. */
import pg from 'pg';
import type { FenceZone } from '../../src/server/modules/geofence/geofence.zone.js';

export const POSTGIS_CONTROL = '/usr/share/postgresql/15/extension/postgis.control';
const DB = 'concord_bench_geofence';
const CHUNK = 10_000;

/** Reports step-major: report i is step floor(i / tracks) of track i % tracks. */
export interface Workload {
  tracks: number;
  steps: number;
  lon: Float64Array;
  lat: Float64Array;
  t(i: number): number;
}

export interface PostgisRun {
  reports: number;
  seconds: number;
  reportsPerSec: number;
  /** Enter/exit transitions as the engine's keys: (report × zones + zone) × 2 + (exit ? 1 : 0). */
  transitions(zoneIndex: Map<string, number>, zoneCount: number): number[];
}

/**
 * Loads the area zones as geometry with a GiST index, then asks, chunk by chunk, which areas
 * contain each report. Stops at a chunk boundary once the query time passes the budget.
 */
export async function measurePostgis(
  serverUrl: string,
  zones: FenceZone[],
  w: Workload,
  budgetS: number,
  say: (s: string) => void,
): Promise<PostgisRun> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
    await admin.query(`CREATE DATABASE ${DB}`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${DB}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query('CREATE EXTENSION postgis');
    await c.query('CREATE TABLE zones (id text PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL)');
    const areas = zones.filter((z) => z.rules.length > 0);
    await c.query(
      `INSERT INTO zones SELECT id, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) FROM unnest($1::text[], $2::text[]) AS x(id, g)`,
      [areas.map((z) => z.id), areas.map((z) => JSON.stringify(z.geometry))],
    );
    await c.query('CREATE INDEX zones_geom ON zones USING gist (geom)');
    await c.query('ANALYZE zones');
    const total = w.lon.length;
    const pairs: { report: number; zone: string }[] = [];
    let seconds = 0;
    let done = 0;
    while (done < total && seconds < budgetS) {
      const end = Math.min(total, done + CHUNK);
      const ids = Array.from({ length: end - done }, (_, k) => done + k);
      const lons = Array.from(w.lon.subarray(done, end));
      const lats = Array.from(w.lat.subarray(done, end));
      const t0 = performance.now();
      const r = await c.query<{ i: number; id: string }>(
        `SELECT r.i, z.id FROM unnest($1::int[], $2::float8[], $3::float8[]) AS r(i, lon, lat)
         JOIN zones z ON ST_Intersects(z.geom, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326))`,
        [ids, lons, lats],
      );
      seconds += (performance.now() - t0) / 1000;
      for (const row of r.rows) pairs.push({ report: row.i, zone: row.id });
      done = end;
      if (done % 200_000 === 0)
        say(`  PostGIS: ${done.toLocaleString('en')} reports, ${seconds.toFixed(1)} s`);
    }
    if (done < total)
      say(`  PostGIS stopped after ${done.toLocaleString('en')} reports: the ${budgetS} s budget is spent.`);
    return {
      reports: done,
      seconds,
      reportsPerSec: Math.round(done / seconds),
      transitions(zoneIndex, zoneCount) {
        return transitions(pairs, done, w.tracks, zoneIndex, zoneCount);
      },
    };
  } finally {
    await c.end();
  }
}

/** What the engine derives, derived from containment: per track, areas gained (enter) and lost (exit). */
function transitions(
  pairs: { report: number; zone: string }[],
  reports: number,
  tracks: number,
  zoneIndex: Map<string, number>,
  zoneCount: number,
): number[] {
  const containing: number[][] = Array.from({ length: reports }, () => []);
  for (const p of pairs) containing[p.report]!.push(zoneIndex.get(p.zone)!);
  const keys: number[] = [];
  for (let i = tracks; i < reports; i++) {
    const prev = containing[i - tracks]!;
    const cur = containing[i]!;
    for (const z of cur) if (!prev.includes(z)) keys.push((i * zoneCount + z) * 2);
    for (const z of prev) if (!cur.includes(z)) keys.push((i * zoneCount + z) * 2 + 1);
  }
  return keys;
}
