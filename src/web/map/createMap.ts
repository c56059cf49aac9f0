import { defaults as defaultControls, ScaleLine } from 'ol/control';
import type BaseLayer from 'ol/layer/Base';
import TileLayer from 'ol/layer/Tile';
import VectorLayer from 'ol/layer/Vector';
import VectorImageLayer from 'ol/layer/VectorImage';
import OlMap from 'ol/Map';
import { fromLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import XYZ from 'ol/source/XYZ';
import View from 'ol/View';
import type { ZoneFeature } from '../../domain/zones';
import { AidLayers } from './aidLayers';
import { basemapLayer } from './basemap';
import { ConvoyLayer } from './convoyLayer';
import { draftStyle, measureStyle, previewStyle } from './editStyles';
import { IncidentLayer } from './incidentLayer';
import { TrackLayers } from './trackLayer';
import { measureLabelFont, zoneStyle } from './zoneStyle';

const GAZA: [number, number] = [34.38, 31.42];
const START_ZOOM = 11;
/** A phone-width map shows the whole strip one zoom level further out. */
const NARROW_START_ZOOM = 10.4;
const NARROW_PX = 600;

/** One OpenLayers map with every layer MapView draws on, in drawing order. */
export interface MapParts {
  map: OlMap;
  zones: VectorSource;
  zonesLayer: VectorImageLayer<VectorSource>;
  // What the zones source was last synced from, so unchanged zones are not re-parsed on every update.
  syncedZones: Map<string, ZoneFeature>;
  draft: VectorSource;
  preview: VectorSource;
  measure: VectorSource;
  tracks: TrackLayers;
  incidents: IncidentLayer;
  aid: AidLayers;
  convoys: ConvoyLayer;
}

/**
 * Builds the map in `target`: basemap (and the configured tiles over it), zones, aid, incidents,
 * convoys, tracks and the editing layers, the view over the strip, zoom and scale bar.
 */
export function createMap(
  target: HTMLElement,
  tileUrl: string | null | undefined,
  selectedZone: () => string | null,
  onBasemapFailed: () => void,
): MapParts {
  measureLabelFont();
  const zones = new VectorSource();
  // An image layer redraws when the view rests, not on every frame of a pan: with a thousand
  // zones that is 17 ms frames instead of 120 ms (npm run bench -- cop).
  const zonesLayer = new VectorImageLayer({
    source: zones,
    style: zoneStyle(selectedZone),
    declutter: true,
    imageRatio: 1.5,
    properties: { name: 'zones' },
  });
  const layers: BaseLayer[] = [basemapLayer(onBasemapFailed)];
  // A configured tile server draws over the offline basemap, which stays as the fallback beneath.
  if (tileUrl) layers.push(new TileLayer({ source: new XYZ({ url: tileUrl, crossOrigin: 'anonymous' }) }));
  const preview = new VectorSource();
  const draft = new VectorSource();
  const measure = new VectorSource();
  const editLayers = [
    new VectorLayer({ source: preview, style: previewStyle(), properties: { name: 'preview' } }),
    new VectorLayer({ source: draft, style: draftStyle(), properties: { name: 'draft' } }),
    new VectorLayer({ source: measure, style: measureStyle, properties: { name: 'measure' } }),
  ];
  const tracks = new TrackLayers();
  const incidents = new IncidentLayer();
  const aid = new AidLayers();
  const convoys = new ConvoyLayer();
  const map = new OlMap({
    target,
    layers: [
      ...layers,
      zonesLayer,
      aid.notificationLayer,
      aid.facilityLayer,
      incidents.layer,
      convoys.layer,
      ...tracks.layers(),
      ...editLayers,
    ],
    view: new View({
      center: fromLonLat(GAZA),
      zoom: target.clientWidth < NARROW_PX ? NARROW_START_ZOOM : START_ZOOM,
      maxZoom: 19,
      constrainResolution: false,
    }),
    controls: defaultControls({ attribution: false, rotate: false }).extend([
      new ScaleLine({ units: 'metric', bar: false, minWidth: 80 }),
    ]),
  });
  return {
    map,
    zones,
    zonesLayer,
    syncedZones: new Map(),
    draft,
    preview,
    measure,
    tracks,
    incidents,
    aid,
    convoys,
  };
}
