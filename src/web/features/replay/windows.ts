import { MAX_REPLAY_WINDOW_MS } from '../../../domain/replay';

/** The windows a user picks from; `custom` takes two UTC times. */
export const WINDOW_PRESETS = ['15m', '1h', '6h', 'custom'] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number];

const PRESET_MS: Record<Exclude<WindowPreset, 'custom'>, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
};

export interface ReplayRange {
  from: number;
  to: number;
}

/** A preset ending now, on a whole second so that the times shown are the times asked for. */
export function presetRange(preset: Exclude<WindowPreset, 'custom'>, now = Date.now()): ReplayRange {
  const to = Math.floor(now / 1000) * 1000;
  return { from: to - PRESET_MS[preset], to };
}

/** `2026-05-01T12:00` as a `datetime-local` input holds it, read as UTC (the centre works in UTC). */
export function parseUtcInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const t = Date.parse(`${value}Z`);
  return Number.isFinite(t) ? t : null;
}

/** The other way round, to the minute: what the custom inputs start from. */
export function toUtcInput(t: number): string {
  return new Date(t).toISOString().slice(0, 16);
}

export type RangeProblem = 'badFrom' | 'badTo' | 'order' | 'tooLong';

/** Why a custom window cannot be replayed, or its range; the server checks the same again. */
export function customRange(from: string, to: string): ReplayRange | RangeProblem {
  const f = parseUtcInput(from);
  const t = parseUtcInput(to);
  if (f === null) return 'badFrom';
  if (t === null) return 'badTo';
  if (f >= t) return 'order';
  if (t - f > MAX_REPLAY_WINDOW_MS) return 'tooLong';
  return { from: f, to: t };
}
