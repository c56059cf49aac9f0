import type { FeatureLike } from 'ol/Feature';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style';
import type { StyleFunction } from 'ol/style/Style';
import { AFFILIATION_COLOUR } from '../features/tracks/symbols';
import { type Affiliation, isAffiliation } from '../features/tracks/types';
import { trackMark } from './trackPainter';
import { obstacleStyle } from './trackStyle';
import { symbolLook } from './trackSymbols';

const LABEL_FONT = '600 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Between the symbol's edge and its label, in CSS pixels. */
const LABEL_GAP = 4;
const labelCache = new Map<string, Style>();

function labelStyle(callsign: string, side: 'right' | 'below', gap: number): Style {
  const key = `${callsign}|${side}|${gap}`;
  const cached = labelCache.get(key);
  if (cached) return cached;
  if (labelCache.size >= 5_000) labelCache.clear();
  const style = new Style({
    text: new Text({
      text: callsign,
      font: LABEL_FONT,
      textAlign: side === 'right' ? 'left' : 'center',
      textBaseline: side === 'right' ? 'middle' : 'top',
      offsetX: side === 'right' ? gap : 0,
      offsetY: side === 'below' ? gap : 0,
      fill: new Fill({ color: '#13202f' }),
      stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.92)', width: 3.5 }),
    }),
  });
  labelCache.set(key, style);
  return style;
}

/**
 * Callsigns of replayed tracks, across the direction of travel: the heading line runs ahead of a
 * track and its trail behind it, so a label beside the symbol on that axis would sit on one of
 * them. A track moving east or west is labelled below, one moving north or south to the right.
 */
export function replayLabelStyle(labelsOn: () => boolean): StyleFunction {
  return (feature) => {
    if (!labelsOn()) return undefined;
    const id = String(feature.getId());
    const mark = trackMark(id, 0, 0, feature.getProperties());
    const look = symbolLook(mark.sidc, mark.kind, mark.affiliation, false);
    const across = mark.heading !== null && Math.abs(Math.sin(mark.heading)) > Math.SQRT1_2;
    const side = across ? 'below' : 'right';
    const gap = Math.round(
      (side === 'below' ? look.height - look.anchorY : look.width - look.anchorX) + LABEL_GAP,
    );
    return [obstacleStyle(look), labelStyle(String(feature.get('callsign') || id), side, gap)];
  };
}

const trailCache = new Map<Affiliation, Style[]>();

/** Every replayed track's recent path, in its affiliation's colour on a light casing. */
export function replayTrailStyle(feature: FeatureLike): Style[] {
  const a = feature.get('affiliation') as unknown;
  const affiliation: Affiliation = isAffiliation(a) ? a : 'unknown';
  const cached = trailCache.get(affiliation);
  if (cached) return cached;
  const styles = [
    new Style({
      stroke: new Stroke({
        color: 'rgba(255, 255, 255, 0.75)',
        width: 5,
        lineCap: 'round',
        lineJoin: 'round',
      }),
    }),
    new Style({
      stroke: new Stroke({
        color: AFFILIATION_COLOUR[affiliation].line,
        width: 2.5,
        lineCap: 'round',
        lineJoin: 'round',
      }),
    }),
  ];
  trailCache.set(affiliation, styles);
  return styles;
}

/** Severity colours: the text on each is white or the chrome colour, whichever reads (≥ 4.5:1). */
const SEVERITY: Record<string, { fill: string; text: string }> = {
  critical: { fill: '#c8102e', text: '#ffffff' },
  warning: { fill: '#ffb000', text: '#13202f' },
  info: { fill: '#0b5cad', text: '#ffffff' },
};
const alertCache = new Map<string, Style>();

/** An alert where it happened: a ringed disc with "!" in its severity's colour. */
export function alertMarkerStyle(feature: FeatureLike): Style {
  const s = String(feature.get('severity'));
  const key = s in SEVERITY ? s : 'info';
  const cached = alertCache.get(key);
  if (cached) return cached;
  const c = SEVERITY[key] ?? { fill: '#0b5cad', text: '#ffffff' };
  const style = new Style({
    image: new Circle({
      radius: 11,
      fill: new Fill({ color: c.fill }),
      stroke: new Stroke({ color: '#ffffff', width: 2.5 }),
    }),
    text: new Text({ text: '!', font: '800 14px system-ui, sans-serif', fill: new Fill({ color: c.text }) }),
    zIndex: 10,
  });
  alertCache.set(key, style);
  return style;
}
