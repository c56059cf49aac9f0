import type OlMap from 'ol/Map';
import { fromLonLat } from 'ol/proj';
import type VectorSource from 'ol/source/Vector';

/** What end-to-end tests read from the page: the zones actually drawn on the map right now. */
export interface ConcordTestHook {
  zoneIds(): string[];
  zoneNames(): string[];
  /** Names of the import-preview features on the map. */
  previewNames(): string[];
  /** Where a WGS84 position is on the map, in pixels from the map's top left corner. */
  pixelAt(lon: number, lat: number): [number, number] | null;
}

declare global {
  interface Window {
    __concord?: ConcordTestHook;
  }
}

/** Exposes the zone layer's contents as `window.__concord`; returns the function that removes it. */
export function exposeZones(map: OlMap, source: VectorSource, preview: VectorSource): () => void {
  const hook: ConcordTestHook = {
    zoneIds: () => source.getFeatures().map((f) => String(f.getId())),
    zoneNames: () => source.getFeatures().map((f) => String(f.get('name') ?? '')),
    previewNames: () => preview.getFeatures().map((f) => String(f.get('name') ?? '')),
    pixelAt: (lon, lat) => {
      const p = map.getPixelFromCoordinate(fromLonLat([lon, lat]));
      return p ? [p[0] ?? 0, p[1] ?? 0] : null;
    },
  };
  window.__concord = hook;
  return () => {
    if (window.__concord === hook) delete window.__concord;
  };
}
