import type { FeatureLike } from 'ol/Feature';
import { Fill, Icon, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import { AFFILIATION_COLOUR } from '../features/tracks/symbols';
import { isAffiliation } from '../features/tracks/types';
import { trackMark } from './trackPainter';
import { type SymbolLook, symbolLook } from './trackSymbols';

const SELECTED = '#ffd43b';
const LABEL_FONT = '600 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const SELECTED_LABEL_FONT = '700 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Between the symbol's edge and its label, in CSS pixels. */
const LABEL_GAP = 5;
/** Bound on the label cache: far above what one picture needs, so it never grows without end. */
const MAX_CACHED = 5_000;

const labelCache = new Map<string, Style>();
let measure: CanvasRenderingContext2D | null = null;

function textWidth(text: string, font: string): number {
  measure ??= document.createElement('canvas').getContext('2d');
  if (!measure) return text.length * 7;
  measure.font = font;
  return measure.measureText(text).width;
}

/**
 * The callsign beside the symbol: right of it, or (`left`) left of it, clear of a heading line
 * pointing east. Left-aligned either way: OpenLayers then declutters the label where it is drawn.
 */
function labelStyle(callsign: string, gap: number, left: boolean, selected: boolean): Style {
  const key = `${callsign}|${gap}|${left ? 1 : 0}|${selected ? 1 : 0}`;
  const cached = labelCache.get(key);
  if (cached) return cached;
  if (labelCache.size >= MAX_CACHED) labelCache.clear();
  const font = selected ? SELECTED_LABEL_FONT : LABEL_FONT;
  const offsetX = left ? -Math.ceil(gap + textWidth(callsign, font)) : gap;
  const style = new Style({
    text: new Text({
      text: callsign,
      font,
      textAlign: 'left',
      textBaseline: 'middle',
      offsetX,
      fill: new Fill({ color: '#13202f' }),
      stroke: new Stroke({ color: selected ? SELECTED : 'rgba(255, 255, 255, 0.92)', width: 3.5 }),
      // The selected track's name is always shown; the others give way to it and to each other.
      declutterMode: selected ? 'obstacle' : 'declutter',
    }),
    zIndex: selected ? 2 : 1,
  });
  labelCache.set(key, style);
  return style;
}

const obstacles = new WeakMap<SymbolLook, Style>();

/** An invisible copy of the symbol (drawn by the canvas layer) that labels must keep clear of. */
export function obstacleStyle(look: SymbolLook): Style {
  const cached = obstacles.get(look);
  if (cached) return cached;
  const ratio = look.canvas.width / look.width;
  const style = new Style({
    image: new Icon({
      img: look.canvas,
      anchor: [look.anchorX * ratio, look.anchorY * ratio],
      anchorXUnits: 'pixels',
      anchorYUnits: 'pixels',
      scale: 1 / ratio,
      opacity: 0,
      declutterMode: 'obstacle',
    }),
  });
  obstacles.set(look, style);
  return style;
}

/**
 * Callsigns, for the selected track always and for the others while few enough are in view to be
 * read (`labelsOn`): then decluttering them costs little.
 */
export function trackLabelStyle(selectedId: () => string | null, labelsOn: () => boolean): StyleFunction {
  return (feature) => {
    const id = String(feature.getId());
    const selected = id === selectedId();
    if (!selected && !labelsOn()) return undefined;
    const callsign = String(feature.get('callsign') || id);
    const mark = trackMark(id, 0, 0, feature.getProperties());
    const look = symbolLook(mark.sidc, mark.kind, mark.affiliation, selected);
    // A heading towards the east would run through a label on the right.
    const left = mark.heading !== null && mark.heading > 0.35 && mark.heading < 2.8;
    const gap = Math.round((left ? look.anchorX : look.width - look.anchorX) + LABEL_GAP);
    return [obstacleStyle(look), labelStyle(callsign, gap, left, selected)];
  };
}

const footprintCache = new Map<string, Style>();

function affiliationOf(feature: FeatureLike) {
  const a = feature.get('affiliation') as unknown;
  return isAffiliation(a) ? a : 'unknown';
}

function hexAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Sensor footprints: a light wash in the affiliation colour, stronger for the selected track. */
export function footprintStyle(selectedId: () => string | null): StyleFunction {
  return (feature) => {
    const affiliation = affiliationOf(feature);
    const selected = String(feature.getId()) === selectedId();
    const key = `${affiliation}|${selected ? 1 : 0}`;
    const cached = footprintCache.get(key);
    if (cached) return cached;
    const { line } = AFFILIATION_COLOUR[affiliation];
    const style = new Style({
      fill: new Fill({ color: hexAlpha(line, selected ? 0.16 : 0.07) }),
      stroke: new Stroke({
        color: hexAlpha(line, selected ? 0.9 : 0.45),
        width: selected ? 2 : 1.2,
        lineDash: [5, 4],
      }),
    });
    footprintCache.set(key, style);
    return style;
  };
}

/** The selected track's recent path: yellow like the selection, on a dark casing. */
export const trailStyle: Style[] = [
  new Style({
    stroke: new Stroke({ color: 'rgba(19, 32, 47, 0.85)', width: 6, lineCap: 'round', lineJoin: 'round' }),
  }),
  new Style({ stroke: new Stroke({ color: SELECTED, width: 3, lineCap: 'round', lineJoin: 'round' }) }),
];
