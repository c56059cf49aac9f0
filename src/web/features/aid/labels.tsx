import type { ConsignmentState } from '../../../domain/consignments';
import type { CrossingStatus } from '../../../domain/crossings';
import type { ReconciliationVerdict } from '../../../domain/reconciliation';
import { type MessageKey, t } from '../../i18n/t';

/** Colours behind white text (≥ 4.5:1); the text always says the same as the colour. */
export const CROSSING_COLOURS: Record<CrossingStatus, string> = {
  open: '#1e7a36',
  restricted: '#9a5b00',
  closed: '#b3122f',
};

export const VERDICT_COLOURS: Record<ReconciliationVerdict, string> = {
  match: '#1e7a36',
  explained: '#0b5cad',
  unexplained: '#b3122f',
  'single-source': '#56606b',
};

export const STATE_COLOURS: Record<ConsignmentState, string> = {
  registered: '#56606b',
  cleared: '#0b5cad',
  'partially-cleared': '#3d5a99',
  rejected: '#b3122f',
  dispatched: '#5a3d99',
  'queued-at-crossing': '#9a5b00',
  screened: '#0a6e6e',
  offloaded: '#0a6e6e',
  collected: '#1f6f8b',
  'in-transit': '#1f6f8b',
  delivered: '#1e7a36',
  'partially-received': '#7a5c00',
  intercepted: '#b3122f',
  returned: '#8a2d5c',
};

export const crossingStatusLabel = (s: CrossingStatus) => t(`aid.crossing.status.${s}` as MessageKey);
export const verdictLabel = (v: ReconciliationVerdict) => t(`aid.verdict.${v}` as MessageKey);
export const stateLabel = (s: ConsignmentState) => t(`aid.state.${s}` as MessageKey);
export const categoryLabel = (c: string) => {
  const key = `aid.category.${c}` as MessageKey;
  return key in CATEGORY_KEYS ? t(key) : c;
};
const CATEGORY_KEYS: Record<string, true> = Object.fromEntries(
  ['food', 'water', 'health', 'shelter', 'fuel', 'wash', 'education', 'other'].map((c) => [
    `aid.category.${c}`,
    true,
  ]),
);

export const CATEGORY_COLOURS: Record<string, string> = {
  food: '#0b5cad',
  water: '#1f8bb3',
  health: '#b3122f',
  shelter: '#9a5b00',
  fuel: '#5a3d99',
  wash: '#0a6e6e',
  education: '#1e7a36',
  other: '#56606b',
};

/** Numbers the way a board shows them: whole trucks, tonnes to one decimal. */
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

export function Tag({
  colour,
  text,
  testId,
  value,
}: {
  colour: string;
  text: string;
  testId?: string;
  value?: string;
}) {
  return (
    <span className="status-tag" style={{ background: colour }} data-testid={testId} data-value={value}>
      {text}
    </span>
  );
}
