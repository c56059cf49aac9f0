import type OlMap from 'ol/Map';
import { fromLonLat } from 'ol/proj';
import type VectorSource from 'ol/source/Vector';
import type { AidLayers } from './aidLayers';
import type { IncidentLayer } from './incidentLayer';
import type { ReplayLayers } from './replayLayer';
import type { TrackLayers } from './trackLayer';

/** The replay picture, while replaying. */
export interface ReplayTestHook {
  /** The replay time drawn, epoch ms. */
  time(): number;
  /** Uids of the tracks drawn at the replay time. */
  trackIds(): string[];
  trackPosition(uid: string): [number, number] | null;
  /** Points of a track's trail, its position now included. */
  trailPoints(uid: string): number;
  /** Ids of the alerts marked on the map. */
  alertIds(): string[];
}

/** What end-to-end tests read from the page: the zones and tracks actually drawn on the map right now. */
export interface ConcordTestHook {
  zoneIds(): string[];
  zoneNames(): string[];
  /** Names of the import-preview features on the map. */
  previewNames(): string[];
  /** Where a WGS84 position is on the map, in pixels from the map's top left corner. */
  pixelAt(lon: number, lat: number): [number, number] | null;
  /** Uids of the tracks drawn (those passing the layer toggles and the search). */
  trackIds(): string[];
  trackCallsigns(): string[];
  /** Where a drawn track is, as `[lon, lat]`; null when it is not drawn. */
  trackPosition(uid: string): [number, number] | null;
  /** Ids of the incidents on the map (empty while their layer is off). */
  incidentIds(): string[];
  /** Ids of the facilities and of the notifications on the map (empty while their layer is off). */
  facilityIds?(): string[];
  notificationIds?(): string[];
  /** The highlighted alert (set by the alert highlight layer), or null. */
  alertHighlight?(): { lon: number; lat: number; zoneId: string | null; zoneOutlined: boolean } | null;
  replay?: ReplayTestHook;
}

declare global {
  interface Window {
    __concord?: ConcordTestHook;
  }
}

/** Exposes the map's contents as `window.__concord`; returns the function that removes it. */
export function exposeMap(
  map: OlMap,
  zones: VectorSource,
  preview: VectorSource,
  tracks: TrackLayers,
  incidents: IncidentLayer,
  aid?: AidLayers,
): () => void {
  const hook: ConcordTestHook = {
    zoneIds: () => zones.getFeatures().map((f) => String(f.getId())),
    zoneNames: () => zones.getFeatures().map((f) => String(f.get('name') ?? '')),
    previewNames: () => preview.getFeatures().map((f) => String(f.get('name') ?? '')),
    pixelAt: (lon, lat) => {
      const p = map.getPixelFromCoordinate(fromLonLat([lon, lat]));
      return p ? [p[0] ?? 0, p[1] ?? 0] : null;
    },
    trackIds: () => tracks.ids(),
    trackCallsigns: () => tracks.callsigns(),
    trackPosition: (uid) => tracks.position(uid),
    incidentIds: () => (incidents.layer.getVisible() ? incidents.ids() : []),
    facilityIds: () => aid?.facilityIds() ?? [],
    notificationIds: () => aid?.notificationIds() ?? [],
  };
  window.__concord = hook;
  return () => {
    if (window.__concord === hook) delete window.__concord;
  };
}

/** Adds the replay picture to the hook while replaying; returns the function that takes it away. */
export function exposeReplay(layers: ReplayLayers): () => void {
  const replay: ReplayTestHook = {
    time: () => layers.time,
    trackIds: () => layers.ids(),
    trackPosition: (uid) => layers.position(uid),
    trailPoints: (uid) => layers.trailPoints(uid),
    alertIds: () => layers.alertIds(),
  };
  if (window.__concord) window.__concord.replay = replay;
  return () => {
    if (window.__concord?.replay === replay) delete window.__concord.replay;
  };
}
