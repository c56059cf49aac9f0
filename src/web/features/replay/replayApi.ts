import type { ReplayWindow } from '../../../domain/replay';
import type { ZoneFeature } from '../../../domain/zones';
import { ApiError, api } from '../../app/api';
import type { ZoneCollection } from '../zones/zoneStore';
import { type ReplayAlert, readAlerts } from './alerts';

/** Alerts listed per request by the alerts API at most. */
const ALERTS_LIMIT = 1000;

const windowQuery = (from: number, to: number) =>
  new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });

/** Every position of the window released to this user (see README: replay API). */
export function fetchReplay(from: number, to: number): Promise<ReplayWindow> {
  return api.get<ReplayWindow>(`/tracks/replay?${windowQuery(from, to)}`);
}

/**
 * The alerts of the window, whatever their status; null when this server has no alerts API
 * (404), so that replay works the same without it.
 */
export async function fetchReplayAlerts(from: number, to: number): Promise<ReplayAlert[] | null> {
  const q = windowQuery(from, to);
  q.set('status', 'open,acknowledged,resolved');
  q.set('limit', String(ALERTS_LIMIT));
  try {
    return readAlerts(await api.get<unknown>(`/alerts?${q}`));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** The zones as they were at a time: each in the version in force then. */
export async function fetchZonesAt(at: number): Promise<ZoneFeature[]> {
  const q = new URLSearchParams({ at: new Date(at).toISOString() });
  const fc = await api.get<ZoneCollection>(`/zones?${q}`);
  return Array.isArray(fc?.features) ? fc.features : [];
}
