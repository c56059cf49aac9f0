import type { Ref } from 'react';
import type { NotificationFeature } from '../../domain/deconfliction';
import type { FacilityFeature } from '../../domain/facilities';
import type { Geometry as GeoJsonGeometry } from '../../domain/geometry';
import type { IncidentFeature } from '../../domain/incidents';
import type { ZoneFeature } from '../../domain/zones';
import type { ReplayScene } from '../features/replay/scene';
import type { TrackFeature } from '../features/tracks/types';
import type { AlertHighlightTarget } from './alertHighlight';
import type { ConvoyPoint } from './convoyLayer';
import type { MapTool, ToolCallbacks } from './mapTools';

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

export interface MapViewProps {
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
