import type { FrameState } from 'ol/Map';
import { AFFILIATION_COLOUR } from '../features/tracks/symbols';
import { type Affiliation, isAffiliation, isTrackKind, type TrackKind } from '../features/tracks/types';
import { headingImage, type SymbolLook, symbolLook } from './trackSymbols';

/** What the painter needs of one track, in map coordinates (EPSG:3857). */
export interface TrackMark {
  id: string;
  x: number;
  y: number;
  sidc: string;
  kind: TrackKind;
  affiliation: Affiliation;
  /** Radians from north, clockwise; null when not moving or unknown. */
  heading: number | null;
}

/** Radians from north for a track's course, or null when it is not moving or has no course. */
export function trackHeading(p: { course?: unknown; speed?: unknown }): number | null {
  const course = typeof p.course === 'number' && Number.isFinite(p.course) ? p.course : null;
  return course !== null && p.speed !== 0 ? (course * Math.PI) / 180 : null;
}

export function trackMark(
  id: string,
  x: number,
  y: number,
  p: { sidc?: unknown; kind?: unknown; affiliation?: unknown; course?: unknown; speed?: unknown },
): TrackMark {
  return {
    id,
    x,
    y,
    sidc: typeof p.sidc === 'string' ? p.sidc : '',
    kind: isTrackKind(p.kind) ? p.kind : 'unit',
    affiliation: isAffiliation(p.affiliation) ? p.affiliation : 'unknown',
    heading: trackHeading(p),
  };
}

/** Symbols drawn partly off the edge are still drawn. */
const MARGIN = 48;
/**
 * Beyond this many tracks in view, each is a small square in its affiliation's colours, one path
 * per affiliation, instead of its symbol and heading line: without a GPU a symbol costs ~10 µs to
 * blit, so 10,000 of them took 200 ms a frame, and they overlapped into a blur anyway. Zooming in
 * brings the symbols back.
 */
const DENSE_IN_VIEW = 1500;
/** Small enough that dense clusters still show a mix of colours; hostile is drawn last, on top. */
const DOT = 4;
const AFFILIATION_ORDER: readonly Affiliation[] = ['unknown', 'neutral', 'friend', 'hostile'];
/**
 * The track symbols, blitted straight onto the map's canvas (from the callsign layer's `prerender`,
 * so below the callsigns and above footprints and trail), heading lines pre-drawn. OpenLayers'
 * own vector rendering defers every icon to its declutter pass as soon as any layer declutters
 * (the zones do), with a canvas save/restore each: with 3,000 tracks that made frames of 100–800 ms
 * here, against 17 ms (60 fps, panning included) this way. Drawing into the shared canvas rather
 * than a layer canvas of its own also spares the compositor a full-size canvas every frame.
 */
export class TrackPainter {
  private readonly marks = new Map<string, TrackMark>();
  private selectedId: string | null = null;
  /** The coordinate-to-CSS-pixel transform of the last frame, for hit detection between frames. */
  private toPixel: number[] | null = null;
  /** The size in CSS pixels of the last frame. */
  private size: readonly number[] = [0, 0];
  /**
   * The tracks the last frame drew, the selected one aside, and where (CSS pixels): arrays kept
   * from frame to frame, since an object per track per frame kept the collector busy while panning.
   */
  private readonly inView: TrackMark[] = [];
  private readonly inViewX: number[] = [];
  private readonly inViewY: number[] = [];

  setMark(mark: TrackMark): void {
    this.marks.set(mark.id, mark);
  }

  /** Moves a track's mark in place; false when there is none. */
  moveMark(id: string, x: number, y: number, heading: number | null): boolean {
    const m = this.marks.get(id);
    if (!m) return false;
    m.x = x;
    m.y = y;
    m.heading = heading;
    return true;
  }

  deleteMark(id: string): void {
    this.marks.delete(id);
  }

  /** Uids of every track painted when in view. */
  ids(): string[] {
    return [...this.marks.keys()];
  }

  /** A track's position in map coordinates, or null. */
  coordinate(id: string): [number, number] | null {
    const m = this.marks.get(id);
    return m ? [m.x, m.y] : null;
  }

  /** Uids of the tracks the last frame drew in view, the selected one aside. */
  *idsInView(): Iterable<string> {
    for (const m of this.inView) yield m.id;
  }

  setSelected(id: string | null): void {
    this.selectedId = id;
  }

  private look(m: TrackMark, selected: boolean): SymbolLook {
    return symbolLook(m.sidc, m.kind, m.affiliation, selected);
  }

  /**
   * Draws every track in view; `cssToCanvas` maps CSS pixels of the map to pixels of `ctx`.
   * Returns how many tracks were in view.
   */
  paint(ctx: CanvasRenderingContext2D, frameState: FrameState, cssToCanvas: readonly number[]): number {
    const [cssW = 0, cssH = 0] = frameState.size;
    const t = frameState.coordinateToPixelTransform;
    this.toPixel = t.slice();
    this.size = frameState.size.slice();
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = t;
    const rotation = frameState.viewState.rotation;
    let selected: { mark: TrackMark; px: number; py: number } | null = null;
    const visible = this.inView;
    const xs = this.inViewX;
    const ys = this.inViewY;
    visible.length = 0;
    xs.length = 0;
    ys.length = 0;
    ctx.save();
    const [m0 = 1, m1 = 0, m2 = 0, m3 = 1, m4 = 0, m5 = 0] = cssToCanvas;
    ctx.setTransform(m0, m1, m2, m3, m4, m5);
    ctx.globalAlpha = 1;
    for (const m of this.marks.values()) {
      const px = a * m.x + c * m.y + e;
      const py = b * m.x + d * m.y + f;
      if (px < -MARGIN || py < -MARGIN || px > cssW + MARGIN || py > cssH + MARGIN) continue;
      if (m.id === this.selectedId) selected = { mark: m, px, py };
      else {
        visible.push(m);
        xs.push(px);
        ys.push(py);
      }
    }
    if (visible.length > DENSE_IN_VIEW) this.paintDense(ctx);
    else {
      // Heading lines first, under every symbol, so that a line never hides a neighbour's frame.
      for (let i = 0; i < visible.length; i++) {
        const heading = visible[i]?.heading ?? null;
        if (heading === null) continue;
        const h = headingImage(heading + rotation);
        ctx.drawImage(
          h.bitmap ?? h.canvas,
          (xs[i] ?? 0) - h.originX,
          (ys[i] ?? 0) - h.originY,
          h.width,
          h.height,
        );
      }
      for (let i = 0; i < visible.length; i++) {
        const m = visible[i];
        if (m) this.blit(ctx, this.look(m, false), xs[i] ?? 0, ys[i] ?? 0);
      }
    }
    if (selected) this.blit(ctx, this.look(selected.mark, true), selected.px, selected.py);
    ctx.restore();
    return visible.length + (selected ? 1 : 0);
  }

  /**
   * How many tracks the last frame's view holds now, counting up to `limit` (then stopping): all of
   * them before any frame was drawn.
   */
  countInView(limit: number): number {
    const t = this.toPixel;
    if (!t) return this.marks.size;
    const [cssW = 0, cssH = 0] = this.size;
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = t;
    let n = 0;
    for (const m of this.marks.values()) {
      const px = a * m.x + c * m.y + e;
      const py = b * m.x + d * m.y + f;
      if (px < -MARGIN || py < -MARGIN || px > cssW + MARGIN || py > cssH + MARGIN) continue;
      if (++n > limit) break;
    }
    return n;
  }

  /** One filled path of squares per affiliation, hostile on top, of the tracks in view. */
  private paintDense(ctx: CanvasRenderingContext2D): void {
    const visible = this.inView;
    const xs = this.inViewX;
    const ys = this.inViewY;
    for (const aff of AFFILIATION_ORDER) {
      ctx.beginPath();
      for (let i = 0; i < visible.length; i++)
        if (visible[i]?.affiliation === aff)
          ctx.rect(Math.round(xs[i] ?? 0) - DOT / 2, Math.round(ys[i] ?? 0) - DOT / 2, DOT, DOT);
      // The darker frame colour: the light fill colours vanish on the basemap at this size.
      ctx.fillStyle = AFFILIATION_COLOUR[aff].line;
      ctx.fill();
    }
  }

  private blit(ctx: CanvasRenderingContext2D, look: SymbolLook, px: number, py: number): void {
    ctx.drawImage(look.bitmap ?? look.canvas, px - look.anchorX, py - look.anchorY, look.width, look.height);
  }

  /** The track whose symbol is under a pixel (topmost first), or null. */
  hit(pixel: readonly number[], tolerance: number): string | null {
    const t = this.toPixel;
    const [x = 0, y = 0] = pixel;
    if (!t) return null;
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = t;
    const inside = (m: TrackMark): boolean => {
      const look = this.look(m, m.id === this.selectedId);
      const left = a * m.x + c * m.y + e - look.anchorX;
      const top = b * m.x + d * m.y + f - look.anchorY;
      return (
        x >= left - tolerance &&
        x <= left + look.width + tolerance &&
        y >= top - tolerance &&
        y <= top + look.height + tolerance
      );
    };
    const selected = this.selectedId ? this.marks.get(this.selectedId) : undefined;
    if (selected && inside(selected)) return selected.id;
    // Drawn in insertion order, so the last one that matches is the one on top.
    let found: string | null = null;
    for (const m of this.marks.values()) if (inside(m)) found = m.id;
    return found;
  }
}
