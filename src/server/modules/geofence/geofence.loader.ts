import { defaultAlertRules } from '../../../domain/alert-rules.js';
import type { ChangeEvent } from '../../../domain/events.js';
import type { Geometry } from '../../../domain/geometry.js';
import type { ZoneFeature, ZoneKind } from '../../../domain/zones.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import type { GeofenceEngine } from './geofence.engine.js';
import { type FenceVersionRow, geofenceStore } from './geofence.store.js';
import type { FenceZone } from './geofence.zone.js';

const DAY_MS = 86_400_000;
const ZONES_LAYER = 'zones';

/**
 * The zone versions the engine needs: in force now or later, plus those that ended less than a
 * day ago (late reports are still judged against the geography of their time). A deletion ends
 * the versions before it at the moment it was made.
 */
export async function loadFenceZones(db: Db, now = new Date()): Promise<FenceZone[]> {
  const since = new Date(now.getTime() - DAY_MS);
  const rows = await db.asSystem((tx) => geofenceStore.versionsSince(tx, since));
  return fenceZonesFromRows(rows, since.getTime());
}

export function fenceZonesFromRows(rows: readonly FenceVersionRow[], since: number): FenceZone[] {
  const deletedAt = new Map<string, { version: number; at: number }>();
  for (const r of rows)
    if (r.deleted) deletedAt.set(r.zone_id, { version: r.version, at: r.valid_from.getTime() });
  const out: FenceZone[] = [];
  for (const r of rows) {
    if (r.deleted || r.geometry === null) continue;
    const from = r.valid_from.getTime();
    let to = r.valid_to?.getTime() ?? null;
    const del = deletedAt.get(r.zone_id);
    if (del && del.version > r.version && (to === null || del.at < to)) to = del.at;
    if ((to !== null && to <= from) || (to !== null && to <= since)) continue;
    out.push({
      id: r.zone_id,
      version: r.version,
      name: r.name,
      kind: r.kind as ZoneKind,
      geometry: r.geometry as Geometry,
      marking: columnsToMarking(r),
      validFrom: from,
      validTo: to,
      rules: r.alert_rules ?? defaultAlertRules(r.kind as ZoneKind),
    });
  }
  return out;
}

/** The engine's view of a zone Feature as the API and the outbox carry it (the version in force). */
export function fenceZoneFromFeature(f: ZoneFeature): FenceZone {
  const p = f.properties;
  return {
    id: f.id,
    version: p.version,
    name: p.name,
    kind: p.kind,
    geometry: f.geometry as Geometry,
    marking: p.marking,
    validFrom: Date.parse(p.validFrom),
    validTo: p.validTo === null ? null : Date.parse(p.validTo),
    rules: p.alertRules ?? defaultAlertRules(p.kind),
  };
}

/**
 * Feeds one outbox event to the engine: an upsert on the zones layer adds that version (earlier
 * ones stay for late reports; the highest version in force wins), a delete forgets the zone.
 * Returns whether the event concerned zones.
 */
export function applyZoneEvent(engine: GeofenceEngine, e: ChangeEvent): boolean {
  if (e.layer !== ZONES_LAYER) return false;
  if (e.kind === 'delete') engine.removeZone(e.entityId);
  else engine.upsertZone(fenceZoneFromFeature(e.payload as ZoneFeature));
  return true;
}
