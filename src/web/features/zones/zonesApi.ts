import type { ZoneFeature } from '../../../domain/zones';
import { api } from '../../app/api';
import type { ZoneCollection } from './zoneStore';

/** The zones asked for as the page loads, until the picture takes them. */
let early: Promise<ZoneCollection | null> | null = null;

/**
 * Starts GET /zones as the scripts run, alongside the session check rather than after it: the
 * zones are the largest response of the first picture. Without a session it fails quietly (401)
 * and the picture asks again once signed in.
 */
export function prefetchZones(): void {
  early = api.get<ZoneCollection>('/zones', { quiet401: true }).catch(() => null);
}

export function fetchZones(): Promise<ZoneCollection> {
  const prefetched = early;
  early = null;
  if (!prefetched) return api.get<ZoneCollection>('/zones');
  return prefetched.then((fc) => fc ?? api.get<ZoneCollection>('/zones'));
}

/** Every version of a zone, oldest first. */
export function fetchZoneVersions(id: string): Promise<ZoneFeature[]> {
  return api.get<ZoneFeature[]>(`/zones/${encodeURIComponent(id)}/versions`);
}
