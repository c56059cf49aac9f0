import { alertRuleProblems } from '../../../domain/alert-rules.js';
import { type BBox, bboxOf, type GeometryProblem, validateGeometry } from '../../../domain/geometry.js';
import { canWrite, formatMarking, type Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import { ZONE_GEOMETRY, ZONE_KINDS, type ZoneInput } from '../../../domain/zones.js';
import { problems } from '../../platform/errors.js';

/** What a zone input must be before a version is written: checks that need more than its schema. */

/** Everything wrong with a zone input, as field paths and reasons. Empty means valid. */
export function zoneInputProblems(input: ZoneInput): GeometryProblem[] {
  const out: GeometryProblem[] = [];
  if (!ZONE_KINDS.includes(input.kind))
    out.push({ path: 'kind', message: `must be one of ${ZONE_KINDS.join(', ')}` });
  else {
    const g = validateGeometry(input.geometry, ZONE_GEOMETRY[input.kind]);
    if (!g.ok) out.push(...g.problems);
  }
  const from = input.validFrom ? Date.parse(input.validFrom) : Date.now();
  const to = input.validTo ? Date.parse(input.validTo) : null;
  if (!inRange(from)) out.push({ path: 'validFrom', message: `must be an ISO 8601 time in ${VALID_YEARS}` });
  if (to !== null && !inRange(to))
    out.push({ path: 'validTo', message: `must be an ISO 8601 time in ${VALID_YEARS}` });
  else if (to !== null && to <= from)
    out.push({ path: 'validTo', message: 'must be a time after validFrom' });
  if (
    input.properties !== undefined &&
    nestingDepth(input.properties, MAX_PROPERTIES_DEPTH) > MAX_PROPERTIES_DEPTH
  )
    out.push({ path: 'properties', message: `are nested deeper than ${MAX_PROPERTIES_DEPTH} levels` });
  if (input.alertRules)
    for (const p of alertRuleProblems(input.alertRules)) out.push({ ...p, path: `alertRules${p.path}` });
  return out;
}

/** Validity is about this agreement's world: years PostgreSQL and people can both read. */
const VALID_YEARS = '1900–9999';
const MIN_TIME = Date.UTC(1900, 0, 1);
const MAX_TIME = Date.UTC(10000, 0, 1);
function inRange(t: number): boolean {
  return Number.isFinite(t) && t >= MIN_TIME && t < MAX_TIME;
}

/** Deeper JSON overflows the stack of JSON.stringify (a 500); no real zone property needs more. */
export const MAX_PROPERTIES_DEPTH = 32;

/** Depth of nested arrays and objects, counted no further than limit + 1. */
function nestingDepth(value: unknown, limit: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (limit < 0) return 1;
  let deepest = 0;
  for (const v of Object.values(value)) deepest = Math.max(deepest, nestingDepth(v, limit - 1));
  return deepest + 1;
}

export function checkWritable(viewer: Viewer, marking: Marking): void {
  if (!canWrite(viewer, marking)) {
    throw problems.forbidden(
      `You may only write records at or below your clearance (${viewer.clearance}) and released to your nation or organisation (${viewer.principals.join(', ')}); ${formatMarking(marking)} is not.`,
    );
  }
}

/** What a valid input gives a version beyond its own fields. */
export interface ValidZone {
  validFrom: Date;
  validTo: Date | null;
  bbox: BBox;
}

export function validated(input: ZoneInput): ValidZone {
  const errs = zoneInputProblems(input);
  if (errs.length) {
    const first = errs[0]!;
    if (first.path.startsWith('geometry'))
      throw problems.invalidGeometry(`${first.path} ${first.message}`, errs);
    throw problems.badRequest(`${first.path} ${first.message}`, { errors: errs });
  }
  return {
    validFrom: input.validFrom ? new Date(input.validFrom) : new Date(),
    validTo: input.validTo ? new Date(input.validTo) : null,
    bbox: bboxOf(input.geometry as never),
  };
}
