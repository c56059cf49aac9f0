import type { ZoneKind } from '../../../domain/zones';
import { t } from '../../i18n/t';

/** How one kind of zone looks, shared by the map styles and the legend so the two never disagree. */
export interface KindLook {
  /** Outline, line or point colour. */
  colour: string;
  /** Area fill, or null for outline only. */
  fill: string | null;
  /** Canvas dash pattern in pixels; null for a solid line. */
  dash: number[] | null;
  width: number;
  /** Diagonal hatching instead of a flat fill (buffer zones: "nobody goes here"). */
  hatch: boolean;
  /** How a point of this kind is drawn. */
  marker: 'circle' | 'diamond' | 'square';
}

/** Listed in the order the legend shows them: control lines first, then areas, then points. */
export const KIND_LOOK: Record<ZoneKind, KindLook> = {
  'ceasefire-line': {
    colour: '#b3122f',
    fill: null,
    dash: [14, 6],
    width: 3.5,
    hatch: false,
    marker: 'circle',
  },
  'withdrawal-line': {
    colour: '#d9480f',
    fill: null,
    dash: [6, 5],
    width: 3,
    hatch: false,
    marker: 'circle',
  },
  'buffer-zone': {
    colour: '#9c4a00',
    fill: 'rgba(156, 74, 0, 0.5)',
    dash: null,
    width: 2,
    hatch: true,
    marker: 'square',
  },
  'restricted-area': {
    colour: '#862e9c',
    fill: 'rgba(134, 46, 156, 0.14)',
    dash: [8, 4],
    width: 2,
    hatch: false,
    marker: 'square',
  },
  'humanitarian-zone': {
    colour: '#2b8a3e',
    fill: 'rgba(47, 158, 68, 0.2)',
    dash: null,
    width: 2,
    hatch: false,
    marker: 'circle',
  },
  sector: {
    colour: '#1864ab',
    fill: 'rgba(24, 100, 171, 0.04)',
    dash: null,
    width: 2,
    hatch: false,
    marker: 'square',
  },
  'named-area-of-interest': {
    colour: '#c2255c',
    fill: 'rgba(194, 37, 92, 0.1)',
    dash: [2, 4],
    width: 2.5,
    hatch: false,
    marker: 'circle',
  },
  'facility-area': {
    colour: '#0b7285',
    fill: 'rgba(11, 114, 133, 0.22)',
    dash: null,
    width: 2,
    hatch: false,
    marker: 'square',
  },
  crossing: {
    colour: '#5f3dc4',
    fill: 'rgba(95, 61, 196, 0.25)',
    dash: null,
    width: 2,
    hatch: false,
    marker: 'diamond',
  },
};

export const KIND_ORDER = Object.keys(KIND_LOOK) as ZoneKind[];

export function isZoneKind(k: unknown): k is ZoneKind {
  return typeof k === 'string' && Object.hasOwn(KIND_LOOK, k);
}

export function kindLabel(kind: ZoneKind): string {
  return t(`kind.${kind}`);
}
