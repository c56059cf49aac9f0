import { AFFILIATION_COLOUR, genericSidc, renderSymbol, symbolsReady } from '../features/tracks/symbols';
import type { Affiliation, TrackKind } from '../features/tracks/types';

/** A track's symbol ready to blit: a canvas and where the track's position is on it. */
export interface SymbolLook {
  canvas: HTMLCanvasElement;
  /** The same pixels as an ImageBitmap once decoded: drawn without a snapshot of the canvas. */
  bitmap?: ImageBitmap;
  /** Anchor and size in CSS pixels. */
  anchorX: number;
  anchorY: number;
  width: number;
  height: number;
}

const SELECTED = '#ffd43b';
/** How far the heading line reaches from the track's position, in CSS pixels. */
export const HEADING_LENGTH = 30;
/** Bound on the cache: far above the distinct symbols of any picture, so it never grows without end. */
const MAX_CACHED = 2_000;

/**
 * Attaches an ImageBitmap copy of `target.canvas` when the browser has made it: blitting a canvas
 * snapshots it on every draw, which thousands of tracks a frame make costly.
 */
function withBitmap<T extends { canvas: HTMLCanvasElement; bitmap?: ImageBitmap }>(target: T): T {
  if (typeof createImageBitmap === 'function' && target.canvas.width > 0 && target.canvas.height > 0) {
    createImageBitmap(target.canvas).then(
      (bitmap) => {
        target.bitmap = bitmap;
      },
      () => undefined,
    );
  }
  return target;
}

function pixelRatio(): number {
  return Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1));
}

const looks = new Map<string, SymbolLook>();

/** Until milsymbol has loaded: a disc in the affiliation's colour. */
function plainMarker(affiliation: Affiliation, selected: boolean): SymbolLook {
  const ratio = pixelRatio();
  const size = 18;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = Math.ceil(size * ratio);
  const ctx = canvas.getContext('2d');
  if (ctx) {
    const colours = AFFILIATION_COLOUR[affiliation];
    ctx.scale(ratio, ratio);
    ctx.beginPath();
    ctx.arc(size / 2, size / 2, 6.5, 0, Math.PI * 2);
    ctx.fillStyle = colours.fill;
    ctx.fill();
    ctx.lineWidth = selected ? 3.5 : 1.5;
    ctx.strokeStyle = selected ? SELECTED : colours.line;
    ctx.stroke();
  }
  return { canvas, anchorX: size / 2, anchorY: size / 2, width: size, height: size };
}

/**
 * The symbol of a SIDC (or, if milsymbol cannot read it, of the kind and affiliation), shared by
 * every track that looks the same: thousands of tracks cost a handful of canvases.
 */
export function symbolLook(
  sidc: string,
  kind: TrackKind,
  affiliation: Affiliation,
  selected: boolean,
): SymbolLook {
  const ready = symbolsReady();
  const key = `${sidc}|${kind}|${affiliation}|${selected ? 1 : 0}|${ready ? 1 : 0}`;
  const cached = looks.get(key);
  if (cached) return cached;
  if (looks.size >= MAX_CACHED) looks.clear();
  const r = ready
    ? (renderSymbol(sidc, selected) ?? renderSymbol(genericSidc(kind, affiliation), selected))
    : null;
  const look: SymbolLook = r
    ? {
        canvas: r.canvas,
        anchorX: r.anchor[0] / r.ratio,
        anchorY: r.anchor[1] / r.ratio,
        width: r.canvas.width / r.ratio,
        height: r.canvas.height / r.ratio,
      }
    : plainMarker(affiliation, selected);
  looks.set(key, withBitmap(look));
  return look;
}

/** Headings are drawn in steps of this many degrees: finer than the eye reads at symbol size. */
const HEADING_STEP = 5;
const ARROW_LENGTH = 6;
const ARROW_SPREAD = 0.6;
/** Room around the line for its white casing. */
const CASING = 3;

/** A heading line pre-drawn for one course, cropped to the line: `originX/Y` is the track's position. */
export interface HeadingImage {
  canvas: HTMLCanvasElement;
  bitmap?: ImageBitmap;
  originX: number;
  originY: number;
  width: number;
  height: number;
}

const headings: HeadingImage[] = [];

/**
 * The heading line (from the position towards the course, with an arrowhead, dark on a white
 * casing) pre-drawn per 5° of course and cropped tight: one small upright blit per track costs far
 * less than stroking paths or drawing rotated images, in software rendering above all.
 */
export function headingImage(radians: number): HeadingImage {
  const steps = 360 / HEADING_STEP;
  const step = ((Math.round((radians * 180) / Math.PI / HEADING_STEP) % steps) + steps) % steps;
  const cached = headings[step];
  if (cached) return cached;
  const angle = (step * HEADING_STEP * Math.PI) / 180;
  // Screen coordinates, y down: the course's direction is (sin, -cos).
  const at = (length: number, a: number): [number, number] => [Math.sin(a) * length, -Math.cos(a) * length];
  const tip = at(HEADING_LENGTH, angle);
  const barb = (spread: number): [number, number] => {
    const [bx, by] = at(ARROW_LENGTH, angle + spread);
    return [tip[0] - bx, tip[1] - by];
  };
  const left = barb(-ARROW_SPREAD);
  const right = barb(ARROW_SPREAD);
  const xs = [0, tip[0], left[0], right[0]];
  const ys = [0, tip[1], left[1], right[1]];
  const minX = Math.floor(Math.min(...xs) - CASING);
  const minY = Math.floor(Math.min(...ys) - CASING);
  const width = Math.ceil(Math.max(...xs) + CASING) - minX;
  const height = Math.ceil(Math.max(...ys) + CASING) - minY;
  const ratio = pixelRatio();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * ratio);
  canvas.height = Math.ceil(height * ratio);
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.scale(ratio, ratio);
    ctx.translate(-minX, -minY);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    const path = () => {
      ctx.beginPath();
      ctx.moveTo(0, 0);
      ctx.lineTo(tip[0], tip[1]);
      ctx.moveTo(left[0], left[1]);
      ctx.lineTo(tip[0], tip[1]);
      ctx.lineTo(right[0], right[1]);
    };
    path();
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.lineWidth = 4.5;
    ctx.stroke();
    path();
    ctx.strokeStyle = '#13202f';
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  const image = withBitmap<HeadingImage>({ canvas, originX: -minX, originY: -minY, width, height });
  headings[step] = image;
  return image;
}
