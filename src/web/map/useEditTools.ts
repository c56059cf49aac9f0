import Feature from 'ol/Feature';
import { type RefObject, useEffect, useRef } from 'react';
import type { Geometry as GeoJsonGeometry } from '../../domain/geometry';
import type { MapParts } from './createMap';
import {
  fromGeoJson,
  installTool,
  keyToTool,
  type MapTool,
  type ToolCallbacks,
  type ToolControl,
  toolKey,
} from './mapTools';
import type { MapDraft, MapPreviewFeature } from './mapViewProps';

/**
 * The editing side of the map: the active tool (draw, measure), the zone being drawn or edited,
 * and an import's preview. Returns the control of the tool in use, for finishing and undoing.
 */
export function useEditTools(
  partsRef: RefObject<MapParts | null>,
  targetRef: RefObject<HTMLDivElement | null>,
  toolActiveRef: RefObject<boolean>,
  generation: number,
  tool: MapTool | null | undefined,
  draft: MapDraft | null,
  preview: readonly MapPreviewFeature[],
  callbacksRef: RefObject<Partial<ToolCallbacks>>,
): RefObject<ToolControl | null> {
  const controlRef = useRef<ToolControl | null>(null);
  // The draft geometry this map last reported, so the echo coming back as a prop is not re-read.
  const emittedDraftRef = useRef<GeoJsonGeometry | null>(null);

  const activeTool = toolKey(tool);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the tool again.
  useEffect(() => {
    const parts = partsRef.current;
    const current = keyToTool(activeTool);
    toolActiveRef.current = current !== null;
    if (!parts || !current) return;
    const control = installTool(parts.map, current, { draft: parts.draft, measure: parts.measure }, () => ({
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
  }, [activeTool, generation]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the draft again.
  useEffect(() => {
    const source = partsRef.current?.draft;
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
  }, [draft, generation]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new map (generation) needs the preview again.
  useEffect(() => {
    const parts = partsRef.current;
    if (!parts) return;
    const { preview: source, map } = parts;
    source.clear();
    if (preview.length === 0) return;
    source.addFeatures(
      preview.map((p) => new Feature({ geometry: fromGeoJson(p.geometry), kind: p.kind, name: p.name })),
    );
    // Show where the import lands; a single point gets some surroundings.
    const extent = source.getExtent();
    if (!extent) return;
    map.getView().fit(extent, { padding: [64, 64, 64, 64], maxZoom: 13, duration: 300 });
  }, [preview, generation]);

  return controlRef;
}
