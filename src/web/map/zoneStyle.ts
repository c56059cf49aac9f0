import type { FeatureLike } from 'ol/Feature';
import type MultiPolygon from 'ol/geom/MultiPolygon';
import type Polygon from 'ol/geom/Polygon';
import { measureTextHeight } from 'ol/render/canvas';
import { Circle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import { isZoneKind, KIND_LOOK, type KindLook } from '../features/zones/kinds';

const SELECTED_HALO = '#ffd43b';
const LABEL_FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const UNKNOWN_LOOK: KindLook = {
  colour: '#495057',
  fill: 'rgba(73, 80, 87, 0.12)',
  dash: null,
  width: 2,
  hatch: false,
  marker: 'circle',
};

/** Areas under lines under points, so that control lines and crossings are never hidden by fills. */
const Z_AREA = 1;
const Z_LINE = 5;
const Z_POINT = 10;

/** Diagonal hatching drawn once per colour; canvas patterns tile in screen space as they should. */
const hatchCache = new Map<string, CanvasPattern | string>();
function hatch(colour: string): CanvasPattern | string {
  const cached = hatchCache.get(colour);
  if (cached) return cached;
  const size = 10;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  let result: CanvasPattern | string = colour;
  if (ctx) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    // The main diagonal plus the two corner pieces make the tile seamless.
    ctx.moveTo(0, size);
    ctx.lineTo(size, 0);
    ctx.moveTo(-size / 2, size / 2);
    ctx.lineTo(size / 2, -size / 2);
    ctx.moveTo(size / 2, size * 1.5);
    ctx.lineTo(size * 1.5, size / 2);
    ctx.stroke();
    result = ctx.createPattern(canvas, 'repeat') ?? colour;
  }
  hatchCache.set(colour, result);
  return result;
}

function marker(look: KindLook, selected: boolean): Circle | RegularShape {
  const fill = new Fill({ color: look.colour });
  const stroke = new Stroke({ color: selected ? SELECTED_HALO : '#ffffff', width: selected ? 4 : 2 });
  const radius = selected ? 10 : 8;
  if (look.marker === 'circle') return new Circle({ radius: radius - 1, fill, stroke });
  return new RegularShape({
    points: 4,
    radius,
    angle: look.marker === 'diamond' ? 0 : Math.PI / 4,
    fill,
    stroke,
  });
}

function label(name: string, kindOfGeometry: 'point' | 'line' | 'area', colour: string): Text {
  return new Text({
    text: name,
    font: LABEL_FONT,
    fill: new Fill({ color: kindOfGeometry === 'area' ? '#1b1f24' : colour }),
    stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.92)', width: 3.5 }),
    placement: kindOfGeometry === 'line' ? 'line' : 'point',
    overflow: kindOfGeometry === 'line',
    offsetY: kindOfGeometry === 'point' ? -18 : 0,
    maxAngle: Math.PI / 6,
    padding: [2, 4, 2, 4],
  });
}

function geometryClass(feature: FeatureLike): 'point' | 'line' | 'area' {
  const type = feature.getGeometry()?.getType() ?? 'Point';
  if (type === 'Point' || type === 'MultiPoint') return 'point';
  if (type === 'LineString' || type === 'MultiLineString') return 'line';
  return 'area';
}

/**
 * OpenLayers measures a label font's height once, through an element it adds to the page and reads
 * back: a forced layout. When the first labels come the page has just filled its lists, and that
 * layout took ~170 ms of the first picture; done while the map is created it costs next to nothing.
 */
export function measureLabelFont(): void {
  measureTextHeight(LABEL_FONT);
}

/** Beyond this many metres per pixel (about zoom 9) names would only clutter the map. */
const LABEL_MAX_RESOLUTION = 300;

/**
 * What OpenLayers adds to the text's width for an area's label image: the halo's width and two
 * pixels; one pixel less, so that a label that might just fit is still left to OpenLayers.
 */
const LABEL_EXTRA_PX = 3.5 + 2 - 1;
/**
 * Narrower than any character of the label font (an `i` or a space is ~3 px): a name is surely
 * wider than this per character, so most names need no measuring, which costs ~0.1 ms each here.
 */
const NARROWEST_CHAR_PX = 2.5;
const MAX_MEASURED = 20_000;
const measured = new Map<string, number>();
let measureContext: CanvasRenderingContext2D | null | undefined;

/** Marks (Arabic vowels, accents) and format characters take no width of their own. */
const ZERO_WIDTH = /[\p{M}\p{Cf}]/gu;

function spacingChars(name: string): number {
  return name.replace(ZERO_WIDTH, '').length;
}

function labelWidth(name: string): number {
  const known = measured.get(name);
  if (known !== undefined) return known;
  if (measureContext === undefined) {
    measureContext = document.createElement('canvas').getContext('2d');
    // Set once: setting a font parses it, even the same one again.
    if (measureContext) measureContext.font = LABEL_FONT;
  }
  if (!measureContext) return 0;
  const width = measureContext.measureText(name).width;
  if (measured.size >= MAX_MEASURED) measured.clear();
  measured.set(name, width);
  return width;
}

/**
 * Whether an area's name can fit across it, by OpenLayers' own rule for labels that must not
 * overflow: the width through the interior point against the label's. OpenLayers draws each
 * label into a canvas of its own before it applies that rule: at the start zoom hardly any of a
 * thousand small zones can hold its name, and drawing those names took ~0.4 s of the first picture.
 */
function areaLabelFits(feature: FeatureLike, name: string, resolution: number): boolean {
  const geometry = feature.getGeometry();
  const type = geometry?.getType();
  let widest = Number.POSITIVE_INFINITY;
  if (type === 'Polygon') widest = (geometry as Polygon).getFlatInteriorPoint()[2] ?? widest;
  else if (type === 'MultiPolygon') {
    const points = (geometry as MultiPolygon).getFlatInteriorPoints();
    widest = 0;
    for (let i = 2; i < points.length; i += 3) widest = Math.max(widest, points[i] ?? 0);
  }
  const room = widest / resolution - LABEL_EXTRA_PX;
  return room >= spacingChars(name) * NARROWEST_CHAR_PX && room >= labelWidth(name);
}

/**
 * Styles zones by kind (colour, dash, hatching) with their name as a canvas label; the selected
 * zone gets a yellow halo. `selectedId` is read on every render so selection needs no new styles.
 */
export function zoneStyle(selectedId: () => string | null): StyleFunction {
  return (feature, resolution) => {
    const kind = feature.get('kind') as unknown;
    const selected = feature.getId() !== undefined && String(feature.getId()) === selectedId();
    const geom = geometryClass(feature);
    const name = String(feature.get('name') ?? '');
    const labelled =
      (resolution <= LABEL_MAX_RESOLUTION || selected) &&
      name !== '' &&
      (geom !== 'area' || areaLabelFits(feature, name, resolution));
    // Every redraw of a thousand zones asked for new styles: a few thousand objects to build and
    // collect each time. The same look is the same objects.
    const key = `${String(kind)}|${geom}|${selected ? 1 : 0}|${labelled ? name : ''}`;
    const cached = styleCache.get(key);
    if (cached) return cached;
    if (styleCache.size >= MAX_CACHED) styleCache.clear();
    const styles = buildStyles(
      isZoneKind(kind) ? KIND_LOOK[kind] : UNKNOWN_LOOK,
      geom,
      selected,
      labelled ? name : null,
    );
    styleCache.set(key, styles);
    return styles;
  };
}

/** Bound on the style cache: several times the zones of a large picture. */
const MAX_CACHED = 10_000;
const styleCache = new Map<string, Style[]>();

function buildStyles(
  look: KindLook,
  geom: 'point' | 'line' | 'area',
  selected: boolean,
  name: string | null,
): Style[] {
  const styles: Style[] = [];
  const text = name !== null ? label(name, geom, look.colour) : undefined;
  if (geom === 'point') {
    styles.push(new Style({ image: marker(look, selected), text, zIndex: Z_POINT + (selected ? 1 : 0) }));
    return styles;
  }
  const z = (geom === 'line' ? Z_LINE : Z_AREA) + (selected ? 1 : 0);
  if (selected) {
    styles.push(
      new Style({ stroke: new Stroke({ color: SELECTED_HALO, width: look.width + 7 }), zIndex: z }),
    );
  }
  if (geom === 'line') {
    // A white casing under the dashed line keeps it legible over land, sea and other fills alike.
    styles.push(
      new Style({
        stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.85)', width: look.width + 3 }),
        zIndex: z,
      }),
    );
  }
  styles.push(
    new Style({
      stroke: new Stroke({
        color: look.colour,
        width: look.width,
        lineDash: look.dash ?? undefined,
        lineCap: 'butt',
      }),
      fill:
        geom === 'area' && look.fill
          ? new Fill({ color: look.hatch ? hatch(look.fill) : look.fill })
          : undefined,
      text,
      zIndex: z,
    }),
  );
  return styles;
}
