import Feature from 'ol/Feature';
import Point from 'ol/geom/Point';
import { fromLonLat } from 'ol/proj';
import { Circle, Fill, Stroke, Style } from 'ol/style';
import { useMemo } from 'react';
import type { ZoneFeature } from '../../domain/zones';
import { usePickerMap } from './usePickerMap';

interface LocationPickerProps {
  /** The position chosen so far, `[lon, lat]`, or null. */
  value: readonly [number, number] | null;
  onPick(lon: number, lat: number): void;
  /** The zones for context: control lines and crossings help place a report. */
  zones?: readonly ZoneFeature[];
  label: string;
}

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

/** A small map to place a report: click to choose the position; the pin follows typed values too. */
export function LocationPicker({ value, onPick, zones, label }: LocationPickerProps) {
  const lon = value?.[0];
  const lat = value?.[1];
  const pin = useMemo(
    () =>
      lon === undefined || lat === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)
        ? null
        : new Feature(new Point(fromLonLat([lon, lat]))),
    [lon, lat],
  );
  const targetRef = usePickerMap(PIN, onPick, zones, pin);

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
