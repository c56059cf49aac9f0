import type VectorSource from 'ol/source/Vector';

/** What end-to-end tests read from the page: the zones actually drawn on the map right now. */
export interface ConcordTestHook {
  zoneIds(): string[];
  zoneNames(): string[];
}

declare global {
  interface Window {
    __concord?: ConcordTestHook;
  }
}

/** Exposes the zone layer's contents as `window.__concord`; returns the function that removes it. */
export function exposeZones(source: VectorSource): () => void {
  const hook: ConcordTestHook = {
    zoneIds: () => source.getFeatures().map((f) => String(f.getId())),
    zoneNames: () => source.getFeatures().map((f) => String(f.get('name') ?? '')),
  };
  window.__concord = hook;
  return () => {
    if (window.__concord === hook) delete window.__concord;
  };
}
