/** The contract every benchmark keeps: a readable summary, then one JSON object as the last line. */

export type Metrics = Record<string, number | string | boolean | null>;

export interface BenchReport {
  bench: string;
  workload: Metrics;
  results: Metrics;
  /** The figures of each peer measured side by side in the same run, under the same metric names. */
  peers: Record<string, Metrics>;
}

/** A benchmark module exports `run`; `bench/run.ts` prints the report it returns as the last line. */
export type BenchMain = (args: string[]) => Promise<BenchReport>;

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear interpolation between closest ranks; NaN for no data. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Rounds for reports: a tenth of a unit is as precise as these noisy figures get. */
export function r1(n: number): number {
  return Math.round(n * 10) / 10;
}

export function verdict(value: number, limit: number): string {
  return value < limit ? 'PASS' : 'FAIL';
}

/** `--name value` and `--flag` options after the benchmark name. */
export function parseArgs(args: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) out.set(a.slice(2), args[++i]!);
    else out.set(a.slice(2), true);
  }
  return out;
}

export function numberOption(opts: Map<string, string | true>, name: string, fallback: number): number {
  const v = opts.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a non-negative number`);
  return n;
}
