import { type TSchema, Type } from 'typebox';
import {
  EARLIEST,
  LATEST,
  MAX_CLOCK_AHEAD_MS,
  PositionReportSchema,
  type ValidReport,
} from './position-reports.js';
import { lazyCheck } from './schema-check.js';

/**
 * Reports that a trusted mapping (CoT) makes directly in their checked form, times already in
 * milliseconds: formatting those times only for checkPositionReport to read them back, and
 * building each report twice, cost the TAK path a tenth of its CPU. The rules are the same
 * schema's, with times as numbers and absent fields as null.
 */
const { footprint: _footprint, marking: _marking, ...fields } = PositionReportSchema.properties;
const Ms = Type.Integer({ minimum: EARLIEST, maximum: LATEST - 1 });
const orNull = (s: TSchema) => Type.Union([s, Type.Null()]);
const CheckedReportSchema = Type.Object(
  {
    ...fields,
    observedAt: Ms,
    staleAt: Ms,
    alt: orNull(Type.Number()),
    course: orNull(fields.course),
    speed: orNull(fields.speed),
    accuracy: orNull(fields.accuracy),
    // Upper case, as checkPositionReport leaves it.
    sidc: Type.Optional(Type.String({ pattern: '^[A-Z0-9*-]{15}$' })),
    footprint: Type.Null(),
  },
  { additionalProperties: false },
);

const check = lazyCheck(CheckedReportSchema);

/**
 * True when `r` is exactly what checkPositionReport would make of it sent as JSON: the same
 * fields in range, times it would accept. A report with a marking or a footprint is not for this
 * check (false): those go through checkPositionReport.
 */
export function isCheckedReport(r: ValidReport, now: number): boolean {
  return check(r) && r.observedAt <= now + MAX_CLOCK_AHEAD_MS && r.staleAt > r.observedAt;
}
