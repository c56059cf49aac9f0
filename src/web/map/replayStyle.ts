import type { FeatureLike } from 'ol/Feature';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style';
import { AFFILIATION_COLOUR } from '../features/tracks/symbols';
import { type Affiliation, isAffiliation } from '../features/tracks/types';

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
