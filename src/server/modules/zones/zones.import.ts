import { Value } from 'typebox/value';
import { MAX_ALERT_RULES } from '../../../domain/alert-rules.js';
import { type AlertRule, AlertRuleSchema } from '../../../domain/alerts.js';
import type { GeometryProblem } from '../../../domain/geometry.js';
import { canWrite, formatMarking, type Marking, MarkingSchema } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import { ZONE_KINDS, type ZoneFeature, type ZoneInput, type ZoneKind } from '../../../domain/zones.js';
import type { Db } from '../../db/database.js';
import { problems } from '../../platform/errors.js';
import { zoneInputProblems } from './zones.input.js';
import { insertZone } from './zones.versions.js';

export const MAX_IMPORT_FEATURES = 2000;

/**
 * Imports a FeatureCollection: valid features are created in one transaction, each invalid
 * one is reported with its index and reasons. With dryRun nothing is written.
 */
export async function importCollection(
  db: Db,
  viewer: Viewer,
  body: unknown,
  opts: { dryRun: boolean; defaultMarking?: Marking },
) {
  const parsed = parseCollection(body, opts.defaultMarking);
  const errors = [...parsed.errors];
  const ready: { index: number; input: ZoneInput }[] = [];
  for (const item of parsed.items) {
    const errs = zoneInputProblems(item.input);
    if (!canWrite(viewer, item.input.marking)) {
      errs.push({
        path: 'properties.marking',
        message: `${formatMarking(item.input.marking)} is above your clearance or not released to you`,
      });
    }
    if (errs.length) errors.push({ index: item.index, name: item.input.name, problems: errs });
    else ready.push(item);
  }
  errors.sort((a, b) => a.index - b.index);
  if (opts.dryRun || ready.length === 0) {
    return { created: [] as ZoneFeature[], valid: ready.length, errors, dryRun: opts.dryRun };
  }
  const created = await db.asViewer(viewer, async (tx) => {
    const out: ZoneFeature[] = [];
    for (const r of ready) out.push(await insertZone(tx, viewer, r.input));
    return out;
  });
  return { created, valid: ready.length, errors, dryRun: false };
}

interface ImportError {
  index: number;
  name?: string;
  problems: GeometryProblem[];
}

function parseCollection(
  body: unknown,
  defaultMarking?: Marking,
): { items: { index: number; input: ZoneInput }[]; errors: ImportError[] } {
  const fc = body as { type?: unknown; features?: unknown; marking?: unknown };
  if (
    typeof body !== 'object' ||
    body === null ||
    fc.type !== 'FeatureCollection' ||
    !Array.isArray(fc.features)
  ) {
    throw problems.badRequest('The body must be a GeoJSON FeatureCollection with a features array.');
  }
  if (fc.features.length > MAX_IMPORT_FEATURES) {
    throw problems.badRequest(
      `At most ${MAX_IMPORT_FEATURES} features per import; this has ${fc.features.length}.`,
    );
  }
  const collectionMarking =
    fc.marking !== undefined && Value.Check(MarkingSchema, fc.marking)
      ? (fc.marking as Marking)
      : defaultMarking;
  const items: { index: number; input: ZoneInput }[] = [];
  const errors: ImportError[] = [];
  fc.features.forEach((f: unknown, index: number) => {
    const feat = f as { type?: unknown; geometry?: unknown; properties?: Record<string, unknown> | null };
    if (typeof f !== 'object' || f === null || feat.type !== 'Feature') {
      errors.push({ index, problems: [{ path: 'feature', message: 'is not a GeoJSON Feature' }] });
      return;
    }
    const p = feat.properties ?? {};
    const probs: GeometryProblem[] = [];
    const name = typeof p.name === 'string' && p.name.trim() ? p.name.trim().slice(0, 200) : null;
    if (!name) probs.push({ path: 'properties.name', message: 'is required' });
    const kind = p.kind;
    if (typeof kind !== 'string' || !ZONE_KINDS.includes(kind as ZoneKind)) {
      probs.push({ path: 'properties.kind', message: `must be one of ${ZONE_KINDS.join(', ')}` });
    }
    const marking = p.marking ?? collectionMarking;
    if (!Value.Check(MarkingSchema, marking)) {
      probs.push({
        path: 'properties.marking',
        message: 'is missing or not a valid marking (classification, releasableTo)',
      });
    }
    if (typeof feat.geometry !== 'object' || feat.geometry === null) {
      probs.push({ path: 'geometry', message: 'is missing' });
    }
    if (probs.length) {
      errors.push({ index, name: name ?? undefined, problems: probs });
      return;
    }
    const {
      name: _n,
      kind: _k,
      marking: _m,
      validFrom,
      validTo,
      description,
      alertRules,
      ...rest
    } = withoutComputed(p);
    // An export carries the effective rules; only a zone's own rules are re-imported as its own.
    const ownRules = p.alertRulesDefault === true ? undefined : alertRules;
    if (ownRules !== undefined && ownRules !== null && !validRules(ownRules)) {
      errors.push({
        index,
        name: name ?? undefined,
        problems: [
          { path: 'properties.alertRules', message: `must be at most ${MAX_ALERT_RULES} alert rules` },
        ],
      });
      return;
    }
    items.push({
      index,
      input: {
        name: name!,
        kind: kind as ZoneKind,
        geometry: feat.geometry as ZoneInput['geometry'],
        marking: marking as Marking,
        validFrom: typeof validFrom === 'string' ? validFrom : undefined,
        validTo: typeof validTo === 'string' ? validTo : undefined,
        description: typeof description === 'string' ? description : undefined,
        properties: rest,
        ...(ownRules === undefined ? {} : { alertRules: ownRules as AlertRule[] | null }),
      },
    });
  });
  return { items, errors };
}

/** Properties that Concord computes on export; re-importing an export must not store them as data. */
const COMPUTED = ['version', 'markingText', 'createdBy', 'createdAt', 'deleted', 'alertRulesDefault'];

function validRules(v: unknown): boolean {
  return Array.isArray(v) && v.length <= MAX_ALERT_RULES && v.every((r) => Value.Check(AlertRuleSchema, r));
}
function withoutComputed(p: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([k]) => !COMPUTED.includes(k)));
}
