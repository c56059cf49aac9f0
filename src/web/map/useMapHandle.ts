import { fromLonLat } from 'ol/proj';
import { type Ref, type RefObject, useImperativeHandle } from 'react';
import type { MapParts } from './createMap';
import type { ToolControl } from './mapTools';
import type { MapHandle } from './mapViewProps';

/** Centring on a track from far out zooms in this far, enough to tell it from its neighbours. */
const TRACK_ZOOM = 13;

/** What the shell may ask of the map: zoom to a zone, centre on a track or a position, finish a drawing. */
export function useMapHandle(
  ref: Ref<MapHandle> | undefined,
  partsRef: RefObject<MapParts | null>,
  controlRef: RefObject<ToolControl | null>,
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the handle reads refs only, so it is made once.
  useImperativeHandle(
    ref,
    () => ({
      zoomTo(id: string) {
        const map = partsRef.current?.map;
        const geometry = partsRef.current?.zones.getFeatureById(id)?.getGeometry();
        if (!map || !geometry) return;
        // A point gets some surroundings; the offline basemap has little detail beyond zoom 13.
        const maxZoom = geometry.getType() === 'Point' ? 13 : 14;
        map.getView().fit(geometry.getExtent(), { padding: [48, 48, 48, 48], maxZoom, duration: 350 });
      },
      centreOnTrack(uid: string) {
        const map = partsRef.current?.map;
        const position = partsRef.current?.tracks.position(uid);
        if (!map || !position) return;
        const view = map.getView();
        const zoom = Math.max(view.getZoom() ?? TRACK_ZOOM, TRACK_ZOOM);
        view.animate({ center: fromLonLat(position), zoom, duration: 350 });
      },
      centreOn(lon: number, lat: number) {
        const view = partsRef.current?.map.getView();
        const zoom = Math.max(view?.getZoom() ?? TRACK_ZOOM, TRACK_ZOOM);
        view?.animate({ center: fromLonLat([lon, lat]), zoom, duration: 350 });
      },
      finishDrawing: () => controlRef.current?.finish(),
      undoLastPoint: () => controlRef.current?.undoPoint(),
    }),
    [],
  );
}
