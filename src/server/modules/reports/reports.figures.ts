import { type DailyReport, type ReportMap, STATUS_COLOURS } from '../../../domain/daily-report.js';
import { governorateOf } from '../../../domain/governorates.js';

/**
 * The map and the trend chart as plain shapes in a box of the caller's size, so that the HTML
 * (SVG) and the PDF (pdfkit paths) draw exactly the same picture.
 */

export type Pt = [number, number];

export interface MapFigure {
  width: number;
  height: number;
  /** Rings in box coordinates. */
  governorates: { name: string; rings: Pt[][]; label: Pt; fill: string }[];
  outline: Pt[][] | null;
  lines: { name: string; parts: Pt[][] }[];
  points: { number: string; colour: string; at: Pt }[];
}

const GOVERNORATE_FILLS = ['#eef3f8', '#e3ebf3', '#eef3f8', '#e3ebf3', '#eef3f8'];

/** An equirectangular projection scaled by cos(latitude), fitted to the box with the extent centred. */
export function projectMap(map: ReportMap, width: number, height: number): MapFigure {
  const { west, east, south, north } = map.extent;
  const k = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const scale = Math.min(width / ((east - west) * k), height / (north - south));
  const dx = (width - (east - west) * k * scale) / 2;
  const dy = (height - (north - south) * scale) / 2;
  const p = (c: readonly number[]): Pt => [dx + (c[0]! - west) * k * scale, dy + (north - c[1]!) * scale];
  const ring = (r: readonly (readonly number[])[]) => r.map(p);
  return {
    width,
    height,
    governorates: map.governorates.map((g, i) => ({
      name: g.name,
      rings: g.rings.map(ring),
      label: p(labelAt(map, g.name, g.rings[0] ?? [])),
      fill: GOVERNORATE_FILLS[i % GOVERNORATE_FILLS.length]!,
    })),
    outline: map.outline ? map.outline.rings.map(ring) : null,
    lines: map.lines.map((l) => ({ name: `${l.name} (v${l.version})`, parts: l.parts.map(ring) })),
    points: map.points.map((x) => ({
      number: x.number,
      colour: STATUS_COLOURS[x.status],
      at: p([x.lon, x.lat]),
    })),
  };
}

/**
 * Where a governorate's name goes (its right end): in the sea just west of the outline's vertices
 * that lie in the governorate, else by the west edge of its band.
 */
function labelAt(map: ReportMap, name: string, band: readonly (readonly number[])[]): [number, number] {
  const inside = (map.outline?.rings ?? []).flat().filter((c) => governorateOf(c[0]!, c[1]!) === name);
  if (inside.length) {
    const lat = inside.reduce((n, c) => n + c[1]!, 0) / inside.length;
    // The outline's westernmost crossing of that latitude: the coast.
    let west = Math.min(...inside.map((c) => c[0]!));
    for (const r of map.outline?.rings ?? []) {
      for (let i = 1; i < r.length; i++) {
        const a = r[i - 1]!;
        const b = r[i]!;
        if ((a[1]! - lat) * (b[1]! - lat) > 0 || a[1] === b[1]) continue;
        west = Math.min(west, a[0]! + ((lat - a[1]!) / (b[1]! - a[1]!)) * (b[0]! - a[0]!));
      }
    }
    return [west - 0.008, lat];
  }
  const a = band[0] ?? [map.extent.west, map.extent.north];
  const b = band[3] ?? a;
  return [map.extent.west + 0.08, (a[1]! + b[1]!) / 2];
}

export interface ChartFigure {
  width: number;
  height: number;
  /** The plot area inside the box, left of it the axis labels, below it the day labels. */
  plot: { x: number; y: number; w: number; h: number };
  bars: { x: number; y: number; w: number; h: number; count: number; label: string; current: boolean }[];
  ticks: { y: number; value: number }[];
}

export function layoutChart(trend: DailyReport['trend'], width: number, height: number): ChartFigure {
  const plot = { x: 28, y: 10, w: width - 36, h: height - 34 };
  const max = Math.max(1, ...trend.map((d) => d.count));
  const step = max <= 5 ? 1 : max <= 10 ? 2 : max <= 25 ? 5 : Math.ceil(max / 5 / 10) * 10;
  const top = Math.ceil(max / step) * step;
  const slot = plot.w / Math.max(1, trend.length);
  const ticks: ChartFigure['ticks'] = [];
  for (let v = 0; v <= top; v += step) ticks.push({ value: v, y: plot.y + plot.h - (v / top) * plot.h });
  return {
    width,
    height,
    plot,
    ticks,
    bars: trend.map((d, i) => {
      const h = (d.count / top) * plot.h;
      return {
        x: plot.x + i * slot + slot * 0.15,
        y: plot.y + plot.h - h,
        w: slot * 0.7,
        h,
        count: d.count,
        label: d.label,
        current: i === trend.length - 1,
      };
    }),
  };
}
