import regionUrl from 'virtual:region-basemap';
import type { Feature } from 'ol';
import GeoJSON from 'ol/format/GeoJSON';
import VectorImageLayer from 'ol/layer/VectorImage';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style } from 'ol/style';

export const SEA_COLOUR = '#a9c8dd';
const LAND = new Style({
  fill: new Fill({ color: '#f3f0e8' }),
  stroke: new Stroke({ color: '#9a9486', width: 0.8 }),
});

/** Loaded once per page: remounting the map (or React's strict double effects) must not refetch it. */
let countries: Promise<Feature[]> | null = null;

async function loadCountries(): Promise<Feature[]> {
  const res = await fetch(regionUrl);
  if (!res.ok) throw new Error(`basemap: HTTP ${res.status}`);
  return new GeoJSON().readFeatures(await res.json(), {
    dataProjection: 'EPSG:4326',
    featureProjection: 'EPSG:3857',
  });
}

/**
 * The offline basemap: Natural Earth 1:10m country polygons (public domain, from `world-atlas`, cut
 * to the region at build time) on a sea-coloured background. No tile server is needed; the file is
 * a separately cached static asset.
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
