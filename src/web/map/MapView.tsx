import 'ol/ol.css';
import { useRef } from 'react';
import type { IncidentFeature } from '../../domain/incidents';
import type { TrackFeature } from '../features/tracks/types';
import { t } from '../i18n/t';
import { useAlertHighlight } from './alertHighlight';
import { CoordinateReadout } from './CoordinateReadout';
import type { ConvoyPoint } from './convoyLayer';
import type { ToolCallbacks } from './mapTools';
import type { MapPreviewFeature, MapViewProps } from './mapViewProps';
import { useEditTools } from './useEditTools';
import { useLatest } from './useLatest';
import { useMapHandle } from './useMapHandle';
import { useMapInstance } from './useMapInstance';
import { useOverlayLayers } from './useOverlayLayers';
import { useTrackLayers } from './useTrackLayers';
import { useZoneLayer } from './useZoneLayer';

export type { DrawGeometryType, MapTool } from './mapTools';
export type { MapAid, MapDraft, MapHandle, MapPreviewFeature, MapViewProps } from './mapViewProps';

const NO_PREVIEW: readonly MapPreviewFeature[] = [];
const NO_CALLBACKS: Partial<ToolCallbacks> = {};
const NO_TRACKS: readonly TrackFeature[] = [];
const NO_INCIDENTS: readonly IncidentFeature[] = [];
const NO_CONVOYS: readonly ConvoyPoint[] = [];
const NO_TRAIL: readonly (readonly [number, number])[] = [];

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
  const selectedRef = useRef<string | null>(selectedId);
  // The map's click handler is bound once; it reads the latest callbacks through these refs.
  const onSelectRef = useLatest(onSelect);
  const onSelectTrackRef = useLatest(onSelectTrack);
  const onSelectIncidentRef = useLatest(onSelectIncident);
  const aidRef = useLatest(aid);
  const callbacksRef = useLatest(callbacks);
  const toolActiveRef = useRef(false);

  const { partsRef, generation, position, basemapFailed } = useMapInstance(targetRef, tileUrl, selectedRef, {
    onSelect: onSelectRef,
    onSelectTrack: onSelectTrackRef,
    onSelectIncident: onSelectIncidentRef,
    aid: aidRef,
    toolActive: toolActiveRef,
  });
  useAlertHighlight(partsRef, alertHighlight, generation, zones);
  const controlRef = useEditTools(
    partsRef,
    targetRef,
    toolActiveRef,
    generation,
    tool,
    draft,
    preview,
    callbacksRef,
  );
  useZoneLayer(partsRef, zones, selectedRef, selectedId);
  useOverlayLayers(partsRef, generation, incidents, incidentsVisible, aid, convoys, convoysVisible);
  useTrackLayers(partsRef, generation, tracks, subscribeTrackMoves, selectedTrackId, trail, replay);
  useMapHandle(ref, partsRef, controlRef);

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
