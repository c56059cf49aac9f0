import type { FeatureLike } from 'ol/Feature';
import { LineString, MultiLineString, MultiPoint, MultiPolygon, Polygon } from 'ol/geom';
import type Geometry from 'ol/geom/Geometry';
import { getLength } from 'ol/sphere';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import { formatKm } from '../features/measure/format';
import { isZoneKind, KIND_LOOK } from '../features/zones/kinds';

const EDIT_HALO = '#ffd43b';
const INK = '#13202f';
const FALLBACK_COLOUR = '#495057';
const LABEL_FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

function colourOf(feature: FeatureLike): string {
  const kind = feature.get('kind') as unknown;
  return isZoneKind(kind) ? KIND_LOOK[kind].colour : FALLBACK_COLOUR;
}

/** The vertices of a line or polygon, so people see what they can drag. */
function vertices(feature: FeatureLike): MultiPoint | undefined {
  const g = feature.getGeometry() as Geometry | undefined;
  if (g instanceof LineString) return new MultiPoint(g.getCoordinates());
  if (g instanceof Polygon) return new MultiPoint(g.getCoordinates().flat());
  if (g instanceof MultiLineString) return new MultiPoint(g.getCoordinates().flat());
  if (g instanceof MultiPolygon) return new MultiPoint(g.getCoordinates().flat(2));
  return undefined;
}

/**
 * The zone being drawn or edited: a yellow halo under the kind's colour, with a handle on every
 * vertex. Bold on purpose: it must stand out from the zones in force beneath it.
 */
export function draftStyle(): StyleFunction {
  return (feature) => {
    const colour = colourOf(feature);
    const type = feature.getGeometry()?.getType();
    if (type === 'Point') {
      return new Style({
        image: new Circle({
          radius: 9,
          fill: new Fill({ color: colour }),
          stroke: new Stroke({ color: EDIT_HALO, width: 4 }),
        }),
        zIndex: 30,
      });
    }
    return [
      new Style({ stroke: new Stroke({ color: EDIT_HALO, width: 8 }), zIndex: 30 }),
      new Style({
        stroke: new Stroke({ color: colour, width: 3 }),
        fill: new Fill({ color: 'rgba(255, 212, 59, 0.18)' }),
        zIndex: 31,
      }),
      new Style({
        geometry: vertices,
        image: new Circle({
          radius: 5,
          fill: new Fill({ color: '#ffffff' }),
          stroke: new Stroke({ color: colour, width: 2 }),
        }),
        zIndex: 32,
      }),
    ];
  };
}

/** The sketch while drawing: the kind's colour, dashed until finished. */
export function sketchStyle(colourKind: string): Style[] {
  const colour = isZoneKind(colourKind) ? KIND_LOOK[colourKind].colour : FALLBACK_COLOUR;
  return [
    new Style({ stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.9)', width: 6 }) }),
    new Style({
      stroke: new Stroke({ color: colour, width: 3, lineDash: [8, 6] }),
      fill: new Fill({ color: 'rgba(255, 212, 59, 0.2)' }),
      image: new Circle({
        radius: 6,
        fill: new Fill({ color: colour }),
        stroke: new Stroke({ color: '#ffffff', width: 2 }),
      }),
    }),
  ];
}

/** Import preview: the kind's colour, dashed and lighter than a zone in force, labelled by name. */
export function previewStyle(): StyleFunction {
  return (feature) => {
    const colour = colourOf(feature);
    const type = feature.getGeometry()?.getType();
    const text = new Text({
      text: String(feature.get('name') ?? ''),
      font: LABEL_FONT,
      fill: new Fill({ color: INK }),
      stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.92)', width: 3.5 }),
      offsetY: type === 'Point' ? -16 : 0,
      // A preview is looked at closely: its name shows even where it is wider than the shape.
      overflow: true,
    });
    if (type === 'Point' || type === 'MultiPoint') {
      return new Style({
        image: new Circle({
          radius: 7,
          fill: new Fill({ color: 'rgba(255, 255, 255, 0.9)' }),
          stroke: new Stroke({ color: colour, width: 3, lineDash: [4, 3] }),
        }),
        text,
        zIndex: 20,
      });
    }
    return new Style({
      stroke: new Stroke({ color: colour, width: 2.5, lineDash: [10, 6] }),
      fill: new Fill({ color: 'rgba(255, 255, 255, 0.35)' }),
      text,
      zIndex: 20,
    });
  };
}

/** The measured polyline with its length at the last point. */
export const measureStyle: StyleFunction = (feature) => {
  const g = feature.getGeometry();
  const styles = [
    new Style({ stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.95)', width: 6 }) }),
    new Style({
      stroke: new Stroke({ color: INK, width: 2.5, lineDash: [10, 6] }),
      image: new Circle({ radius: 5, fill: new Fill({ color: INK }) }),
    }),
  ];
  if (g instanceof LineString) {
    const last = g.getLastCoordinate();
    styles.push(
      new Style({
        geometry: new MultiPoint([last]),
        text: new Text({
          text: formatKm(getLength(g)),
          font: '700 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
          fill: new Fill({ color: '#ffffff' }),
          backgroundFill: new Fill({ color: INK }),
          padding: [3, 6, 3, 6],
          offsetY: -20,
        }),
      }),
    );
  }
  return styles;
};
