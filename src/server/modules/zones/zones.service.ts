import type { BBox } from '../../../domain/geometry.js';
import type { Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { ZoneFeature, ZoneInput, ZoneKind } from '../../../domain/zones.js';
import type { Db, Tx } from '../../db/database.js';
import { markedCollection } from '../../platform/collections.js';
import { problems } from '../../platform/errors.js';
import { toFeature } from './zones.features.js';
import { importCollection } from './zones.import.js';
import { zonesStore as store } from './zones.store.js';
import { announceActivations, insertZone, retireZone, updateZone } from './zones.versions.js';

export const MAX_LIST = 5000;

/** The kinds of zone that are control lines: what an incident's line side is measured against. */
export const CONTROL_LINE_KINDS: readonly ZoneKind[] = ['withdrawal-line', 'ceasefire-line'];

/** The control lines in force at `at` that the transaction may see (RLS applies on the app pool). */
export async function controlLinesInForce(tx: Tx, at: Date): Promise<ZoneFeature[]> {
  const rows = await store.listInForce(tx, { at, kinds: [...CONTROL_LINE_KINDS], limit: MAX_LIST });
  return rows.map(toFeature);
}

export function zonesService(db: Db) {
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
      return db.asViewer(viewer, (tx) => insertZone(tx, viewer, input));
    },

    /** Adds a version; `expectedVersion` must be the current one or the edit is refused with 409. */
    update(viewer: Viewer, id: string, expectedVersion: number, input: ZoneInput): Promise<ZoneFeature> {
      return updateZone(db, viewer, id, expectedVersion, input);
    },

    /** Retires a zone from now on; earlier versions stay and "as of" queries still find them. */
    remove(viewer: Viewer, id: string, expectedVersion: number | undefined): Promise<void> {
      return retireZone(db, viewer, id, expectedVersion);
    },

    /** Announces the zones whose version in force changed in (since, now]: see announceActivations. */
    announceActivations(since: Date, now: Date): Promise<number> {
      return announceActivations(db, since, now);
    },

    /** Imports a FeatureCollection: see importCollection. */
    importCollection(viewer: Viewer, body: unknown, opts: { dryRun: boolean; defaultMarking?: Marking }) {
      return importCollection(db, viewer, body, opts);
    },
  };
}
export type ZonesService = ReturnType<typeof zonesService>;
