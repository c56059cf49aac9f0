/**
 * Count reconciliation: several sources count the trucks through a crossing on a day, each by its
 * own rule. Figures that agree match; a difference a known rule explains (e.g. screened vs
 * collected: trucks screened late in the day are collected the next) is explained; the rest is
 * unexplained and shown as such.
 */

/** What a source counts: trucks screened at the crossing, collected on the far side, or arrived at a warehouse. */
export const COUNTING_RULES = ['screened', 'collected', 'at-warehouse'] as const;
export type CountingRule = (typeof COUNTING_RULES)[number];

export const COUNT_UNITS = ['trucks', 'tonnes', 'pallets'] as const;
export type CountUnit = (typeof COUNT_UNITS)[number];

/** One source's figure for one day and crossing. */
export interface CountFigure {
  source: string;
  rule: CountingRule;
  /** What is counted: e.g. "all aid", "UN-coordinated only", "commercial excluded". */
  scope: string;
  unit: CountUnit;
  value: number;
}

export type ReconciliationVerdict = 'match' | 'explained' | 'unexplained' | 'single-source';

export interface ReconciledPair {
  a: CountFigure;
  b: CountFigure;
  difference: number;
  verdict: ReconciliationVerdict;
  /** Why, in words, when explained or unexplained. */
  explanation: string | null;
}

/** Differences within this share of the larger figure (or 2 units) count as a match. */
export const MATCH_TOLERANCE = { share: 0.02, absolute: 2 } as const;

/**
 * How far figures by different rules may differ and still be explained by the rule: later stages
 * of the pipeline count at most as much as earlier ones, and lag by up to this share.
 */
export const RULE_ORDER: Record<CountingRule, number> = { screened: 0, collected: 1, 'at-warehouse': 2 };
export const RULE_LAG_SHARE = 0.25;

function matches(a: number, b: number): boolean {
  const tol = Math.max(MATCH_TOLERANCE.absolute, MATCH_TOLERANCE.share * Math.max(a, b));
  return Math.abs(a - b) <= tol;
}

/** Compares two figures of the same unit. */
export function reconcilePair(a: CountFigure, b: CountFigure): ReconciledPair {
  const difference = b.value - a.value;
  if (matches(a.value, b.value)) return { a, b, difference, verdict: 'match', explanation: null };
  if (a.scope !== b.scope) {
    return {
      a,
      b,
      difference,
      verdict: 'explained',
      explanation: `Different scope: ${a.source} counts ${a.scope}, ${b.source} counts ${b.scope}.`,
    };
  }
  if (a.rule !== b.rule) {
    const [early, late] = RULE_ORDER[a.rule] < RULE_ORDER[b.rule] ? [a, b] : [b, a];
    const lag = early.value - late.value;
    if (lag > 0 && lag <= RULE_LAG_SHARE * early.value) {
      return {
        a,
        b,
        difference,
        verdict: 'explained',
        explanation: `${late.source} counts ${late.rule} trucks, ${early.source} counts ${early.rule}: ${lag} not yet ${late.rule}.`,
      };
    }
  }
  return {
    a,
    b,
    difference,
    verdict: 'unexplained',
    explanation: `${a.source} ${a.value} vs ${b.source} ${b.value} ${a.unit} (${a.rule} / ${b.rule}).`,
  };
}

/** Every pair of figures in the same unit, compared; one figure alone is `single-source`. */
export function reconcile(figures: readonly CountFigure[]): {
  verdict: ReconciliationVerdict;
  pairs: ReconciledPair[];
} {
  const pairs: ReconciledPair[] = [];
  for (let i = 0; i < figures.length; i++)
    for (let j = i + 1; j < figures.length; j++) {
      const a = figures[i]!;
      const b = figures[j]!;
      if (a.unit === b.unit) pairs.push(reconcilePair(a, b));
    }
  if (pairs.length === 0) return { verdict: 'single-source', pairs };
  const worst = pairs.some((p) => p.verdict === 'unexplained')
    ? 'unexplained'
    : pairs.some((p) => p.verdict === 'explained')
      ? 'explained'
      : 'match';
  return { verdict: worst, pairs };
}
