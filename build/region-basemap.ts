import fs from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Plugin } from 'vite';

/**
 * The basemap's countries, cut to the region at build time: Natural Earth 1:10m (public domain,
 * from `world-atlas`) is 3.6 MB of TopoJSON for the world, of which the map draws 12 countries.
 * Cut here, the browser fetches 225 kB of GeoJSON (67 kB gzipped) and parses nothing else.
 */

/** ISO 3166 numeric codes of the countries around the area of operations (Natural Earth ids). */
const REGION = new Set(['275', '376', '818', '400', '422', '760', '682', '196', '792', '368', '434', '729']);
const VIRTUAL = 'virtual:region-basemap';
const RESOLVED = `\0${VIRTUAL}`;
const DEV_URL = '/@concord/region-countries.json';

/** The region as a GeoJSON FeatureCollection, coordinates to 4 decimals (about 10 m). */
export function regionCountries(): string {
  const file = createRequire(import.meta.url).resolve('world-atlas/countries-10m.json');
  const topo = JSON.parse(fs.readFileSync(file, 'utf8')) as Topology;
  const all = topo.objects.countries as GeometryCollection;
  const fc = feature(topo, { ...all, geometries: all.geometries.filter((g) => REGION.has(String(g.id))) });
  const round = (c: unknown): unknown =>
    typeof (c as number[])[0] === 'number'
      ? (c as number[]).map((x) => Math.round(x * 1e4) / 1e4)
      : (c as unknown[]).map(round);
  for (const f of fc.features) {
    const g = f.geometry as { coordinates: unknown };
    g.coordinates = round(g.coordinates);
  }
  return JSON.stringify(fc);
}

/** `import url from 'virtual:region-basemap'`: the URL of the region's GeoJSON, a hashed asset in builds. */
export function regionBasemap(): Plugin {
  let json: string | null = null;
  let building = false;
  const source = () => {
    json ??= regionCountries();
    return json;
  };
  return {
    name: 'concord-region-basemap',
    configResolved(config) {
      building = config.command === 'build';
    },
    resolveId: (id) => (id === VIRTUAL ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      if (!building) return `export default ${JSON.stringify(DEV_URL)};`;
      const ref = this.emitFile({ type: 'asset', name: 'region-countries.json', source: source() });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
    configureServer(server) {
      server.middlewares.use(DEV_URL, (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(source());
      });
    },
  };
}
