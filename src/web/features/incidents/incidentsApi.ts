import type { IncidentAction, IncidentStatus } from '../../../domain/incident-workflow';
import type {
  Casualties,
  Finding,
  IncidentCategory,
  IncidentDetail,
  IncidentFeature,
  IncidentReportInput,
  MergeCandidate,
} from '../../../domain/incidents';
import type { Marking } from '../../../domain/marking';
import { api } from '../../app/api';
import type { IncidentFilter } from './filter';
import { filterQuery } from './filter';

export interface IncidentCollection {
  type: 'FeatureCollection';
  features: IncidentFeature[];
  markingText?: string;
  truncated?: boolean;
}

export interface IncidentCounts {
  total: number;
  byStatus: Partial<Record<IncidentStatus, number>>;
  markingText?: string;
}

/** What an action request carries besides the action and the version. */
export interface ActionBody {
  note?: string;
  finding?: Finding;
  rationale?: string;
  duplicateOf?: string;
  response?: string;
  /** notify-parties: who is told (default: the alleging and the accused party). */
  parties?: string[];
  /** record-response: whose answer it is (a liaison answers for their own party only). */
  party?: string;
}

export interface IncidentEdit {
  title?: string;
  category?: IncidentCategory;
  subtype?: string;
  casualties?: Casualties;
  marking?: Marking;
}

const base = '/incidents';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Counts may come as `{ total, byStatus }` or as a flat map of statuses: both are read. */
function readCounts(raw: unknown): IncidentCounts {
  const r = (raw ?? {}) as Record<string, unknown>;
  const byStatus = (typeof r.byStatus === 'object' && r.byStatus !== null ? r.byStatus : r) as Record<
    string,
    unknown
  >;
  const out: Partial<Record<IncidentStatus, number>> = {};
  let sum = 0;
  for (const [k, v] of Object.entries(byStatus)) {
    if (typeof v === 'number' && k !== 'total') {
      out[k as IncidentStatus] = v;
      sum += v;
    }
  }
  return {
    total: typeof r.total === 'number' ? r.total : sum,
    byStatus: out,
    markingText: typeof r.markingText === 'string' ? r.markingText : undefined,
  };
}

export const incidentsApi = {
  list: (f: IncidentFilter, limit = 500) => {
    const q = filterQuery(f);
    q.set('limit', String(limit));
    return api.get<IncidentCollection>(`${base}?${q}`);
  },
  counts: async (f: IncidentFilter) => readCounts(await api.get<unknown>(`${base}/counts?${filterQuery(f)}`)),
  get: (id: string) => api.get<IncidentDetail>(one(id)),
  report: (input: IncidentReportInput) =>
    api.post<{ incident: IncidentDetail; candidates: MergeCandidate[] }>(`${base}/reports`, input),
  edit: (id: string, version: number, edit: IncidentEdit) =>
    api.patch<IncidentDetail>(one(id), { version, ...edit }),
  saveAssessment: (id: string, version: number, finding: Finding, rationale: string) =>
    api.put<IncidentDetail>(`${one(id)}/assessment`, { version, finding, rationale }),
  act: (id: string, action: IncidentAction, version: number, body: ActionBody = {}) =>
    api.post<IncidentDetail>(`${one(id)}/actions`, { action, version, ...body }),
  candidates: (id: string) => api.get<MergeCandidate[]>(`${one(id)}/candidates`),
};

/** Export links: plain GETs the browser downloads, with the list's filters. */
export function exportUrl(kind: 'acled' | 'hxl' | 'geojson', f: IncidentFilter): string {
  const q = filterQuery(f);
  if (kind === 'geojson') return `/api/v1${base}/export.geojson?${q}`;
  q.set('format', kind);
  return `/api/v1${base}/export.csv?${q}`;
}
