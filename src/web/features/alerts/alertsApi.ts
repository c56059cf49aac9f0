import { api } from '../../app/api';
import type { AlertCounts, AlertFeature, AlertStatus, AlertWithHistory } from './types';

export interface AlertCollection {
  type: 'FeatureCollection';
  features: unknown[];
  markingText: string;
  truncated: boolean;
}

export interface Assignee {
  username: string;
  displayName: string;
  organisation: string;
}

const path = (id: string) => `/alerts/${encodeURIComponent(id)}`;

export const alertsApi = {
  list: (statuses: readonly AlertStatus[], limit = 200) =>
    api.get<AlertCollection>(`/alerts?status=${statuses.join(',')}&limit=${limit}`),
  counts: () => api.get<AlertCounts>('/alerts/counts'),
  get: (id: string) => api.get<AlertWithHistory>(path(id)),
  assignees: (id: string) => api.get<Assignee[]>(`${path(id)}/assignees`),
  acknowledge: (id: string, version: number) =>
    api.post<AlertFeature>(`${path(id)}/acknowledge`, { version }),
  assign: (id: string, version: number, assignee: string | null) =>
    api.post<AlertFeature>(`${path(id)}/assign`, { version, assignee }),
  resolve: (id: string, version: number, note: string) =>
    api.post<AlertFeature>(`${path(id)}/resolve`, note ? { version, note } : { version }),
  reopen: (id: string, version: number) => api.post<AlertFeature>(`${path(id)}/reopen`, { version }),
};
