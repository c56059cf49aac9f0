import {
  ASSESSED_STATUSES,
  type CountRow,
  countRows,
  type DailyReport,
  type NarrativeEntry,
  previousPeriod,
  type ReportIncident,
  type ReportMap,
  type ReportSettings,
  reportPeriod,
  TREND_DAYS,
  trendWindows,
} from '../../../domain/daily-report.js';
import { GOVERNORATES, governoratePolygons } from '../../../domain/governorates.js';
import { type ExportIncident, MAX_EXPORT } from '../../../domain/incident-export.js';
import {
  INCIDENT_STATUSES,
  type IncidentStatus,
  mayReadFinding,
  STATUS_LABELS,
} from '../../../domain/incident-workflow.js';
import {
  CATEGORY_LABELS,
  type Casualties,
  FINDING_LABELS,
  type Finding,
  INCIDENT_CATEGORIES,
  type IncidentCategory,
  incidentNumber,
  type LocationPrecision,
  NO_CASUALTIES,
  type TimePrecision,
} from '../../../domain/incidents.js';
import { aggregateMarking, formatMarking, type Marking } from '../../../domain/marking.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { ZoneFeature } from '../../../domain/zones.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import { problems } from '../../platform/errors.js';
import type { IncidentListFilter } from '../incidents/index.js';
import { CONTROL_LINE_KINDS, type ZonesService } from '../zones/index.js';
import { type IncidentFilter, type ReportIncidentRow, reportsStore as store } from './reports.store.js';

const DAY_MS = 86_400_000;

function casualtiesOf(v: unknown): Casualties {
  return { ...NO_CASUALTIES, ...(v as Partial<Casualties> | null) };
}

function toReportIncident(r: ReportIncidentRow): ReportIncident {
  const c = casualtiesOf(r.casualties);
  const category = r.category as IncidentCategory;
  const status = r.status as IncidentStatus;
  return {
    id: r.id,
    number: incidentNumber(Number(r.number)),
    title: r.title,
    category,
    categoryLabel: CATEGORY_LABELS[category] ?? r.category,
    subtype: r.subtype,
    status,
    statusLabel: STATUS_LABELS[status] ?? r.status,
    observedAt: r.observed_at.toISOString(),
    place: r.place ?? r.governorate,
    governorate: r.governorate,
    accusedParty: r.accused_party,
    lon: r.lon,
    lat: r.lat,
    killed: c.killedCivilians + c.killedUnknown,
    injured: c.injuredCivilians + c.injuredUnknown,
  };
}

/** The finding and rationale as this reader may read them. */
function readable(
  r: ReportIncidentRow,
  viewer: Viewer,
): { finding: Finding | null; rationale: string | null } {
  if (!mayReadFinding(r.status as IncidentStatus, viewer.roles)) return { finding: null, rationale: null };
  return { finding: r.finding as Finding | null, rationale: r.rationale };
}

export function toExportIncident(r: ReportIncidentRow, viewer: Viewer): ExportIncident {
  return {
    id: r.id,
    number: incidentNumber(Number(r.number)),
    title: r.title,
    category: r.category as IncidentCategory,
    subtype: r.subtype,
    status: r.status as IncidentStatus,
    ...readable(r, viewer),
    observedAt: r.observed_at.toISOString(),
    observedTo: r.observed_to?.toISOString() ?? null,
    timePrecision: r.time_precision as TimePrecision,
    locationPrecision: r.location_precision as LocationPrecision,
    lon: r.lon,
    lat: r.lat,
    governorate: r.governorate,
    place: r.place,
    allegingParty: r.alleging_party,
    accusedParty: r.accused_party,
    casualties: casualtiesOf(r.casualties),
    reporterKinds: r.reporter_kinds,
    lineSide: r.line_side,
    updatedAt: r.updated_at.toISOString(),
    marking: columnsToMarking(r),
  };
}

function narrativeOf(r: ReportIncidentRow, viewer: Viewer): NarrativeEntry {
  const i = toReportIncident(r);
  const { finding, rationale } = readable(r, viewer);
  return {
    number: i.number,
    title: i.title,
    observedAt: i.observedAt,
    place: i.place,
    categoryLabel: i.categoryLabel,
    statusLabel: i.statusLabel,
    finding,
    findingLabel: finding ? FINDING_LABELS[finding] : null,
    rationale: finding ? rationale : null,
    withheld: finding === null && r.finding !== null,
  };
}

function ringsOf(geometry: ZoneFeature['geometry']): number[][][] {
  const g = geometry as { type: string; coordinates: unknown };
  if (g.type === 'Polygon') return g.coordinates as number[][][];
  if (g.type === 'MultiPolygon') return (g.coordinates as number[][][][]).flat();
  return [];
}

function bboxArea(rings: number[][][]): number {
  const xs = rings.flat().map((p) => p[0]!);
  const ys = rings.flat().map((p) => p[1]!);
  return xs.length ? (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys)) : 0;
}

/** The map: the governorates, clipped to the largest visible sector, the control lines, the points. */
function reportMap(incidents: ReportIncident[], sectors: ZoneFeature[], lines: ZoneFeature[]): ReportMap {
  const outline =
    sectors
      .map((z) => ({ name: z.properties.name, rings: ringsOf(z.geometry) }))
      .filter((o) => o.rings.length)
      .sort((a, b) => bboxArea(b.rings) - bboxArea(a.rings))[0] ?? null;
  const framed = [
    ...(outline
      ? outline.rings.flat()
      : [
          [34.2, 31.21],
          [34.56, 31.6],
        ]),
    ...incidents.map((i) => [i.lon, i.lat]),
  ];
  const xs = framed.map((p) => p[0]!);
  const ys = framed.map((p) => p[1]!);
  const pad = 0.02;
  // A stray point far away must not shrink the strip to a dot.
  const clampLon = (x: number) => Math.min(35.5, Math.max(33.2, x));
  const clampLat = (y: number) => Math.min(32.5, Math.max(30.3, y));
  return {
    extent: {
      // Room in the sea to the west for the governorates' names.
      west: clampLon(Math.min(...xs) - pad - 0.09),
      east: clampLon(Math.max(...xs) + pad),
      south: clampLat(Math.min(...ys) - pad),
      north: clampLat(Math.max(...ys) + pad),
    },
    governorates: governoratePolygons().map((g) => ({ name: g.name, rings: g.coordinates })),
    outline,
    lines: lines.map((z) => {
      const g = z.geometry as { type: string; coordinates: unknown };
      const parts = g.type === 'LineString' ? [g.coordinates as number[][]] : (g.coordinates as number[][][]);
      return { name: z.properties.name, version: z.properties.version, parts };
    }),
    points: incidents.map((i) => ({ number: i.number, status: i.status, lon: i.lon, lat: i.lat })),
  };
}

export interface DailyReportQuery {
  end?: string;
  hours?: number;
}

/**
 * The incident list's filter: the observed window reaches from or later, and began at or before to.
 * Exports cap their own length.
 */
export type ExportQuery = Omit<IncidentListFilter, 'limit'>;

export function reportsService(db: Db, zones: ZonesService, settings: ReportSettings) {
  return {
    settings,

    async daily(viewer: Viewer, q: DailyReportQuery, now = new Date()): Promise<DailyReport> {
      const period = reportPeriod(now, settings, q);
      if ('error' in period) throw problems.badRequest(period.error);
      const prev = previousPeriod(period);
      const end = new Date(period.end);
      const start = new Date(period.start);
      const trend = trendWindows(period.end, settings.timezone);
      const from = new Date(Math.min(new Date(prev.start).getTime(), end.getTime() - TREND_DAYS * DAY_MS));
      // One read for the period, the one before and the trend: every figure comes from the same rows.
      const rows = await db.asViewer(viewer, (tx) =>
        store.incidents(tx, { from, before: end, limit: Number.MAX_SAFE_INTEGER }),
      );
      const t = (r: ReportIncidentRow) => r.observed_at.getTime();
      const current = rows.filter((r) => t(r) >= start.getTime());
      const previous = rows.filter((r) => t(r) >= new Date(prev.start).getTime() && t(r) < start.getTime());
      const at = new Date(end.getTime() - 1);
      const [sectorsThen, lines] = await Promise.all([
        zones.list(viewer, { at, kinds: ['sector'] }),
        zones.list(viewer, { at, kinds: [...CONTROL_LINE_KINDS] }),
      ]);
      // The outline is only the backdrop: today's serves a period from before it was drawn. The
      // control line is the one in force then, or none.
      const sectors = sectorsThen.features.length
        ? sectorsThen
        : await zones.list(viewer, { kinds: ['sector'] });
      const incidents = current.map(toReportIncident);
      const map = reportMap(incidents, sectors.features, lines.features);
      const drawnZones = sectors.features.filter((z) => z.properties.name === map.outline?.name);
      // Every row read feeds a figure (this period, the one before or the trend), so all count.
      const marking: Marking = aggregateMarking([
        ...rows.map((r) => columnsToMarking(r)),
        ...drawnZones.map((z) => z.properties.marking),
        ...lines.features.map((z) => z.properties.marking),
      ]);
      const by = (f: (r: ReportIncidentRow) => string, label: (k: string) => string, order?: string[]) =>
        countRows(current.map(f), previous.map(f), label, order);
      const total: CountRow = {
        key: 'total',
        label: 'All incidents',
        current: current.length,
        previous: previous.length,
        change: current.length - previous.length,
      };
      const ofSubtype = (category: string, subtypes: string[]) =>
        incidents.filter((i) => i.category === category && subtypes.includes(i.subtype));
      return {
        number: period.number,
        title: 'Daily report',
        period,
        previousPeriod: prev,
        generatedAt: now.toISOString(),
        generatedFor: {
          username: viewer.username,
          displayName: viewer.displayName,
          organisation: viewer.organisationCode,
        },
        marking,
        markingText: formatMarking(marking),
        total,
        killed: incidents.reduce((n, i) => n + i.killed, 0),
        injured: incidents.reduce((n, i) => n + i.injured, 0),
        byCategory: by(
          (r) => r.category,
          (k) => CATEGORY_LABELS[k as IncidentCategory] ?? k,
          INCIDENT_CATEGORIES,
        ),
        byGovernorate: by(
          (r) => r.governorate ?? 'unknown',
          (k) => (k === 'unknown' ? 'Outside the governorates' : k),
          [...GOVERNORATES],
        ),
        byAccusedParty: by(
          (r) => r.accused_party,
          (k) => (k === 'UNKNOWN' ? 'Unknown' : k),
        ),
        byStatus: by(
          (r) => r.status,
          (k) => STATUS_LABELS[k as IncidentStatus] ?? k,
          [...INCIDENT_STATUSES],
        ),
        againstMonitors: ofSubtype('attack-on-aid', ['monitors', 'sensor-asset']),
        monitoringRestrictions: ofSubtype('obstruction-of-aid', ['monitoring-restricted']),
        incidents,
        map,
        trend: trend.map((w) => {
          const a = new Date(w.start).getTime();
          const b = new Date(w.end).getTime();
          return { ...w, count: rows.filter((r) => t(r) >= a && t(r) < b).length };
        }),
        narrative: current
          .filter((r) => ASSESSED_STATUSES.includes(r.status as IncidentStatus))
          .map((r) => narrativeOf(r, viewer)),
      };
    },

    /** Incidents for an export, under the reader's RLS, findings withheld where they may not read them. */
    async exportIncidents(
      viewer: Viewer,
      q: ExportQuery,
    ): Promise<{ incidents: ExportIncident[]; marking: Marking; truncated: boolean }> {
      const f: IncidentFilter = {
        overlapFrom: q.from,
        to: q.to,
        governorates: q.governorates,
        categories: q.categories,
        statuses: q.statuses,
        party: q.party,
        bbox: q.bbox,
        q: q.q,
        limit: MAX_EXPORT + 1,
      };
      const rows = await db.asViewer(viewer, (tx) => store.incidents(tx, f));
      const incidents = rows.slice(0, MAX_EXPORT).map((r) => toExportIncident(r, viewer));
      return {
        incidents,
        marking: aggregateMarking(incidents.map((i) => i.marking)),
        truncated: rows.length > MAX_EXPORT,
      };
    },
  };
}
export type ReportsService = ReturnType<typeof reportsService>;
