import { type RefObject, useEffect, useRef, useState } from 'react';
import type { ReadoutPosition } from './CoordinateReadout';
import { createMap, type MapParts } from './createMap';
import type { MapAid } from './mapViewProps';
import { installPointer } from './pointer';
import { exposeMap } from './testHook';

/** What a click on the map opens: each read through a ref, as the pointer handler is bound once. */
export interface MapPicks {
  onSelect: RefObject<(id: string | null) => void>;
  onSelectTrack: RefObject<((uid: string) => void) | undefined>;
  onSelectIncident: RefObject<((id: string) => void) | undefined>;
  aid: RefObject<MapAid | undefined>;
  // While a tool is on, a click places a point: it must not also select the zone under it.
  toolActive: RefObject<boolean>;
}

/**
 * The map in `targetRef`, made again when the tile URL changes. `generation` counts the maps made,
 * so that effects feeding a layer run again for a new map.
 */
export function useMapInstance(
  targetRef: RefObject<HTMLDivElement | null>,
  tileUrl: string | null | undefined,
  selectedZoneRef: RefObject<string | null>,
  picks: MapPicks,
) {
  const partsRef = useRef<MapParts | null>(null);
  const [generation, setGeneration] = useState(0);
  const [position, setPosition] = useState<ReadoutPosition | null>(null);
  const [basemapFailed, setBasemapFailed] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: picks and the selection are refs, read when used.
  useEffect(() => {
    const target = targetRef.current;
    if (!target) return;
    const parts = createMap(
      target,
      tileUrl,
      () => selectedZoneRef.current,
      () => setBasemapFailed(true),
    );
    const { map, zones, zonesLayer, preview, tracks, incidents, aid } = parts;
    partsRef.current = parts;
    const pickAid = (what: 'facility' | 'notification', id: string) => {
      const a = picks.aid.current;
      if (!a) return false;
      if (what === 'facility') a.onSelectFacility(id);
      else a.onSelectNotification(id);
      return true;
    };
    const removeHook = exposeMap(map, zones, preview, tracks, incidents, aid);

    const removePointer = installPointer(map, target, {
      zones: zonesLayer,
      trackAt: (pixel, tolerance) => tracks.trackAt(pixel, tolerance),
      toolActive: () => picks.toolActive.current,
      onPosition: setPosition,
      onPickZone: (id) => picks.onSelect.current(id),
      onPickTrack: (id) => {
        if (!picks.onSelectTrack.current) return false;
        picks.onSelectTrack.current(id);
        return true;
      },
      incidents: incidents.layer,
      onPickIncident: (id) => {
        if (!picks.onSelectIncident.current) return false;
        picks.onSelectIncident.current(id);
        return true;
      },
      others: [
        { layer: aid.facilityLayer, onPick: (id) => pickAid('facility', id) },
        { layer: aid.notificationLayer, onPick: (id) => pickAid('notification', id) },
      ],
    });
    setGeneration((g) => g + 1);

    return () => {
      removePointer();
      removeHook();
      tracks.dispose();
      partsRef.current = null;
      map.setTarget(undefined);
      map.dispose();
    };
  }, [tileUrl]);

  return { partsRef, generation, position, basemapFailed };
}
