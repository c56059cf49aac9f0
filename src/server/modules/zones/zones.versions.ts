import type { AlertRule } from '../../../domain/alerts.js';
import type { Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { ZoneFeature, ZoneInput } from '../../../domain/zones.js';
import type { Db, Tx } from '../../db/database.js';
import { columnsToMarking, type MarkingColumns, markingToColumns } from '../../db/marking-columns.js';
import { problems } from '../../platform/errors.js';
import { type NewEvent, recordEvent, recordEvents } from '../../platform/events.js';
import { toFeature, ZONES_LAYER } from './zones.features.js';
import { checkWritable, type ValidZone, validated } from './zones.input.js';
import { type NewZoneVersion, zonesStore as store } from './zones.store.js';

/** Writing zone versions: each create, edit or retirement adds one, and tells the live layer when it is in force. */

/** A version written for later (or already over) is not news now: the activation ticker announces it in time. */
function inForceNow(v: { validFrom: Date; validTo: Date | null }, now = new Date()): boolean {
  return v.validFrom <= now && (v.validTo === null || v.validTo > now);
}

/** A new version of the zone from a valid input (not a retirement). */
function newVersion(
  viewer: Viewer,
  id: string,
  version: number,
  input: ZoneInput,
  v: ValidZone,
  alertRules: AlertRule[] | null,
  m: MarkingColumns,
): NewZoneVersion {
  return {
    zoneId: id,
    version,
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
  };
}

/** The zone's head version, just written, as a feature: announced on the live layer if in force now. */
async function publishHead(
  tx: Tx,
  viewer: Viewer,
  id: string,
  v: ValidZone,
  marking: Marking,
  prevMarking: Marking | null,
): Promise<ZoneFeature> {
  const feature = toFeature((await store.headVersion(tx, id))!);
  if (inForceNow(v)) {
    await recordEvent(tx, {
      actor: viewer.userId,
      kind: 'upsert',
      layer: ZONES_LAYER,
      entityId: id,
      payload: feature,
      marking,
      prevMarking,
    });
  }
  return feature;
}

/** Creates a zone: its header and version 1. */
export async function insertZone(tx: Tx, viewer: Viewer, input: ZoneInput): Promise<ZoneFeature> {
  const v = validated(input);
  checkWritable(viewer, input.marking);
  const m = markingToColumns(input.marking);
  const id = await store.insertHeader(tx, m);
  await store.insertVersion(tx, newVersion(viewer, id, 1, input, v, input.alertRules ?? null, m));
  return publishHead(tx, viewer, id, v, input.marking, null);
}

/** Adds a version; `expectedVersion` must be the current one or the edit is refused with 409. */
export function updateZone(
  db: Db,
  viewer: Viewer,
  id: string,
  expectedVersion: number,
  input: ZoneInput,
): Promise<ZoneFeature> {
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
    await store.insertVersion(tx, newVersion(viewer, id, next, input, v, alertRules, m));
    await store.updateHeader(tx, id, next, m, false);
    return publishHead(tx, viewer, id, v, input.marking, columnsToMarking(head));
  });
}

/** Retires a zone from now on; earlier versions stay and "as of" queries still find them. */
export function retireZone(
  db: Db,
  viewer: Viewer,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
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
}

/**
 * Announces the zones whose version in force changed in (since, now] because a validity period
 * written earlier began or ended: live maps show what is in force, as REST does.
 */
export function announceActivations(db: Db, since: Date, now: Date): Promise<number> {
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
}
