import type {
  NotificationAction,
  NotificationDetail,
  NotificationFeature,
  NotificationInput,
} from '../../../domain/deconfliction';
import { api } from '../../app/api';

export interface NotificationCollection {
  type: 'FeatureCollection';
  features: NotificationFeature[];
  markingText?: string;
  truncated?: boolean;
}

/** What an action carries besides the action and the version. */
export interface NotificationActionBody {
  reason?: string;
  delayMinutes?: number;
}

const base = '/aid/notifications';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const notificationsApi = {
  /** `mine`: only the viewer's organisation's notifications. */
  list: (opts: { mine?: boolean; limit?: number } = {}) => {
    const q = new URLSearchParams({ limit: String(opts.limit ?? 500) });
    if (opts.mine) q.set('mine', 'true');
    return api.get<NotificationCollection>(`${base}?${q}`);
  },
  /** A party liaison's queue: what awaits their party's answer, soonest due first. */
  queue: () => api.get<NotificationCollection>('/aid/queue'),
  get: (id: string) => api.get<NotificationDetail>(one(id)),
  create: (input: NotificationInput) => api.post<NotificationDetail>(base, input),
  act: (id: string, action: NotificationAction, version: number, body: NotificationActionBody = {}) =>
    api.post<NotificationDetail>(`${one(id)}/actions`, { action, version, ...body }),
};
