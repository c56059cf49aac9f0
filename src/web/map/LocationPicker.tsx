import Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import Point from 'ol/geom/Point';
import VectorLayer from 'ol/layer/Vector';
import OlMap from 'ol/Map';
import { fromLonLat, toLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { Circle, Fill, Stroke, Style } from 'ol/style';
import View from 'ol/View';
import 'ol/ol.css';
import { useEffect, useRef } from 'react';
import type { ZoneFeature } from '../../domain/zones';
import { basemapLayer } from './basemap';
import { wrapLon } from './coords';
import { zoneStyle } from './zoneStyle';

interface LocationPickerProps {
  /** The position chosen so far, `[lon, lat]`, or null. */
  value: readonly [number, number] | null;
  onPick(lon: number, lat: number): void;
  /** The zones for context: control lines and crossings help place a report. */
  zones?: readonly ZoneFeature[];
  label: string;
}

const GAZA: [number, number] = [34.38, 31.42];
const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
const PIN = [
  new Style({ image: new Circle({ radius: 11, stroke: new Stroke({ color: '#ffffff', width: 5 }) }) }),
  new Style({
    image: new Circle({
      radius: 11,
      fill: new Fill({ color: 'rgba(179, 18, 47, 0.25)' }),
      stroke: new Stroke({ color: '#b3122f', width: 3 }),
    }),
  }),
  new Style({ image: new Circle({ radius: 3, fill: new Fill({ color: '#b3122f' }) }) }),
];

declare global {
  interface Window {
    /** For end-to-end tests: where a position is on the picker, in pixels from its top left corner. */
    __concordPicker?: { pixelAt(lon: number, lat: number): [number, number] | null };
  }
}

/** A small map to place a report: click to choose the position; the pin follows typed values too. */
export function LocationPicker({ value, onPick, zones, label }: LocationPickerProps) {
  const targetRef = useRef<HTMLDivElement>(null);
  const pinRef = useRef<VectorSource | null>(null);
  const zonesRef = useRef<VectorSource | null>(null);
  const mapRef = useRef<OlMap | null>(null);
  const onPickRef = useRef(onPick);
  useEffect(() => {
    onPickRef.current = onPick;
  }, [onPick]);

  useEffect(() => {
    const target = targetRef.current;
    if (!target) return;
    const pin = new VectorSource();
    const zoneSource = new VectorSource();
    const map = new OlMap({
      target,
      layers: [
        basemapLayer(() => undefined),
        new VectorLayer({ source: zoneSource, style: zoneStyle(() => null) }),
        new VectorLayer({ source: pin, style: PIN }),
      ],
      view: new View({ center: fromLonLat(GAZA), zoom: 10, maxZoom: 18 }),
    });
    map.on('singleclick', (e) => {
      const [lon = 0, lat = 0] = toLonLat(e.coordinate);
      onPickRef.current(Number(wrapLon(lon).toFixed(5)), Number(lat.toFixed(5)));
    });
    pinRef.current = pin;
    zonesRef.current = zoneSource;
    mapRef.current = map;
    const hook = {
      pixelAt: (lon: number, lat: number) => {
        const p = map.getPixelFromCoordinate(fromLonLat([lon, lat]));
        return p ? ([p[0] ?? 0, p[1] ?? 0] as [number, number]) : null;
      },
    };
    window.__concordPicker = hook;
    return () => {
      if (window.__concordPicker === hook) delete window.__concordPicker;
      map.setTarget(undefined);
      map.dispose();
      pinRef.current = null;
      zonesRef.current = null;
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const source = zonesRef.current;
    if (!source) return;
    source.clear();
    if (!zones?.length) return;
    const features = zones.flatMap((z) => {
      const read = geojson.readFeature(z);
      return Array.isArray(read) ? read : [read];
    });
    source.addFeatures(features);
  }, [zones]);

  const lon = value?.[0];
  const lat = value?.[1];
  useEffect(() => {
    const pin = pinRef.current;
    if (!pin) return;
    pin.clear();
    if (lon === undefined || lat === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) return;
    pin.addFeature(new Feature(new Point(fromLonLat([lon, lat]))));
  }, [lon, lat]);

  return (
    <div
      ref={targetRef}
      className="location-picker"
      data-testid="location-picker"
      role="application"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: focus lets keyboard users pan and zoom the map.
      tabIndex={0}
    />
  );
}
