import {
  FACILITIES_LAYER,
  type FacilityFeature,
  type FacilityInput,
  type FacilityKind,
  type FacilityStatus,
  mayKeepFacilities,
} from '../../../domain/facilities.js';
import { type BBox, validateGeometry } from '../../../domain/geometry.js';
import { canWrite, formatMarking, type Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { markedCollection } from '../../platform/collections.js';
import { assertVersion, problems } from '../../platform/errors.js';
import { recordEvent } from '../../platform/events.js';
import { type FacilityColumns, type FacilityRow, facilitiesStore as store } from './facilities.store.js';

export const MAX_LIST = 5000;

export interface FacilityCollection {
  type: 'FeatureCollection';
  features: FacilityFeature[];
  marking: Marking;
  markingText: string;
  truncated: boolean;
}

/** Changes to a facility: any field of the input, with the version the client saw. */
export type FacilityPatch = Partial<FacilityInput> & { version: number };

export function toFacilityFeature(r: FacilityRow): FacilityFeature {
  const marking = columnsToMarking(r);
  return {
    type: 'Feature',
    id: r.id,
    geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
    properties: {
      id: r.id,
      name: r.name,
      kind: r.kind as FacilityKind,
      operator: r.operator,
      status: r.status as FacilityStatus,
      notes: r.notes,
      updatedAt: r.updated_at.toISOString(),
      version: r.version,
      marking,
      markingText: formatMarking(marking),
    },
  };
}

const facilityNotFound = (id: string) => problems.notFound(`Facility ${id}`);

function checkMayWrite(viewer: Viewer, marking: Marking): void {
  if (!mayKeepFacilities(viewer.roles))
    throw problems.forbidden('Only humanitarian staff and coordinators record facilities.');
  if (!canWrite(viewer, marking))
    throw problems.forbidden(
      `You may only write records at or below your clearance (${viewer.clearance}) and released to your nation or organisation (${viewer.principals.join(', ')}); ${formatMarking(marking)} is not.`,
    );
}

function columnsOf(input: FacilityInput): FacilityColumns {
  const g = validateGeometry(input.location, ['Point']);
  if (!g.ok) {
    const first = g.problems[0]!;
    throw problems.invalidGeometry(`location: ${first.path} ${first.message}`, g.problems);
  }
  const [lon, lat] = input.location.coordinates as [number, number];
  return {
    name: input.name.trim(),
    kind: input.kind,
    operator: input.operator,
    lon,
    lat,
    status: input.status,
    notes: input.notes?.trim() || null,
    ...markingToColumns(input.marking),
  };
}

export function facilitiesService(db: Db) {
  async function list(
    viewer: Viewer,
    f: { bbox?: BBox; kinds?: readonly FacilityKind[]; limit?: number } = {},
  ): Promise<FacilityCollection> {
    const limit = Math.min(f.limit ?? MAX_LIST, MAX_LIST);
    const rows = await db.asViewer(viewer, (tx) => store.list(tx, { ...f, limit: limit + 1 }));
    return markedCollection(rows.slice(0, limit).map(toFacilityFeature), rows.length > limit);
  }

  return {
    list,

    async get(viewer: Viewer, id: string): Promise<FacilityFeature> {
      const row = await db.asViewer(viewer, (tx) => store.get(tx, id));
      if (!row) throw facilityNotFound(id);
      return toFacilityFeature(row);
    },

    async create(viewer: Viewer, input: FacilityInput): Promise<FacilityFeature> {
      checkMayWrite(viewer, input.marking);
      const c = columnsOf(input);
      return db.asViewer(viewer, async (tx) => {
        const id = await store.insert(tx, c, viewer.userId);
        const f = toFacilityFeature((await store.get(tx, id))!);
        await recordEvent(tx, {
          actor: viewer.userId,
          kind: 'upsert',
          layer: FACILITIES_LAYER,
          entityId: id,
          payload: f,
          marking: f.properties.marking,
          prevMarking: null,
        });
        return f;
      });
    },

    /** Changes the fields given; the version must be the one the client saw (else 409). */
    async update(viewer: Viewer, id: string, patch: FacilityPatch): Promise<FacilityFeature> {
      return db.asViewer(viewer, async (tx) => {
        const locked = await store.lock(tx, id);
        if (!locked) throw facilityNotFound(id);
        assertVersion(`Facility ${id}`, locked.version, patch.version);
        const before = toFacilityFeature((await store.get(tx, id))!);
        const p = before.properties;
        const { version: _seen, ...changes } = patch;
        const input: FacilityInput = {
          name: p.name,
          kind: p.kind,
          operator: p.operator,
          location: before.geometry,
          status: p.status,
          ...(p.notes ? { notes: p.notes } : {}),
          marking: p.marking,
          ...changes,
        };
        checkMayWrite(viewer, input.marking);
        await store.update(tx, id, columnsOf(input));
        const after = toFacilityFeature((await store.get(tx, id))!);
        await recordEvent(tx, {
          actor: viewer.userId,
          kind: 'upsert',
          layer: FACILITIES_LAYER,
          entityId: id,
          payload: after,
          marking: after.properties.marking,
          prevMarking: p.marking,
        });
        return after;
      });
    },

    /** The live layer's snapshot. */
    async snapshot(viewer: Viewer, bbox: BBox | undefined): Promise<FacilityFeature[]> {
      return (await list(viewer, { bbox })).features;
    },
  };
}
export type FacilitiesService = ReturnType<typeof facilitiesService>;
