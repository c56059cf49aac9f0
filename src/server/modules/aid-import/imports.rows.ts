import {
  type ActivityField,
  type ActivityStatus,
  type ConsignmentField,
  MAX_CELL_CHARS,
  markingKey,
  parseActivityStatus,
  parseCategory,
  parseIsoDate,
  parseNumber,
  parseYesNo,
  type RowError,
  reportedValue,
} from '../../../domain/aid-imports.js';
import type { ItemCategory } from '../../../domain/consignments.js';
import { parseMarkingText } from '../../../domain/hxl.js';
import { canWrite, formatMarking, type Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import { type MarkingColumns, markingToColumns } from '../../db/marking-columns.js';
import type { NewConsignment } from '../consignments/index.js';

/** One data row of a list to a record ready to store, or the reasons it is refused. No I/O. */

export interface Lookups {
  /** Crossings the importer may see, by lower-case name. */
  crossings: ReadonlyMap<string, string>;
  /** Organisations by lower-case code and name. */
  organisations: ReadonlyMap<string, { id: string; code: string }>;
}

export interface RowContext<F extends string> {
  viewer: Viewer;
  /** The importer holds aid:coordinate: may register consignments for any organisation. */
  centre: boolean;
  defaultMarking: Marking;
  columns: Partial<Record<F, number>>;
  hashtags: Partial<Record<F, string>>;
  lookups: Lookups;
}

export interface NewImportedConsignment extends MarkingColumns {
  reference: string | null;
  organisationId: string;
  donor: string | null;
  corridor: string | null;
  crossingId: string;
  pallets: number;
  tonnes: number;
  trucks: number;
  at: string;
  category: ItemCategory;
  description: string;
  quantity: number;
  unit: string;
  dualUse: boolean;
}

/**
 * An imported row in the consignments module's insert shape: one item, registered at the row's date
 * by the importer, version 1, written now.
 */
export function asNewConsignment(
  r: NewImportedConsignment,
  ids: { id: string; importJobId: string; actor: string; now: string },
): NewConsignment {
  return {
    id: ids.id,
    reference: r.reference,
    requesting_organisation_id: r.organisationId,
    donor: r.donor,
    corridor: r.corridor,
    crossing_id: r.crossingId,
    pallets: r.pallets,
    tonnes: r.tonnes,
    trucks: r.trucks,
    import_job_id: ids.importJobId,
    created_by: ids.actor,
    items: [
      {
        category: r.category,
        description: r.description,
        quantity: r.quantity,
        unit: r.unit,
        dual_use: r.dualUse,
      },
    ],
    actions: [{ from_state: null, to_state: 'registered', reason: null, actor: ids.actor, at: r.at }],
    updated_at: ids.now,
    classification: r.classification,
    releasable_to: r.releasable_to,
    caveats: r.caveats,
  };
}

export interface NewActivity extends MarkingColumns {
  reference: string | null;
  organisation: string;
  organisationId: string | null;
  sector: string;
  activity: string | null;
  admin1: string | null;
  location: string | null;
  lon: number | null;
  lat: number | null;
  start: string | null;
  end: string | null;
  targeted: number | null;
  reached: number | null;
  status: ActivityStatus | null;
}

type Result<T> = { ok: true; value: T } | { ok: false; errors: RowError[] };

/** Reads one row's cells with the checks every kind shares (length, NUL, required). */
class Cells<F extends string> {
  readonly errors: RowError[] = [];
  constructor(
    private readonly record: readonly string[],
    private readonly row: number,
    private readonly ctx: RowContext<F>,
  ) {}

  fail(field: F, value: string | undefined, reason: string): null {
    const e: RowError = { row: this.row, column: this.ctx.hashtags[field] ?? field, reason };
    if (value !== undefined && value !== '') e.value = reportedValue(value);
    this.errors.push(e);
    return null;
  }

  /** The trimmed text of a field, '' when the column is absent or empty; null (and an error) when unusable. */
  text(field: F, label: string, required = false, max = MAX_CELL_CHARS): string | null {
    const i = this.ctx.columns[field];
    const raw = i === undefined ? '' : (this.record[i] ?? '');
    if (raw.includes('\u0000')) return this.fail(field, raw, `${label} holds a NUL character`);
    const v = raw.trim();
    if (v.length > max) return this.fail(field, raw, `${label} is longer than ${max} characters`);
    if (required && v === '') return this.fail(field, undefined, `${label} is missing`);
    return v;
  }

  number(
    field: F,
    label: string,
    o: { required?: boolean; integer?: boolean; min: number; max: number; positive?: boolean },
  ) {
    const v = this.text(field, label, o.required, 100);
    if (v === null) return null;
    if (v === '') return o.required ? null : 0;
    const n = parseNumber(v);
    if (n === null) return this.fail(field, v, `${label} is not a number`);
    if (o.integer && !Number.isInteger(n)) return this.fail(field, v, `${label} must be a whole number`);
    if (o.positive ? n <= 0 : n < o.min)
      return this.fail(field, v, `${label} must be ${o.positive ? 'greater than 0' : `at least ${o.min}`}`);
    if (n > o.max) return this.fail(field, v, `${label} must be at most ${o.max}`);
    return n;
  }

  date(field: F, label: string): Date | null | undefined {
    const v = this.text(field, label, false, 100);
    if (v === null) return null;
    if (v === '') return undefined;
    const d = parseIsoDate(v);
    if (!d)
      return this.fail(field, v, `${label} is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)`);
    return d;
  }

  /** The row's marking (its own cell or the import's default), if the importer may write it. */
  marking(field: F, cache: Map<string, Marking | string>): Marking | null {
    const v = this.text(field, 'marking', false, 500);
    if (v === null) return null;
    if (v === '') return this.ctx.defaultMarking;
    let m = cache.get(v);
    if (m === undefined) {
      const parsed = parseMarkingText(v);
      m = !parsed
        ? 'marking is not one Concord can read (e.g. RESTRICTED//REL TO USA, GBR)'
        : canWrite(this.ctx.viewer, parsed)
          ? parsed
          : `marking ${formatMarking(parsed)} is not writable by you (you could not read the record)`;
      if (cache.size < 1000) cache.set(v, m);
    }
    if (typeof m === 'string') return this.fail(field, v, m);
    return m;
  }
}

const markingColumnsCache = new Map<string, MarkingColumns>();
function columnsOf(m: Marking): MarkingColumns {
  const k = markingKey(m);
  let c = markingColumnsCache.get(k);
  if (!c) {
    c = markingToColumns(m);
    if (markingColumnsCache.size < 1000) markingColumnsCache.set(k, c);
  }
  return c;
}

export function consignmentRow(
  record: readonly string[],
  row: number,
  ctx: RowContext<ConsignmentField>,
  markings: Map<string, Marking | string>,
  now: string,
): Result<NewImportedConsignment> {
  const c = new Cells(record, row, ctx);
  const crossingName = c.text('crossing', 'crossing', true, 200);
  let crossingId: string | undefined;
  if (crossingName) {
    crossingId = ctx.lookups.crossings.get(crossingName.toLowerCase());
    if (!crossingId) c.fail('crossing', crossingName, `unknown crossing "${reportedValue(crossingName)}"`);
  }
  const categoryText = c.text('category', 'item category', true, 100);
  let category: ItemCategory | null = null;
  if (categoryText) {
    category = parseCategory(categoryText);
    if (!category)
      c.fail(
        'category',
        categoryText,
        'unknown item category (food, water, health, shelter, fuel, wash, education, other)',
      );
  }
  const description = c.text('item', 'item', true, 200);
  const quantity = c.number('quantity', 'quantity', { required: true, min: 0, max: 1e9, positive: true });
  const unit = c.text('unit', 'unit', true, 30);
  const donor = c.text('donor', 'donor', false, 200);
  const corridor = c.text('corridor', 'corridor', false, 200);
  const reference = c.text('reference', 'reference', false, 100);
  const orgText = c.text('organisation', 'organisation', false, 200);
  let organisationId = ctx.viewer.organisationId;
  if (orgText) {
    const org = ctx.lookups.organisations.get(orgText.toLowerCase());
    if (!org) c.fail('organisation', orgText, `unknown organisation "${reportedValue(orgText)}"`);
    else if (org.id !== ctx.viewer.organisationId && !ctx.centre)
      c.fail(
        'organisation',
        orgText,
        `${org.code} is not your organisation; only the centre registers consignments for others`,
      );
    else organisationId = org.id;
  }
  const dualText = c.text('dualUse', 'dual use', false, 20);
  const dualUse = dualText === null ? null : parseYesNo(dualText);
  if (dualText !== null && dualUse === null) c.fail('dualUse', dualText, 'dual use must be yes or no');
  const pallets = c.number('pallets', 'pallets', { integer: true, min: 0, max: 100_000 });
  const tonnes = c.number('tonnes', 'tonnes', { min: 0, max: 100_000 });
  const trucks = c.number('trucks', 'trucks', { integer: true, min: 0, max: 10_000 });
  const date = c.date('date', 'date');
  const marking = c.marking('marking', markings);
  if (c.errors.length) return { ok: false, errors: c.errors };
  return {
    ok: true,
    value: {
      reference: reference || null,
      organisationId,
      donor: donor || null,
      corridor: corridor || null,
      crossingId: crossingId!,
      pallets: pallets!,
      tonnes: tonnes!,
      trucks: trucks!,
      at: date ? date.toISOString() : now,
      category: category!,
      description: description!,
      quantity: quantity!,
      unit: unit!,
      dualUse: dualUse ?? false,
      ...columnsOf(marking!),
    },
  };
}

export function activityRow(
  record: readonly string[],
  row: number,
  ctx: RowContext<ActivityField>,
  markings: Map<string, Marking | string>,
): Result<NewActivity> {
  const c = new Cells(record, row, ctx);
  const organisation = c.text('organisation', 'organisation', true, 200);
  const sector = c.text('sector', 'sector', true, 200);
  const activity = c.text('activity', 'activity', false);
  const admin1 = c.text('admin1', 'admin1', false, 200);
  const location = c.text('location', 'location', false, 200);
  const latText = c.text('lat', 'latitude', false, 50);
  const lonText = c.text('lon', 'longitude', false, 50);
  let lat: number | null = null;
  let lon: number | null = null;
  if (latText || lonText) {
    lat = c.number('lat', 'latitude', { required: true, min: -90, max: 90 });
    lon = c.number('lon', 'longitude', { required: true, min: -180, max: 180 });
  }
  if (organisation !== null && admin1 === '' && location === '' && latText === '' && lonText === '')
    c.errors.push({ row, reason: 'where is missing: give admin1, location or latitude and longitude' });
  const start = c.date('start', 'start date');
  const end = c.date('end', 'end date');
  if (start && end && end < start) c.fail('end', undefined, 'end date is before start date');
  const targeted = c.number('targeted', 'people targeted', { integer: true, min: 0, max: 1e8 });
  const reached = c.number('reached', 'people reached', { integer: true, min: 0, max: 1e8 });
  const statusText = c.text('status', 'status', false, 50);
  const status = statusText ? parseActivityStatus(statusText) : null;
  if (statusText && !status)
    c.fail('status', statusText, 'status must be planned, ongoing, completed or suspended');
  const reference = c.text('reference', 'reference', false, 100);
  const marking = c.marking('marking', markings);
  if (c.errors.length) return { ok: false, errors: c.errors };
  const has = (f: ActivityField) => {
    const i = ctx.columns[f];
    return i !== undefined && (record[i] ?? '').trim() !== '';
  };
  return {
    ok: true,
    value: {
      reference: reference || null,
      organisation: organisation!,
      organisationId: ctx.lookups.organisations.get(organisation!.toLowerCase())?.id ?? null,
      sector: sector!,
      activity: activity || null,
      admin1: admin1 || null,
      location: location || null,
      lon,
      lat,
      start: start ? start.toISOString().slice(0, 10) : null,
      end: end ? end.toISOString().slice(0, 10) : null,
      targeted: has('targeted') ? targeted : null,
      reached: has('reached') ? reached : null,
      status,
      ...columnsOf(marking!),
    },
  };
}
