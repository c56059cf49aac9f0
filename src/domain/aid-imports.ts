import { ITEM_CATEGORIES, type ItemCategory } from './consignments.js';
import type { FieldSpec } from './hxl.js';
import { type Marking, normaliseMarking } from './marking.js';

/**
 * Imports of humanitarian lists (CSV with an HXL hashtag row): consignment lists and 3W lists
 * ("who does what where"). Each data row becomes one record or one error with its reason; a bad
 * row never stops the good ones. Row numbers count every CSV record from 1 (the text header is
 * row 1, the hashtag row usually row 2), as a spreadsheet shows them.
 */

export const IMPORT_KINDS = ['consignments', 'activities'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATES = ['running', 'done', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/** The live layer import progress is published on (one event per stored batch). */
export const AID_IMPORTS_LAYER = 'aid-imports';
export const DEFAULT_IMPORT_MAX_BYTES = 50 * 1024 * 1024;
/** Error details kept per job; the count goes on past it. */
export const MAX_STORED_ERRORS = 10_000;
/** The longest text a cell may hold; longer ones are refused with their row. */
export const MAX_CELL_CHARS = 2000;
/** How much of a refused value the error report repeats. */
export const MAX_REPORTED_VALUE_CHARS = 200;

export interface RowError {
  row: number;
  column?: string;
  value?: string;
  reason: string;
}

export interface ImportProgress {
  id: string;
  kind: ImportKind;
  filename: string | null;
  state: ImportState;
  totalRows: number;
  processedRows: number;
  importedRows: number;
  errorCount: number;
  percent: number;
  /** Why the job failed, when it did. */
  failure: string | null;
  startedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  marking: Marking;
  markingText: string;
}

export type ConsignmentField =
  | 'crossing'
  | 'organisation'
  | 'donor'
  | 'corridor'
  | 'reference'
  | 'category'
  | 'item'
  | 'quantity'
  | 'unit'
  | 'dualUse'
  | 'pallets'
  | 'tonnes'
  | 'trucks'
  | 'date'
  | 'marking';

const NOT_DONOR = ['funder', 'donor'];

export const CONSIGNMENT_FIELDS: readonly FieldSpec<ConsignmentField>[] = [
  { field: 'crossing', patterns: ['#loc+crossing'], required: true, label: 'crossing' },
  { field: 'category', patterns: ['#item+type', '#item+category'], required: true, label: 'item category' },
  {
    field: 'item',
    patterns: ['#item+name', '#item'],
    exclude: [
      'type',
      'category',
      'code',
      'unit',
      'quantity',
      'num',
      'pallets',
      'tonnes',
      'trucks',
      'dual_use',
      'dualuse',
    ],
    required: true,
    label: 'item',
  },
  {
    field: 'quantity',
    patterns: ['#value+quantity', '#item+quantity', '#item+num', '#value+num'],
    exclude: ['pallets', 'tonnes', 'trucks'],
    required: true,
    label: 'quantity',
  },
  {
    field: 'unit',
    patterns: ['#indicator+unit', '#item+unit', '#value+unit'],
    required: true,
    label: 'unit',
  },
  { field: 'donor', patterns: ['#org+funder', '#org+donor'], label: 'donor' },
  {
    field: 'organisation',
    patterns: ['#org+code', '#org+acronym', '#org'],
    exclude: NOT_DONOR,
    label: 'organisation',
  },
  { field: 'corridor', patterns: ['#loc+corridor'], label: 'corridor' },
  { field: 'reference', patterns: ['#meta+ref', '#meta+id'], label: 'reference' },
  { field: 'dualUse', patterns: ['#item+dual_use', '#item+dualuse'], label: 'dual use' },
  { field: 'pallets', patterns: ['#value+pallets', '#item+pallets'], label: 'pallets' },
  { field: 'tonnes', patterns: ['#value+tonnes', '#item+tonnes', '#value+weight'], label: 'tonnes' },
  { field: 'trucks', patterns: ['#value+trucks', '#item+trucks'], label: 'trucks' },
  { field: 'date', patterns: ['#date+registered', '#date'], label: 'date' },
  { field: 'marking', patterns: ['#meta+marking'], label: 'marking' },
];

export type ActivityField =
  | 'organisation'
  | 'sector'
  | 'activity'
  | 'admin1'
  | 'location'
  | 'lat'
  | 'lon'
  | 'start'
  | 'end'
  | 'targeted'
  | 'reached'
  | 'status'
  | 'reference'
  | 'marking';

export const ACTIVITY_FIELDS: readonly FieldSpec<ActivityField>[] = [
  {
    field: 'organisation',
    patterns: ['#org+impl', '#org+name', '#org'],
    exclude: NOT_DONOR,
    required: true,
    label: 'organisation',
  },
  { field: 'sector', patterns: ['#sector+name', '#sector'], required: true, label: 'sector' },
  {
    field: 'activity',
    patterns: ['#activity+name', '#activity'],
    exclude: ['code', 'id'],
    label: 'activity',
  },
  { field: 'admin1', patterns: ['#adm1+name', '#adm1'], label: 'admin1' },
  { field: 'location', patterns: ['#loc+name', '#loc'], label: 'location' },
  { field: 'lat', patterns: ['#geo+lat'], label: 'latitude' },
  { field: 'lon', patterns: ['#geo+lon'], label: 'longitude' },
  { field: 'start', patterns: ['#date+start'], label: 'start date' },
  { field: 'end', patterns: ['#date+end'], label: 'end date' },
  { field: 'targeted', patterns: ['#targeted'], label: 'people targeted' },
  { field: 'reached', patterns: ['#reached', '#beneficiary'], label: 'people reached' },
  { field: 'status', patterns: ['#status'], label: 'status' },
  { field: 'reference', patterns: ['#activity+code', '#activity+id', '#meta+id'], label: 'reference' },
  { field: 'marking', patterns: ['#meta+marking'], label: 'marking' },
];

export const ACTIVITY_STATUSES = ['planned', 'ongoing', 'completed', 'suspended'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export function fieldsOf(kind: ImportKind): readonly FieldSpec[] {
  return kind === 'consignments' ? CONSIGNMENT_FIELDS : ACTIVITY_FIELDS;
}

/** Item categories as partners write them, to ours. */
const CATEGORY_ALIASES: Record<string, ItemCategory> = {
  'food security': 'food',
  nutrition: 'food',
  medical: 'health',
  medicine: 'health',
  medicines: 'health',
  nfi: 'shelter',
  'shelter/nfi': 'shelter',
  'water, sanitation and hygiene': 'wash',
  hygiene: 'wash',
};

export function parseCategory(s: string): ItemCategory | null {
  const v = s.trim().toLowerCase();
  if ((ITEM_CATEGORIES as readonly string[]).includes(v)) return v as ItemCategory;
  return CATEGORY_ALIASES[v] ?? null;
}

/** `1234`, `1,234.5`, `1 234`: thousands separators are tolerated; a decimal comma is not guessed. */
export function parseNumber(s: string): number | null {
  const v = s.trim().replace(/(?<=\d)[ ,](?=\d{3}(?:\D|$))/g, '');
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(v)) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 date (`2026-11-30`, midnight UTC) or date-time with its offset; null otherwise. */
export function parseIsoDate(s: string): Date | null {
  const v = s.trim();
  if (!ISO_DATE.test(v) && !ISO_DATE_TIME.test(v)) return null;
  const d = new Date(ISO_DATE.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) return null;
  // 2026-02-31 parses in some engines as March: the date must say what it means.
  if (d.toISOString().slice(0, 10) !== v.slice(0, 10) && ISO_DATE.test(v)) return null;
  const y = d.getUTCFullYear();
  return y >= 1900 && y <= 2200 ? d : null;
}

export function parseYesNo(s: string): boolean | null {
  const v = s.trim().toLowerCase();
  if (['yes', 'y', 'true', '1', 'x'].includes(v)) return true;
  if (['no', 'n', 'false', '0', ''].includes(v)) return false;
  return null;
}

export function parseActivityStatus(s: string): ActivityStatus | null {
  const v = s.trim().toLowerCase();
  if ((ACTIVITY_STATUSES as readonly string[]).includes(v)) return v as ActivityStatus;
  if (v === 'active' || v === 'in progress' || v === 'on-going') return 'ongoing';
  if (v === 'complete' || v === 'finished' || v === 'closed') return 'completed';
  if (v === 'pipeline' || v === 'proposed') return 'planned';
  return null;
}

/** What an error report may repeat of a value: short, and without characters that cannot be stored. */
export function reportedValue(v: string): string {
  const clean = v.replaceAll('\u0000', '\u2400');
  return clean.length > MAX_REPORTED_VALUE_CHARS
    ? `${clean.slice(0, MAX_REPORTED_VALUE_CHARS)}… (${v.length} characters)`
    : clean;
}

export function progressPercent(state: ImportState, processed: number, total: number): number {
  if (state !== 'running') return 100;
  if (total <= 0) return 0;
  return Math.min(99, Math.floor((processed * 100) / total));
}

export function markingKey(m: Marking): string {
  const n = normaliseMarking(m);
  return `${n.classification}|${n.releasableTo.join(',')}|${(n.caveats ?? []).join(',')}`;
}
