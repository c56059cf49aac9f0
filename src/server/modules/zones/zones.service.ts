import { Value } from 'typebox/value';
import { alertRuleProblems, defaultAlertRules, MAX_ALERT_RULES } from '../../../domain/alert-rules.js';
import { type AlertRule, AlertRuleSchema } from '../../../domain/alerts.js';
import { type BBox, bboxOf, type GeometryProblem, validateGeometry } from '../../../domain/geometry.js';
import { canWrite, formatMarking, type Marking, MarkingSchema } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import {
  ZONE_GEOMETRY,
  ZONE_KINDS,
  type ZoneFeature,
  type ZoneInput,
  type ZoneKind,
} from '../../../domain/zones.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { markedCollection } from '../../platform/collections.js';
import { problems } from '../../platform/errors.js';
import { type NewEvent, recordEvent, recordEvents } from '../../platform/events.js';
import { zonesStore as store, type ZoneVersionRow } from './zones.store.js';

export const ZONES_LAYER = 'zones';
export const MAX_LIST = 5000;
export const MAX_IMPORT_FEATURES = 2000;

export function toFeature(r: ZoneVersionRow): ZoneFeature {
  const marking = columnsToMarking(r);
  return {
    type: 'Feature',
    id: r.zone_id,
    geometry: r.geometry,
    properties: {
      ...r.properties,
      name: r.name,
      kind: r.kind as ZoneKind,
      version: r.version,
      validFrom: r.valid_from.toISOString(),
      validTo: r.valid_to?.toISOString() ?? null,
      description: r.description,
      marking,
      markingText: formatMarking(marking),
      createdBy: r.created_by_name ?? 'system',
      createdAt: r.created_at.toISOString(),
      alertRules: r.alert_rules ?? defaultAlertRules(r.kind as ZoneKind),
      alertRulesDefault: r.alert_rules === null,
    },
  };
}

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

function checkWritable(viewer: Viewer, marking: Marking): void {
  if (!canWrite(viewer, marking)) {
    throw problems.forbidden(
      `You may only write records at or below your clearance (${viewer.clearance}) and released to your nation or organisation (${viewer.principals.join(', ')}); ${formatMarking(marking)} is not.`,
    );
  }
}

function validated(input: ZoneInput) {
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

/** A version written for later (or already over) is not news now: the activation ticker announces it in time. */
function inForceNow(v: { validFrom: Date; validTo: Date | null }, now = new Date()): boolean {
  return v.validFrom <= now && (v.validTo === null || v.validTo > now);
}

/** The kinds of zone that are control lines: what an incident's line side is measured against. */
export const CONTROL_LINE_KINDS: readonly ZoneKind[] = ['withdrawal-line', 'ceasefire-line'];

/** The control lines in force at `at` that the transaction may see (RLS applies on the app pool). */
export async function controlLinesInForce(tx: Tx, at: Date): Promise<ZoneFeature[]> {
  const rows = await store.listInForce(tx, { at, kinds: [...CONTROL_LINE_KINDS], limit: MAX_LIST });
  return rows.map(toFeature);
}

export function zonesService(db: Db) {
  async function insertNew(tx: Tx, viewer: Viewer, input: ZoneInput): Promise<ZoneFeature> {
    const v = validated(input);
    checkWritable(viewer, input.marking);
    const m = markingToColumns(input.marking);
    const id = await store.insertHeader(tx, m);
    await store.insertVersion(tx, {
      zoneId: id,
      version: 1,
      name: input.name,
      kind: input.kind,
      geometry: input.geometry,
      bbox: v.bbox,
      validFrom: v.validFrom,
      validTo: v.validTo,
      description: input.description ?? null,
      properties: input.properties ?? {},
      alertRules: input.alertRules ?? null,
      deleted: false,
      createdBy: viewer.userId,
      ...m,
    });
    const feature = toFeature((await store.headVersion(tx, id))!);
    if (inForceNow(v)) {
      await recordEvent(tx, {
        actor: viewer.userId,
        kind: 'upsert',
        layer: ZONES_LAYER,
        entityId: id,
        payload: feature,
        marking: input.marking,
        prevMarking: null,
      });
    }
    return feature;
  }

  return {
    async list(viewer: Viewer, f: { at?: Date; bbox?: BBox; q?: string; kinds?: string[] }) {
      const rows = await db.asViewer(viewer, (tx) =>
        store.listInForce(tx, {
          at: f.at ?? new Date(),
          bbox: f.bbox,
          nameLike: f.q,
          kinds: f.kinds,
          limit: MAX_LIST + 1,
        }),
      );
      return markedCollection(rows.slice(0, MAX_LIST).map(toFeature), rows.length > MAX_LIST);
    },

    counts(viewer: Viewer, at?: Date) {
      return db.asViewer(viewer, (tx) => store.countInForce(tx, at ?? new Date()));
    },

    async get(viewer: Viewer, id: string, at?: Date): Promise<ZoneFeature> {
      const row = await db.asViewer(viewer, (tx) =>
        at ? store.versionInForce(tx, id, at) : store.headVersion(tx, id),
      );
      if (!row || row.deleted) throw problems.notFound(`Zone ${id}`);
      return toFeature(row);
    },

    async history(viewer: Viewer, id: string): Promise<ZoneFeature[]> {
      const rows = await db.asViewer(viewer, (tx) => store.history(tx, id));
      if (!rows.length) throw problems.notFound(`Zone ${id}`);
      return rows.map((r) => {
        const f = toFeature(r);
        f.properties.deleted = r.deleted;
        return f;
      });
    },

    create(viewer: Viewer, input: ZoneInput): Promise<ZoneFeature> {
      return db.asViewer(viewer, (tx) => insertNew(tx, viewer, input));
    },

    /** Adds a version; `expectedVersion` must be the current one or the edit is refused with 409. */
    update(viewer: Viewer, id: string, expectedVersion: number, input: ZoneInput): Promise<ZoneFeature> {
      const v = validated(input);
      checkWritable(viewer, input.marking);
      return db.asViewer(viewer, async (tx) => {
        const head = await store.lockHeader(tx, id);
        if (!head || head.deleted_at) throw problems.notFound(`Zone ${id}`);
        if (head.head_version !== expectedVersion) {
          throw problems.conflict(
            `Zone ${id} is at version ${head.head_version}, not ${expectedVersion}; reload and edit again.`,
            {
              currentVersion: head.head_version,
            },
          );
        }
        const m = markingToColumns(input.marking);
        const next = head.head_version + 1;
        // A client that does not know about alert rules must not wipe them by editing the zone.
        const alertRules =
          input.alertRules === undefined
            ? ((await store.headVersion(tx, id))?.alert_rules ?? null)
            : input.alertRules;
        await store.insertVersion(tx, {
          zoneId: id,
          version: next,
          name: input.name,
          kind: input.kind,
          geometry: input.geometry,
          bbox: v.bbox,
          validFrom: v.validFrom,
          validTo: v.validTo,
          description: input.description ?? null,
          properties: input.properties ?? {},
          alertRules,
          deleted: false,
          createdBy: viewer.userId,
          ...m,
        });
        await store.updateHeader(tx, id, next, m, false);
        const feature = toFeature((await store.headVersion(tx, id))!);
        if (inForceNow(v)) {
          await recordEvent(tx, {
            actor: viewer.userId,
            kind: 'upsert',
            layer: ZONES_LAYER,
            entityId: id,
            payload: feature,
            marking: input.marking,
            prevMarking: columnsToMarking(head),
          });
        }
        return feature;
      });
    },

    /** Retires a zone from now on; earlier versions stay and "as of" queries still find them. */
    remove(viewer: Viewer, id: string, expectedVersion: number | undefined): Promise<void> {
      return db.asViewer(viewer, async (tx) => {
        const head = await store.lockHeader(tx, id);
        if (!head || head.deleted_at) throw problems.notFound(`Zone ${id}`);
        if (expectedVersion !== undefined && head.head_version !== expectedVersion) {
          throw problems.conflict(`Zone ${id} is at version ${head.head_version}, not ${expectedVersion}.`, {
            currentVersion: head.head_version,
          });
        }
        const cur = (await store.headVersion(tx, id))!;
        const marking = columnsToMarking(head);
        const next = head.head_version + 1;
        await store.insertVersion(tx, {
          zoneId: id,
          version: next,
          name: cur.name,
          kind: cur.kind,
          geometry: null,
          bbox: null,
          validFrom: new Date(),
          validTo: null,
          description: cur.description,
          properties: {},
          alertRules: null,
          deleted: true,
          createdBy: viewer.userId,
          ...markingToColumns(marking),
        });
        await store.updateHeader(tx, id, next, markingToColumns(marking), true);
        await recordEvent(tx, {
          actor: viewer.userId,
          kind: 'delete',
          layer: ZONES_LAYER,
          entityId: id,
          payload: null,
          marking,
          prevMarking: marking,
        });
      });
    },

    /**
     * Announces the zones whose version in force changed in (since, now] because a validity period
     * written earlier began or ended: live maps show what is in force, as REST does.
     */
    announceActivations(since: Date, now: Date): Promise<number> {
      return db.asSystem(async (tx) => {
        const events: NewEvent[] = [];
        for (const id of await store.scheduledChanges(tx, since, now)) {
          const before = await store.versionInForce(tx, id, since);
          const after = await store.versionInForce(tx, id, now);
          if (before?.version === after?.version) continue;
          const prevMarking = before && !before.deleted ? columnsToMarking(before) : null;
          if (after && !after.deleted) {
            const marking = columnsToMarking(after);
            events.push({
              actor: null,
              kind: 'upsert',
              layer: ZONES_LAYER,
              entityId: id,
              payload: toFeature(after),
              marking,
              prevMarking,
            });
          } else if (prevMarking) {
            events.push({
              actor: null,
              kind: 'delete',
              layer: ZONES_LAYER,
              entityId: id,
              payload: null,
              marking: prevMarking,
              prevMarking,
            });
          }
        }
        await recordEvents(tx, events);
        return events.length;
      });
    },

    /**
     * Imports a FeatureCollection: valid features are created in one transaction, each invalid
     * one is reported with its index and reasons. With dryRun nothing is written.
     */
    async importCollection(
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
        for (const r of ready) out.push(await insertNew(tx, viewer, r.input));
        return out;
      });
      return { created, valid: ready.length, errors, dryRun: false };
    },
  };
}
export type ZonesService = ReturnType<typeof zonesService>;

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
