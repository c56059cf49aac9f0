import { Value } from 'typebox/value';
import {
  canWrite,
  formatMarking,
  type Marking,
  MarkingSchema,
  normaliseMarking,
} from '../../../domain/marking.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import { Problem, problems } from '../../platform/errors.js';

/** The checks and problems of evidence requests that do not need the database. */

/**
 * 500, not 409: the request is right and nothing the client changes will make it succeed; what
 * Concord stores no longer matches what it recorded, a fault on the server's side that operators
 * must investigate (5xx responses are logged as errors and reach their monitoring).
 */
export const integrityFailure = (id: string, custodyEntryId: string) =>
  new Problem(
    500,
    'evidence-integrity-failure',
    'Evidence integrity failure',
    `The stored file of evidence ${id} no longer matches its SHA-256; nothing was sent. The failure is recorded in its chain of custody.`,
    { evidenceId: id, custodyEntryId },
  );

export const mayAttach = (viewer: Viewer) => {
  if (!hasPermission(viewer.roles, 'incidents:evidence'))
    throw problems.forbidden('Only admins, monitors and analysts attach evidence and record its custody.');
};

export function parseMarking(raw: unknown): Marking {
  let v = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch {
      throw problems.badRequest('marking is not valid JSON.', { field: 'marking' });
    }
  }
  if (!Value.Check(MarkingSchema, v))
    throw problems.badRequest(
      'marking must be {"classification": …, "releasableTo": […], "caveats"?: […]}.',
      { field: 'marking' },
    );
  return normaliseMarking(v);
}

export function writable(viewer: Viewer, m: Marking): Marking {
  if (!canWrite(viewer, m))
    throw problems.forbidden(`You cannot mark evidence ${formatMarking(m)}: you could not read it yourself.`);
  return m;
}

export function parseTime(name: string, s: string): Date {
  const d = new Date(s);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || Number.isNaN(d.getTime()))
    throw problems.badRequest(`${name} is not an ISO 8601 time: ${s}`, { field: name });
  return d;
}
