import { type GeometryProblem, validateGeometry } from '../../../domain/geometry.js';
import { INCIDENT_TAXONOMY, type IncidentReportInput, isSubtypeOf } from '../../../domain/incidents.js';
import { canWrite, formatMarking, type Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import { problems } from '../../platform/errors.js';
import { representativePoint } from './incidents.features.js';

/** What a report must be before it is stored: checks that need more than its schema. */

/** A report may be dated a little ahead: clocks on phones and sensors drift. */
export const MAX_FUTURE_MS = 10 * 60_000;

const MIN_TIME = Date.UTC(1900, 0, 1);

function timeOf(path: string, s: string, out: GeometryProblem[]): Date | null {
  const t = Date.parse(s);
  if (!Number.isFinite(t) || t < MIN_TIME) {
    out.push({ path, message: 'must be an ISO 8601 time after 1900' });
    return null;
  }
  return new Date(t);
}

/** Everything wrong with a report, as field paths and reasons; throws the first as a 400. */
export function validateReport(input: IncidentReportInput, now: number) {
  const errs: GeometryProblem[] = [];
  const g = validateGeometry(input.location, ['Point', 'Polygon']);
  if (!g.ok) throw problems.invalidGeometry(`${g.problems[0]!.path} ${g.problems[0]!.message}`, g.problems);
  if (!isSubtypeOf(input.category, input.subtype))
    errs.push({
      path: 'subtype',
      message: `${input.subtype} is not a sub-type of ${input.category}; use one of ${INCIDENT_TAXONOMY[input.category].join(', ')}`,
    });
  if (!input.narrative.trim()) errs.push({ path: 'narrative', message: 'must say what happened' });
  const at = timeOf('observedAt', input.observedAt, errs);
  const to = input.observedTo === undefined ? null : timeOf('observedTo', input.observedTo, errs);
  if (at && at.getTime() > now + MAX_FUTURE_MS)
    errs.push({ path: 'observedAt', message: 'is more than 10 minutes in the future' });
  if (at && to && to < at) errs.push({ path: 'observedTo', message: 'must not be before observedAt' });
  if (to && to.getTime() > now + MAX_FUTURE_MS)
    errs.push({ path: 'observedTo', message: 'is more than 10 minutes in the future' });
  if (errs.length) throw problems.badRequest(`${errs[0]!.path} ${errs[0]!.message}`, { errors: errs });
  const [lon, lat] = representativePoint(g.geometry);
  return { geometry: g.geometry, observedAt: at!, observedTo: to, lon, lat };
}

export function checkWritable(viewer: Viewer, marking: Marking): void {
  if (!canWrite(viewer, marking)) {
    throw problems.forbidden(
      `You may only write records at or below your clearance (${viewer.clearance}) and released to your nation or organisation (${viewer.principals.join(', ')}); ${formatMarking(marking)} is not.`,
    );
  }
}
