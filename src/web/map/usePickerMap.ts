import type Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import OlMap from 'ol/Map';
import { fromLonLat, toLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import type { StyleLike } from 'ol/style/Style';
import View from 'ol/View';
import 'ol/ol.css';
import { type RefObject, useEffect, useRef } from 'react';
import type { ZoneFeature } from '../../domain/zones';
import { basemapLayer } from './basemap';
import { wrapLon } from './coords';
import { framePicker } from './pickerFrame';
import { zoneStyle } from './zoneStyle';

declare global {
  interface Window {
    /** For end-to-end tests: where a position is on the picker, in pixels from its top left corner. */
    __concordPicker?: { pixelAt(lon: number, lat: number): [number, number] | null };
  }
}

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

/**
 * The small map of a form (a report's place, a movement's route): the basemap, the zones for
 * context and `picked` (what the user chose so far) drawn in `style`. A click hands `[lon, lat]` to
 * `onClick`. Returns the ref of the element to render the map into.
 */
export function usePickerMap(
  style: StyleLike,
  onClick: (lon: number, lat: number) => void,
  zones: readonly ZoneFeature[] | undefined,
  picked: Feature | null,
): RefObject<HTMLDivElement | null> {
  const targetRef = useRef<HTMLDivElement>(null);
  const pickedRef = useRef<VectorSource | null>(null);
  const zonesRef = useRef<VectorSource | null>(null);
  const revealRef = useRef<(() => void) | null>(null);
  const onClickRef = useRef(onClick);
  useEffect(() => {
    onClickRef.current = onClick;
  }, [onClick]);

  // The style is fixed per picker: the map is built once.
  const styleRef = useRef(style);
  useEffect(() => {
    const target = targetRef.current;
    if (!target) return;
    const picked = new VectorSource();
    const zoneSource = new VectorSource();
    const map = new OlMap({
      target,
      layers: [
        basemapLayer(() => undefined),
        new VectorLayer({ source: zoneSource, style: zoneStyle(() => null) }),
        new VectorLayer({ source: picked, style: styleRef.current }),
      ],
      // The centre and zoom come from framePicker once the element has a size.
      view: new View({ maxZoom: 18 }),
    });
    const frame = framePicker(map, target, picked);
    map.on('singleclick', (e) => {
      const [lon = 0, lat = 0] = toLonLat(e.coordinate);
      onClickRef.current(Number(wrapLon(lon).toFixed(5)), Number(lat.toFixed(5)));
    });
    pickedRef.current = picked;
    zonesRef.current = zoneSource;
    revealRef.current = frame.reveal;
    const hook = {
      pixelAt: (lon: number, lat: number) => {
        const p = map.getPixelFromCoordinate(fromLonLat([lon, lat]));
        return p ? ([p[0] ?? 0, p[1] ?? 0] as [number, number]) : null;
      },
    };
    window.__concordPicker = hook;
    return () => {
      if (window.__concordPicker === hook) delete window.__concordPicker;
      frame.dispose();
      map.setTarget(undefined);
      map.dispose();
      pickedRef.current = null;
      zonesRef.current = null;
      revealRef.current = null;
    };
  }, []);

  useEffect(() => {
    const source = zonesRef.current;
    if (!source) return;
    source.clear();
    if (!zones?.length) return;
    source.addFeatures(
      zones.flatMap((z) => {
        const read = geojson.readFeature(z);
        return Array.isArray(read) ? read : [read];
      }),
    );
  }, [zones]);

  useEffect(() => {
    const source = pickedRef.current;
    if (!source) return;
    source.clear();
    if (picked) source.addFeature(picked);
    revealRef.current?.();
  }, [picked]);

  return targetRef;
}
