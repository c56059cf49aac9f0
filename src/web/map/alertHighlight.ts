import Feature from 'ol/Feature';
import type Geometry from 'ol/geom/Geometry';
import Point from 'ol/geom/Point';
import VectorLayer from 'ol/layer/Vector';
import type OlMap from 'ol/Map';
import { fromLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { Circle, Stroke, Style } from 'ol/style';
import { type RefObject, useEffect, useRef } from 'react';

/** Where the selected alert happened, and the zone it is about (when that zone is on the map). */
export interface AlertHighlightTarget {
  lon: number;
  lat: number;
  zoneId: string | null;
}

const RING = '#ff3b30';
const ZONE = '#ffd43b';
const PULSE_MS = 1600;

const zoneStyle = [
  new Style({ stroke: new Stroke({ color: 'rgba(19, 32, 47, 0.85)', width: 7 }) }),
  new Style({ stroke: new Stroke({ color: ZONE, width: 4, lineDash: [12, 8] }) }),
];

function ringStyle(phase: number): Style[] {
  // An outer ring that grows and fades, over a fixed inner ring that stays readable when still.
  return [
    new Style({
      image: new Circle({
        radius: 14 + phase * 22,
        stroke: new Stroke({ color: `rgba(255, 59, 48, ${(1 - phase) * 0.9})`, width: 4 }),
      }),
    }),
    new Style({
      image: new Circle({ radius: 13, stroke: new Stroke({ color: '#ffffff', width: 6 }) }),
    }),
    new Style({ image: new Circle({ radius: 13, stroke: new Stroke({ color: RING, width: 3 }) }) }),
  ];
}

const reducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * A pulsing ring at the selected alert's position and its zone outlined, over everything else.
 * The layer lives as long as the map; the target comes from the alerts feature through MapView.
 */
export function useAlertHighlight(
  parts: RefObject<{ map: OlMap; zones: VectorSource } | null>,
  target: AlertHighlightTarget | null,
  /** A new map, or new zones: the outline is looked up again. */
  ...deps: unknown[]
): void {
  const layerRef = useRef<{ layer: VectorLayer<VectorSource>; source: VectorSource } | null>(null);
  const targetRef = useRef<AlertHighlightTarget | null>(target);
  targetRef.current = target;

  // biome-ignore lint/correctness/useExhaustiveDependencies: deps carry the map generation and the zones.
  useEffect(() => {
    const m = parts.current?.map;
    if (!m) return;
    let layer = layerRef.current?.layer;
    if (!layer || !m.getLayers().getArray().includes(layer)) {
      const source = new VectorSource();
      layer = new VectorLayer({ source, zIndex: 100, properties: { name: 'alert-highlight' } });
      m.addLayer(layer);
      layerRef.current = { layer, source };
    }
    const { source } = layerRef.current!;
    source.clear();
    const hook = window.__concord;
    if (hook)
      hook.alertHighlight = () =>
        targetRef.current && { ...targetRef.current, zoneOutlined: source.getFeatures().length > 1 };
    if (!target) return;
    const zoneGeometry = target.zoneId
      ? (parts.current?.zones.getFeatureById(target.zoneId)?.getGeometry() as Geometry | undefined)
      : undefined;
    if (zoneGeometry) {
      const outline = new Feature(zoneGeometry.clone());
      outline.setStyle(zoneStyle);
      source.addFeature(outline);
    }
    const ring = new Feature(new Point(fromLonLat([target.lon, target.lat])));
    const still = reducedMotion();
    const started = Date.now();
    ring.setStyle(() => ringStyle(still ? 0.35 : ((Date.now() - started) % PULSE_MS) / PULSE_MS));
    source.addFeature(ring);
    if (still) return;
    // Keep rendering while the ring is shown: each frame draws the next phase of the pulse.
    const key = layer.on('postrender', () => m.render());
    m.render();
    return () => {
      layer.un('postrender', key.listener);
    };
  }, [target?.lon, target?.lat, target?.zoneId, ...deps]);
}
