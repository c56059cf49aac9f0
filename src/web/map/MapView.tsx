import { defaults as defaultControls, ScaleLine } from 'ol/control';
import Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import type BaseLayer from 'ol/layer/Base';
import TileLayer from 'ol/layer/Tile';
import VectorLayer from 'ol/layer/Vector';
import VectorImageLayer from 'ol/layer/VectorImage';
import OlMap from 'ol/Map';
import { fromLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import XYZ from 'ol/source/XYZ';
import View from 'ol/View';
import 'ol/ol.css';
import { type Ref, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { NotificationFeature } from '../../domain/deconfliction';
import type { FacilityFeature } from '../../domain/facilities';
import type { Geometry as GeoJsonGeometry } from '../../domain/geometry';
import type { IncidentFeature } from '../../domain/incidents';
import type { ZoneFeature } from '../../domain/zones';
import type { ReplayScene } from '../features/replay/scene';
import type { TrackFeature } from '../features/tracks/types';
import { t } from '../i18n/t';
import { AidLayers } from './aidLayers';
import { type AlertHighlightTarget, useAlertHighlight } from './alertHighlight';
import { basemapLayer } from './basemap';
import { CoordinateReadout, type ReadoutPosition } from './CoordinateReadout';
import { ConvoyLayer, type ConvoyPoint } from './convoyLayer';
import { draftStyle, measureStyle, previewStyle } from './editStyles';
import { IncidentLayer } from './incidentLayer';
import {
  fromGeoJson,
  installTool,
  keyToTool,
  type MapTool,
  type ToolCallbacks,
  type ToolControl,
  toolKey,
} from './mapTools';
import { installPointer } from './pointer';
import { attachReplay } from './replayLayer';
import { exposeMap } from './testHook';
import { TrackLayers } from './trackLayer';
import { zoneStyle } from './zoneStyle';

export type { DrawGeometryType, MapTool } from './mapTools';

export interface MapHandle {
  /** Pans and zooms so the zone fills the view. */
  zoomTo(id: string): void;
  /** Pans to a track, zooming in if the view is far out. */
  centreOnTrack(uid: string): void;
  /** Pans to a position (an alert's), zooming in if the view is far out. */
  centreOn(lon: number, lat: number): void;
  /** Finishes the line or polygon being drawn or measured. */
  finishDrawing(): void;
  /** Takes back the last point placed while drawing. */
  undoLastPoint(): void;
}

/** A zone being drawn or edited, not yet saved. */
export interface MapDraft {
  geometry: GeoJsonGeometry;
  kind: string;
}

/** A feature of an import that the server found valid, shown before it is imported. */
export interface MapPreviewFeature {
  geometry: GeoJsonGeometry;
  kind: string;
  name: string;
}

interface MapViewProps {
  /** The zones to draw: already filtered by the layer toggles and the search. */
  zones: readonly ZoneFeature[];
  selectedId: string | null;
  /** A zone was clicked (its id), or empty map (null). */
  onSelect(id: string | null): void;
  /** The tracks to draw: already filtered by the layer toggles and the search. */
  tracks?: readonly TrackFeature[];
  /**
   * Movements of tracks as they arrive, between renders of `tracks`: the tracks drawn follow them
   * at once. Returns the function that unsubscribes.
   */
  subscribeTrackMoves?(listener: (moved: readonly TrackFeature[]) => void): () => void;
  selectedTrackId?: string | null;
  /** A track was clicked. */
  onSelectTrack?(uid: string): void;
  /** The selected track's recent positions, `[lon, lat]` oldest first. */
  trail?: readonly (readonly [number, number])[];
  /** Optional XYZ tile URL from the server config; the offline basemap is used without it. */
  tileUrl?: string | null;
  /** The active tool, or null for plain panning and selecting. */
  tool?: MapTool | null;
  draft?: MapDraft | null;
  preview?: readonly MapPreviewFeature[];
  callbacks?: Partial<ToolCallbacks>;
  /** The selected alert: a pulsing ring at its position and its zone outlined. */
  alertHighlight?: AlertHighlightTarget | null;
  /** A past window to show instead of the live tracks (replay mode), or null for the live picture. */
  replay?: ReplayScene | null;
  /** The incidents to mark, when their layer is on; a click on one calls `onSelectIncident`. */
  incidents?: readonly IncidentFeature[];
  incidentsVisible?: boolean;
  /** The convoys with a known position, when their layer is on. */
  convoys?: readonly ConvoyPoint[];
  convoysVisible?: boolean;
  onSelectIncident?(id: string): void;
  /** Humanitarian access: facilities and notified sites and routes, each layer on or off. */
  aid?: MapAid;
  ref?: Ref<MapHandle>;
}

export interface MapAid {
  facilities: readonly FacilityFeature[];
  notifications: readonly NotificationFeature[];
  visible: { facilities: boolean; notifications: boolean };
  onSelectFacility(id: string): void;
  onSelectNotification(id: string): void;
}

const NO_PREVIEW: readonly MapPreviewFeature[] = [];
const NO_CALLBACKS: Partial<ToolCallbacks> = {};
const NO_TRACKS: readonly TrackFeature[] = [];
const NO_INCIDENTS: readonly IncidentFeature[] = [];
const NO_CONVOYS: readonly ConvoyPoint[] = [];
const NO_TRAIL: readonly (readonly [number, number])[] = [];
/** Centring on a track from far out zooms in this far, enough to tell it from its neighbours. */
const TRACK_ZOOM = 13;

const GAZA: [number, number] = [34.38, 31.42];
const START_ZOOM = 11;
/** A phone-width map shows the whole strip one zoom level further out. */
const NARROW_START_ZOOM = 10.4;
const NARROW_PX = 600;
const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

/** The map: basemap, zones styled by kind, tracks, scale bar, position read-out, click to select. */
export function MapView({
  zones,
  selectedId,
  onSelect,
  tracks = NO_TRACKS,
  subscribeTrackMoves,
  selectedTrackId = null,
  onSelectTrack,
  trail = NO_TRAIL,
  tileUrl,
  tool,
  draft = null,
  preview = NO_PREVIEW,
  callbacks = NO_CALLBACKS,
  alertHighlight = null,
  replay = null,
  incidents = NO_INCIDENTS,
  incidentsVisible = true,
  convoys = NO_CONVOYS,
  convoysVisible = false,
  onSelectIncident,
  aid,
  ref,
}: MapViewProps) {
  const targetRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<OlMap | null>(null);
  const sourceRef = useRef<VectorSource | null>(null);
  const layerRef = useRef<VectorImageLayer<VectorSource> | null>(null);
  // What the source was last synced from, so unchanged zones are not re-parsed on every update.
  const syncedRef = useRef(new Map<string, ZoneFeature>());
  const selectedRef = useRef<string | null>(selectedId);
  // The map's click handler is bound once; it reads the latest callback through this ref.
  const onSelectRef = useRef(onSelect);
  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);
  const onSelectTrackRef = useRef(onSelectTrack);
  useEffect(() => {
    onSelectTrackRef.current = onSelectTrack;
  }, [onSelectTrack]);
  const onSelectIncidentRef = useRef(onSelectIncident);
  useEffect(() => {
    onSelectIncidentRef.current = onSelectIncident;
  }, [onSelectIncident]);
  const incidentsRef = useRef<IncidentLayer | null>(null);
  const aidRef = useRef<AidLayers | null>(null);
  const aidPropsRef = useRef(aid);
  useEffect(() => {
    aidPropsRef.current = aid;
  }, [aid]);
  const convoysRef = useRef<ConvoyLayer | null>(null);
  const tracksRef = useRef<TrackLayers | null>(null);
  const callbacksRef = useRef(callbacks);
  useEffect(() => {
    callbacksRef.current = callbacks;
  }, [callbacks]);
  const draftSourceRef = useRef<VectorSource | null>(null);
  const previewSourceRef = useRef<VectorSource | null>(null);
  const measureSourceRef = useRef<VectorSource | null>(null);
  const controlRef = useRef<ToolControl | null>(null);
  // While a tool is on, a click places a point: it must not also select the zone under it.
  const toolActiveRef = useRef(false);
  // The draft geometry this map last reported, so the echo coming back as a prop is not re-read.
  const emittedDraftRef = useRef<GeoJsonGeometry | null>(null);
  const [mapGeneration, setMapGeneration] = useState(0);
  const [position, setPosition] = useState<ReadoutPosition | null>(null);
  const [basemapFailed, setBasemapFailed] = useState(false);

  useEffect(() => {
    const target = targetRef.current;
    if (!target) return;
    const source = new VectorSource();
    // An image layer redraws when the view rests, not on every frame of a pan: with a thousand
    // zones that is 17 ms frames instead of 120 ms (npm run bench -- cop).
    const zonesLayer = new VectorImageLayer({
      source,
      style: zoneStyle(() => selectedRef.current),
      declutter: true,
      imageRatio: 1.5,
      properties: { name: 'zones' },
    });
    const layers: BaseLayer[] = [basemapLayer(() => setBasemapFailed(true))];
    // A configured tile server draws over the offline basemap, which stays as the fallback beneath.
    if (tileUrl) layers.push(new TileLayer({ source: new XYZ({ url: tileUrl, crossOrigin: 'anonymous' }) }));
    const previewSource = new VectorSource();
    const draftSource = new VectorSource();
    const measureSource = new VectorSource();
    const editLayers = [
      new VectorLayer({ source: previewSource, style: previewStyle(), properties: { name: 'preview' } }),
      new VectorLayer({ source: draftSource, style: draftStyle(), properties: { name: 'draft' } }),
      new VectorLayer({ source: measureSource, style: measureStyle, properties: { name: 'measure' } }),
    ];
    const trackLayers = new TrackLayers();
    const incidentLayer = new IncidentLayer();
    incidentsRef.current = incidentLayer;
    const aidLayers = new AidLayers();
    aidRef.current = aidLayers;
    const convoyLayer = new ConvoyLayer();
    convoysRef.current = convoyLayer;
    const map = new OlMap({
      target,
      layers: [
        ...layers,
        zonesLayer,
        aidLayers.notificationLayer,
        aidLayers.facilityLayer,
        incidentLayer.layer,
        convoyLayer.layer,
        ...trackLayers.layers(),
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
    mapRef.current = map;
    sourceRef.current = source;
    layerRef.current = zonesLayer;
    const synced = syncedRef.current;
    draftSourceRef.current = draftSource;
    previewSourceRef.current = previewSource;
    measureSourceRef.current = measureSource;
    tracksRef.current = trackLayers;
    const pickAid = (what: 'facility' | 'notification', id: string) => {
      const a = aidPropsRef.current;
      if (!a) return false;
      if (what === 'facility') a.onSelectFacility(id);
      else a.onSelectNotification(id);
      return true;
    };
    const removeHook = exposeMap(map, source, previewSource, trackLayers, incidentLayer, aidLayers);

    const removePointer = installPointer(map, target, {
      zones: zonesLayer,
      trackAt: (pixel, tolerance) => trackLayers.trackAt(pixel, tolerance),
      toolActive: () => toolActiveRef.current,
      onPosition: setPosition,
      onPickZone: (id) => onSelectRef.current(id),
      onPickTrack: (id) => {
        if (!onSelectTrackRef.current) return false;
        onSelectTrackRef.current(id);
        return true;
      },
      incidents: incidentLayer.layer,
      onPickIncident: (id) => {
        if (!onSelectIncidentRef.current) return false;
        onSelectIncidentRef.current(id);
        return true;
      },
      others: [
        { layer: aidLayers.facilityLayer, onPick: (id) => pickAid('facility', id) },
        { layer: aidLayers.notificationLayer, onPick: (id) => pickAid('notification', id) },
      ],
    });
    setMapGeneration((g) => g + 1);

    return () => {
      removePointer();
      removeHook();
      trackLayers.dispose();
      tracksRef.current = null;
      incidentsRef.current = null;
      aidRef.current = null;
      convoysRef.current = null;
      map.setTarget(undefined);
      map.dispose();
      synced.clear();
      mapRef.current = null;
      sourceRef.current = null;
      layerRef.current = null;
      draftSourceRef.current = null;
      previewSourceRef.current = null;
      measureSourceRef.current = null;
    };
  }, [tileUrl]);

  useAlertHighlight(mapRef, sourceRef, alertHighlight, mapGeneration, zones);

  const activeTool = toolKey(tool);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the tool again.
  useEffect(() => {
    const map = mapRef.current;
    const draftSource = draftSourceRef.current;
    const measureSource = measureSourceRef.current;
    const current = keyToTool(activeTool);
    toolActiveRef.current = current !== null;
    if (!map || !draftSource || !measureSource || !current) return;
    const control = installTool(map, current, { draft: draftSource, measure: measureSource }, () => ({
      onDrawn: (g) => callbacksRef.current.onDrawn?.(g),
      onDrawCancel: () => callbacksRef.current.onDrawCancel?.(),
      onDraftChange: (g) => {
        emittedDraftRef.current = g;
        callbacksRef.current.onDraftChange?.(g);
      },
      onMeasure: (m) => callbacksRef.current.onMeasure?.(m),
    }));
    controlRef.current = control;
    return () => {
      control.remove();
      if (controlRef.current === control) controlRef.current = null;
      toolActiveRef.current = false;
      if (targetRef.current) targetRef.current.style.cursor = '';
    };
  }, [activeTool, mapGeneration]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the draft again.
  useEffect(() => {
    const source = draftSourceRef.current;
    if (!source) return;
    if (!draft) {
      source.clear();
      emittedDraftRef.current = null;
      return;
    }
    const existing = source.getFeatures()[0];
    if (existing && draft.geometry === emittedDraftRef.current) {
      existing.set('kind', draft.kind);
      return;
    }
    source.clear();
    const feature = new Feature({ geometry: fromGeoJson(draft.geometry), kind: draft.kind });
    source.addFeature(feature);
  }, [draft, mapGeneration]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the preview again.
  useEffect(() => {
    const source = previewSourceRef.current;
    const map = mapRef.current;
    if (!source || !map) return;
    source.clear();
    if (preview.length === 0) return;
    source.addFeatures(
      preview.map((p) => new Feature({ geometry: fromGeoJson(p.geometry), kind: p.kind, name: p.name })),
    );
    // Show where the import lands; a single point gets some surroundings.
    const extent = source.getExtent();
    if (!extent) return;
    map.getView().fit(extent, { padding: [64, 64, 64, 64], maxZoom: 13, duration: 300 });
  }, [preview, mapGeneration]);

  useEffect(() => {
    const source = sourceRef.current;
    if (!source) return;
    const synced = syncedRef.current;
    const wanted = new Map(zones.map((z) => [String(z.id), z]));
    for (const [id] of synced) {
      if (wanted.has(id)) continue;
      const f = source.getFeatureById(id);
      if (f) source.removeFeature(f);
      synced.delete(id);
    }
    const added: Feature[] = [];
    for (const [id, zone] of wanted) {
      if (synced.get(id) === zone) continue;
      const old = source.getFeatureById(id);
      if (old) source.removeFeature(old);
      const read = geojson.readFeature(zone);
      const feature = Array.isArray(read) ? read[0] : read;
      if (!feature) continue;
      feature.setId(id);
      added.push(feature);
      synced.set(id, zone);
    }
    if (added.length) source.addFeatures(added);
  }, [zones]);

  useEffect(() => {
    selectedRef.current = selectedId;
    layerRef.current?.changed();
  }, [selectedId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the incidents again.
  useEffect(() => {
    incidentsRef.current?.sync(incidents);
  }, [incidents, mapGeneration]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the toggle again.
  useEffect(() => {
    incidentsRef.current?.setVisible(incidentsVisible);
  }, [incidentsVisible, mapGeneration]);

  const aidFacilities = aid?.facilities;
  const aidNotifications = aid?.notifications;
  const showFacilities = aid?.visible.facilities ?? false;
  const showNotifications = aid?.visible.notifications ?? false;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs them again.
  useEffect(() => {
    const layers = aidRef.current;
    if (!layers) return;
    layers.syncFacilities(aidFacilities ?? []);
    layers.syncNotifications(aidNotifications ?? []);
    layers.setVisible({ facilities: showFacilities, notifications: showNotifications });
  }, [aidFacilities, aidNotifications, showFacilities, showNotifications, mapGeneration]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the convoys again.
  useEffect(() => {
    convoysRef.current?.sync(convoys);
    convoysRef.current?.setVisible(convoysVisible);
  }, [convoys, convoysVisible, mapGeneration]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the tracks again.
  useEffect(() => {
    tracksRef.current?.sync(tracks);
  }, [tracks, mapGeneration]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the movements again.
  useEffect(() => {
    const layers = tracksRef.current;
    if (!subscribeTrackMoves || !layers) return;
    return subscribeTrackMoves((moved) => layers.move(moved));
  }, [subscribeTrackMoves, mapGeneration]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the selection again.
  useEffect(() => {
    tracksRef.current?.setSelected(selectedTrackId);
    const map = mapRef.current;
    if (!selectedTrackId || !map) return;
    // The details panel (a sheet under the map on phones) takes room from the map as it opens:
    // once the layout settles, bring the selected track back into view if it fell outside.
    const frame = requestAnimationFrame(() => {
      map.updateSize();
      const position = tracksRef.current?.position(selectedTrackId);
      const size = map.getSize();
      if (!position || !size) return;
      const [x = 0, y = 0] = map.getPixelFromCoordinate(fromLonLat(position)) ?? [];
      const margin = 48;
      const [w = 0, h = 0] = size;
      if (x < margin || y < margin || x > w - margin || y > h - margin)
        map.getView().animate({ center: fromLonLat(position), duration: 300 });
    });
    return () => cancelAnimationFrame(frame);
  }, [selectedTrackId, mapGeneration]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the trail again.
  useEffect(() => {
    tracksRef.current?.setTrail(trail);
  }, [trail, mapGeneration]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (mapGeneration) needs the replay again.
  useEffect(() => {
    const map = mapRef.current;
    const live = tracksRef.current;
    if (!replay || !map || !live) return;
    return attachReplay(map, live, replay);
  }, [replay, mapGeneration]);

  useImperativeHandle(
    ref,
    () => ({
      zoomTo(id: string) {
        const map = mapRef.current;
        const geometry = sourceRef.current?.getFeatureById(id)?.getGeometry();
        if (!map || !geometry) return;
        // A point gets some surroundings; the offline basemap has little detail beyond zoom 13.
        const maxZoom = geometry.getType() === 'Point' ? 13 : 14;
        map.getView().fit(geometry.getExtent(), { padding: [48, 48, 48, 48], maxZoom, duration: 350 });
      },
      centreOnTrack(uid: string) {
        const map = mapRef.current;
        const position = tracksRef.current?.position(uid);
        if (!map || !position) return;
        const view = map.getView();
        const zoom = Math.max(view.getZoom() ?? TRACK_ZOOM, TRACK_ZOOM);
        view.animate({ center: fromLonLat(position), zoom, duration: 350 });
      },
      centreOn(lon: number, lat: number) {
        const view = mapRef.current?.getView();
        const zoom = Math.max(view?.getZoom() ?? TRACK_ZOOM, TRACK_ZOOM);
        view?.animate({ center: fromLonLat([lon, lat]), zoom, duration: 350 });
      },
      finishDrawing: () => controlRef.current?.finish(),
      undoLastPoint: () => controlRef.current?.undoPoint(),
    }),
    [],
  );

  return (
    <div className="map-wrap">
      <div
        ref={targetRef}
        className="map"
        data-testid="map"
        role="application"
        aria-label={t('map.label')}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: focus lets keyboard users pan (arrows) and zoom (+/−) the map.
        tabIndex={0}
      />
      <CoordinateReadout position={position} />
      {basemapFailed && (
        <p className="map-notice" role="status">
          {t('map.basemapFailed')}
        </p>
      )}
    </div>
  );
}
