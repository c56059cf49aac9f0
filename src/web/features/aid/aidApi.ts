import type { ConsignmentInput, ConsignmentItem, ConsignmentState } from '../../../domain/consignments';
import type { CrossingStatus, CrossingStatusInput, Throughput } from '../../../domain/crossings';
import type { Marking } from '../../../domain/marking';
import type { CountFigure, ReconciliationVerdict } from '../../../domain/reconciliation';
import { api } from '../../app/api';

/** The shapes of the aid API as docs/aid-flow.md describes them. */

interface Marked {
  marking: Marking;
  markingText: string;
}

export interface BoardCrossing extends Marked {
  id: string;
  name: string;
  zoneId: string;
  location: [number, number];
  status: CrossingStatus;
  reason: string | null;
  opensAt: string | null;
  closesAt: string | null;
  until: string | null;
  dailyTruckTarget: number;
  version: number;
  updatedAt: string;
  today: Throughput;
  last7Days: Throughput[];
  queued: { consignments: number; trucks: number };
}

export interface Board extends Marked {
  day: string;
  crossings: BoardCrossing[];
  today: { trucks: number; tonnes: number; pallets: number; targetTrucks: number };
}

export interface Notice extends Marked {
  id: string;
  organisation: string;
  consignment: { id: string; number: string; reference: string | null; state: ConsignmentState };
  crossing: { id: string; name: string };
  status: 'restricted' | 'closed';
  reason: string | null;
  until: string | null;
  summary: string;
  at: string;
}

export interface Consignment extends Marked {
  id: string;
  number: string;
  reference: string | null;
  requestingOrganisation: { id: string; code: string; name: string };
  donor: string | null;
  corridor: string | null;
  crossing: { id: string; name: string };
  pallets: number;
  tonnes: number;
  trucks: number;
  state: ConsignmentState;
  stateReason: string | null;
  stateAt: string;
  convoyId: string | null;
  importJobId: string | null;
  items: ConsignmentItem[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ConsignmentDetail extends Consignment {
  history: {
    from: ConsignmentState | null;
    to: ConsignmentState;
    reason: string | null;
    actor: string | null;
    at: string;
    version: number;
  }[];
  allowedNext: ConsignmentState[];
}

export interface ConvoyProperties extends Marked {
  id: string;
  name: string;
  organisation: string | { code: string; name: string } | null;
  notificationId: string | null;
  notification: { number: string; title: string; state: string } | null;
  trackUid: string | null;
  track: { callsign: string | null; observedAt: string; staleAt: string; speed: number | null } | null;
  consignments: { id: string; number: string; state: ConsignmentState; trucks: number; tonnes: number }[];
  trucks: number;
  tonnes: number;
  pallets: number;
  createdAt: string;
  version: number;
}

export interface ConvoyFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: ConvoyProperties;
}

export interface ReconciledFigure extends CountFigure {
  enteredBy: string | null;
  enteredAt: string;
  marking: Marking;
}

export interface ReconciledDay extends Marked {
  day: string;
  crossing: { id: string; name: string };
  figures: ReconciledFigure[];
  verdict: ReconciliationVerdict;
  pairs: {
    a: CountFigure;
    b: CountFigure;
    difference: number;
    verdict: ReconciliationVerdict;
    explanation: string | null;
  }[];
}

export interface FunnelStep {
  state: ConsignmentState;
  stage: 'pipeline' | 'outcome';
  count: number;
  reached: number;
  trucks: number;
  tonnes: number;
}

export interface Dashboard extends Marked {
  from: string;
  to: string;
  days: number;
  basis?: string;
  trucksPerDay: Throughput[];
  crossings: { id: string; name: string; dailyTruckTarget: number; days: Throughput[] }[];
  tonnesByCategory: { category: string; tonnes: number }[];
  funnel: FunnelStep[];
  overdueAnswers: { count: number; oldestDueAt: string | null };
}

/** An import's progress (GET /aid/imports/:id). */
export interface ImportProgress extends Marked {
  id: string;
  kind: 'consignments' | 'activities';
  filename: string | null;
  state: 'running' | 'done' | 'failed';
  totalRows: number;
  processedRows: number;
  importedRows: number;
  errorCount: number;
  percent: number;
  failure: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface RowError {
  row: number;
  column?: string;
  value?: string;
  reason: string;
}

export interface ConsignmentFilter {
  states: ConsignmentState[];
  crossing: string;
  organisation: string;
  from: string;
  to: string;
}

export function consignmentQuery(f: ConsignmentFilter, limit?: number): string {
  const q = new URLSearchParams();
  if (f.states.length) q.set('state', f.states.join(','));
  if (f.crossing) q.set('crossing', f.crossing);
  if (f.organisation) q.set('organisation', f.organisation);
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (limit) q.set('limit', String(limit));
  return String(q);
}

export const aidApi = {
  dashboard: (days: number) => api.get<Dashboard>(`/aid/dashboard?days=${days}`),
  board: () => api.get<Board>('/aid/crossings'),
  setStatus: (id: string, body: CrossingStatusInput) =>
    api.post<unknown>(`/aid/crossings/${encodeURIComponent(id)}/status`, body),
  notices: () => api.get<{ notices: Notice[]; marking: Marking }>('/aid/notices?limit=50'),
  consignments: (f: ConsignmentFilter, limit: number) =>
    api.get<{ consignments: Consignment[]; marking: Marking; markingText?: string; truncated: boolean }>(
      `/aid/consignments?${consignmentQuery(f, limit)}`,
    ),
  consignment: (id: string) => api.get<ConsignmentDetail>(`/aid/consignments/${encodeURIComponent(id)}`),
  register: (body: ConsignmentInput) => api.post<ConsignmentDetail>('/aid/consignments', body),
  move: (id: string, body: { to: ConsignmentState; version: number; reason?: string }) =>
    api.post<ConsignmentDetail>(`/aid/consignments/${encodeURIComponent(id)}/state`, body),
  convoys: () =>
    api.get<{ type: 'FeatureCollection'; features: ConvoyFeature[]; marking: Marking }>('/aid/convoys'),
  reconciliation: (from: string, to: string, crossing: string) => {
    const q = new URLSearchParams({ from, to });
    if (crossing) q.set('crossing', crossing);
    return api.get<{ from: string; to: string; days: ReconciledDay[]; marking: Marking }>(
      `/aid/reconciliation?${q}`,
    );
  },
  putCounts: (crossingId: string, body: { day: string; marking: Marking; figures: CountFigure[] }) =>
    api.put<ReconciledDay>(`/aid/crossings/${encodeURIComponent(crossingId)}/counts`, body),
  importProgress: (id: string) => api.get<ImportProgress>(`/aid/imports/${encodeURIComponent(id)}`),
  importErrors: (id: string) =>
    api.get<{ errors: RowError[]; errorCount: number }>(`/aid/imports/${encodeURIComponent(id)}/errors`),
};

/** The import is a raw CSV body (not a form): the server streams it to disk. */
export async function startImport(
  file: File,
  kind: 'consignments' | 'activities',
  marking: string,
  csrf: string | null,
): Promise<ImportProgress & { jobId: string }> {
  const q = new URLSearchParams({ kind, marking, filename: file.name.slice(0, 200) });
  const headers: Record<string, string> = { 'content-type': 'text/csv', accept: 'application/json' };
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(`/api/v1/aid/imports?${q}`, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: file,
  });
  const data = (await res.json().catch(() => null)) as { detail?: string; title?: string } | null;
  if (!res.ok) throw new Error(data?.detail ?? data?.title ?? `HTTP ${res.status}`);
  return data as ImportProgress & { jobId: string };
}

export const exportUrls = {
  consignmentsCsv: '/api/v1/aid/consignments/export.csv',
  consignmentsGeojson: '/api/v1/aid/consignments/export.geojson',
  importErrorsCsv: (id: string) => `/api/v1/aid/imports/${encodeURIComponent(id)}/errors?format=csv`,
};
