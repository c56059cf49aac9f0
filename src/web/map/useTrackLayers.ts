import { fromLonLat } from 'ol/proj';
import { type RefObject, useEffect } from 'react';
import type { ReplayScene } from '../features/replay/scene';
import type { TrackFeature } from '../features/tracks/types';
import type { MapParts } from './createMap';
import { attachReplay } from './replayLayer';

/**
 * Feeds the tracks to their layers: the filtered set on each render of `tracks`, every move as it
 * arrives (no React render), the selection and its trail, and a replay in place of the live picture.
 */
export function useTrackLayers(
  partsRef: RefObject<MapParts | null>,
  generation: number,
  tracks: readonly TrackFeature[],
  subscribeTrackMoves: ((listener: (moved: readonly TrackFeature[]) => void) => () => void) | undefined,
  selectedTrackId: string | null,
  trail: readonly (readonly [number, number])[],
  replay: ReplayScene | null,
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the tracks again.
  useEffect(() => {
    partsRef.current?.tracks.sync(tracks);
  }, [tracks, generation]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the movements again.
  useEffect(() => {
    const layers = partsRef.current?.tracks;
    if (!subscribeTrackMoves || !layers) return;
    return subscribeTrackMoves((moved) => layers.move(moved));
  }, [subscribeTrackMoves, generation]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the selection again.
  useEffect(() => {
    partsRef.current?.tracks.setSelected(selectedTrackId);
    const map = partsRef.current?.map;
    if (!selectedTrackId || !map) return;
    // The details panel (a sheet under the map on phones) takes room from the map as it opens:
    // once the layout settles, bring the selected track back into view if it fell outside.
    const frame = requestAnimationFrame(() => {
      map.updateSize();
      const position = partsRef.current?.tracks.position(selectedTrackId);
      const size = map.getSize();
      if (!position || !size) return;
      const [x = 0, y = 0] = map.getPixelFromCoordinate(fromLonLat(position)) ?? [];
      const margin = 48;
      const [w = 0, h = 0] = size;
      if (x < margin || y < margin || x > w - margin || y > h - margin)
        map.getView().animate({ center: fromLonLat(position), duration: 300 });
    });
    return () => cancelAnimationFrame(frame);
  }, [selectedTrackId, generation]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the trail again.
  useEffect(() => {
    partsRef.current?.tracks.setTrail(trail);
  }, [trail, generation]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the replay again.
  useEffect(() => {
    const parts = partsRef.current;
    if (!replay || !parts) return;
    return attachReplay(parts.map, parts.tracks, replay);
  }, [replay, generation]);
}
