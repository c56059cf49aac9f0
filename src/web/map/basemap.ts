import type { Feature } from 'ol';
import GeoJSON from 'ol/format/GeoJSON';
import VectorImageLayer from 'ol/layer/VectorImage';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style } from 'ol/style';
import { feature as topoFeature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-10m.json?url';

export const SEA_COLOUR = '#a9c8dd';
const LAND = new Style({
  fill: new Fill({ color: '#f3f0e8' }),
  stroke: new Stroke({ color: '#9a9486', width: 0.8 }),
});

/** ISO 3166 numeric codes of the countries around the area of operations (Natural Earth ids). */
const REGION = new Set(['275', '376', '818', '400', '422', '760', '682', '196', '792', '368', '434', '729']);

/** Loaded once per page: remounting the map (or React's strict double effects) must not refetch 3 MB. */
let countries: Promise<Feature[]> | null = null;

async function loadCountries(): Promise<Feature[]> {
  const res = await fetch(countriesUrl);
  if (!res.ok) throw new Error(`basemap: HTTP ${res.status}`);
  const topo = (await res.json()) as Topology;
  const all = topo.objects.countries as GeometryCollection;
  // Only the region: building all 250 countries costs the first render half a second and 40 MB.
  const object: GeometryCollection = {
    ...all,
    geometries: all.geometries.filter((g) => REGION.has(String(g.id))),
  };
  const fc = topoFeature(topo, object);
  return new GeoJSON().readFeatures(fc, { dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
}

/**
 * The offline basemap: Natural Earth 1:10m country polygons (public domain, from `world-atlas`) on a
 * sea-coloured background. No tile server is needed; the file is a separately cached static asset.
 */
export function basemapLayer(onError: () => void): VectorImageLayer<VectorSource> {
  const source = new VectorSource();
  countries ??= loadCountries();
  countries.then(
    (features) => source.addFeatures(features.map((f) => f.clone())),
    () => {
      countries = null;
      onError();
    },
  );
  // An image layer redraws after a pan, not on every frame: the 10m coastline is heavy to stroke.
  return new VectorImageLayer({
    source,
    style: LAND,
    background: SEA_COLOUR,
    imageRatio: 1.5,
    properties: { name: 'basemap' },
  });
}
