import Feature from 'ol/Feature';
import LineString from 'ol/geom/LineString';
import MultiPoint from 'ol/geom/MultiPoint';
import { fromLonLat } from 'ol/proj';
import { Circle, Fill, Stroke, Style } from 'ol/style';
import { useMemo } from 'react';
import type { ZoneFeature } from '../../domain/zones';
import { usePickerMap } from './usePickerMap';

interface RoutePickerProps {
  /** The route so far, `[lon, lat]` in order. */
  points: readonly (readonly [number, number])[];
  /** A click on the map: the next point of the route. */
  onAdd(lon: number, lat: number): void;
  zones?: readonly ZoneFeature[];
  label: string;
}

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
  const route = useMemo(
    () => (points.length ? new Feature(new LineString(points.map((p) => fromLonLat([p[0], p[1]])))) : null),
    [points],
  );
  const targetRef = usePickerMap(ROUTE, onAdd, zones, route);

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
