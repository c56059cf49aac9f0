import { csvSafe } from '../../../domain/incident-export.js';
import { aggregateMarking, formatMarking, type Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import { csvText } from '../reports/index.js';
import { type ActivityExportRow, type ConsignmentExportRow, importsStore as store } from './imports.store.js';

/**
 * Exports of consignments and activities under RLS, with the aggregate marking of what they hold.
 * The consignment CSV carries the hashtags the import reads, so that an export can be imported
 * elsewhere (one row per item line).
 */

export const MAX_AID_EXPORT = 50_000;

type Line = { c: ConsignmentExportRow; item: ConsignmentExportRow['items'][number] | undefined };

const CONSIGNMENT_COLUMNS: readonly {
  header: string;
  hashtag: string;
  value: (l: Line) => string | number;
}[] = [
  { header: 'Number', hashtag: '#meta+number', value: (l) => l.c.number },
  { header: 'Reference', hashtag: '#meta+ref', value: (l) => l.c.reference ?? '' },
  { header: 'Organisation', hashtag: '#org+code', value: (l) => l.c.organisation_code },
  { header: 'Donor', hashtag: '#org+funder', value: (l) => l.c.donor ?? '' },
  { header: 'Crossing', hashtag: '#loc+crossing', value: (l) => l.c.crossing_name ?? '' },
  { header: 'Corridor', hashtag: '#loc+corridor', value: (l) => l.c.corridor ?? '' },
  { header: 'Category', hashtag: '#item+type', value: (l) => l.item?.category ?? '' },
  { header: 'Item', hashtag: '#item+name', value: (l) => l.item?.description ?? '' },
  { header: 'Quantity', hashtag: '#value+quantity', value: (l) => l.item?.quantity ?? '' },
  { header: 'Unit', hashtag: '#indicator+unit', value: (l) => l.item?.unit ?? '' },
  {
    header: 'Dual use',
    hashtag: '#item+dual_use',
    value: (l) => (l.item ? (l.item.dualUse ? 'yes' : 'no') : ''),
  },
  { header: 'Pallets', hashtag: '#value+pallets', value: (l) => l.c.pallets },
  { header: 'Tonnes', hashtag: '#value+tonnes', value: (l) => l.c.tonnes },
  { header: 'Trucks', hashtag: '#value+trucks', value: (l) => l.c.trucks },
  { header: 'State', hashtag: '#status', value: (l) => l.c.state },
  { header: 'State since', hashtag: '#date+status', value: (l) => l.c.state_at.toISOString() },
  { header: 'Registered', hashtag: '#date+registered', value: (l) => l.c.created_at.toISOString() },
  { header: 'Marking', hashtag: '#meta+marking', value: (l) => formatMarking(columnsToMarking(l.c)) },
];

const point = (lon: number | null, lat: number | null) =>
  lon === null || lat === null ? null : { type: 'Point' as const, coordinates: [lon, lat] };

function consignmentFeature(c: ConsignmentExportRow) {
  const marking = columnsToMarking(c);
  return {
    type: 'Feature' as const,
    id: c.id,
    geometry: point(c.lon, c.lat),
    properties: {
      number: c.number,
      reference: c.reference,
      organisation: c.organisation_code,
      donor: c.donor,
      corridor: c.corridor,
      crossing: c.crossing_name,
      pallets: c.pallets,
      tonnes: c.tonnes,
      trucks: c.trucks,
      state: c.state,
      stateAt: c.state_at.toISOString(),
      createdAt: c.created_at.toISOString(),
      items: c.items,
      importJobId: c.import_job_id,
      marking,
      markingText: formatMarking(marking),
    },
  };
}

function activityFeature(a: ActivityExportRow) {
  const marking = columnsToMarking(a);
  return {
    type: 'Feature' as const,
    id: a.id,
    geometry: point(a.lon, a.lat),
    properties: {
      reference: a.reference,
      organisation: a.organisation,
      organisationCode: a.organisation_code,
      sector: a.sector,
      activity: a.activity,
      admin1: a.admin1,
      location: a.location,
      startDate: a.start_date,
      endDate: a.end_date,
      peopleTargeted: a.people_targeted,
      peopleReached: a.people_reached,
      status: a.status,
      importJobId: a.import_job_id,
      updatedAt: a.updated_at.toISOString(),
      marking,
      markingText: formatMarking(marking),
    },
  };
}

export interface Exported<T> {
  body: T;
  marking: Marking;
  truncated: boolean;
}

export function aidExports(db: Db) {
  const consignments = async (viewer: Viewer) => {
    const rows = await db.asViewer(viewer, (tx) => store.exportConsignments(tx, MAX_AID_EXPORT + 1));
    const truncated = rows.length > MAX_AID_EXPORT;
    const kept = truncated ? rows.slice(0, MAX_AID_EXPORT) : rows;
    return { rows: kept, truncated, marking: aggregateMarking(kept.map(columnsToMarking)) };
  };
  return {
    async consignmentsCsv(viewer: Viewer): Promise<Exported<string>> {
      const x = await consignments(viewer);
      const lines = x.rows.flatMap((c): Line[] =>
        c.items.length ? c.items.map((item) => ({ c, item })) : [{ c, item: undefined }],
      );
      const body = csvText([
        CONSIGNMENT_COLUMNS.map((k) => k.header),
        CONSIGNMENT_COLUMNS.map((k) => k.hashtag),
        ...lines.map((l) => CONSIGNMENT_COLUMNS.map((k) => csvSafe(k.value(l)))),
      ]);
      return { body, marking: x.marking, truncated: x.truncated };
    },
    async consignmentsGeoJson(viewer: Viewer) {
      const x = await consignments(viewer);
      return {
        marking: x.marking,
        truncated: x.truncated,
        body: {
          type: 'FeatureCollection' as const,
          marking: x.marking,
          markingText: formatMarking(x.marking),
          truncated: x.truncated,
          features: x.rows.map(consignmentFeature),
        },
      };
    },
    async activitiesGeoJson(viewer: Viewer) {
      const rows = await db.asViewer(viewer, (tx) => store.exportActivities(tx, MAX_AID_EXPORT + 1));
      const truncated = rows.length > MAX_AID_EXPORT;
      const kept = truncated ? rows.slice(0, MAX_AID_EXPORT) : rows;
      const marking = aggregateMarking(kept.map(columnsToMarking));
      return {
        marking,
        truncated,
        body: {
          type: 'FeatureCollection' as const,
          marking,
          markingText: formatMarking(marking),
          truncated,
          features: kept.map(activityFeature),
        },
      };
    },
  };
}
export type AidExports = ReturnType<typeof aidExports>;
