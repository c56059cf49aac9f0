import type { FeatureLike } from 'ol/Feature';
import { Circle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import type { NotificationState } from '../../domain/deconfliction';
import type { FacilityKind, FacilityStatus } from '../../domain/facilities';
import { FACILITY_GLYPHS, FACILITY_STATUS_COLOURS, STATE_COLOURS } from '../features/notifications/labels';

const GLYPH_FONT = '700 10px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const LABEL_FONT = '600 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Names are drawn when zoomed in this far (metres per pixel). */
const LABEL_MAX_RESOLUTION = 30;
const cache = new Map<string, Style>();

function facilityMarker(kind: FacilityKind, status: FacilityStatus): Style {
  const key = `${kind}:${status}`;
  let s = cache.get(key);
  if (!s) {
    // A square with the kind's letter: never a triangle (incidents) or a round track symbol.
    s = new Style({
      image: new RegularShape({
        points: 4,
        radius: 10,
        angle: Math.PI / 4,
        fill: new Fill({ color: FACILITY_STATUS_COLOURS[status] ?? '#495057' }),
        stroke: new Stroke({ color: '#ffffff', width: 2 }),
      }),
      text: new Text({
        text: FACILITY_GLYPHS[kind] ?? '?',
        font: GLYPH_FONT,
        fill: new Fill({ color: '#ffffff' }),
      }),
      zIndex: 1,
    });
    cache.set(key, s);
  }
  return s;
}

/** Facilities as squares in their status colour with their kind's letter, named when zoomed in. */
export function facilityStyle(): StyleFunction {
  return (feature: FeatureLike, resolution: number) => {
    const styles = [
      facilityMarker(feature.get('kind') as FacilityKind, feature.get('status') as FacilityStatus),
    ];
    if (resolution <= LABEL_MAX_RESOLUTION)
      styles.push(
        new Style({
          text: new Text({
            text: String(feature.get('name') ?? ''),
            font: LABEL_FONT,
            offsetY: 18,
            fill: new Fill({ color: '#1b1f24' }),
            stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.92)', width: 3.5 }),
          }),
        }),
      );
    return styles;
  };
}

/** Notified sites (a ring) and routes (a dashed line) in the notification's state colour. */
export function notificationStyle(): StyleFunction {
  return (feature: FeatureLike, resolution: number) => {
    const colour = STATE_COLOURS[feature.get('state') as NotificationState] ?? '#495057';
    const type = feature.getGeometry()?.getType();
    const styles: Style[] =
      type === 'LineString'
        ? [
            new Style({ stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.9)', width: 7 }) }),
            new Style({ stroke: new Stroke({ color: colour, width: 4, lineDash: [12, 7] }) }),
          ]
        : type === 'Point'
          ? [
              new Style({
                image: new Circle({
                  radius: 13,
                  fill: new Fill({ color: 'rgba(255, 255, 255, 0.35)' }),
                  stroke: new Stroke({ color: colour, width: 3, lineDash: [5, 3] }),
                }),
              }),
            ]
          : [
              new Style({
                fill: new Fill({ color: 'rgba(255, 255, 255, 0.2)' }),
                stroke: new Stroke({ color: colour, width: 3, lineDash: [8, 5] }),
              }),
            ];
    if (resolution <= LABEL_MAX_RESOLUTION)
      styles.push(
        new Style({
          text: new Text({
            text: String(feature.get('number') ?? ''),
            font: LABEL_FONT,
            placement: type === 'LineString' ? 'line' : 'point',
            offsetY: type === 'Point' ? -20 : 0,
            fill: new Fill({ color: colour }),
            stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.95)', width: 3.5 }),
          }),
        }),
      );
    return styles;
  };
}
