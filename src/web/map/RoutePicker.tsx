import Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import LineString from 'ol/geom/LineString';
import MultiPoint from 'ol/geom/MultiPoint';
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

interface RoutePickerProps {
  /** The route so far, `[lon, lat]` in order. */
  points: readonly (readonly [number, number])[];
  /** A click on the map: the next point of the route. */
  onAdd(lon: number, lat: number): void;
  zones?: readonly ZoneFeature[];
  label: string;
}

const GAZA: [number, number] = [34.38, 31.42];
const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
const ROUTE = [
  new Style({ stroke: new Stroke({ color: '#ffffff', width: 7 }) }),
  new Style({ stroke: new Stroke({ color: '#0c5fb0', width: 4, lineDash: [10, 6] }) }),
  new Style({
    image: new Circle({
      radius: 5,
      fill: new Fill({ color: '#0c5fb0' }),
      stroke: new Stroke({ color: '#ffffff', width: 2 }),
    }),
    geometry: (f) => {
      const g = f.getGeometry();
      return g instanceof LineString ? new MultiPoint(g.getCoordinates()) : g;
    },
  }),
];

/** A small map to draw a movement's route: each click adds the next point. */
export function RoutePicker({ points, onAdd, zones, label }: RoutePickerProps) {
  const targetRef = useRef<HTMLDivElement>(null);
  const routeRef = useRef<VectorSource | null>(null);
  const zonesRef = useRef<VectorSource | null>(null);
  const onAddRef = useRef(onAdd);
  useEffect(() => {
    onAddRef.current = onAdd;
  }, [onAdd]);

  useEffect(() => {
    const target = targetRef.current;
    if (!target) return;
    const route = new VectorSource();
    const zoneSource = new VectorSource();
    const map = new OlMap({
      target,
      layers: [
        basemapLayer(() => undefined),
        new VectorLayer({ source: zoneSource, style: zoneStyle(() => null) }),
        new VectorLayer({ source: route, style: ROUTE }),
      ],
      view: new View({ center: fromLonLat(GAZA), zoom: 10, maxZoom: 18 }),
    });
    map.on('singleclick', (e) => {
      const [lon = 0, lat = 0] = toLonLat(e.coordinate);
      onAddRef.current(Number(wrapLon(lon).toFixed(5)), Number(lat.toFixed(5)));
    });
    routeRef.current = route;
    zonesRef.current = zoneSource;
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
      routeRef.current = null;
      zonesRef.current = null;
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
    const source = routeRef.current;
    if (!source) return;
    source.clear();
    if (points.length === 0) return;
    source.addFeature(new Feature(new LineString(points.map((p) => fromLonLat([p[0], p[1]])))));
  }, [points]);

  return (
    <div
      ref={targetRef}
      className="location-picker"
      data-testid="route-picker"
      data-points={points.length}
      role="application"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: focus lets keyboard users pan and zoom the map.
      tabIndex={0}
    />
  );
}
